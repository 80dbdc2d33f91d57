import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { tempDir, waitFor } from '../../../cache/test-support/temp.ts';
import { HookPipeline } from '../pipeline.ts';
import type { HookFailure } from '../types.ts';
import { commandHooks } from './command-hook.ts';
import { parseHookSettings } from './settings.ts';

/** A hook command running `script` (a Node ES module) with the Node running the tests. */
function nodeCommand(dir: string, name: string, script: string): string {
  const file = join(dir, name);
  writeFileSync(file, script);
  return `${JSON.stringify(process.execPath)} ${JSON.stringify(file)}`;
}

/** Reads the event from stdin, saves it as JSON to `saveTo`, then runs `then`. */
const READ_STDIN = `
import { writeFileSync } from 'node:fs';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const event = JSON.parse(input);
`;

function setup(
  t: TestContext,
  hooks: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
) {
  const dir = tempDir(t, 'troika-cmd-hooks-');
  const failures: HookFailure[] = [];
  const settings = parseHookSettings({ hooks }, join(dir, 'settings.json'));
  const pipeline = new HookPipeline({
    session: { agentId: 'agent-7', cwd: dir, transcriptPath: '' },
    hooks: commandHooks(settings, { env }),
    onFailure: (f) => failures.push(f),
  });
  t.after(() => pipeline.dispose());
  return { dir, pipeline, failures };
}

function group(command: string, matcher?: string, timeout?: number) {
  return [
    {
      ...(matcher !== undefined && { matcher }),
      hooks: [{ type: 'command', command, ...(timeout !== undefined && { timeout }) }],
    },
  ];
}

