/**
 * Test support: fast-check arbitraries for fuzzing web mode (see
 * web-server.fuzz.test.ts): hostile header values, request targets, header
 * names, and WebSocket frames carrying protocol-shaped or arbitrary payloads.
 */
import fc from 'fast-check';
import { DOWNLINK_PATH } from './downlink.ts';
import type { RawFrame } from './raw-http.ts';
import type { TestServer } from './test-support.ts';
import { PROTOCOL_PATH } from './web-server.ts';

/** Methods that only read or name nothing that exists: fuzzing must not spawn shells or change settings. */
export const HARMLESS_METHODS = [
  'system.hello',
  'system.ping',
  'agent.list',
  'agent.get',
  'agent.history',
  'pty.list',
  'pty.write',
  'pty.resize',
  'pty.ack',
  'pty.replay',
  'settings.get',
  'changes.get',
  'history.scrollback',
  'no.such.method',
];

export const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

/** Header values a hostile page or process might send. */
export const hostileValue = fc.oneof(
  fc.constantFrom('%E0', '%', '%%', '%zz', '%C3%28', '%00', '\xff\xfe', '', ' ', ';;;', '=', '"'),
  fc.uint8Array({ maxLength: 40 }).map(latin1),
  fc.string({ maxLength: 40 }),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => 'x'.repeat(n)),
);

export const hostileTarget = fc.oneof(
  fc.constantFrom(
    '/',
    '//',
    '//%',
    '/%',
    '/%E0',
    '/%00',
    '/bad%00byte',
    '/..%2f..%2fetc%2fpasswd',
    '/index.html',
    DOWNLINK_PATH,
    PROTOCOL_PATH,
    '*',
    'http://[',
    'http://127.0.0.1/x',
    '/?token=',
    '/?token=%E0',
    '/?token=%',
  ),
  fc
    .array(
      fc.constantFrom('/', '%', 'E0', '00', '..', '?', '#', '&', 'token=', '=', 'a', '%2f', '\\'),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
  fc.string({ maxLength: 30 }).map((text) => `/${encodeURI(text)}`),
  fc.uint8Array({ maxLength: 30 }).map((bytes) => `/${latin1(bytes)}`),
);

export const headerName = fc.oneof(
  fc.constantFrom(
    'Host',
    'Cookie',
    'Origin',
    'Sec-Fetch-Site',
    'Content-Length',
    'Transfer-Encoding',
    'Expect',
    'Connection',
    'Upgrade',
  ),
  fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/),
  fc.uint8Array({ minLength: 1, maxLength: 10 }).map(latin1),
);

/** Every header an upgrade or request may carry, good most of the time so requests get past the access check. */
export function headerArbitraries(t: TestServer) {
  const port = t.server.port;
  const cookieName = `troika_token_${port}`;
  const good = <T>(value: T, other: fc.Arbitrary<T>) =>
    fc.option(fc.oneof({ arbitrary: fc.constant(value), weight: 2 }, other));
  const cookie = fc.oneof(
    // The cookie a page on another port can plant, which once ended the process.
    fc.constant(`${cookieName}=%E0`),
    hostileValue.map((value) => `${cookieName}=${value}`),
    fc
      .array(
        fc.oneof(
          hostileValue.map((v) => `${cookieName}=${v}`),
          fc.constant(t.cookie),
        ),
        {
          maxLength: 4,
        },
      )
      .map((parts) => parts.join('; ')),
    hostileValue,
  );
  return {
    host: good(`127.0.0.1:${port}`, fc.oneof(fc.constant(`localhost:${port}`), hostileValue)),
    cookie: good(t.cookie, cookie),
    origin: good(t.origin, hostileValue),
    extra: fc.array(fc.tuple(headerName, hostileValue), { maxLength: 4 }),
  };
}

export const frameArbitrary: fc.Arbitrary<RawFrame> = fc.record({
  fin: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, fc.boolean()),
  rsv: fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, fc.integer({ min: 0, max: 7 })),
  opcode: fc.oneof(fc.constantFrom(1, 1, 1, 2, 2, 0, 8, 9, 10), fc.integer({ min: 0, max: 15 })),
  payload: fc.oneof(
    // Protocol-shaped messages with wrong or arbitrary parts.
    fc
      .record(
        {
          type: fc.oneof(fc.constant('request'), fc.string({ maxLength: 10 })),
          id: fc.oneof(fc.nat(), fc.jsonValue()),
          method: fc.oneof(fc.constantFrom(...HARMLESS_METHODS), fc.string({ maxLength: 20 })),
          params: fc.jsonValue({ maxDepth: 3 }),
        },
        { requiredKeys: [] },
      )
      .map((message) => Buffer.from(JSON.stringify(message))),
    fc.jsonValue({ maxDepth: 3 }).map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
    fc.string({ maxLength: 200 }).map((text) => Buffer.from(text)),
    // Arbitrary bytes, invalid UTF-8 included.
    fc.uint8Array({ maxLength: 300 }),
  ),
  masked: fc.oneof({ arbitrary: fc.constant(true), weight: 6 }, fc.constant(false)),
  claimedLength: fc.option(
    fc.oneof(
      fc.bigInt({ min: 0n, max: 400n }),
      fc.constantFrom(65_535n, 9n * 1024n * 1024n, 2n ** 40n, 2n ** 63n + 5n),
    ),
    { freq: 8 },
  ),
});
