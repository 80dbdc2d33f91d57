import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HookError } from '../hook.ts';
import type { HookEventName } from '../types.ts';
import { interpretRun } from './output.ts';
import type { CommandRun } from './run-command.ts';

const OPTIONS = { hook: 'command "x"', timeoutMs: 60_000 };

function run(fields: Partial<CommandRun>): CommandRun {
  return {
    exitCode: 0,
    signal: null,
    stdout: '',
    stderr: '',
    outputTruncated: false,
    timedOut: false,
    aborted: false,
    ...fields,
  };
}

function failure(fields: Partial<CommandRun>, event: HookEventName = 'PreToolUse'): HookError {
  try {
    interpretRun(run(fields), event, OPTIONS);
  } catch (error) {
    assert.ok(error instanceof HookError);
    return error;
  }
  assert.fail('expected a HookError');
}

describe('interpretRun: exit 0', () => {
  test('no output is no opinion', () => {
    assert.equal(interpretRun(run({}), 'PreToolUse', OPTIONS), undefined);
  });

  test('permissionDecision, its reason and additionalContext are read', () => {
    const stdout = JSON.stringify({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'ask',
        permissionDecisionReason: 'touches prod',
        additionalContext: 'note',
      },
    });
    assert.deepEqual(interpretRun(run({ stdout }), 'PreToolUse', OPTIONS), {
      decision: 'ask',
      reason: 'touches prod',
      additionalContext: 'note',
    });
  });

  test('the older decision "block" is a deny, "approve" an allow', () => {
    assert.deepEqual(
      interpretRun(run({ stdout: '{"decision":"block","reason":"no"}' }), 'PreToolUse', OPTIONS),
      { decision: 'deny', reason: 'no' },
    );
    assert.deepEqual(
      interpretRun(run({ stdout: '{"decision":"approve"}' }), 'PreToolUse', OPTIONS),
      { decision: 'allow', reason: undefined },
    );
  });

  test('"continue": false stops the run with stopReason', () => {
    assert.deepEqual(
      interpretRun(run({ stdout: '{"continue":false,"stopReason":"budget"}' }), 'Stop', OPTIONS),
      { stop: 'budget' },
    );
  });

  test('a PostToolUse block reason becomes context for the model', () => {
    const outcome = interpretRun(
      run({ stdout: '{"decision":"block","reason":"lint failed"}' }),
      'PostToolUse',
      OPTIONS,
    );
    assert.deepEqual(outcome, { additionalContext: 'lint failed' });
  });

  test('plain stdout is context on UserPromptSubmit and ignored elsewhere', () => {
    assert.deepEqual(interpretRun(run({ stdout: 'branch: main\n' }), 'UserPromptSubmit', OPTIONS), {
      additionalContext: 'branch: main',
    });
    assert.equal(interpretRun(run({ stdout: 'log line' }), 'PreToolUse', OPTIONS), undefined);
  });

  test('an updatedInput is mapped back onto the Troika call', () => {
    const stdout = JSON.stringify({
      hookSpecificOutput: { updatedInput: { file_path: '/w/a.ts', content: 'x' } },
    });
    const outcome = interpretRun(run({ stdout }), 'PreToolUse', {
      ...OPTIONS,
      call: {
        toolName: 'str_replace_based_edit_tool',
        toolInput: { command: 'create', path: 'a.ts', file_text: 'y' },
      },
    });
    assert.deepEqual(outcome, {
      updatedInput: { path: '/w/a.ts', file_text: 'x', command: 'create' },
    });
  });
});

describe('interpretRun: exit 2 blocks with stderr', () => {
  test('PreToolUse: a deny with stderr as the reason', () => {
    assert.deepEqual(
      interpretRun(run({ exitCode: 2, stderr: 'rm is not allowed\n' }), 'PreToolUse', OPTIONS),
      { decision: 'deny', reason: 'rm is not allowed' },
    );
  });

  test('UserPromptSubmit: the prompt is refused', () => {
    assert.deepEqual(
      interpretRun(
        run({ exitCode: 2, stderr: 'contains a ticket id' }),
        'UserPromptSubmit',
        OPTIONS,
      ),
      { block: 'contains a ticket id' },
    );
  });

  test('Stop: the agent goes on', () => {
    assert.deepEqual(interpretRun(run({ exitCode: 2, stderr: 'tests fail' }), 'Stop', OPTIONS), {
      block: 'tests fail',
    });
  });

  test('PostToolUse: stderr goes to the model', () => {
    assert.deepEqual(
      interpretRun(run({ exitCode: 2, stderr: 'format it' }), 'PostToolUse', OPTIONS),
      { additionalContext: 'format it' },
    );
  });

  test('stdout is ignored on exit 2', () => {
    const outcome = interpretRun(
      run({ exitCode: 2, stdout: '{"decision":"approve"}', stderr: 'no' }),
      'PreToolUse',
      OPTIONS,
    );
    assert.deepEqual(outcome, { decision: 'deny', reason: 'no' });
  });
});

describe('interpretRun: failures', () => {
  test('another exit code is a failure with the code and stderr', () => {
    const error = failure({ exitCode: 1, stderr: 'jq: not found\nmore' });
    assert.deepEqual(
      [error.kind, error.exitCode, error.message],
      ['exit-code', 1, 'exited with code 1: jq: not found'],
    );
  });

  test('a timeout is a failure of its own kind', () => {
    assert.equal(failure({ exitCode: null, timedOut: true }).kind, 'timeout');
  });

  test('JSON that does not parse is invalid output', () => {
    const error = failure({ stdout: '{"decision": ' });
    assert.equal(error.kind, 'invalid-output');
    assert.match(error.message, /invalid JSON/);
  });

  test('a field of the wrong type is invalid output naming the field', () => {
    const error = failure({ stdout: '{"hookSpecificOutput":{"permissionDecision":"maybe"}}' });
    assert.match(error.message, /hookSpecificOutput\.permissionDecision/);
  });

  test('an answer for another event is invalid output', () => {
    assert.match(
      failure({ stdout: '{"hookSpecificOutput":{"hookEventName":"PostToolUse"}}' }).message,
      /for PostToolUse to a PreToolUse event/,
    );
  });

  test('a command that could not start is a spawn failure', () => {
    assert.equal(failure({ exitCode: null, spawnError: new Error('ENOENT') }).kind, 'spawn');
  });
});
