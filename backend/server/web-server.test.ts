import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { startTestServer, type TestServer } from './test-support.ts';
import { BINARY_JSON_SUBPROTOCOL, PROTOCOL_PATH } from './web-server.ts';

/** Resolves with the HTTP status the server answered an upgrade with, or 101 when it was accepted. */
function upgradeStatus(port: number, headers: Record<string, string>, query = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${PROTOCOL_PATH}${query}`, { headers });
    socket.once('open', () => {
      socket.terminate();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

describe('web mode access', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    await t.close();
  });

  test('an HTTP request without the token gets 401', async () => {
    const response = await fetch(`http://127.0.0.1:${t.server.port}/`);
    assert.equal(response.status, 401);
  });

  test('the token in the URL is traded for an HttpOnly cookie and removed from the address', async () => {
    const response = await fetch(t.server.url, { redirect: 'manual' });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), '/');
    assert.match(
      response.headers.get('set-cookie') ?? '',
      new RegExp(`^troika_token_${t.server.port}=${t.server.token}; HttpOnly; SameSite=Strict`),
    );
  });

  test('with the cookie, the app is served with a strict Content-Security-Policy', async () => {
    const response = await fetch(`http://127.0.0.1:${t.server.port}/`, {
      headers: { Cookie: t.cookie },
    });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /Troika test/);
    assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  });

  test('a request naming another host is refused (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ get }) => {
        get(
          {
            host: '127.0.0.1',
            port: t.server.port,
            path: '/',
            headers: { Host: `evil.example:${t.server.port}`, Cookie: t.cookie },
          },
          (r) => {
            r.resume();
            resolve(r.statusCode ?? 0);
          },
        ).on('error', reject);
      }, reject);
    });
    assert.equal(status, 403);
  });

  test('a WebSocket upgrade without the token is refused', async () => {
    assert.equal(await upgradeStatus(t.server.port, { Origin: t.origin }), 401);
  });

  test('a WebSocket upgrade with a wrong token is refused', async () => {
    assert.equal(
      await upgradeStatus(t.server.port, { Origin: t.origin }, `?token=${'x'.repeat(43)}`),
      401,
    );
  });

  test('a WebSocket upgrade from another origin is refused even with the token', async () => {
    assert.equal(
      await upgradeStatus(t.server.port, { Origin: 'http://evil.example', Cookie: t.cookie }),
      403,
    );
  });

  test('a WebSocket upgrade from our own origin with the token is accepted', async () => {
    assert.equal(await upgradeStatus(t.server.port, { Origin: t.origin, Cookie: t.cookie }), 101);
    assert.equal(
      await upgradeStatus(
        t.server.port,
        { Origin: `http://localhost:${t.server.port}` },
        `?token=${t.server.token}`,
      ),
      101,
    );
  });

  test('path traversal cannot read files outside the app folder', async () => {
    for (const path of [
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/etc/hostname',
      '/bad%00byte',
    ]) {
      const response = await fetch(`http://127.0.0.1:${t.server.port}${path}`, {
        headers: { Cookie: t.cookie },
      });
      const body = await response.text();
      assert.doesNotMatch(body, /root:|^[a-z0-9-]+\n$/, path);
      assert.ok(response.status === 200 ? /Troika test/.test(body) : response.status >= 400, path);
    }
  });
});

describe('binary JSON frames', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    await t.close();
  });

  /** The first frame a client gets (the welcome event), and whether it came binary. */
  function firstFrame(
    protocols: string[],
  ): Promise<{ isBinary: boolean; json: unknown; protocol: string }> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${t.server.port}${PROTOCOL_PATH}`, protocols, {
        headers: { Origin: t.origin, Cookie: t.cookie },
      });
      socket.once('message', (data, isBinary) => {
        resolve({ isBinary, json: JSON.parse(data.toString()), protocol: socket.protocol });
        socket.terminate();
      });
      socket.once('error', reject);
    });
  }

  test('a client offering the binary subprotocol gets the same JSON as binary UTF-8 frames', async () => {
    const frame = await firstFrame([BINARY_JSON_SUBPROTOCOL]);
    assert.equal(frame.protocol, BINARY_JSON_SUBPROTOCOL);
    assert.equal(frame.isBinary, true);
    assert.equal((frame.json as { event: string }).event, 'system.welcome');
  });

  test('a plain client still gets text frames', async () => {
    const frame = await firstFrame([]);
    assert.equal(frame.isBinary, false);
    assert.equal((frame.json as { event: string }).event, 'system.welcome');
  });
});
