import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AgentHook } from '../../agent/pipeline.ts';
import { policyHook } from '../../agent/policy/index.ts';
import { HookPipeline } from '../pipeline.ts';
import { fromAgentHook } from './agent-hook.ts';

const CONTEXT = { agentId: 'a', workDir: '/work/ws', model: 'm', persona: null };

function pipeline(hook: AgentHook, failClosed = false) {
  return new HookPipeline({
    session: { agentId: 'a', cwd: '/work/ws', transcriptPath: '' },
    hooks: [fromAgentHook(hook, () => CONTEXT, { failClosed })],
    onFailure: () => undefined,
  });
}

describe("the runtime's policy in the pipeline", () => {
  test("a command the policy asks about is an ask, with the policy's reason", async () => {
    const result = await pipeline(policyHook()).preToolUse({
      toolName: 'bash',
      toolUseId: 't',
      toolInput: { command: 'git push origin main' },
    });
    assert.deepEqual(
      [result.decision, result.reason, result.decidedBy],
      ['ask', 'publishes commits (git push)', ['policy']],
    );
  });

  test('a command the policy refuses is a deny', async () => {
    const result = await pipeline(policyHook()).preToolUse({
      toolName: 'bash',
      toolUseId: 't',
      toolInput: { command: 'mkfs.ext4 /dev/sdb' },
    });
    assert.equal(result.decision, 'deny');
  });

  test('an ordinary command passes', async () => {
    const result = await pipeline(policyHook()).preToolUse({
      toolName: 'bash',
      toolUseId: 't',
      toolInput: { command: 'npm test' },
    });
    assert.equal(result.decision, 'allow');
  });

  test('a policy that throws denies when adapted to fail closed', async () => {
    const broken: AgentHook = {
      name: 'policy',
      beforeToolCall: () => {
        throw new Error('bad rule');
      },
    };
    const result = await pipeline(broken, true).preToolUse({
      toolName: 'bash',
      toolUseId: 't',
      toolInput: { command: 'ls' },
    });
    assert.equal(result.decision, 'deny');
  });

  test("an answer in the tool's place passes through", async () => {
    const responder: AgentHook = {
      name: 'r',
      beforeToolCall: () => ({ action: 'respond', result: { content: 'hi', isError: false } }),
    };
    const result = await pipeline(responder).preToolUse({
      toolName: 'x',
      toolUseId: 't',
      toolInput: {},
    });
    assert.deepEqual(result.response, { content: 'hi', isError: false, hook: 'r' });
  });
});
