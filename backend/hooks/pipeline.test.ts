import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HookError, type Hook } from './hook.ts';
import { HookPipeline } from './pipeline.ts';
import type { HookFailure, PreToolUseResult } from './types.ts';

const SESSION = { agentId: 'a1', cwd: '/work', transcriptPath: '' };
const CALL = { toolName: 'bash', toolUseId: 'toolu_1', toolInput: { command: 'ls' } };

function pipeline(hooks: Hook[]): { pipeline: HookPipeline; failures: HookFailure[] } {
  const failures: HookFailure[] = [];
  return {
    pipeline: new HookPipeline({ session: SESSION, hooks, onFailure: (f) => failures.push(f) }),
    failures,
  };
}

function decides(name: string, decision: 'allow' | 'ask' | 'deny', reason = name): Hook {
  return { name, preToolUse: () => ({ decision, reason }) };
}

describe('HookPipeline: PreToolUse decisions', () => {
  test('no hook objecting is an allow', async () => {
    const result = await pipeline([
      { name: 'silent', preToolUse: () => undefined },
    ]).pipeline.preToolUse(CALL);
    assert.equal(result.decision, 'allow');
    assert.equal(result.reason, undefined);
  });

  test("a hook's allow lifts an ask, whatever the order, and says which ask it lifted", async () => {
    for (const hooks of [
      [decides('a', 'ask', 'risky'), decides('b', 'allow', 'safe')],
      [decides('b', 'allow', 'safe'), decides('a', 'ask', 'risky')],
    ]) {
      const result = await pipeline(hooks).pipeline.preToolUse(CALL);
      assert.equal(result.decision, 'allow');
      assert.deepEqual(result.decidedBy, ['b']);
      assert.equal(result.liftedAsk, 'risky');
    }
  });

  test('a firm ask (a permission rule, a write outside the workspace) is not lifted by an allow', async () => {
    const firm: Hook = {
      name: 'a',
      preToolUse: () => ({ decision: 'ask', reason: 'rule', firm: true }),
    };
    const result = await pipeline([firm, decides('b', 'allow')]).pipeline.preToolUse(CALL);
    assert.equal(result.decision, 'ask');
    assert.deepEqual(result.decidedBy, ['a']);
    assert.equal(result.liftedAsk, undefined);
  });

  test('a deny beats an earlier ask and keeps only the deny reasons', async () => {
    const result = await pipeline([
      decides('a', 'ask', 'risky'),
      decides('b', 'deny', 'forbidden'),
    ]).pipeline.preToolUse(CALL);
    assert.equal(result.decision, 'deny');
    assert.equal(result.reason, 'forbidden');
  });

  test('a deny ends the handlers: later hooks do not run', async () => {
    let ran = false;
    await pipeline([
      decides('a', 'deny'),
      { name: 'later', preToolUse: () => void (ran = true) },
    ]).pipeline.preToolUse(CALL);
    assert.equal(ran, false);
  });

  test('reasons of several asks are joined', async () => {
    const result = await pipeline([
      decides('a', 'ask', 'one'),
      decides('b', 'ask', 'two'),
    ]).pipeline.preToolUse(CALL);
    assert.equal(result.reason, 'one; two');
  });

  test('input changes chain: each hook sees the input the previous one left', async () => {
    const seen: unknown[] = [];
    const result = await pipeline([
      {
        name: 'first',
        preToolUse: (e) => ({
          updatedInput: { command: `${(e.toolInput as { command: string }).command} -la` },
        }),
      },
      {
        name: 'second',
        preToolUse: (e) => {
          seen.push(e.toolInput);
          return {
            updatedInput: { command: `${(e.toolInput as { command: string }).command} /tmp` },
          };
        },
      },
    ]).pipeline.preToolUse(CALL);
    assert.deepEqual(seen, [{ command: 'ls -la' }]);
    assert.deepEqual(result.input, { command: 'ls -la /tmp' });
    assert.deepEqual(result.inputChangedBy, ['first', 'second']);
  });

  test("an answer in the tool's place is kept on allow", async () => {
    const result = await pipeline([
      { name: 'cache', preToolUse: () => ({ response: { content: 'cached', isError: false } }) },
    ]).pipeline.preToolUse(CALL);
    assert.deepEqual(result.response, { content: 'cached', isError: false, hook: 'cache' });
  });

  test('an answer is dropped when a later hook denies', async () => {
    const result = await pipeline([
      { name: 'cache', preToolUse: () => ({ response: { content: 'cached', isError: false } }) },
      decides('policy', 'deny'),
    ]).pipeline.preToolUse(CALL);
    assert.equal(result.response, undefined);
  });

  test('an answer is dropped when a later hook changes the input', async () => {
    const result = await pipeline([
      { name: 'cache', preToolUse: () => ({ response: { content: 'cached', isError: false } }) },
      { name: 'rewrite', preToolUse: () => ({ updatedInput: { command: 'pwd' } }) },
    ]).pipeline.preToolUse(CALL);
    assert.equal(result.response, undefined);
  });

  test('a hook whose matcher refuses the tool is not called', async () => {
    let ran = false;
    await pipeline([
      {
        name: 'edits-only',
        matches: (tool) => tool === 'Edit',
        preToolUse: () => void (ran = true),
      },
    ]).pipeline.preToolUse(CALL);
    assert.equal(ran, false);
  });

  test('observers see the final decision, even after a deny ended the handlers', async () => {
    const seen: PreToolUseResult[] = [];
    await pipeline([
      decides('policy', 'deny', 'no'),
      { name: 'audit', toolDecided: (_e, result) => void seen.push(result) },
    ]).pipeline.preToolUse(CALL);
    assert.equal(seen[0]?.decision, 'deny');
    assert.deepEqual(seen[0]?.decidedBy, ['policy']);
  });

  test('additional context and system messages are collected in hook order', async () => {
    const result = await pipeline([
      { name: 'a', preToolUse: () => ({ additionalContext: 'ctx-a', systemMessage: 'note-a' }) },
      { name: 'b', preToolUse: () => ({ additionalContext: 'ctx-b' }) },
    ]).pipeline.preToolUse(CALL);
    assert.deepEqual(result.additionalContext, ['ctx-a', 'ctx-b']);
    assert.deepEqual(result.systemMessages, [{ hook: 'a', text: 'note-a' }]);
  });

  test('the first stop request wins', async () => {
    const result = await pipeline([
      { name: 'a', preToolUse: () => ({ stop: 'first' }) },
      { name: 'b', preToolUse: () => ({ stop: 'second' }) },
    ]).pipeline.preToolUse(CALL);
    assert.deepEqual(result.stop, { hook: 'a', reason: 'first' });
  });
});

