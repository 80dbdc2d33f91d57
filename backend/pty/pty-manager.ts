/**
 * `pty/` owns terminal sessions: spawning, flow control, output batching,
 * replay, and their protocol handlers.
 *
 * Owns every terminal session: spawns them (node-pty loaded through
 * `native/`), finds, lists and closes them, and frees them all on dispose.
 * Knows nothing of the UI or the protocol.
 */
import { randomUUID } from 'node:crypto';
import type * as NodePty from 'node-pty';
import { loadNodePty } from '../../native/node-pty.ts';
import { defaultShell, type ShellSpec } from '../../native/shell.ts';
import type { PtyKind } from '../protocol/pty.ts';
import { MAX_SESSIONS } from './constants.ts';
import { Emitter, type Disposable, type Listener } from './emitter.ts';
import { PtyError } from './pty-error.ts';
import { PtySession, type PtySessionLimits } from './pty-session.ts';
import { resolveSpawn, type SpawnRequest } from './spawn-options.ts';

export interface PtySpawnOptions extends SpawnRequest {
  /** Display name; defaults to "Shell n" or "Agent n". */
  name?: string | undefined;
  /** Defaults to "shell". */
  kind?: PtyKind | undefined;
}

export interface PtyManagerOptions {
  maxSessions?: number;
  /** Environment the sessions inherit (before their own overlay). */
  env?: NodeJS.ProcessEnv;
  defaultShell?: () => ShellSpec;
  loadPty?: () => typeof NodePty;
  limits?: PtySessionLimits;
}

export class PtyManager {
  readonly #sessions = new Map<string, PtySession>();
  readonly #options: PtyManagerOptions;
  readonly #onDidOpen = new Emitter<PtySession>();
  readonly #onDidClose = new Emitter<string>();
  readonly #counters: Record<PtyKind, number> = { shell: 0, agent: 0 };
  #disposed = false;

  constructor(options: PtyManagerOptions = {}) {
    this.#options = options;
  }

  /** A session was spawned. */
  onDidOpen(listener: Listener<PtySession>): Disposable {
    return this.#onDidOpen.event(listener);
  }

  /** A session was closed and forgotten (its id). */
  onDidClose(listener: Listener<string>): Disposable {
    return this.#onDidClose.event(listener);
  }

  /**
   * Starts a process in a new PTY.
   * @throws {PtyError} `invalid_params` for a bad size, shell or cwd; `limit_reached` when too many are open; `failed` when node-pty fails.
   */
  spawn(options: PtySpawnOptions): PtySession {
    if (this.#disposed) throw new PtyError('failed', 'The terminal manager is shut down');
    const max = this.#options.maxSessions ?? MAX_SESSIONS;
    if (this.#sessions.size >= max)
      throw new PtyError('limit_reached', `At most ${max} terminals can be open at once`);
    const resolved = resolveSpawn(
      options,
      this.#options.defaultShell ?? (() => defaultShell()),
      this.#options.env ?? process.env,
    );
    const kind = options.kind ?? 'shell';
    let pty: NodePty.IPty;
    try {
      const nodePty = (this.#options.loadPty ?? loadNodePty)();
      const fork: NodePty.IWindowsPtyForkOptions = {
        name: resolved.env['TERM'] ?? 'xterm-256color',
        cols: resolved.cols,
        rows: resolved.rows,
        cwd: resolved.cwd,
        env: resolved.env,
        useConpty: true,
      };
      pty = nodePty.spawn(resolved.file, resolved.args, fork);
    } catch (error) {
      throw new PtyError(
        'failed',
        `Could not start "${resolved.file}": ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const session = new PtySession({
      id: randomUUID(),
      name: options.name ?? `${kind === 'shell' ? 'Shell' : 'Agent'} ${++this.#counters[kind]}`,
      kind,
      shell: resolved.file,
      cwd: resolved.cwd,
      pty,
      ...(this.#options.limits ? { limits: this.#options.limits } : {}),
    });
    this.#sessions.set(session.id, session);
    this.#onDidOpen.fire(session);
    return session;
  }

  get(id: string): PtySession | undefined {
    return this.#sessions.get(id);
  }

  /** Like {@link get}, but an unknown id is a `not_found` error. */
  require(id: string): PtySession {
    const session = this.#sessions.get(id);
    if (!session) throw new PtyError('not_found', `No terminal session with id "${id}"`);
    return session;
  }

  /** Open sessions, oldest first (exited ones stay until closed). */
  list(): PtySession[] {
    return [...this.#sessions.values()];
  }

  /** Ends the session's process if needed and forgets it. */
  async close(id: string): Promise<void> {
    const session = this.require(id);
    this.#sessions.delete(id);
    await session.dispose();
    this.#onDidClose.fire(id);
  }

  /** Closes every session; resolves when all their processes are gone. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(sessions.map((session) => session.dispose()));
    this.#onDidOpen.dispose();
    this.#onDidClose.dispose();
  }
}
