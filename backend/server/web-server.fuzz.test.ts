/**
 * Throws arbitrary requests at a real web-mode server over raw sockets:
 * headers (hostile cookies, duplicates, very long values), paths, query
 * strings, upgrade requests, and WebSocket frames on the plain protocol socket
 * and on an uplink. After each batch the server must still serve the user
 * who holds the token. Runs are bounded so the whole file takes seconds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { FrameReader } from '../protocol/frames.ts';
import { DOWNLINK_PATH, UPLINK_PARAM } from './downlink.ts';
import {
  encodeFrame,
  rawExchange,
  rawRequest,
  upgradeHeaders,
  type RawAnswer,
} from './raw-http.ts';
import {
  frameArbitrary,
  headerArbitraries,
  hostileTarget,
  hostileValue,
  latin1,
} from './fuzz-arbitraries.ts';
import { startTestServer, TestClient, type TestServer } from './test-support.ts';
import { PROTOCOL_PATH } from './web-server.ts';

/** No 5xx: every hostile request is the client's fault, answered as such (or cut off). */
function assertNoServerError(answers: RawAnswer[]): void {
  for (const answer of answers) {
    assert.ok(
      answer.status === undefined || answer.status < 500,
      `server error answer: ${answer.raw.subarray(0, 200).toString('latin1')}`,
    );
  }
}

