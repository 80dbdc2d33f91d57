import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_INBOUND_MESSAGE_BYTES } from '../protocol/index.ts';
import { startTestServer, TestClient, type TestServer } from './test-support.ts';

describe('protocol over WebSocket', () => {
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

  test('a new connection is welcomed', async () => {
    const welcome = await client.waitFor((m) => m.type === 'event' && m.event === 'system.welcome');
    assert.equal(
      typeof (welcome as { data: { connectionId: unknown } }).data.connectionId,
      'string',
    );
  });

  test('a valid request is answered with its result', async () => {
    client.send({ type: 'request', id: 1, method: 'system.hello', params: {} });
    const reply = await client.response(1);
    assert.ok(reply.ok);
    assert.equal((reply.result as { app: string }).app, 'troika');
    assert.equal((reply.result as { host: string }).host, 'web');
  });

  test('invalid JSON gets a bad_json error and the connection stays usable', async () => {
    client.send('{not json');
    const error = await client.waitFor(
      (m) => m.type === 'response' && !m.ok && m.error.code === 'bad_json',
    );
    assert.equal(error.type === 'response' && error.id, null);
    client.send({
      type: 'request',
      id: 2,
      method: 'system.ping',
      params: { nonce: 'after-bad-json' },
    });
    const reply = await client.response(2);
    assert.deepEqual(reply.ok && (reply.result as { nonce: string }).nonce, 'after-bad-json');
  });

  test('a malformed envelope is answered under its id, naming the field', async () => {
    client.send({ type: 'request', id: 3, method: 42 });
    const reply = await client.response(3);
    assert.ok(!reply.ok);
    assert.equal(reply.error.code, 'bad_message');
    assert.match(reply.error.message, /method/);
  });

  test('an unknown method is named in the error', async () => {
    client.send({ type: 'request', id: 4, method: 'system.selfDestruct', params: {} });
    const reply = await client.response(4);
    assert.ok(!reply.ok);
    assert.equal(reply.error.code, 'unknown_method');
    assert.match(reply.error.message, /system\.selfDestruct/);
  });

  test('invalid params are rejected by the method schema', async () => {
    client.send({
      type: 'request',
      id: 5,
      method: 'system.ping',
      params: { nonce: 7, extra: true },
    });
    const reply = await client.response(5);
    assert.ok(!reply.ok);
    assert.equal(reply.error.code, 'invalid_params');
    assert.match(reply.error.message, /nonce/);
  });

  test('an oversized message gets too_large and the connection stays usable', async () => {
    const padding = 'x'.repeat(MAX_INBOUND_MESSAGE_BYTES + 10);
    client.send({ type: 'request', id: 6, method: 'system.ping', params: { nonce: padding } });
    const error = await client.waitFor(
      (m) => m.type === 'response' && !m.ok && m.error.code === 'too_large',
    );
    assert.match(
      error.type === 'response' && !error.ok ? error.error.message : '',
      /exceeds the limit/,
    );
    client.send({ type: 'request', id: 7, method: 'system.ping', params: {} });
    assert.ok((await client.response(7)).ok);
  });
});

describe('host services', () => {
  test('web mode has no native folder picker and says so', async () => {
    const t = await startTestServer();
    const client = await TestClient.connect(t);
    try {
      client.send({ type: 'request', id: 1, method: 'system.pickFolder', params: {} });
      const reply = await client.response(1);
      assert.ok(reply.ok);
      assert.deepEqual(reply.result, { supported: false, path: null });
    } finally {
      client.close();
      await t.close();
    }
  });
});
