import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { FrameReader, type DownlinkMessage } from '../protocol/frames.ts';
import type { ServerMessage } from '../protocol/index.ts';
import { DOWNLINK_PATH, UPLINK_PARAM } from './downlink.ts';
import { startTestServer, TestClient, type TestServer } from './test-support.ts';
import { PROTOCOL_PATH } from './web-server.ts';

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

  test('the token trade never redirects off-site, whatever the path', async () => {
    // Sent raw (node:http keeps the path as written; fetch would normalise it first).
    for (const path of ['/.//evil.example/x', '//evil.example/', '/./%2F/evil.example']) {
      const { status, location } = await new Promise<{ status: number; location: string }>(
        (resolve, reject) => {
          const request = httpRequest(
            { host: '127.0.0.1', port: t.server.port, path: `${path}?token=${t.server.token}` },
            (response) => {
              response.resume();
              resolve({
                status: response.statusCode ?? 0,
                location: response.headers.location ?? '',
              });
            },
          );
          request.on('error', reject);
          request.end();
        },
      );
      assert.equal(status, 302, path);
      assert.match(location, /^\/(?!\/)/, `${path} redirected to ${location}`);
      assert.doesNotMatch(location, /token=/);
    }
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

describe('downlink and uplink', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    await t.close();
  });

  /** Opens a downlink as the page does and reads frames from it as they come. */
  async function openDownlink(headers: Record<string, string> = {}) {
    const response = await fetch(`${t.origin}${DOWNLINK_PATH}`, {
      headers: { Cookie: t.cookie, 'Sec-Fetch-Site': 'same-origin', ...headers },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const frames = new FrameReader();
    const received: DownlinkMessage[] = [];
    let ended = false;
    const next = async (predicate: (m: DownlinkMessage) => boolean): Promise<DownlinkMessage> => {
      for (;;) {
        const found = received.find(predicate);
        if (found) return found;
        const { done, value } = await reader.read();
        if (done) {
          ended = true;
          throw new Error('downlink ended');
        }
        received.push(...frames.push(value));
      }
    };
    const welcome = JSON.parse(
      (await next((m) => typeof m === 'string')) as string,
    ) as ServerMessage;
    assert.equal(welcome.type === 'event' && welcome.event, 'system.welcome');
    const connectionId = (welcome as { data: { connectionId: string } }).data.connectionId;
    return { connectionId, next, reader, ended: () => ended };
  }

  function attachUplink(connectionId: string): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(
        `ws://127.0.0.1:${t.server.port}${PROTOCOL_PATH}?${UPLINK_PARAM}=${connectionId}`,
        { headers: { Origin: t.origin, Cookie: t.cookie } },
      );
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  test('the downlink needs the token and our own page', async () => {
    assert.equal((await fetch(`${t.origin}${DOWNLINK_PATH}`)).status, 401);
    const crossSite = await fetch(`${t.origin}${DOWNLINK_PATH}`, {
      headers: { Cookie: t.cookie, 'Sec-Fetch-Site': 'cross-site' },
    });
    assert.equal(crossSite.status, 403);
    const foreignOrigin = await fetch(`${t.origin}${DOWNLINK_PATH}`, {
      headers: { Cookie: t.cookie, Origin: 'http://evil.example' },
    });
    assert.equal(foreignOrigin.status, 403);
  });

  test('requests go up the WebSocket, answers and terminal bytes come down the stream', async () => {
    const down = await openDownlink();
    const up = await attachUplink(down.connectionId);
    const onSocket: string[] = [];
    up.on('message', (data) => onSocket.push(data.toString()));
    up.send(
      JSON.stringify({
        type: 'request',
        id: 1,
        method: 'pty.spawn',
        params: {
          cols: 80,
          rows: 24,
          shell: '/bin/sh',
          args: ['-c', 'printf "caf\\303\\251 \\346\\274\\242\\n"'],
        },
      }),
    );
    const spawned = JSON.parse(
      (await down.next((m) => typeof m === 'string' && m.includes('"id":1'))) as string,
    ) as { ok: boolean; result: { id: string } };
    assert.equal(spawned.ok, true);
    const output: Uint8Array[] = [];
    let seq = 0;
    await down.next((m) => {
      if (typeof m === 'object' && m.id === spawned.result.id) {
        output.push(m.bytes);
        seq = m.seq;
      }
      return Buffer.concat(output).toString().includes('漢');
    });
    const bytes = Buffer.concat(output);
    assert.equal(bytes.toString(), 'café 漢\r\n');
    assert.equal(seq, bytes.length, 'seq counts bytes');
    assert.deepEqual(onSocket, [], 'nothing comes down the uplink');
    up.close();
    await assert.rejects(
      down.next(() => false),
      /downlink ended/,
    );
  });

  test('the body is the frames themselves, until the connection closes (no HTTP chunking)', async () => {
    const socket = connect(t.server.port, '127.0.0.1');
    socket.write(
      `GET ${DOWNLINK_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${t.server.port}\r\n` +
        `Cookie: ${t.cookie}\r\nSec-Fetch-Site: same-origin\r\n\r\n`,
    );
    // The welcome is sent with the header: read until the connection has been quiet a moment.
    const raw = await new Promise<Buffer>((resolve, reject) => {
      let received = Buffer.alloc(0);
      let quiet: ReturnType<typeof setTimeout> | undefined;
      socket.on('error', reject);
      socket.on('data', (data: Buffer) => {
        received = Buffer.concat([received, data]);
        clearTimeout(quiet);
        quiet = setTimeout(() => resolve(received), 100);
      });
    });
    socket.destroy();
    const end = raw.indexOf('\r\n\r\n');
    const head = raw.subarray(0, end).toString('latin1');
    assert.match(head, /^HTTP\/1\.1 200/);
    assert.doesNotMatch(head, /transfer-encoding/i);
    assert.match(head, /connection: close/i);
    // Right after the header comes a frame's length prefix, not a chunk's size line.
    const [welcome] = new FrameReader().push(raw.subarray(end + 4));
    assert.equal(typeof welcome, 'string');
    assert.match(welcome as string, /"system\.welcome"/);
  });

  test('an uplink must name a downlink that waits for one', async () => {
    const status = await upgradeStatus(
      t.server.port,
      { Origin: t.origin, Cookie: t.cookie },
      `?${UPLINK_PARAM}=no-such-connection`,
    );
    assert.equal(status, 404);
    const down = await openDownlink();
    const up = await attachUplink(down.connectionId);
    const second = await upgradeStatus(
      t.server.port,
      { Origin: t.origin, Cookie: t.cookie },
      `?${UPLINK_PARAM}=${down.connectionId}`,
    );
    assert.equal(second, 404);
    const foreign = await upgradeStatus(
      t.server.port,
      { Origin: 'http://evil.example', Cookie: t.cookie },
      `?${UPLINK_PARAM}=${down.connectionId}`,
    );
    assert.equal(foreign, 403);
    up.close();
    await down.reader.cancel();
  });

  test('a plain WebSocket still carries the whole protocol as JSON', async () => {
    const client = await TestClient.connect(t);
    const welcome = await client.waitFor((m) => m.type === 'event');
    assert.equal(welcome.type === 'event' && welcome.event, 'system.welcome');
    client.close();
  });
});