describe('fuzzing web mode', () => {
  let t: TestServer;
  let client: TestClient;
  let nextId = 1;
  const logged: string[] = [];
  // The server runs in this process, where node:test catches what would have ended it:
  // record those too, so the batch that caused one fails (and fast-check shrinks it).
  const escaped: unknown[] = [];
  const record = (error: unknown): void => void escaped.push(error);
  before(async () => {
    process.on('uncaughtException', record);
    process.on('unhandledRejection', record);
    t = await startTestServer({ log: (message) => logged.push(message) });
    client = await TestClient.connect(t);
  });
  after(async () => {
    process.off('uncaughtException', record);
    process.off('unhandledRejection', record);
    client.close();
    await t.close();
  });

  /**
   * Nothing escaped to the process, the user's page still loads, and a
   * protocol socket opened earlier still answers.
   */
  async function assertServing(): Promise<void> {
    assert.deepEqual(escaped.splice(0).map(String), []);
    const response = await fetch(`${t.origin}/`, { headers: { Cookie: t.cookie } });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /Troika test/);
    const id = nextId++;
    client.send({ type: 'request', id, method: 'system.ping', params: {} });
    assert.equal((await client.response(id)).ok, true);
  }

  const quick = { quietMs: 40, timeoutMs: 250 };

  test('arbitrary HTTP requests and bytes', async () => {
    const h = headerArbitraries(t);
    const request = fc.oneof(
      {
        arbitrary: fc
          .record({
            method: fc.oneof(
              fc.constantFrom('GET', 'GET', 'HEAD', 'POST', 'OPTIONS', 'PUT', 'CONNECT', 'PRI'),
              fc.stringMatching(/^[A-Z]{1,8}$/),
            ),
            target: hostileTarget,
            version: fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9', ''),
            host: h.host,
            cookie: h.cookie,
            origin: h.origin,
            site: fc.option(fc.oneof(fc.constant('same-origin'), hostileValue)),
            extra: h.extra,
            body: fc.uint8Array({ maxLength: 100 }).map(latin1),
          })
          .map(({ method, target, version, host, cookie, origin, site, extra, body }) => {
            const headers: [string, string][] = [['Connection', 'close']];
            if (host !== null) headers.push(['Host', host]);
            if (cookie !== null) headers.push(['Cookie', cookie]);
            if (origin !== null) headers.push(['Origin', origin]);
            if (site !== null) headers.push(['Sec-Fetch-Site', site]);
            return rawRequest(`${method} ${target} ${version}`, [...headers, ...extra], body);
          }),
        weight: 4,
      },
      {
        arbitrary: fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b)),
        weight: 1,
      },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(request, fc.boolean()), { minLength: 1, maxLength: 4 }),
        async (batch) => {
          const answers = await Promise.all(
            batch.map(([bytes, halfClose]) =>
              rawExchange(t.server.port, bytes, { ...quick, halfClose }),
            ),
          );
          assertNoServerError(answers);
          await assertServing();
        },
      ),
      { numRuns: 60 },
    );
  });

  test('arbitrary upgrade requests, followed by arbitrary frames', async () => {
    const h = headerArbitraries(t);
    const upgradeHeader = (name: string, good: string) =>
      fc.option(
        fc.oneof(
          { arbitrary: fc.constant([name, good] as [string, string]), weight: 4 },
          hostileValue.map((v) => [name, v] as [string, string]),
        ),
        { freq: 10 },
      );
    const upgrade = fc
      .record({
        target: fc.oneof(
          fc.constant(PROTOCOL_PATH),
          hostileValue.map((v) => `${PROTOCOL_PATH}?${UPLINK_PARAM}=${encodeURIComponent(v)}`),
          hostileValue.map((v) => `${PROTOCOL_PATH}?token=${encodeURIComponent(v)}`),
          hostileTarget,
        ),
        host: h.host,
        cookie: h.cookie,
        origin: h.origin,
        extra: h.extra,
        frames: fc.array(frameArbitrary, { maxLength: 4 }),
        halfClose: fc.boolean(),
      })
      .chain((fields) => {
        const [upgradeName, connection, key, version] = upgradeHeaders();
        return fc
          .tuple(
            upgradeHeader(...(upgradeName as [string, string])),
            upgradeHeader(...(connection as [string, string])),
            upgradeHeader(...(key as [string, string])),
            upgradeHeader(...(version as [string, string])),
          )
          .map((wsHeaders) => ({ ...fields, wsHeaders }));
      });
    await fc.assert(
      fc.asyncProperty(
        upgrade,
        async ({ target, host, cookie, origin, extra, frames, halfClose, wsHeaders }) => {
          const headers: [string, string][] = [];
          if (host !== null) headers.push(['Host', host]);
          if (cookie !== null) headers.push(['Cookie', cookie]);
          if (origin !== null) headers.push(['Origin', origin]);
          for (const header of wsHeaders) if (header !== null) headers.push(header);
          const answer = await rawExchange(
            t.server.port,
            [
              rawRequest(`GET ${target} HTTP/1.1`, [...headers, ...extra]),
              ...frames.map(encodeFrame),
            ],
            { ...quick, halfClose },
          );
          assertNoServerError([answer]);
          await assertServing();
        },
      ),
      { numRuns: 60 },
    );
  });

  /** Opens a downlink as the page does; resolves with its connection id and a way to end it. */
  async function openDownlink(): Promise<{ id: string; end: () => Promise<void> }> {
    const response = await fetch(`${t.origin}${DOWNLINK_PATH}`, {
      headers: { Cookie: t.cookie, 'Sec-Fetch-Site': 'same-origin' },
    });
    assert.equal(response.status, 200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const frames = new FrameReader();
    for (;;) {
      const { done, value } = await reader.read();
      assert.equal(done, false, 'the downlink ended before its welcome');
      const [welcome] = frames.push(value as Uint8Array);
      if (typeof welcome === 'string') {
        const id = (JSON.parse(welcome) as { data: { connectionId: string } }).data.connectionId;
        return { id, end: () => reader.cancel() };
      }
    }
  }

  test('arbitrary frames on an accepted protocol socket and on an uplink', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(frameArbitrary, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (uplink, frames, halfClose) => {
          const downlink = uplink ? await openDownlink() : undefined;
          const target = downlink
            ? `${PROTOCOL_PATH}?${UPLINK_PARAM}=${downlink.id}`
            : PROTOCOL_PATH;
          const answer = await rawExchange(
            t.server.port,
            [
              rawRequest(`GET ${target} HTTP/1.1`, [
                ['Host', `127.0.0.1:${t.server.port}`],
                ['Cookie', t.cookie],
                ['Origin', t.origin],
                ...upgradeHeaders(),
              ]),
              ...frames.map(encodeFrame),
            ],
            { ...quick, halfClose },
          );
          assert.equal(answer.status, 101);
          await downlink?.end();
          await assertServing();
        },
      ),
      { numRuns: 60 },
    );
  });

  test('frames past the WebSocket and protocol size limits', async () => {
    for (const size of [1024 * 1024 + 1, 9 * 1024 * 1024]) {
      const answer = await rawExchange(
        t.server.port,
        [
          rawRequest(`GET ${PROTOCOL_PATH} HTTP/1.1`, [
            ['Host', `127.0.0.1:${t.server.port}`],
            ['Cookie', t.cookie],
            ['Origin', t.origin],
            ...upgradeHeaders(),
          ]),
          encodeFrame({
            fin: true,
            rsv: 0,
            opcode: 1,
            payload: Buffer.alloc(size, 'a'),
            masked: true,
          }),
        ],
        { quietMs: 200, timeoutMs: 3000 },
      );
      assert.equal(answer.status, 101);
    }
    await assertServing();
  });

  test('no request ever reached a handler failure', () => {
    assert.deepEqual(
      logged.filter((line) => /failed/.test(line)),
      [],
    );
  });
});
