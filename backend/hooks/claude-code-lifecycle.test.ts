/**
 * Every hook event Troika runs, through the runtime's seam (TroikaHooks),
 * with a repository's `.claude/settings.json` and scripts in the shapes
 * public setups use (backend/testing/claude-code-fixtures/loop-project/):
 * SessionStart context reaching the model, a hook's allow skipping Troika's
 * prompt (noted, naming the hook), PermissionRequest answering for the
 * person, Notification when the agent waits, `continue: false` ending the
 * run, PreCompact copying the transcript, Stop reading it, SessionEnd.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../cache/test-support/temp.ts';
import type { ModelRequestSpec } from '../provider/request-builder.ts';
import { loadHookSettings } from './command/settings.ts';
import { RunEndedByHookError, type HookAgent, type ToolCall } from './runner.ts';
import { TranscriptFiles } from './transcript-file.ts';
import { TroikaHooks, type AgentHookEvent } from './troika-hooks.ts';

const FIXTURE = fileURLToPath(
  new URL('../testing/claude-code-fixtures/loop-project/', import.meta.url),
);
const REQUEST: ModelRequestSpec = {
  model: 'm',
  maxTokens: 10,
  tools: [],
  system: 's',
  messages: [],
};

async function project(t: TestContext) {
  const cwd = tempDir(t, 'troika-cc-loop-');
  cpSync(FIXTURE, cwd, { recursive: true });
  const transcripts = new TranscriptFiles({
    dir: tempDir(t, 'troika-cc-loop-transcripts-'),
    rows: () => [],
    meta: () => ({ cwd, gitBranch: 'troika/a1', model: 'claude-sonnet-5-5' }),
  });
  const settings = await loadHookSettings(join(cwd, '.claude/settings.json'), { required: true });
  assert.deepEqual(settings.warnings, []);
  const events: AgentHookEvent[] = [];
  const hooks = new TroikaHooks({
    builtins: ['policy'],
    settings,
    transcriptPath: (agentId) => transcripts.path(agentId),
    onEvent: (_id, event) => events.push(event),
  });
  t.after(() => hooks.dispose());
  const agent: HookAgent = { agentId: 'a1', workDir: cwd, model: 'm', persona: null };
  const log = (name: string) => {
    const file = join(cwd, '.claude/logs', name);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  };
  const failures = () => events.filter((e) => e.type === 'hook.failure');
  return { cwd, hooks, agent, events, transcripts, log, failures };
}

const bash = (command: string, id = 't1'): ToolCall => ({
  toolUseId: id,
  name: 'bash',
  input: { command },
});

function notes(events: AgentHookEvent[], event: string) {
  return events.flatMap((e) =>
    e.type === 'hook.message' && e.event === event ? [`${e.message.hook}: ${e.message.text}`] : [],
  );
}

describe("a repository's hooks for every event, at the runtime's seam", () => {
  test('SessionStart: its context rides with the first prompt; the matcher picks the source', async (t) => {
    const { hooks, agent, log, failures } = await project(t);
    await hooks.sessionStart(agent, 'startup');
    assert.equal(
      await hooks.userPrompt(agent, 'Fix the parser'),
      'Fix the parser\n\n[Context from hooks]\nProject rule: run ./run-tests.sh before you finish (session startup).',
    );
    assert.equal(await hooks.userPrompt(agent, 'and the lexer'), 'and the lexer');
    // After a summary Claude Code starts the session again with source "compact": not matched here.
    await hooks.compacted(agent);
    assert.equal(log('session-start.log'), 'startup\n');
    assert.deepEqual(failures(), []);
  });

  test("PreToolUse allow skips Troika's prompt and the note names the hook; other pushes still ask", async (t) => {
    const { hooks, agent, events, log, failures } = await project(t);
    const feature = await hooks.toolDecision(agent, bash('git push origin feature/csv'));
    assert.deepEqual(feature, { action: 'allow' });
    const [note] = notes(events, 'PreToolUse');
    assert.match(note ?? '', /allow-feature-push\.sh/);
    assert.match(
      note ?? '',
      /Allowed Bash without asking \(feature branch feature\/csv\); Troika would have asked: .*publishes commits/,
    );

    const main = await hooks.toolDecision(agent, bash('git push origin main', 't2'));
    assert.equal(main.action, 'ask');
    // Nobody answered the PermissionRequest: Notification hooks hear that the agent waits.
    assert.deepEqual(
      log('notifications.log')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
      [{ type: 'permission_prompt', message: 'Claude needs your permission to use Bash' }],
    );
    assert.deepEqual(failures(), []);
  });

  test("an allow does not lift a permission rule's ask", async (t) => {
    const { hooks, agent, cwd, events } = await project(t);
    writeFileSync(
      join(cwd, '.claude/settings.local.json'),
      JSON.stringify({ permissions: { ask: ['Bash(git push origin feature/release:*)'] } }),
    );
    const decision = await hooks.toolDecision(agent, bash('git push origin feature/release'));
    assert.equal(decision.action, 'ask');
    assert.match(
      decision.action === 'ask' ? decision.reason : '',
      /Asks by Bash\(git push origin feature\/release:\*\)/,
    );
    assert.deepEqual(notes(events, 'PreToolUse'), []);
  });

  test('PermissionRequest answers for the person: deny with a message, allow with a new input, interrupt', async (t) => {
    const { hooks, agent, events, log } = await project(t);
    assert.deepEqual(await hooks.toolDecision(agent, bash('git reset --hard HEAD~1')), {
      action: 'deny',
      reason: 'Never discard work here; stash it instead.',
    });
    assert.deepEqual(await hooks.toolDecision(agent, bash('git clean -fd build', 't2')), {
      action: 'allow',
      input: { command: 'git clean -fd build/' },
    });
    assert.match(
      notes(events, 'PermissionRequest').join('\n'),
      /permission-request\.sh.*: Denied in your place: Never discard work[\s\S]*permission-request\.sh.*: Approved in your place; Troika would have asked: .*deletes untracked files/,
    );
    await assert.rejects(
      hooks.toolDecision(agent, bash('rm -rf /tmp/scratch', 't3')),
      (error: unknown) =>
        error instanceof RunEndedByHookError && error.reason === 'Scratch is shared.',
    );
    assert.equal(log('notifications.log'), '', 'an answered request shows no prompt');
  });

  test('PostToolUse continue: false keeps the result and ends the run at the next call', async (t) => {
    const { hooks, agent, events } = await project(t);
    const call = bash('make');
    assert.equal((await hooks.toolDecision(agent, call)).action, 'allow');
    const result = { content: 'FATAL: disk full', isError: false };
    assert.equal(await hooks.toolResult(agent, call, result), result);
    assert.deepEqual(notes(events, 'PostToolUse').length, 1);
    await assert.rejects(
      hooks.modelRequest(agent, REQUEST),
      /Stopped by the command ".*halt-on-fatal\.sh" hook: The build printed FATAL; a person must look first\./,
    );
    // Asked once: the next run goes on.
    await hooks.stop(agent, { state: 'stopped', reason: 'hook' });
    assert.equal(await hooks.modelRequest(agent, REQUEST), REQUEST);
  });

  test('Notification when the agent waits for an answer; PreCompact copies the transcript first', async (t) => {
    const { hooks, agent, transcripts, log, cwd } = await project(t);
    await hooks.waiting(agent, { message: 'Which database?', type: 'idle_prompt' });
    assert.equal(log('notifications.log'), '{"type":"idle_prompt","message":"Which database?"}\n');

    transcripts.put('a1', {
      seq: 0,
      role: 'user',
      content: [{ type: 'text', text: 'Fix the parser' }],
      createdAt: 0,
    });
    await hooks.preCompact(agent, 'auto');
    assert.equal(log('pre-compact.log'), 'auto\n');
    assert.equal(
      readFileSync(join(cwd, '.claude/logs/backups/auto-a1.jsonl'), 'utf8'),
      readFileSync(transcripts.path('a1'), 'utf8'),
    );
  });

  test('Stop reads the transcript: no test run yet blocks with the reason; a run lets it stop', async (t) => {
    const { hooks, agent, transcripts, log } = await project(t);
    const put = (seq: number, role: 'user' | 'assistant', content: unknown[]) =>
      transcripts.put('a1', { seq, role, content, createdAt: seq });
    put(0, 'user', [{ type: 'text', text: 'Fix the parser' }]);
    put(1, 'assistant', [{ type: 'text', text: 'Fixed.' }]);
    await hooks.userPrompt(agent, 'Fix the parser');
    const blocked = await hooks.stop(agent, {
      state: 'done',
      reason: null,
      lastAssistantMessage: 'Fixed.',
    });
    assert.equal(blocked?.continueWith, 'Run ./run-tests.sh before you finish.');
    assert.match(blocked?.hooks[0] ?? '', /require-test-run/);

    put(2, 'user', [
      { type: 'text', text: 'Stop hook feedback:\nRun ./run-tests.sh before you finish.' },
    ]);
    put(3, 'assistant', [
      { type: 'tool_use', id: 'tu1', name: 'bash', input: { command: './run-tests.sh' } },
    ]);
    put(4, 'user', [{ type: 'tool_result', tool_use_id: 'tu1', content: '3 tests passed' }]);
    put(5, 'assistant', [{ type: 'text', text: 'Tests pass.' }]);
    await hooks.userPrompt(agent, 'go on');
    const done = await hooks.stop(agent, {
      state: 'done',
      reason: null,
      stopHookActive: true,
      lastAssistantMessage: 'Tests pass.',
    });
    assert.equal(done, undefined);
    assert.deepEqual(
      log('stop.log')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
      [
        { stop_hook_active: false, last: 'Fixed.' },
        { stop_hook_active: true, last: 'Tests pass.' },
      ],
    );
  });

  test('SessionEnd runs when the session closes, with or without a run', async (t) => {
    const { hooks, agent, log } = await project(t);
    await hooks.userPrompt(agent, 'hello');
    await hooks.forget('a1');
    assert.equal(log('session-end.log'), 'other\n');
    await hooks.userPrompt(agent, 'again');
    await hooks.stop(agent, { state: 'stopped', reason: 'by you' });
    await hooks.dispose();
    assert.equal(log('session-end.log'), 'other\nother\n');
  });
});

test('the fixture scripts are the files the settings name', () => {
  const settings = readFileSync(join(FIXTURE, '.claude/settings.json'), 'utf8');
  for (const [, script] of settings.matchAll(/\.claude\/hooks\/([\w.-]+)/g))
    assert.ok(existsSync(join(FIXTURE, '.claude/hooks', script ?? '')), script);
});