describe('HookPipeline: failures', () => {
  test('a throwing hook is reported and the others still decide', async () => {
    const { pipeline: p, failures } = pipeline([
      {
        name: 'broken',
        preToolUse: () => {
          throw new Error('boom');
        },
      },
      decides('policy', 'ask'),
    ]);
    const result = await p.preToolUse(CALL);
    assert.equal(result.decision, 'ask');
    assert.equal(failures.length, 1);
    assert.deepEqual(
      {
        hook: failures[0]?.hook,
        event: failures[0]?.event,
        kind: failures[0]?.kind,
        message: failures[0]?.message,
        effect: failures[0]?.effect,
        toolUseId: failures[0]?.toolUseId,
      },
      {
        hook: 'broken',
        event: 'PreToolUse',
        kind: 'error',
        message: 'boom',
        effect: 'ignored',
        toolUseId: 'toolu_1',
      },
    );
  });

  test('a hook failing closed turns its failure into a deny', async () => {
    const { pipeline: p, failures } = pipeline([
      {
        name: 'policy',
        onFailure: 'block',
        preToolUse: () => Promise.reject(new Error('rules unreadable')),
      },
    ]);
    const result = await p.preToolUse(CALL);
    assert.equal(result.decision, 'deny');
    assert.match(result.reason ?? '', /the policy hook failed \(rules unreadable\)/);
    assert.equal(failures[0]?.effect, 'blocked');
  });

  test('a failing PostToolUse hook that fails closed withholds the result', async () => {
    const { pipeline: p } = pipeline([
      {
        name: 'redaction',
        onFailure: 'block',
        postToolUse: () => {
          throw new Error('x');
        },
      },
    ]);
    const result = await p.postToolUse({
      ...CALL,
      toolResponse: { content: 'secret stuff', isError: false },
    });
    assert.equal(result.response.isError, true);
    assert.doesNotMatch(result.response.content, /secret stuff/);
  });

  test('a HookError carries its kind, exit code and stderr into the report', async () => {
    const { pipeline: p, failures } = pipeline([
      {
        name: 'cmd',
        stop: () => {
          throw new HookError('exit-code', 'exited with 1', { exitCode: 1, stderr: 'oops' });
        },
      },
    ]);
    await p.stop({ stopHookActive: false });
    assert.deepEqual(
      [failures[0]?.kind, failures[0]?.exitCode, failures[0]?.stderr],
      ['exit-code', 1, 'oops'],
    );
  });

  test('a matcher that throws is reported and the hook skipped', async () => {
    const { pipeline: p, failures } = pipeline([
      {
        name: 'm',
        matches: () => {
          throw new Error('bad');
        },
        preToolUse: () => ({ decision: 'deny' }),
      },
    ]);
    assert.equal((await p.preToolUse(CALL)).decision, 'allow');
    assert.equal(failures.length, 1);
  });
});

