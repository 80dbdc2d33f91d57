import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Hook } from '../../hook.ts';
import { HookPipeline } from '../../pipeline.ts';
import type { HookSession } from '../../types.ts';
import { policyHook } from './index.ts';

const SESSION: HookSession = { agentId: 'a', cwd: '/work/ws', transcriptPath: '' };

function pipeline(hooks: Hook[], session: HookSession = SESSION) {
  return new HookPipeline({ session, hooks, onFailure: () => undefined });
}

function bash(command: string) {
  return { toolName: 'bash', toolUseId: 't', toolInput: { command } };
}

describe('the policy in the hook pipeline', () => {
  test("a command the policy asks about is an ask, with the policy's reason", async () => {
    const result = await pipeline([policyHook()]).preToolUse(bash('git push origin main'));
    assert.deepEqual(
      [result.decision, result.reason, result.decidedBy],
      ['ask', 'publishes commits (git push)', ['policy']],
    );
  });

  test('a command the policy refuses is a deny', async () => {
    const result = await pipeline([policyHook()]).preToolUse(bash('mkfs.ext4 /dev/sdb'));
    assert.equal(result.decision, 'deny');
  });

  test('an ordinary command passes', async () => {
    const result = await pipeline([policyHook()]).preToolUse(bash('npm test'));
    assert.equal(result.decision, 'allow');
  });

  test("the policy reads the command in the agent's shell dialect", async () => {
    const call = bash('Remove-Item -Recurse -Force build');
    assert.equal((await pipeline([policyHook()]).preToolUse(call)).decision, 'allow');
    const windows = await pipeline([policyHook()], {
      ...SESSION,
      shellDialect: 'powershell',
    }).preToolUse(call);
    assert.deepEqual(
      [windows.decision, windows.reason],
      ['ask', 'recursive forced delete (Remove-Item -Recurse -Force build)'],
    );
  });

  test('a policy that throws denies: it fails closed', async () => {
    const broken: Hook = {
      ...policyHook(),
      preToolUse: () => {
        throw new Error('bad rule');
      },
    };
    const result = await pipeline([broken]).preToolUse(bash('ls'));
    assert.equal(result.decision, 'deny');
    assert.match(result.reason ?? '', /the policy hook failed \(bad rule\)/);
  });

  test('a deny from a later hook wins over the policy asking', async () => {
    const deny: Hook = { name: 'deny', preToolUse: () => ({ decision: 'deny', reason: 'no' }) };
    const result = await pipeline([policyHook(), deny]).preToolUse(bash('git push'));
    assert.deepEqual([result.decision, result.reason], ['deny', 'no']);
  });

  test('the policy judges the input an earlier hook rewrote', async () => {
    const rewrite: Hook = {
      name: 'rewrite',
      preToolUse: () => ({ updatedInput: { command: 'git push --dry-run' } }),
    };
    const result = await pipeline([rewrite, policyHook()]).preToolUse(bash('ls'));
    assert.deepEqual(
      [result.decision, result.reason, result.input],
      ['ask', 'publishes commits (git push)', { command: 'git push --dry-run' }],
    );
  });
});
