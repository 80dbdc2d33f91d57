import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ApprovalRuleView, ServerMessage } from '../protocol/index.ts';
import { startTestServer, TestClient, type TestServer } from '../server/test-support.ts';

type Reply = ServerMessage & { type: 'response' };

describe('settings.approvalRules over the protocol', () => {
  let t: TestServer;
  let client: TestClient;
  before(async () => {
    t = await startTestServer();
    client = await TestClient.connect(t);
  });
  after(async () => {
    client.close();
    await t.close();
  });

  async function call(id: number, params: object): Promise<Reply> {
    client.send({ type: 'request', id, method: 'settings.approvalRules', params });
    return client.response(id);
  }

  test('lists what asks for approval and what is refused, with why', async () => {
    const reply = await call(1, {});
    assert.ok(reply.ok, JSON.stringify(reply));
    const { rules } = reply.result as { rules: ApprovalRuleView[] };
    assert.deepEqual(
      rules.find((r) => r.what === 'git push'),
      { what: 'git push', decision: 'ask', why: 'publishes commits' },
    );
    assert.equal(rules.find((r) => r.what.startsWith('dd of=/dev/'))?.decision, 'deny');
    assert.ok(rules.some((r) => r.what.includes('Remove-Item -Recurse -Force')));
  });

  test('unknown params are refused', async () => {
    const reply = await call(2, { rules: [] });
    assert.equal(reply.ok, false);
  });
});
