/**
 * The main process's side of the backend process: relays each renderer's
 * protocol messages to it and its answers, events and terminal output back,
 * and answers what the backend asks of the main process (keychain, folder
 * picker, notifications). It never runs backend work itself, so a stalled
 * backend cannot freeze windows, menus or the quit flow: every question the
 * main process asks has a time limit.
 *
 * Electron-free: electron/ipc-transport.ts binds it to WebContents, tests bind
 * it to plain sinks and a Node child process.
 */
import { z } from 'zod';
import type { PtyOutputFrame } from '../protocol/frames.ts';
import {
  backendRequests,
  mainRequests,
  ToMain,
  type BackendRequests,
  type MainRequests,
} from './channel.ts';
import { Endpoint, HostRequestTimeout, messageOf } from './endpoint.ts';
import type { AgentNotification } from './notifications.ts';
import type { BackendProcessHandle } from './port.ts';

/** Opening the database and running migrations takes well under this; longer means the backend is stuck. */
export const START_TIMEOUT_MS = 30_000;
/** How long quitting waits to learn whether agents are at work before asking the user anyway. */
export const QUIT_QUESTION_TIMEOUT_MS = 2_000;
/** Agents stopping, PTYs ending and the database closing; after this the process is ended regardless. */
export const SHUTDOWN_TIMEOUT_MS = 15_000;

/** Where one renderer's downlink goes. */
export interface RendererSink {
  /** A server message's JSON text. */
  send(message: string): void;
  /** Terminal output as bytes. */
  sendOutput(frame: PtyOutputFrame): void;
}

/** What the main process offers the backend; each one left out is refused when asked. */
export interface KeychainService {
  set(key: string): void | Promise<void>;
  clear(): void | Promise<void>;
}

export interface MainServices {
  pickFolder?(title: string | undefined): Promise<string | undefined>;
  /** The OS keychain (electron/api-key-store.ts). */
  keychain?: KeychainService;
  /** The OpenAI-compatible provider's key, in its own keychain entry. */
  openaiKeychain?: KeychainService;
  notify?(note: AgentNotification): void;
}

export interface RelayOptions {
  process: BackendProcessHandle;
  services: MainServices;
  log: (message: string) => void;
}

/** The relay's own view, answered without the backend. */
export interface RelayStatus {
  backend: 'running' | 'exited';
  connections: number;
}

export class BackendRelay {
  readonly #process: BackendProcessHandle;
  readonly #log: (message: string) => void;
  readonly #sinks = new Map<number, RendererSink>();
  readonly #endpoint: Endpoint<BackendRequests, MainRequests>;
  readonly #exitListeners = new Set<(code: number | null) => void>();
  readonly #exited: Promise<number | null>;
  readonly #services: MainServices;
  #running = true;
  #stopping = false;

