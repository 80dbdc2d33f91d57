import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Hook } from '../hook.ts';
import { HookPipeline } from '../pipeline.ts';
import { auditHook, type AuditRecord } from './audit-hook.ts';

function setup(before: Hook[]) {
  const records: AuditRecord[] = [];
  const pipeline = new HookPipeline({
    session: { agentId: 'a', cwd: '/w', transcriptPath: '' },
    hooks: [
      ...before,
      auditHook({ sink: (r) => records.push(r), redact: (t) => t.replace('secret', '[x]') }),
    ],
    onFailure: () => undefined,
  });
  return { pipeline, records };
}

describe('audit hook', () => {
  test('records a deny made by an earlier hook, with who decided and why', async () => {
    const { pipeline, records } = setup([
      { name: 'policy', preToolUse: () => ({ decision: 'deny', reason: 'writes a disk device' }) },
    ]);
    await pipeline.preToolUse({
      toolName: 'bash',
      toolUseId: 't1',
      toolInput: { command: 'mkfs /dev/sda' },
    });
    assert.deepEqual(records, [
      {
        type: 'tool.decision',
        toolUseId: 't1',
        tool: 'bash',
        decision: 'deny',
        reason: 'writes a disk device',
        decidedBy: ['policy'],
        inputChangedBy: [],
        inputBytes: Buffer.byteLength(JSON.stringify({ command: 'mkfs /dev/sda' })),
      },
    ]);
  });

  test("records which hook answered in the tool's place", async () => {
    const { pipeline, records } = setup([
      { name: 'cache', preToolUse: () => ({ response: { content: 'x', isError: false } }) },
    ]);
    await pipeline.preToolUse({ toolName: 'list_files', toolUseId: 't', toolInput: {} });
    assert.equal(records[0]?.type === 'tool.decision' && records[0].answeredBy, 'cache');
  });

  test('records the result size, not the content', async () => {
    const { pipeline, records } = setup([]);
    await pipeline.postToolUse({
      toolName: 'bash',
      toolUseId: 't',
      toolInput: {},
      toolResponse: { content: 'héllo', isError: true },
    });
    assert.deepEqual(records, [
      { type: 'tool.result', toolUseId: 't', tool: 'bash', isError: true, resultBytes: 6 },
    ]);
  });

  test('reasons pass through the redactor', async () => {
    const { pipeline, records } = setup([
      { name: 'cmd', preToolUse: () => ({ decision: 'ask', reason: 'has secret' }) },
    ]);
    await pipeline.preToolUse({ toolName: 'bash', toolUseId: 't', toolInput: {} });
    assert.equal(records[0]?.type === 'tool.decision' && records[0].reason, 'has [x]');
  });
});
