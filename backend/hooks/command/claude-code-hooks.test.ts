/**
 * Hook scripts in the shapes public Claude Code setups use (bash with
 * `[[ ]]` and BASH_REMATCH, Python reading stdin, a plugin's hooks.json with
 * `${CLAUDE_PLUGIN_ROOT}`), loaded from the fixtures' `.claude/settings.json`
 * as they are, each output form checked through the hook pipeline.
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../../cache/test-support/temp.ts';
import { HookPipeline } from '../pipeline.ts';
import { TranscriptFiles } from '../transcript-file.ts';
import type { HookFailure } from '../types.ts';
import { commandHooks } from './command-hook.ts';
import { loadHookSettings, parseHookSettings } from './settings.ts';

const FIXTURES = fileURLToPath(new URL('../../testing/claude-code-fixtures/', import.meta.url));
const AGENT = 'agent-cc';

/** The fixture project copied to a temporary workspace, with its settings' hooks in a pipeline. */
async function project(t: TestContext, settingsFile = '.claude/settings.json') {
  const cwd = tempDir(t, 'troika-cc-project-');
  cpSync(join(FIXTURES, 'project'), cwd, { recursive: true });
  const transcripts = new TranscriptFiles({
    dir: tempDir(t, 'troika-cc-transcripts-'),
    rows: () => [],
    meta: () => ({ cwd, gitBranch: 'troika/x', model: 'claude-sonnet-5-5' }),
  });
  const file = settingsFile.startsWith('/') ? settingsFile : join(cwd, settingsFile);
  const settings = await loadHookSettings(file, { required: true });
  const failures: HookFailure[] = [];
  const pipeline = new HookPipeline({
    session: { agentId: AGENT, cwd, transcriptPath: transcripts.path(AGENT) },
    hooks: commandHooks(settings, { env: process.env }),
    onFailure: (failure) => failures.push(failure),
  });
  t.after(() => pipeline.dispose());
  return { cwd, pipeline, failures, transcripts, settings };
}

const bash = (command: string) => ({ toolName: 'bash', toolUseId: 't1', toolInput: { command } });