  constructor(options: RelayOptions) {
    this.#process = options.process;
    this.#log = options.log;
    this.#services = options.services;
    const services = (): MainServices => options.services;
    this.#endpoint = new Endpoint(options.process, backendRequests, mainRequests, {
      async pickFolder({ title }) {
        const pick = services().pickFolder;
        if (!pick) throw new Error('This host has no folder picker');
        return { path: (await pick(title)) ?? null };
      },
      async 'apiKey.set'({ key, provider }) {
        await requireKeychain(services(), provider).set(key);
        return {};
      },
      async 'apiKey.clear'({ provider }) {
        await requireKeychain(services(), provider).clear();
        return {};
      },
    });
    options.process.onMessage((raw) => this.#receive(raw));
    this.#exited = new Promise((resolve) => {
      options.process.onExit((code) => {
        this.#running = false;
        this.#endpoint.close(`The backend process has exited (code ${code ?? 'none'})`);
        if (!this.#stopping) {
          this.#log(`the backend process exited unexpectedly (code ${code ?? 'none'})`);
          for (const listener of this.#exitListeners) listener(code);
        }
        resolve(code);
      });
    });
  }

  /** Starts the backend in its process; resolves once it serves. */
  async start(
    config: { dataDir: string; apiKey: string | undefined; openaiApiKey?: string | undefined },
    timeoutMs = START_TIMEOUT_MS,
  ): Promise<void> {
    await this.#endpoint.request(
      'start',
      {
        dataDir: config.dataDir,
        apiKey: config.apiKey ?? null,
        openaiApiKey: config.openaiApiKey ?? null,
        keychain: this.#services.keychain !== undefined,
        folderPicker: this.#services.pickFolder !== undefined,
      },
      timeoutMs,
    );
  }

  /** A renderer (re)connected: it gets a fresh protocol connection, starting with `system.welcome`. */
  open(connection: number, sink: RendererSink): void {
    if (this.#sinks.has(connection)) this.close(connection);
    this.#sinks.set(connection, sink);
    this.#process.postMessage({ type: 'connect', connection });
  }

  /** One protocol message from a renderer, passed on as it came: the backend validates it. */
  receive(connection: number, message: string): void {
    if (!this.#sinks.has(connection)) return;
    this.#process.postMessage({ type: 'receive', connection, message });
  }

  close(connection: number): void {
    if (!this.#sinks.delete(connection)) return;
    this.#process.postMessage({ type: 'disconnect', connection });
  }

  /** Work not landed (see Backend.unlandedWork); none when the backend is gone or does not answer in time. */
  async unlandedWork(timeoutMs = QUIT_QUESTION_TIMEOUT_MS): Promise<string[]> {
    if (!this.#running) return [];
    try {
      return (await this.#endpoint.request('unlandedWork', {}, timeoutMs)).lines;
    } catch (error) {
      this.#log(`could not learn what work has not landed: ${messageOf(error)}`);
      return [];
    }
  }

  /** Agents at work, or undefined when the backend does not answer in time (stalled). */
  async busyAgents(timeoutMs = QUIT_QUESTION_TIMEOUT_MS): Promise<number | undefined> {
    // A backend process that is gone has no agent at work.
    if (!this.#running) return 0;
    try {
      return (await this.#endpoint.request('busyAgents', {}, timeoutMs)).count;
    } catch (error) {
      this.#log(`could not learn whether agents are at work: ${messageOf(error)}`);
      return undefined;
    }
  }

  /**
   * Asks the backend to stop agents, end PTYs and close the database, then
   * ends its process; one that does not finish in time is ended regardless.
   */
  async shutdown(timeoutMs = SHUTDOWN_TIMEOUT_MS): Promise<void> {
    this.#stopping = true;
    this.#sinks.clear();
    if (this.#running) {
      try {
        await this.#endpoint.request('shutdown', {}, timeoutMs);
      } catch (error) {
        if (error instanceof HostRequestTimeout)
          this.#log('the backend did not shut down in time; ending its process');
        else if (this.#running) this.#log(`backend shutdown failed: ${messageOf(error)}`);
      }
      this.#process.kill();
    }
    await this.#exited;
  }

  /** See the `test.block` host request. */
  async blockBackendForTest(ms: number): Promise<void> {
    await this.#endpoint.request('test.block', { ms });
  }

  /** The relay's own health, answered on the main process's event loop alone. */
  ping(): Promise<RelayStatus> {
    return new Promise((resolve) =>
      setImmediate(() =>
        resolve({
          backend: this.#running ? 'running' : 'exited',
          connections: this.#sinks.size,
        }),
      ),
    );
  }

  /** Called when the backend process ends without being asked to. */
  onUnexpectedExit(listener: (code: number | null) => void): () => void {
    this.#exitListeners.add(listener);
    return () => this.#exitListeners.delete(listener);
  }

  #receive(raw: unknown): void {
    const parsed = ToMain.safeParse(raw);
    if (!parsed.success) {
      this.#log(`dropped a malformed message from the backend: ${z.prettifyError(parsed.error)}`);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'send':
        return this.#sinks.get(message.connection)?.send(message.message);
      case 'output':
        return this.#sinks.get(message.connection)?.sendOutput(message.frame);
      case 'notify':
        return this.#services.notify?.({
          title: message.title,
          body: message.body,
          urgent: message.urgent,
        });
      case 'request':
        return void this.#endpoint.handleRequest(message);
      case 'reply':
        return this.#endpoint.handleReply(message);
    }
  }
}

function requireKeychain(
  services: MainServices,
  provider: 'anthropic' | 'openai' = 'anthropic',
): KeychainService {
  const keychain = provider === 'openai' ? services.openaiKeychain : services.keychain;
  if (!keychain) throw new Error('This host has no keychain');
  return keychain;
}
