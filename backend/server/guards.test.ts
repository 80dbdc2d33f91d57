import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { answerClientError, guardRequests, guardUpgrades } from './guards.ts';
import { rawExchange, rawRequest, upgradeHeaders } from './raw-http.ts';

/** A real http server whose handlers are the ones under test. */
async function serve(server: Server): Promise<{ port: number; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('request guards', () => {
  test('a handler that throws, rejects, or fails mid-answer costs only its own request', async () => {
    const logged: string[] = [];
    const log = (message: string): void => void logged.push(message);
    const http = createServer(
      guardRequests(async (request, response) => {
        if (request.url === '/throws') throw new Error('sync boom');
        await Promise.resolve();
        if (request.url === '/rejects') throw new Error('async boom');
        if (request.url === '/midway') {
          response.writeHead(200).write('partial');
          throw new Error('midway boom');
        }
        response.writeHead(200).end('fine');
      }, log),
    );
    const { port, close } = await serve(http);
    try {
      const base = `http://127.0.0.1:${port}`;
      assert.equal((await fetch(`${base}/throws`)).status, 500);
      assert.equal((await fetch(`${base}/rejects`)).status, 500);
      // Cut off: the client never takes a partial answer for a whole one.
      await assert.rejects(async () => (await fetch(`${base}/midway`)).text());
      const fine = await fetch(`${base}/fine`);
      assert.equal(await fine.text(), 'fine');
      assert.equal(logged.length, 3);
      assert.match(logged[0] ?? '', /^GET request failed: Error: sync boom/);
    } finally {
      await close();
    }
  });

  test('an upgrade handler that throws answers 500 on the socket', async () => {
    const logged: string[] = [];
    const http = createServer();
    http.on(
      'upgrade',
      guardUpgrades(
        () => {
          throw new Error('upgrade boom');
        },
        (message) => logged.push(message),
      ),
    );
    const { port, close } = await serve(http);
    try {
      const answer = await rawExchange(
        port,
        rawRequest('GET /ws HTTP/1.1', [['Host', 'x'], ...upgradeHeaders()]),
      );
      assert.equal(answer.status, 500);
      assert.match(logged[0] ?? '', /upgrade request failed: Error: upgrade boom/);
    } finally {
      await close();
    }
  });

  test('bytes the parser cannot read get 400, oversized headers 431', async () => {
    const http = createServer((_request, response) => response.end('ok'));
    http.on('clientError', answerClientError);
    const { port, close } = await serve(http);
    try {
      assert.equal((await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n')).status, 400);
      const long = rawRequest('GET / HTTP/1.1', [
        ['Host', 'x'],
        ['X-Long', 'a'.repeat(65536)],
      ]);
      assert.equal((await rawExchange(port, long)).status, 431);
    } finally {
      await close();
    }
  });
});
