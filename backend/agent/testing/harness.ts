/**
 * `agent/testing/` owns test support for the agent runtime.
 *
 * An agent runtime for integration tests: the real SDK against the local
 * Messages API server, real PTYs from the app's PTY manager, a real database
 * in a temp folder. Everything it starts, `dispose()` ends.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../../native/sqlite.ts';
import { databasePath, openTroikaDatabase } from '../../persistence/database.ts';
import { createAgentStore, type AgentStore } from '../../persistence/store.ts';
import type { AgentEvents, AgentState, AgentSummary } from '../../protocol/agent.ts';
import { PtyManager } from '../../pty/pty-manager.ts';
import {
  startMessagesServer,
  type MessagesServer,
  type MessagesServerOptions,
} from '../../testing/messages-server/index.ts';
import { AgentManager, type AgentManagerOptions } from '../agent-manager.ts';
import { createAgentHooks, type AgentHooks, type AgentHooksOptions } from '../agent-hooks.ts';
import { createAnthropicClient, type ProviderOptions } from '../../provider/client.ts';
import { createModelRouter } from '../../provider/providers.ts';
import { effectiveAliasTable } from '../../provider/routing.ts';
import type { AliasTable } from '../../protocol/routing.ts';
import type { OpenAIServer } from '../../testing/openai-server/index.ts';
import { ptyAgentTerminalHost } from '../pty-host.ts';

export type RecordedEvent = {
  [E in keyof AgentEvents]: { event: E; data: AgentEvents[E] };
}[keyof AgentEvents];

/** Generous for a loaded CI machine; a test that waits this long has failed anyway. */
const WAIT_TIMEOUT_MS = 20_000;

export interface HarnessOptions {
  server?: MessagesServerOptions;
  provider?: Partial<ProviderOptions>;
  manager?: Partial<
    Omit<AgentManagerOptions, 'store' | 'createClient' | 'terminals' | 'dataDir' | 'publish'>
  >;
  /** Reuse a data folder (a second manager after a simulated crash). */
  dataDir?: string;
  /** Reuse a server (keeps its script and recorded requests). */
  sharedServer?: MessagesServer;
  /**
   * Troika's hook pipeline, as the app wires it (policy inside it), over the
   * harness's data folder. Default: no hooks, the runtime's own policy only.
   */
  hooks?: Partial<Omit<AgentHooksOptions, 'dataDir' | 'report'>>;
  /**
   * Routes through a model router, as the app does: the Messages server as
   * Anthropic, this server as the OpenAI-compatible provider, and `aliases`
   * over the built-in chains.
   */
  routing?: { openai: OpenAIServer; aliases?: Partial<AliasTable> };
  /** Hears every event the manager publishes, after it is recorded (a plan layer's event bus). */
  onPublish?: AgentManagerOptions['publish'];
}

export class Harness {
  readonly server: MessagesServer;
  readonly manager: AgentManager;
  readonly store: AgentStore;
  readonly db: Database;
  readonly ptys: PtyManager;
  readonly dataDir: string;
  /** A scratch folder for workspaces. */
  readonly root: string;
  readonly events: RecordedEvent[] = [];
  /** Troika's hooks, when the harness was started with `hooks`. */
  readonly hooks: AgentHooks | undefined;
  readonly #ownsServer: boolean;
  readonly #ownsDir: boolean;
  #waiters: Array<() => void> = [];

