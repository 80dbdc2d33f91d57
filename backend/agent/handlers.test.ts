import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createBackend } from '../app.ts';
import type { AgentDetail, AgentSummary, ServerMessage } from '../protocol/index.ts';
import { TestClient, type TestServer } from '../server/test-support.ts';
import { startWebServer } from '../server/web-server.ts';
import { startMessagesServer, type MessagesServer } from '../testing/messages-server/index.ts';

/** The agent protocol end to end: a WebSocket client, the composed backend, the real SDK, the messages server. */
describe('agent.* over the protocol', () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'troika-agent-protocol-')));
  const workspace = join(dir, 'ws');
  let messages: MessagesServer;
  let t: TestServer;
  let client: TestClient;
  let nextId = 1;
  /** The agent of the first test, finished and still in the session. */
  let firstId = '';

  before(async () => {
    mkdirSync(workspace);
    mkdirSync(join(dir, 'web'));
    writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html>');
    messages = await startMessagesServer({
      script: [
        { toolUses: [{ name: 'bash', input: { command: 'echo over-the-wire' } }] },
        { text: 'Finished.' },
      ],
    });
    const backend = await createBackend({
      config: { dataDir: join(dir, 'data'), apiKey: messages.apiKey, baseURL: messages.url },
      host: 'web',
    });
    const server = await startWebServer({ backend, staticRoot: join(dir, 'web'), port: 0 });
    t = {
      server,
      backend,
      cookie: `troika_token_${server.port}=${server.token}`,
      origin: `http://127.0.0.1:${server.port}`,
      async close() {
        await server.close();
        await backend.dispose();
      },
    };
    client = await TestClient.connect(t);
  });
  after(async () => {
    client.close();
    await t.close();
    await messages.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function call<T>(
    method: string,
    params: object,
  ): Promise<{ ok: true; result: T } | { ok: false; error: { code: string; message: string } }> {
    const id = nextId++;
    client.send({ type: 'request', id, method, params });
    const reply = await client.response(id);
    return reply.ok ? { ok: true, result: reply.result as T } : { ok: false, error: reply.error };
  }

  const stateEvent = (agentId: string, state: string) => (m: ServerMessage) =>
    m.type === 'event' &&
    m.event === 'agent.state' &&
    (m.data as { agentId: string; state: string }).agentId === agentId &&
    (m.data as { state: string }).state === state;

  test('agent.start runs an agent whose progress arrives as events', async () => {
    const reply = await call<AgentSummary>('agent.start', { task: 'Say hello', workspace });
    assert.ok(reply.ok);
    const id = reply.result.id;
    firstId = id;
    await client.waitFor(stateEvent(id, 'done'), 20_000);
    const kinds = client.messages.flatMap((m) =>
      m.type === 'event' && m.event === 'agent.transcript'
        ? [(m.data as { entry: { kind: string } }).entry.kind]
        : [],
    );
    assert.ok(
      kinds.includes('tool_call') && kinds.includes('tool_result') && kinds.includes('text_delta'),
    );
    assert.ok(client.messages.some((m) => m.type === 'event' && m.event === 'agent.usage'));

    const detail = await call<AgentDetail>('agent.get', { id });
    assert.ok(detail.ok);
    assert.equal(detail.result.state, 'done');
    assert.equal(detail.result.transcript.length, 4);

    const listed = await call<AgentSummary[]>('agent.history', {});
    assert.ok(listed.ok);
    assert.equal(listed.result[0]?.id, id);
  });

  test('the agent terminal is a pty session the UI can list', async () => {
    const list = await call<{ sessions: Array<{ id: string; kind: string }> }>('pty.list', {});
    assert.ok(list.ok);
    assert.ok(list.result.sessions.some((s) => s.kind === 'agent'));
  });

  test('a workspace that does not exist is refused as invalid params', async () => {
    const reply = await call('agent.start', { task: 't', workspace: join(dir, 'missing') });
    assert.ok(!reply.ok);
    assert.equal(reply.error.code, 'invalid_params');
    assert.match(reply.error.message, /does not exist/);
  });

  test('an unknown agent id is not_found', async () => {
    const reply = await call('agent.pause', { id: 'no-such-agent' });
    assert.ok(!reply.ok);
    assert.equal(reply.error.code, 'not_found');
  });

  test('agent.setPersona pins another persona on an agent of the session, announced and logged as agent.persona', async () => {
    const reply = await call<AgentSummary>('agent.setPersona', { id: firstId, persona: 'qa' });
    assert.ok(reply.ok, JSON.stringify(reply));
    assert.deepEqual(reply.result.activePersona, {
      name: 'qa',
      reason: 'pinned by the user',
      pinned: true,
    });
    await client.waitFor(
      (m) =>
        m.type === 'event' &&
        m.event === 'agent.persona' &&
        (m.data as { persona: { name: string } | null }).persona?.name === 'qa',
      5_000,
    );
    const unknown = await call('agent.setPersona', { id: firstId, persona: 'no-such-persona' });
    assert.ok(!unknown.ok);
    assert.equal(unknown.error.code, 'invalid_params');
    assert.match(unknown.error.message, /There is no persona named "no-such-persona"/);
    const missing = await call('agent.setPersona', { id: 'no-such-agent', persona: null });
    assert.ok(!missing.ok);
    assert.equal(missing.error.code, 'not_found');
  });

  test('personas.choose says which persona a task gets and the triggers why', async () => {
    const reply = await call<{ name: string | null; reason: string | null }>('personas.choose', {
      task: 'Audit the logging calls in src/ for leaked tokens',
    });
    assert.ok(reply.ok);
    assert.deepEqual(reply.result, {
      name: 'security',
      reason: 'matched keywords audit, leak, leaked token (score 3)',
    });
  });

  test('unexpected params are rejected by the schema', async () => {
    const reply = await call('agent.start', { task: 't', workspace, apiKey: 'sneaky' });
    assert.ok(!reply.ok);
    assert.equal(reply.error.code, 'invalid_params');
  });
});
