import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { PermissionRuleView, ServerMessage } from '../protocol/index.ts';
import { startTestServer, TestClient, type TestServer } from '../server/test-support.ts';

type Reply = ServerMessage & { type: 'response' };
const FIXTURES = fileURLToPath(new URL('../testing/claude-code-fixtures/', import.meta.url));

describe('settings.permissionRules over the protocol', () => {
  let t: TestServer;
  let client: TestClient;
  const home = process.env['HOME'];
  before(async () => {
    // The user's ~/.claude/settings.json is read from the home folder: the fixture's here.
    process.env['HOME'] = join(FIXTURES, 'home');
    t = await startTestServer();
    client = await TestClient.connect(t);
  });
  after(async () => {
    process.env['HOME'] = home;
    client.close();
    await t.close();
  });

  async function call(id: number, params: object): Promise<Reply> {
    client.send({ type: 'request', id, method: 'settings.permissionRules', params });
    return client.response(id);
  }

  test("without a workspace: the user's rules, each naming its file", async () => {
    const reply = await call(1, {});
    assert.ok(reply.ok, JSON.stringify(reply));
    const { rules } = reply.result as { rules: PermissionRuleView[] };
    assert.ok(rules.length > 0 && rules.every((r) => r.scope === 'user'));
    assert.deepEqual(
      rules.find((r) => r.rule === 'Bash(npm publish:*)'),
      {
        rule: 'Bash(npm publish:*)',
        decision: 'ask',
        scope: 'user',
        source: join(FIXTURES, 'home', '.claude', 'settings.json'),
      },
    );
  });

  test('with a workspace: user, project and local rules merged, unusable ones noted', async () => {
    const reply = await call(2, { workspace: join(FIXTURES, 'project', 'docs') });
    assert.ok(reply.ok, JSON.stringify(reply));
    const { rules, problems } = reply.result as {
      rules: PermissionRuleView[];
      problems: string[];
    };
    assert.deepEqual(problems, []);
    assert.deepEqual([...new Set(rules.map((r) => r.scope))], ['user', 'project', 'local']);
    assert.equal(rules.find((r) => r.rule === 'Edit(./package-lock.json)')?.decision, 'deny');
    assert.match(rules.find((r) => r.rule === 'WebFetch')?.note ?? '', /no WebFetch tool/);
  });
});
