/**
 * The desktop app's process split, without Electron: the backend host runs as
 * a plain Node child process (the same entry and port protocol as the
 * utility process) behind the same relay the main process uses.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { forkBackendHost } from './fork.ts';
import type { AgentNotification } from './notifications.ts';
import type { BackendProcessHandle } from './port.ts';
import { BackendRelay, type MainServices } from './relay.ts';
import { RelayedRenderer } from './test-renderer.ts';

const SHELL = {
  cols: 80,
  rows: 24,
  shell: '/bin/bash',
  args: ['--norc', '--noprofile', '-i'],
  env: { PS1: 'PROMPT$ ', HISTFILE: '/dev/null' },
};

/** The backend's environment: no key of the developer's, test hooks on unless a test says otherwise. */
function backendEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TROIKA_TEST_HOOKS: '1', ...extra };
  delete env['ANTHROPIC_API_KEY'];
  return env;
}

describe('backend host behind the relay', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'troika-host-'));
  const logs: string[] = [];
  const stored: string[] = [];
  const notes: AgentNotification[] = [];
  const services: MainServices = {
    pickFolder: async (title) => `/picked/for ${title ?? 'nothing'}`,
    keychain: {
      set: (key) => void stored.push(key),
      clear: () => void stored.push('(cleared)'),
    },
    openaiKeychain: {
      set: (key) => void stored.push(`openai ${key}`),
      clear: () => void stored.push('openai (cleared)'),
    },
    notify: (note) => void notes.push(note),
  };
  let handle: BackendProcessHandle;
  let relay: BackendRelay;
  let renderer: RelayedRenderer;

  before(async () => {
    handle = forkBackendHost({ env: backendEnv() });
    relay = new BackendRelay({ process: handle, services, log: (m) => logs.push(m) });
    await relay.start({ dataDir, apiKey: undefined });
    renderer = new RelayedRenderer(relay, 7);
  });

  after(async () => {
    await relay.shutdown();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a renderer is welcomed and its requests are answered by the backend process', async () => {
    await renderer.waitFor((m) => m.type === 'event' && m.event === 'system.welcome');
    const hello = await renderer.ok<{ host: string; apiKeyConfigured: boolean }>('system.hello');
    assert.equal(hello.host, 'electron');
    assert.equal(hello.apiKeyConfigured, false);
  });

  test('bad input from a renderer gets the protocol error reply, through the relay', async () => {
    renderer.sendRaw('{not json');
    const reply = await renderer.waitFor(
      (m) => m.type === 'response' && !m.ok && m.error.code === 'bad_json',
    );
    assert.equal(reply.type === 'response' && reply.id, null);
  });

  test('a terminal opens in the backend process and its output arrives as bytes', async () => {
    const { id, pid } = await renderer.ok<{ id: string; pid: number }>('pty.spawn', SHELL);
    assert.ok(pid > 0 && pid !== process.pid);
    await renderer.outputContaining(id, 'PROMPT$ ');
    await renderer.ok('pty.write', { id, data: 'echo relay-"wor"ks\r' });
    await renderer.outputContaining(id, 'relay-works\r\n');
    // Read together: more output (the next prompt) may have come in since the text matched.
    const frames = renderer.output.get(id)?.frames ?? [];
    assert.ok(frames.every((frame) => frame.bytes instanceof Uint8Array));
    const bytes = frames.reduce((sum, frame) => sum + frame.bytes.byteLength, 0);
    assert.equal(frames.at(-1)?.seq, bytes, 'positions count the bytes');
    // Bytes went to the byte sink, not as JSON `pty.data` events.
    assert.ok(!renderer.messages.some((m) => m.type === 'event' && m.event === 'pty.data'));
    await renderer.ok('pty.close', { id });
  });

  test('the folder picker is asked of the main process over the host channel', async () => {
    const picked = await renderer.ok<{ supported: boolean; path: string }>('system.pickFolder', {
      title: 'Workspace',
    });
    assert.deepEqual(picked, { supported: true, path: '/picked/for Workspace' });
  });

  test('a key stored from Settings goes to the main process keychain, never into the view', async () => {
    const key = 'sk-ant-relay-test-0123456789abcdef';
    const view = await renderer.ok<{ apiKeyConfigured: boolean; apiKeyStorage: string }>(
      'settings.setApiKey',
      { key },
    );
    assert.deepEqual(stored, [key]);
    assert.equal(view.apiKeyConfigured, true);
    assert.equal(view.apiKeyStorage, 'keychain');
    assert.doesNotMatch(JSON.stringify(renderer.messages), /sk-ant-relay-test/);
    const cleared = await renderer.ok<{ apiKeyConfigured: boolean }>('settings.clearApiKey');
    assert.equal(cleared.apiKeyConfigured, false);
    assert.deepEqual(stored, [key, '(cleared)']);
  });

  test("the OpenAI-compatible provider's key goes to its own keychain entry", async () => {
    stored.length = 0;
    const key = 'sk-proj-relay-test-0123456789abcdef';
    const view = await renderer.ok<{
      openaiKeyConfigured: boolean;
      apiKeyConfigured: boolean;
      restartRequired: string[];
    }>('settings.setApiKey', { key, provider: 'openai' });
    assert.deepEqual(stored, [`openai ${key}`]);
    assert.equal(view.openaiKeyConfigured, true);
    assert.equal(view.apiKeyConfigured, false);
    assert.ok(view.restartRequired.includes('openaiApiKey'));
    assert.doesNotMatch(JSON.stringify(renderer.messages), /sk-proj-relay-test/);
    await renderer.ok('settings.clearApiKey', { provider: 'openai' });
    assert.deepEqual(stored, [`openai ${key}`, 'openai (cleared)']);
  });

  test('with no agent at work the quit question is answered: none', async () => {
    assert.equal(await relay.busyAgents(), 0);
  });

  test('a blocked backend leaves the main side answering, and catches up afterwards', async () => {
    const BLOCK_MS = 1500;
    await relay.blockBackendForTest(BLOCK_MS);
    const blockAnswered = Date.now();
    // Queued behind the block in the backend process.
    const backendPing = renderer.request('system.ping', { nonce: 'during-block' });
    let backendAnswered = false;
    void backendPing.then(() => (backendAnswered = true));

    // Ordering, not timing: the main side answers while the backend is still
    // stuck in its busy loop (its own ping has not come back yet).
    const status = await relay.ping();
    assert.equal(
      backendAnswered,
      false,
      'the relay answered only after the backend was free again',
    );
    assert.deepEqual(status, { backend: 'running', connections: 1 });
    // The quit flow's question has a time limit instead of hanging with the backend.
    assert.equal(await relay.busyAgents(50), undefined);
    assert.equal(backendAnswered, false, 'the backend really was blocked');

    const reply = await backendPing;
    assert.ok(reply.ok);
    const { nonce, serverTime } = reply.result as { nonce: string; serverTime: number };
    assert.equal(nonce, 'during-block');
    assert.ok(
      serverTime - blockAnswered >= BLOCK_MS - 500,
      `the backend answered ${serverTime - blockAnswered} ms after the block began`,
    );
    assert.equal(await relay.busyAgents(), 0);
  });
});