  private constructor(server: MessagesServer, ownsServer: boolean, options: HarnessOptions) {
    this.server = server;
    this.#ownsServer = ownsServer;
    this.#ownsDir = options.dataDir === undefined;
    this.dataDir = options.dataDir ?? realpathSync(mkdtempSync(join(tmpdir(), 'troika-agent-')));
    this.root = join(this.dataDir, 'scratch');
    mkdirSync(this.root, { recursive: true });
    this.db = openTroikaDatabase(databasePath(this.dataDir));
    this.store = createAgentStore(this.db);
    this.ptys = new PtyManager();
    this.hooks =
      options.hooks &&
      createAgentHooks({
        apiKey: undefined,
        watch: 'none',
        env: {},
        ...options.hooks,
        dataDir: this.dataDir,
        report: (agentId, report) => this.manager.hookReport(agentId, report),
      });
    this.manager = new AgentManager({
      store: this.store,
      createClient: (onRetry) =>
        options.routing
          ? createModelRouter(
              {
                anthropic: { apiKey: server.apiKey, baseURL: server.url },
                openai: {
                  apiKey: options.routing.openai.apiKey,
                  baseURL: options.routing.openai.url,
                },
                aliases: () => effectiveAliasTable(options.routing?.aliases ?? null, undefined),
                client: {
                  maxRetries: 2,
                  requestTimeoutMs: 5_000,
                  streamIdleMs: 5_000,
                  ...options.provider,
                },
              },
              onRetry,
            )
          : createAnthropicClient({
              apiKey: server.apiKey,
              baseURL: server.url,
              maxRetries: 2,
              requestTimeoutMs: 5_000,
              streamIdleMs: 5_000,
              onRetry,
              ...options.provider,
            }),
      terminals: ptyAgentTerminalHost(this.ptys),
      dataDir: this.dataDir,
      publish: (event, data) => {
        this.events.push({ event, data } as RecordedEvent);
        for (const wake of this.#waiters.splice(0)) wake();
        options.onPublish?.(event, data);
      },
      limits: { retryBaseDelayMs: 10, commandTimeoutMs: 15_000 },
      shell: { sourceUserRc: false, shell: '/bin/bash' },
      ...(this.hooks && { hooks: this.hooks.runner }),
      ...options.manager,
    });
  }

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const server = options.sharedServer ?? (await startMessagesServer(options.server));
    return new Harness(server, options.sharedServer === undefined, options);
  }

  /** A fresh empty folder to use as a workspace. */
  folder(name: string): string {
    const dir = join(this.root, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Waits for an event matching `predicate` (already recorded ones count). */
  async waitFor<T extends RecordedEvent>(
    predicate: (e: RecordedEvent) => e is T,
    timeoutMs?: number,
  ): Promise<T>;
  async waitFor(
    predicate: (e: RecordedEvent) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedEvent>;
  async waitFor(
    predicate: (e: RecordedEvent) => boolean,
    timeoutMs = WAIT_TIMEOUT_MS,
  ): Promise<RecordedEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `Timed out waiting for an agent event; got:\n${this.events
            .filter((e) => !(e.event === 'agent.transcript' && e.data.entry.kind === 'text_delta'))
            .map((e) => `${e.event} ${JSON.stringify(e.data).slice(0, 300)}`)
            .join('\n')}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until the agent reaches `state`; returns its summary then. */
  async waitForState(agentId: string, state: AgentState): Promise<AgentSummary> {
    const event = await this.waitFor(
      (e): e is Extract<RecordedEvent, { event: 'agent.state' }> =>
        e.event === 'agent.state' && e.data.agentId === agentId && e.data.state === state,
    );
    return event.data.agent;
  }

  /** Waits until the server has received `count` message requests. */
  async waitForRequests(count: number): Promise<void> {
    const deadline = Date.now() + WAIT_TIMEOUT_MS;
    while (this.server.messageRequests.length < count) {
      if (Date.now() > deadline)
        throw new Error(
          `Timed out waiting for request ${count}; got ${this.server.messageRequests.length}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** The JSON body of message request `index`. */
  body(index: number): {
    messages: Array<{ role: string; content: Array<Record<string, unknown>> }>;
    [key: string]: unknown;
  } {
    const request = this.server.messageRequests[index];
    if (!request) throw new Error(`No message request ${index}`);
    return request.body as ReturnType<Harness['body']>;
  }

  /** The tool_result blocks of the last user turn of request `index`. */
  toolResults(index: number): Array<{ tool_use_id: string; content: unknown; is_error?: boolean }> {
    const last = this.body(index).messages.at(-1);
    return (last?.content ?? []).filter((b) => b['type'] === 'tool_result') as ReturnType<
      Harness['toolResults']
    >;
  }

  /** Recorded events named `event` (for one agent when given). */
  eventsOf<E extends keyof AgentEvents>(event: E, agentId?: string): Array<AgentEvents[E]> {
    const found: Array<AgentEvents[E]> = [];
    for (const e of this.events) {
      if (e.event === event && (agentId === undefined || e.data.agentId === agentId))
        found.push(e.data as AgentEvents[E]);
    }
    return found;
  }

  stateEvents(agentId: string): AgentState[] {
    return this.events.flatMap((e) =>
      e.event === 'agent.state' && e.data.agentId === agentId ? [e.data.state] : [],
    );
  }

  async dispose(): Promise<void> {
    await this.manager.dispose();
    await this.hooks?.dispose();
    await this.ptys.dispose();
    this.store.events.flush();
    this.db.close();
    if (this.#ownsServer) await this.server.close();
    if (this.#ownsDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Text of a tool result block's content (a string or text blocks). */
export function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((b: { text?: string }) => b.text ?? '').join('');
  return '';
}
