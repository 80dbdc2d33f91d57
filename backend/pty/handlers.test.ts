import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EventMap, MethodName, ParamsOf, ServerMessage } from '../protocol/index.ts';
import { startTestServer, TestClient, type TestServer } from '../server/test-support.ts';
import { isRunning } from './process-alive.ts';

type Reply = ServerMessage & { type: 'response' };

describe('pty.* over the protocol', () => {
  let t: TestServer;
  let client: TestClient;
  let nextId = 1;
  before(async () => {
    t = await startTestServer();
    client = await TestClient.connect(t);
  });
  after(async () => {
    client.close();
    await t.close();
  });

  async function call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<Reply> {
    const id = nextId++;
    client.send({ type: 'request', id, method, params });
    return client.response(id);
  }
  async function ok<T>(method: MethodName, params: object): Promise<T> {
    const reply = await call(method, params as never);
    assert.ok(reply.ok, `${method} failed: ${JSON.stringify(reply)}`);
    return reply.result as T;
  }
  function events<E extends keyof EventMap>(event: E, id: string): Array<EventMap[E]> {
    return client.messages
      .filter(
        (m): m is ServerMessage & { type: 'event' } => m.type === 'event' && m.event === event,
      )
      .map((m) => m.data as EventMap[E])
      .filter((data) => (data as { id: string }).id === id);
  }
  const outputOf = (id: string) =>
    events('pty.data', id)
      .map((e) => e.data)
      .join('');
  const waitForOutput = (id: string, text: string) =>
    client.waitFor(() => outputOf(id).includes(text), 5000);
  const shell = {
    cols: 80,
    rows: 24,
    shell: '/bin/bash',
    args: ['--norc', '--noprofile', '-i'],
    env: { PS1: 'PROMPT$ ' },
  };

  test('a spawned shell streams its output as events and answers what is written', async () => {
    const { id, pid } = await ok<{ id: string; pid: number }>('pty.spawn', shell);
    assert.ok(pid > 0);
    await waitForOutput(id, 'PROMPT$ ');
    await ok('pty.write', { id, data: 'echo hel""lo\r' });
    await waitForOutput(id, 'hello\r\n');
    const seqs = events('pty.data', id).map((e) => e.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
      'positions increase',
    );
    assert.equal(
      seqs.at(-1),
      Buffer.byteLength(outputOf(id)),
      'the last position counts every byte sent',
    );
    await ok('pty.close', { id });
  });

  test('replay returns the recent output and the position it ends at', async () => {
    const { id } = await ok<{ id: string }>('pty.spawn', shell);
    await waitForOutput(id, 'PROMPT$ ');
    await ok('pty.write', { id, data: 'echo replay-me\r' });
    await waitForOutput(id, 'replay-me\r\n');
    const replay = await ok<{ data: string; seq: number }>('pty.replay', { id });
    assert.equal(replay.data, outputOf(id));
    assert.equal(replay.seq, Buffer.byteLength(replay.data));
    await ok('pty.close', { id });
  });

  test('output events carry the raw bytes for byte transports, and positions count bytes', async () => {
    type Published = { id: string; data: string; seq: number; bytes: Uint8Array | undefined };
    const published: Published[] = [];
    const unsubscribe = t.backend.events.subscribe((event, data, bytes) => {
      if (event === 'pty.data') published.push({ ...(data as Omit<Published, 'bytes'>), bytes });
    });
    try {
      const { id } = await ok<{ id: string }>('pty.spawn', {
        cols: 80,
        rows: 24,
        shell: '/bin/sh',
        args: ['-c', "printf 'x\\346\\274\\242\\377'"],
      });
      await client.waitFor(
        (m) => m.type === 'event' && m.event === 'pty.exit' && (m.data as { id: string }).id === id,
      );
      const raw = published.filter((e) => e.id === id);
      assert.equal(outputOf(id), 'x漢\ufffd');
      assert.deepEqual(
        events('pty.data', id).map((e) => e.seq),
        raw.map((e) => e.seq),
      );
      assert.equal(events('pty.data', id).at(-1)?.seq, 5);
      assert.deepEqual(
        Buffer.concat(raw.map((e) => e.bytes ?? new Uint8Array())),
        Buffer.from([0x78, 0xe6, 0xbc, 0xa2, 0xff]),
      );
      await ok('pty.close', { id });
    } finally {
      unsubscribe();
    }
  });

  test('the exit is reported after the last output, with its code', async () => {
    const { id } = await ok<{ id: string }>('pty.spawn', {
      cols: 80,
      rows: 24,
      shell: '/bin/sh',
      args: ['-c', 'printf last-words; exit 4'],
    });
    const exit = await client.waitFor(
      (m) => m.type === 'event' && m.event === 'pty.exit' && (m.data as { id: string }).id === id,
    );
    assert.deepEqual(exit.type === 'event' && exit.data, { id, exitCode: 4, signal: null });
    const lastData = client.messages.findLastIndex(
      (m) => m.type === 'event' && m.event === 'pty.data' && (m.data as { id: string }).id === id,
    );
    assert.ok(lastData >= 0 && lastData < client.messages.indexOf(exit));
    assert.equal(outputOf(id), 'last-words');
    await ok('pty.close', { id });
  });

  test('list shows sessions; close ends the process, announces it and forgets the session', async () => {
    const { id, pid } = await ok<{ id: string; pid: number }>('pty.spawn', shell);
    await client.waitFor(
      (m) => m.type === 'event' && m.event === 'pty.opened' && (m.data as { id: string }).id === id,
    );
    await waitForOutput(id, 'PROMPT$ ');
    const { sessions } = await ok<{
      sessions: Array<{ id: string; alive: boolean; kind: string }>;
    }>('pty.list', {});
    assert.deepEqual(
      sessions.filter((s) => s.id === id).map((s) => [s.alive, s.kind]),
      [[true, 'shell']],
    );
    await ok('pty.close', { id });
    assert.equal(isRunning(pid), false);
    await client.waitFor(
      (m) => m.type === 'event' && m.event === 'pty.closed' && (m.data as { id: string }).id === id,
    );
    const after = await ok<{ sessions: Array<{ id: string }> }>('pty.list', {});
    assert.equal(
      after.sessions.some((s) => s.id === id),
      false,
    );
  });

  test('a missing shell is a clear error naming it', async () => {
    const reply = await call('pty.spawn', { cols: 80, rows: 24, shell: '/no/such/shell' });
    assert.ok(!reply.ok);
    assert.equal(reply.error.code, 'invalid_params');
    assert.match(reply.error.message, /Shell "\/no\/such\/shell" was not found/);
  });

  test('a missing cwd is a clear error naming it', async () => {
    const reply = await call('pty.spawn', { cols: 80, rows: 24, cwd: '/no/such/dir' });
    assert.ok(!reply.ok);
    assert.equal(reply.error.code, 'invalid_params');
    assert.match(reply.error.message, /Working directory "\/no\/such\/dir" does not exist/);
  });

  test('sizes of zero or absurd sizes are rejected', async () => {
    for (const [cols, rows] of [
      [0, 24],
      [80, 0],
      [100_000, 24],
      [80, 1e6],
      [80.5, 24],
    ] as const) {
      const reply = await call('pty.spawn', { cols, rows });
      assert.ok(!reply.ok, `${cols}x${rows} was accepted`);
      assert.equal(reply.error.code, 'invalid_params');
    }
    const { id } = await ok<{ id: string }>('pty.spawn', {
      cols: 80,
      rows: 24,
      shell: '/bin/sleep',
      args: ['30'],
    });
    const resize = await call('pty.resize', { id, cols: 0, rows: 24 });
    assert.ok(!resize.ok && resize.error.code === 'invalid_params');
    await ok('pty.close', { id });
  });

  test('writing to, resizing or signalling an exited session is an error reply, and the server lives on', async () => {
    const { id } = await ok<{ id: string }>('pty.spawn', {
      cols: 80,
      rows: 24,
      shell: '/bin/sh',
      args: ['-c', 'exit 0'],
    });
    await client.waitFor(
      (m) => m.type === 'event' && m.event === 'pty.exit' && (m.data as { id: string }).id === id,
    );
    for (const [method, params] of [
      ['pty.write', { id, data: 'x' }],
      ['pty.resize', { id, cols: 10, rows: 10 }],
      ['pty.kill', { id }],
    ] as const) {
      const reply = await call(method, params as never);
      assert.ok(!reply.ok, `${method} succeeded`);
      assert.equal(reply.error.code, 'conflict');
      assert.match(reply.error.message, /exited with code 0/);
    }
    assert.ok((await call('system.ping', {})).ok);
    await ok('pty.close', { id });
  });

  test('unknown session ids are rejected', async () => {
    const id = 'no-such-session';
    for (const [method, params] of [
      ['pty.write', { id, data: 'x' }],
      ['pty.resize', { id, cols: 10, rows: 10 }],
      ['pty.kill', { id }],
      ['pty.ack', { id, bytes: 10 }],
      ['pty.replay', { id }],
      ['pty.close', { id }],
    ] as const) {
      const reply = await call(method, params as never);
      assert.ok(!reply.ok, `${method} succeeded`);
      assert.equal(reply.error.code, 'not_found', method);
    }
  });
});