describe('HookPipeline: other events', () => {
  test('PostToolUse result changes chain and are attributed', async () => {
    const { pipeline: p } = pipeline([
      {
        name: 'upper',
        postToolUse: (e) => ({
          updatedResponse: { ...e.toolResponse, content: e.toolResponse.content.toUpperCase() },
        }),
      },
      {
        name: 'suffix',
        postToolUse: (e) => ({
          updatedResponse: { ...e.toolResponse, content: `${e.toolResponse.content}!` },
        }),
      },
    ]);
    const result = await p.postToolUse({
      ...CALL,
      toolResponse: { content: 'ok', isError: false },
    });
    assert.equal(result.response.content, 'OK!');
    assert.deepEqual(result.changedBy, ['upper', 'suffix']);
  });

  test('UserPromptSubmit: a block ends the handlers and keeps the reason', async () => {
    let ran = false;
    const { pipeline: p } = pipeline([
      { name: 'guard', userPromptSubmit: () => ({ block: 'no prompts about that' }) },
      { name: 'later', userPromptSubmit: () => void (ran = true) },
    ]);
    const result = await p.userPromptSubmit({ prompt: 'x' });
    assert.deepEqual(result.blocked, { hook: 'guard', reason: 'no prompts about that' });
    assert.equal(ran, false);
  });

  test('UserPromptSubmit: prompt changes chain', async () => {
    const { pipeline: p } = pipeline([
      { name: 'a', userPromptSubmit: (e) => ({ updatedPrompt: `${e.prompt}1` }) },
      { name: 'b', userPromptSubmit: (e) => ({ updatedPrompt: `${e.prompt}2` }) },
    ]);
    assert.equal((await p.userPromptSubmit({ prompt: 'p' })).prompt, 'p12');
  });

  test('Stop: any block means continue, with every reason and the hooks that blocked', async () => {
    const { pipeline: p } = pipeline([
      { name: 'tests', stop: () => ({ block: 'run the tests first' }) },
      { name: 'quiet', stop: () => undefined },
      { name: 'lint', stop: () => ({ block: 'fix lint' }) },
    ]);
    const result = await p.stop({ stopHookActive: false });
    assert.equal(result.continueWith, 'run the tests first\n\nfix lint');
    assert.deepEqual(result.blockedBy, ['tests', 'lint']);
  });

  test('ModelRequest: hooks set and remove the persona block', async () => {
    const { pipeline: p } = pipeline([
      { name: 'set', modelRequest: () => ({ persona: 'block' }) },
      { name: 'keep', modelRequest: () => ({}) },
    ]);
    assert.deepEqual(await p.modelRequest({ persona: undefined }), { persona: 'block' });
    const { pipeline: q } = pipeline([{ name: 'clear', modelRequest: () => ({ persona: null }) }]);
    assert.deepEqual(await q.modelRequest({ persona: 'old' }), { persona: undefined });
  });
});

describe('HookPipeline: lifecycle', () => {
  test("dispose disposes every hook once and aborts the handlers' signal", async () => {
    let disposed = 0;
    let signal: AbortSignal | undefined;
    const { pipeline: p } = pipeline([
      { name: 'h', dispose: () => void disposed++, stop: (_e, ctx) => void (signal = ctx.signal) },
    ]);
    await p.stop({ stopHookActive: false });
    await p.dispose();
    await p.dispose();
    assert.equal(disposed, 1);
    assert.equal(signal?.aborted, true);
  });

  test('a disposed pipeline refuses events', async () => {
    const { pipeline: p } = pipeline([]);
    await p.dispose();
    await assert.rejects(p.preToolUse(CALL), /disposed/);
  });
});
