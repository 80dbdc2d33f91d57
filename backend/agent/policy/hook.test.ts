import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AgentPipeline, type AgentHook, type HookContext } from '../pipeline.ts';
import { policyHook } from './index.ts';

const WS = '/work/ws';

describe('pipeline', () => {
  const context: HookContext = { agentId: 'a', workDir: WS, model: 'm', persona: null };

  test("the policy hook reads the command in the agent's shell dialect", async () => {
    const call = {
      toolUseId: 't',
      name: 'bash',
      input: { command: 'Remove-Item -Recurse -Force build' },
    };
    const pipeline = new AgentPipeline([policyHook()]);
    assert.equal((await pipeline.toolDecision(context, call)).action, 'allow');
    const windows = { ...context, shellDialect: 'powershell' as const };
    const decision = await pipeline.toolDecision(windows, call);
    assert.deepEqual(
      [decision.action, decision.action === 'ask' && decision.reason],
      ['ask', 'recursive forced delete (Remove-Item -Recurse -Force build)'],
    );
  });

  test('the policy hook asks for a risky bash command', async () => {
    const pipeline = new AgentPipeline([policyHook()]);
    const decision = await pipeline.toolDecision(context, {
      toolUseId: 't',
      name: 'bash',
      input: { command: 'git push' },
    });
    assert.equal(decision.action, 'ask');
  });

  test('a deny from a later hook wins over an earlier ask', async () => {
    const deny: AgentHook = {
      name: 'deny',
      beforeToolCall: () => ({ action: 'deny', reason: 'no' }),
    };
    const decision = await new AgentPipeline([policyHook(), deny]).toolDecision(context, {
      toolUseId: 't',
      name: 'bash',
      input: { command: 'git push' },
    });
    assert.deepEqual(decision, { action: 'deny', reason: 'no' });
  });

  test('a hook may change the input the next hooks and the tool see', async () => {
    const rewrite: AgentHook = {
      name: 'rewrite',
      beforeToolCall: () => ({ action: 'allow', input: { command: 'git push --dry-run' } }),
    };
    const decision = await new AgentPipeline([rewrite, policyHook()]).toolDecision(context, {
      toolUseId: 't',
      name: 'bash',
      input: { command: 'ls' },
    });
    assert.deepEqual(decision, {
      action: 'ask',
      reason: 'publishes commits (git push)',
      input: { command: 'git push --dry-run' },
    });
  });

  test('after-tool hooks run in order on the result', async () => {
    const tag = (name: string): AgentHook => ({
      name,
      afterToolCall: (_c, _call, r) => ({ ...r, content: `${r.content}+${name}` }),
    });
    const result = await new AgentPipeline([tag('a'), tag('b')]).toolResult(
      context,
      { toolUseId: 't', name: 'x', input: {} },
      { content: 'r', isError: false },
    );
    assert.equal(result.content, 'r+a+b');
  });
});
