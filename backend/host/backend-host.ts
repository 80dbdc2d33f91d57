/**
 * The backend process of the desktop app: runs the whole backend (terminals,
 * agents, cache, persistence) and speaks to the main process over one port.
 * Renderer connections arrive relayed (see relay.ts); each gets its own
 * protocol {@link Connection}, exactly as in web mode. What only the main
 * process can do (keychain, folder picker, notifications) is asked of it over
 * the host channel (channel.ts).
 *
 * Electron-free: the same code runs in an Electron utility process and in a
 * plain Node child process (tests).
 */
import { z } from 'zod';
import { createBackend, type Backend } from '../app.ts';
import { readBackendConfig } from '../config.ts';
import type { PtyOutputFrame } from '../protocol/frames.ts';
import { Connection } from '../server/connection.ts';
import type { ApiKeyWriter } from '../settings/settings-store.ts';
import {
  backendRequests,
  mainRequests,
  ToBackend,
  type BackendRequests,
  type MainRequests,
} from './channel.ts';
import { Endpoint } from './endpoint.ts';
import { notificationFor, planNotificationFor } from './notifications.ts';
import type { MessagePortLike } from './port.ts';

export interface BackendHostOptions {
  port: MessagePortLike;
  /** Where `ANTHROPIC_BASE_URL`, budgets and `TROIKA_TEST_HOOKS` are read. */
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
}

export interface BackendHost {
  /** Ends every connection and disposes the backend (idempotent). */
  shutdown(): Promise<void>;
}

export function startBackendHost(options: BackendHostOptions): BackendHost {
  const { port, env = process.env } = options;
  const log = options.log ?? ((message: string) => console.error(`[troika backend] ${message}`));
  const connections = new Map<number, Connection>();
  /** Relayed messages that arrived while the backend was starting, replayed in order once it is up. */
  let waiting: Array<(backend: Backend) => void> | undefined = [];
  let backend: Backend | undefined;
  let started = false;
  let shutdown: Promise<void> | undefined;
  let stopNotifications = (): void => {};

  const whenReady = (action: (backend: Backend) => void): void => {
    if (backend) action(backend);
    else waiting?.push(action);
  };

  const endpoint: Endpoint<MainRequests, BackendRequests> = new Endpoint(
    port,
    mainRequests,
    backendRequests,
    {
      async start(params) {
        if (started) throw new Error('The backend is already started');
        started = true;
        const running = await createBackend({
          config: {
            ...readBackendConfig(env),
            dataDir: params.dataDir,
            apiKey: params.apiKey ?? undefined,
            // The keychain's key, else the environment's (readBackendConfig above).
            ...(params.openaiApiKey ? { openaiApiKey: params.openaiApiKey } : {}),
          },
          host: 'electron',
          apiKeyWriter: params.keychain ? keychainProxy(endpoint, params.apiKey) : undefined,
          openaiKeyWriter: params.keychain
            ? keychainProxy(endpoint, params.openaiApiKey ?? null, 'openai')
            : undefined,
          hostServices: params.folderPicker
            ? {
                async pickFolder(title) {
                  const { path } = await endpoint.request(
                    'pickFolder',
                    title === undefined ? {} : { title },
                  );
                  return path ?? undefined;
                },
              }
            : {},
        });
        stopNotifications = running.events.subscribe((event, data) => {
          if (event === 'plans.escalated') {
            const plan = data as Parameters<typeof planNotificationFor>[0];
            port.postMessage({ type: 'notify', ...planNotificationFor(plan) });
          }
          if (event !== 'agent.state') return;
          const note = notificationFor(data as Parameters<typeof notificationFor>[0]);
          if (note) port.postMessage({ type: 'notify', ...note });
        });
        backend = running;
        const queued = waiting ?? [];
        waiting = undefined;
        for (const action of queued) action(running);
        return {};
      },
      busyAgents: () => ({ count: backend?.busyAgents() ?? 0 }),
      unlandedWork: async () => ({ lines: (await backend?.unlandedWork()) ?? [] }),
      async shutdown() {
        await host.shutdown();
        return {};
      },
      'test.block'({ ms }) {
        if (env['TROIKA_TEST_HOOKS'] !== '1')
          throw new Error(
            '"test.block" is a test hook: the backend runs without TROIKA_TEST_HOOKS=1',
          );
        // After the reply is on its way, as a stalled PTY read or a runaway regex would.
        setImmediate(() => busyWait(ms));
        return {};
      },
    },
  );

  const open = (id: number, running: Backend): void => {
    connections.get(id)?.close();
    connections.set(
      id,
      new Connection({
        router: running.router,
        events: running.events,
        send: (message) => port.postMessage({ type: 'send', connection: id, message }),
        sendOutput: (frame) =>
          port.postMessage({ type: 'output', connection: id, frame: compact(frame) }),
        log,
      }),
    );
  };

  port.onMessage((raw) => {
    const parsed = ToBackend.safeParse(raw);
    if (!parsed.success) {
      log(`dropped a malformed host message: ${z.prettifyError(parsed.error)}`);
      return;
    }
    const message = parsed.data;
    if (shutdown && message.type !== 'reply' && message.type !== 'request') return;
    switch (message.type) {
      case 'connect':
        return whenReady((running) => open(message.connection, running));
      case 'receive':
        return whenReady(() => {
          const connection = connections.get(message.connection);
          if (connection) void connection.receive(message.message);
          else log(`dropped a message for connection ${message.connection}, which is not open`);
        });
      case 'disconnect':
        return whenReady(() => {
          connections.get(message.connection)?.close();
          connections.delete(message.connection);
        });
      case 'request':
        return void endpoint.handleRequest(message);
      case 'reply':
        return endpoint.handleReply(message);
    }
  });

  const host: BackendHost = {
    shutdown() {
      shutdown ??= (async () => {
        for (const connection of connections.values()) connection.close();
        connections.clear();
        waiting = undefined;
        stopNotifications();
        await backend?.dispose();
        // The port stays open: the main process still awaits the answer to its `shutdown`.
      })();
      return shutdown;
    },
  };
  return host;
}

/**
 * The keychain lives in the main process (Electron's safeStorage is there
 * only): storing goes over the channel, and the key last stored is kept
 * here for the settings view's "configured" flag.
 */
function keychainProxy(
  endpoint: Endpoint<MainRequests, BackendRequests>,
  initial: string | null,
  provider: 'anthropic' | 'openai' = 'anthropic',
): ApiKeyWriter {
  let key = initial ?? undefined;
  return {
    get: () => key,
    async set(next) {
      await endpoint.request('apiKey.set', { key: next, provider });
      key = next;
    },
    async clear() {
      await endpoint.request('apiKey.clear', { provider });
      key = undefined;
    },
  };
}

/**
 * A structured clone copies a view's whole underlying buffer; output is
 * often a small view into a larger one (Node's pooled Buffers), so send just
 * its bytes.
 */
function compact(frame: PtyOutputFrame): PtyOutputFrame {
  const { bytes } = frame;
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return frame;
  return { id: frame.id, seq: frame.seq, bytes: new Uint8Array(bytes) };
}

function busyWait(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Deliberately blocking: the test hook's whole point.
  }
}