describe('command hooks with real scripts', () => {
  test("the script gets the event in Claude Code's shape on stdin, in the workspace", async (t) => {
    const dir = tempDir(t, 'troika-cmd-scripts-');
    const saved = join(dir, 'event.json');
    const command = nodeCommand(
      dir,
      'save.mjs',
      `${READ_STDIN} writeFileSync(${JSON.stringify(saved)}, JSON.stringify({ event, cwd: process.cwd(), project: process.env.CLAUDE_PROJECT_DIR }));`,
    );
    const { dir: cwd, pipeline } = setup(t, { PreToolUse: group(command, 'Edit') });
    await pipeline.preToolUse({
      toolName: 'str_replace_based_edit_tool',
      toolUseId: 'toolu_9',
      toolInput: { command: 'str_replace', path: 'a.ts', old_str: 'x', new_str: 'y' },
    });
    const got = JSON.parse(readFileSync(saved, 'utf8')) as {
      event: Record<string, unknown>;
      cwd: string;
      project: string;
    };
    assert.deepEqual(got.event, {
      session_id: 'agent-7',
      transcript_path: '',
      cwd,
      permission_mode: 'default',
      hook_event_name: 'PreToolUse',
      tool_name: 'Edit',
      tool_input: {
        file_path: join(cwd, 'a.ts'),
        old_string: 'x',
        new_string: 'y',
        replace_all: false,
      },
      tool_use_id: 'toolu_9',
      troika_tool_name: 'str_replace_based_edit_tool',
    });
    assert.equal(got.cwd, cwd);
    assert.equal(got.project, cwd);
  });

  test('exit 0 with JSON output changes the input the tool gets', async (t) => {
    const dir = tempDir(t, 'troika-cmd-scripts-');
    const command = nodeCommand(
      dir,
      'rewrite.mjs',
      `${READ_STDIN} console.log(JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow', updatedInput: { ...event.tool_input, command: event.tool_input.command + ' --dry-run' } } }));`,
    );
    const { pipeline } = setup(t, { PreToolUse: group(command, 'Bash') });
    const result = await pipeline.preToolUse({
      toolName: 'bash',
      toolUseId: 't1',
      toolInput: { command: 'make deploy' },
    });
    assert.equal(result.decision, 'allow');
    assert.deepEqual(result.input, { command: 'make deploy --dry-run' });
  });

  test('exit 2 blocks the call with stderr as the reason', async (t) => {
    const dir = tempDir(t, 'troika-cmd-scripts-');
    const command = nodeCommand(
      dir,
      'block.mjs',
      `${READ_STDIN} console.error('Blocked: ' + event.tool_input.command); process.exit(2);`,
    );
    const { pipeline } = setup(t, { PreToolUse: group(command, 'Bash') });
    const result = await pipeline.preToolUse({
      toolName: 'bash',
      toolUseId: 't1',
      toolInput: { command: 'rm -rf build' },
    });
    assert.equal(result.decision, 'deny');
    assert.equal(result.reason, 'Blocked: rm -rf build');
  });

  test('exit 1 is reported with its stderr and does not block', async (t) => {
    const dir = tempDir(t, 'troika-cmd-scripts-');
    const command = nodeCommand(
      dir,
      'fail.mjs',
      `console.error('jq: command not found'); process.exit(1);`,
    );
    const { pipeline, failures } = setup(t, { PreToolUse: group(command) });
    const result = await pipeline.preToolUse({
      toolName: 'bash',
      toolUseId: 't1',
      toolInput: { command: 'ls' },
    });
    assert.equal(result.decision, 'allow');
    assert.equal(failures.length, 1);
    assert.deepEqual(
      [
        failures[0]?.kind,
        failures[0]?.exitCode,
        failures[0]?.stderr,
        failures[0]?.effect,
        failures[0]?.toolUseId,
      ],
      ['exit-code', 1, 'jq: command not found', 'ignored', 't1'],
    );
  });

  test('a hook that runs too long is killed with its children and reported', async (t) => {
    const dir = tempDir(t, 'troika-cmd-scripts-');
    const pidFile = join(dir, 'child.pid');
    // The hook starts a child that would outlive it, then hangs.
    const command = nodeCommand(
      dir,
      'hang.mjs',
      `import { spawn } from 'node:child_process'; import { writeFileSync } from 'node:fs';
       const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
       writeFileSync(${JSON.stringify(pidFile)}, String(child.pid));
       setInterval(() => {}, 1000);`,
    );
    const { pipeline, failures } = setup(t, { Stop: group(command, undefined, 0.5) });
    const result = await pipeline.stop({ stopHookActive: false });
    assert.equal(result.continueWith, undefined);
    assert.equal(failures[0]?.kind, 'timeout');
    assert.match(failures[0]?.message ?? '', /did not finish within 0\.5 s and was killed/);
    const childPid = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !alive(childPid), 5000, "the hook's child to be killed");
  });

  test('malformed JSON output is reported and the call goes ahead', async (t) => {
    const dir = tempDir(t, 'troika-cmd-scripts-');
    const command = nodeCommand(dir, 'bad.mjs', `console.log('{"decision": "block",');`);
    const { pipeline, failures } = setup(t, { PreToolUse: group(command) });
    const result = await pipeline.preToolUse({
      toolName: 'bash',
      toolUseId: 't1',
      toolInput: { command: 'ls' },
    });
    assert.equal(result.decision, 'allow');
    assert.equal(failures[0]?.kind, 'invalid-output');
  });

  test('event data never reaches the shell: a tool input with $(…) runs nothing', async (t) => {
    const dir = tempDir(t, 'troika-cmd-scripts-');
    const marker = join(dir, 'pwned');
    const command = nodeCommand(dir, 'noop.mjs', `${READ_STDIN}`);
    const { pipeline, failures } = setup(t, { PreToolUse: group(command) });
    await pipeline.preToolUse({
      toolName: 'bash',
      toolUseId: 't1',
      toolInput: { command: `$(touch ${marker})"; touch ${marker}; "` },
    });
    assert.deepEqual(failures, []);
    assert.throws(() => readFileSync(marker));
  });

  test("the API key in Troika's environment is not passed to hooks", async (t) => {
    const dir = tempDir(t, 'troika-cmd-scripts-');
    const command = nodeCommand(
      dir,
      'env.mjs',
      `console.log(JSON.stringify({ hookSpecificOutput: { additionalContext: 'key=' + (process.env.ANTHROPIC_API_KEY ?? 'none') + ' other=' + process.env.OTHER } }));`,
    );
    const { pipeline } = setup(
      t,
      { PreToolUse: group(command) },
      { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-should-not-leak', OTHER: 'kept' },
    );
    const result = await pipeline.preToolUse({
      toolName: 'bash',
      toolUseId: 't1',
      toolInput: { command: 'ls' },
    });
    assert.deepEqual(result.additionalContext, ['key=none other=kept']);
  });

  test("a matcher in Claude Code's names picks the calls it names", async (t) => {
    const dir = tempDir(t, 'troika-cmd-scripts-');
    const command = nodeCommand(dir, 'deny.mjs', `console.error('no'); process.exit(2);`);
    const { pipeline } = setup(t, { PreToolUse: group(command, 'Bash|Edit') });
    const decide = async (toolName: string, toolInput: unknown) =>
      (await pipeline.preToolUse({ toolName, toolUseId: 't', toolInput })).decision;
    assert.equal(await decide('bash', { command: 'ls' }), 'deny');
    assert.equal(
      await decide('str_replace_based_edit_tool', {
        command: 'str_replace',
        path: 'a',
        old_str: 'a',
      }),
      'deny',
    );
    assert.equal(
      await decide('str_replace_based_edit_tool', { command: 'view', path: 'a' }),
      'allow',
    );
    assert.equal(await decide('list_files', {}), 'allow');
  });

  test('UserPromptSubmit: plain stdout is added as context for the model', async (t) => {
    const dir = tempDir(t, 'troika-cmd-scripts-');
    const command = nodeCommand(
      dir,
      'ctx.mjs',
      `${READ_STDIN} console.log('Prompt had ' + event.prompt.length + ' characters.');`,
    );
    const { pipeline } = setup(t, { UserPromptSubmit: group(command) });
    const result = await pipeline.userPromptSubmit({ prompt: 'hello' });
    assert.deepEqual(result.additionalContext, ['Prompt had 5 characters.']);
    assert.equal(result.blocked, undefined);
  });

  test('Stop: exit 2 keeps the agent going with stderr as its instruction', async (t) => {
    const dir = tempDir(t, 'troika-cmd-scripts-');
    const command = nodeCommand(
      dir,
      'stop.mjs',
      `${READ_STDIN} if (!event.stop_hook_active) { console.error('Run the tests before stopping.'); process.exit(2); }`,
    );
    const { pipeline } = setup(t, { Stop: group(command) });
    assert.equal(
      (await pipeline.stop({ stopHookActive: false })).continueWith,
      'Run the tests before stopping.',
    );
    assert.equal((await pipeline.stop({ stopHookActive: true })).continueWith, undefined);
  });

  test('disposing the pipeline kills a running hook, and the kill is reported', async (t) => {
    const dir = tempDir(t, 'troika-cmd-scripts-');
    const started = join(dir, 'started');
    const command = nodeCommand(
      dir,
      'slow.mjs',
      `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(started)}, ''); setInterval(() => {}, 1000);`,
    );
    const { pipeline, failures } = setup(t, { Stop: group(command) });
    const running = pipeline.stop({ stopHookActive: false });
    await waitFor(() => exists(started), 5000, 'the hook to start');
    await pipeline.dispose();
    await running;
    assert.match(failures[0]?.message ?? '', /killed because the agent stopped/);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function exists(file: string): boolean {
  try {
    readFileSync(file);
    return true;
  } catch {
    return false;
  }
}
