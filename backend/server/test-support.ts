/** Starts a real web-mode server on a free port for tests, with a throwaway data folder. */
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { createBackend, type Backend } from '../app.ts';
import { startWebServer, type WebServer, PROTOCOL_PATH } from './web-server.ts';
import type { ServerMessage } from '../protocol/index.ts';

export interface TestServer {
  server: WebServer;
  backend: Backend;
  cookie: string;
  origin: string;
  close(): Promise<void>;
}

/** `log` receives what the server logs (handler failures, socket errors). */
export async function startTestServer(
  options: { log?: (message: string) => void } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'troika-web-'));
  const staticRoot = join(dir, 'web');
  mkdirSync(staticRoot);
  writeFileSync(join(staticRoot, 'index.html'), '<!doctype html><title>Troika test</title>');
  const backend = await createBackend({
    config: { dataDir: join(dir, 'data'), apiKey: undefined, baseURL: undefined },
    host: 'web',
  });
  const server = await startWebServer({
    backend,
    staticRoot,
    port: 0,
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    server,
    backend,
    cookie: `troika_token_${server.port}=${server.token}`,
    origin: `http://127.0.0.1:${server.port}`,
    async close() {
      await server.close();
      await backend.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A protocol client over a real WebSocket that collects every server message. */
export class TestClient {
  readonly messages: ServerMessage[] = [];
  readonly socket: WebSocket;
  #waiters: Array<() => void> = [];

  private constructor(socket: WebSocket) {
    this.socket = socket;
    // Attached before 'open' so the welcome event, sent at once, is not missed.
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as ServerMessage);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static async connect(test: TestServer): Promise<TestClient> {
    const socket = new WebSocket(`ws://127.0.0.1:${test.server.port}${PROTOCOL_PATH}`, {
      headers: { Cookie: test.cookie, Origin: test.origin },
    });
    const client = new TestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  send(raw: string | object): void {
    this.socket.send(typeof raw === 'string' ? raw : JSON.stringify(raw));
  }

  /** Waits until a message matching `predicate` has arrived (or fails after `timeoutMs`). */
  async waitFor(
    predicate: (m: ServerMessage) => boolean,
    timeoutMs = 5000,
  ): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`Timed out waiting for a message; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async response(id: number): Promise<ServerMessage & { type: 'response' }> {
    return (await this.waitFor((m) => m.type === 'response' && m.id === id)) as ServerMessage & {
      type: 'response';
    };
  }

  close(): void {
    this.socket.terminate();
  }
}