describe('backend host lifecycle', () => {
  test('the test hook is refused unless the backend runs with TROIKA_TEST_HOOKS=1', async () => {
    const relay = new BackendRelay({
      process: forkBackendHost({ env: backendEnv({ TROIKA_TEST_HOOKS: '' }) }),
      services: {},
      log: () => {},
    });
    await assert.rejects(relay.blockBackendForTest(10), /TROIKA_TEST_HOOKS=1/);
    await relay.shutdown();
  });

  test('shutdown ends the backend terminals and its process', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'troika-host-'));
    const handle = forkBackendHost({ env: backendEnv() });
    const relay = new BackendRelay({ process: handle, services: {}, log: () => {} });
    await relay.start({ dataDir, apiKey: undefined });
    const renderer = new RelayedRenderer(relay, 1);
    const { id, pid } = await renderer.ok<{ id: string; pid: number }>('pty.spawn', SHELL);
    await renderer.outputContaining(id, 'PROMPT$ ');
    await relay.shutdown();
    assert.deepEqual(await relay.ping(), { backend: 'exited', connections: 0 });
    assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the shell has ended');
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a backend that dies is reported, and requests to it fail instead of hanging', async () => {
    const handle = forkBackendHost({ env: backendEnv() });
    const logs: string[] = [];
    const relay = new BackendRelay({ process: handle, services: {}, log: (m) => logs.push(m) });
    const exited = new Promise<number | null>((resolve) => relay.onUnexpectedExit(resolve));
    handle.kill();
    assert.equal(await exited, null);
    await assert.rejects(relay.blockBackendForTest(10), /exited/);
    assert.equal(await relay.busyAgents(), 0, 'a process that is gone has no agent at work');
    assert.match(logs.join('\n'), /exited unexpectedly/);
    await relay.shutdown();
  });

  test('a malformed message from the backend is dropped and named in the log', async () => {
    const logs: string[] = [];
    const listeners = new Set<(message: unknown) => void>();
    const fake: BackendProcessHandle = {
      postMessage: () => {},
      onMessage: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      onExit: () => {},
      kill: () => {},
    };
    const relay = new BackendRelay({ process: fake, services: {}, log: (m) => logs.push(m) });
    const sent: string[] = [];
    relay.open(3, { send: (m) => sent.push(m), sendOutput: () => {} });
    for (const listener of listeners) {
      listener({ type: 'send', connection: 3, message: 42 });
      listener({ type: 'send', connection: 3, message: '{"type":"event"}' });
    }
    assert.deepEqual(sent, ['{"type":"event"}']);
    assert.match(logs.join('\n'), /malformed message from the backend.*\n?.*message/s);
  });
});