describe("a repository's Claude Code hooks, unchanged", () => {
  test('the settings file loads every hook with no warnings', async (t) => {
    const { settings } = await project(t);
    assert.deepEqual(settings.warnings, []);
    assert.equal(settings.commands.length, 7);
  });

  test('PreToolUse permissionDecision: deny (Python), allow and ask (bash), and continue: false', async (t) => {
    const { pipeline, failures } = await project(t);
    const env = await pipeline.preToolUse({
      toolName: 'str_replace_based_edit_tool',
      toolUseId: 't0',
      toolInput: { command: 'view', path: '.env' },
    });
    assert.equal(env.decision, 'deny');
    assert.equal(env.reason, '.env holds secrets; use .env.example');

    const tests = await pipeline.preToolUse(bash('npm test -- --watch=false'));
    assert.equal(tests.decision, 'allow');
    assert.equal(tests.reason, 'test runs are safe');
    assert.match(tests.decidedBy[0] ?? '', /approve-tests\.sh/);

    const push = await pipeline.preToolUse(bash('git push origin main'));
    assert.deepEqual([push.decision, push.reason], ['ask', 'pushing publishes the branch']);

    const deploy = await pipeline.preToolUse(bash('make deploy'));
    assert.equal(deploy.stop?.reason, 'Deploys are done by CI, not by agents.');
    assert.deepEqual(failures, []);
  });

  test('PostToolUse: systemMessage with suppressOutput, a block reason and additionalContext for the model', async (t) => {
    const { cwd, pipeline, failures } = await project(t);
    const result = await pipeline.postToolUse({
      toolName: 'str_replace_based_edit_tool',
      toolUseId: 't2',
      toolInput: { command: 'create', path: 'src/export.ts', file_text: 'export {}' },
      toolResponse: { content: 'Created src/export.ts', isError: false },
    });
    assert.deepEqual(failures, []);
    assert.deepEqual(
      result.systemMessages.map((m) => m.text),
      ['Formatted export.ts'],
    );
    assert.deepEqual(result.additionalContext, [
      `${join(cwd, 'src/export.ts')} is new: export it from src/index.ts.\n\nRun npm run lint after.`,
    ]);
  });

  test('UserPromptSubmit: additionalContext, and a block that refuses the prompt', async (t) => {
    const { pipeline } = await project(t);
    const ok = await pipeline.userPromptSubmit({ prompt: 'Add the CSV export' });
    assert.deepEqual(ok.additionalContext, ['Sprint goal: ship the billing export.']);
    const refused = await pipeline.userPromptSubmit({ prompt: 'use password=hunter2' });
    assert.equal(refused.blocked?.reason, 'The prompt holds a password; remove it and send again.');
  });

  test('Stop: exit 2 keeps the agent going with stderr; stop_hook_active lets it stop', async (t) => {
    const { pipeline } = await project(t);
    const first = await pipeline.stop({ stopHookActive: false });
    assert.equal(first.continueWith, 'No tests yet: add one for the change before finishing.');
    const again = await pipeline.stop({ stopHookActive: true });
    assert.equal(again.continueWith, undefined);
  });

  test('Stop: a hook reads the transcript file and blocks on what the last message says', async (t) => {
    const { cwd, pipeline, transcripts } = await project(t);
    writeFileSync(join(cwd, 'export.test.ts'), '');
    const rows = [
      {
        seq: 0,
        role: 'user' as const,
        content: [{ type: 'text', text: 'Add the export' }],
        createdAt: 1,
      },
      {
        seq: 1,
        role: 'assistant' as const,
        content: [{ type: 'text', text: 'Done. TODO: wire the button.' }],
        createdAt: 2,
      },
    ];
    for (const row of rows) transcripts.put(AGENT, row);
    // The file is written as messages are stored; the hook reads it as Claude Code's.
    const blocked = await pipeline.stop({ stopHookActive: false });
    assert.equal(blocked.continueWith, 'Your last message leaves a TODO; finish it first.');
    transcripts.put(AGENT, {
      seq: 2,
      role: 'assistant',
      content: [{ type: 'text', text: 'The button is wired.' }],
      createdAt: 3,
    });
    const done = await pipeline.stop({ stopHookActive: false });
    assert.equal(done.continueWith, undefined);
  });

  test("a plugin's hooks.json: ${CLAUDE_PLUGIN_ROOT} names the plugin folder", async (t) => {
    const { cwd, pipeline, failures } = await project(t, join(FIXTURES, 'plugin/hooks/hooks.json'));
    await pipeline.postToolUse({
      ...bash('npm test'),
      toolResponse: { content: 'ok', isError: false },
    });
    assert.deepEqual(failures, []);
    assert.equal(readFileSync(join(cwd, '.claude/bash-log.txt'), 'utf8'), 'plugin\tnpm test\n');
  });

  test('a command line in bash syntax runs (bash, not sh)', async (t) => {
    const cwd = tempDir(t, 'troika-cc-bash-');
    const settings = parseHookSettings(
      {
        hooks: {
          UserPromptSubmit: [
            {
              hooks: [
                {
                  type: 'command',
                  command: `read -r -d '' input || true; [[ $input =~ \\"prompt\\":\\"([a-z]+) ]] && echo "first word: \${BASH_REMATCH[1]}"`,
                },
              ],
            },
          ],
        },
      },
      join(cwd, 'settings.json'),
    );
    const pipeline = new HookPipeline({
      session: { agentId: AGENT, cwd, transcriptPath: '' },
      hooks: commandHooks(settings, { env: process.env }),
      onFailure: (failure) => assert.fail(failure.message),
    });
    t.after(() => pipeline.dispose());
    const result = await pipeline.userPromptSubmit({ prompt: 'hello there' });
    assert.deepEqual(result.additionalContext, ['first word: hello']);
  });
});
