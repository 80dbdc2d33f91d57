/**
 * Requests that once ended web mode (and every agent with it), each answered
 * on its own now while the server serves on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawExchange, rawRequest, upgradeHeaders } from './raw-http.ts';
import { startTestServer, TestClient, type TestServer } from './test-support.ts';
import { PROTOCOL_PATH } from './web-server.ts';

describe('hostile requests', () => {
  let t: TestServer;
  const logged: string[] = [];
  before(async () => {
    t = await startTestServer({ log: (message) => logged.push(message) });
  });
  after(async () => {
    await t.close();
  });

  const host = (): [string, string] => ['Host', `127.0.0.1:${t.server.port}`];
  const close: [string, string] = ['Connection', 'close'];
  const badCookie = (): [string, string] => ['Cookie', `troika_token_${t.server.port}=%E0`];

  /** The server still serves the app to the user who holds the token. */
  async function assertServing(): Promise<void> {
    const response = await fetch(`${t.origin}/`, { headers: { Cookie: t.cookie } });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /Troika test/);
  }

  test('a malformed cookie (%E0) on a request gets 401, and the server serves on', async () => {
    const answer = await rawExchange(
      t.server.port,
      rawRequest('GET / HTTP/1.1', [host(), close, badCookie()]),
    );
    assert.equal(answer.status, 401);
    await assertServing();
  });

  test('a malformed cookie (%E0) on a WebSocket upgrade gets 401, and the server serves on', async () => {
    const answer = await rawExchange(
      t.server.port,
      rawRequest(`GET ${PROTOCOL_PATH} HTTP/1.1`, [
        host(),
        badCookie(),
        ['Origin', t.origin],
        ...upgradeHeaders(),
      ]),
    );
    assert.equal(answer.status, 401);
    await assertServing();
    const client = await TestClient.connect(t);
    client.send({ type: 'request', id: 1, method: 'system.ping', params: {} });
    assert.equal((await client.response(1)).ok, true);
    client.close();
  });

  test('a planted cookie of our name does not hide the real one', async () => {
    const answer = await rawExchange(
      t.server.port,
      rawRequest('GET / HTTP/1.1', [
        host(),
        close,
        [
          'Cookie',
          `troika_token_${t.server.port}=%E0; troika_token_${t.server.port}=wrong; ${t.cookie}`,
        ],
      ]),
    );
    assert.equal(answer.status, 200);
  });

  test('a request URL that does not parse gets 400, with or without the token', async () => {
    for (const target of ['//', '//%', 'http://[']) {
      const withToken = await rawExchange(
        t.server.port,
        rawRequest(`GET ${target} HTTP/1.1`, [host(), close, ['Cookie', t.cookie]]),
      );
      assert.equal(withToken.status, 400, target);
      const withoutToken = await rawExchange(
        t.server.port,
        rawRequest(`GET ${target} HTTP/1.1`, [host(), close]),
      );
      assert.equal(withoutToken.status, 401, target);
      const upgrade = await rawExchange(
        t.server.port,
        rawRequest(`GET ${target} HTTP/1.1`, [
          host(),
          ['Cookie', t.cookie],
          ['Origin', t.origin],
          ...upgradeHeaders(),
        ]),
      );
      assert.equal(upgrade.status, 400, target);
    }
    await assertServing();
  });

  test('bytes that are not HTTP get 400 and a closed socket', async () => {
    const answer = await rawExchange(
      t.server.port,
      Buffer.from([0x16, 0x03, 0x01, 0xff, 0x00, 0x0d, 0x0a, 0x0d, 0x0a]),
    );
    assert.equal(answer.status, 400);
    const huge = await rawExchange(
      t.server.port,
      rawRequest('GET / HTTP/1.1', [host(), close, ['X-Long', 'a'.repeat(64 * 1024)]]),
    );
    assert.equal(huge.status, 431);
    await assertServing();
  });

  test('none of it was a handler failure', () => {
    assert.deepEqual(
      logged.filter((line) => /failed/.test(line)),
      [],
    );
  });
});
