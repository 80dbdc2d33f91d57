import { effect, inject, Injectable, signal, untracked, computed } from '@angular/core';
import type { PtySessionInfo } from '../../../../backend/protocol/index.ts';
import { ProtocolClient } from '../core/protocol-client';
import { INITIAL_SIZE } from './constants';
import { PtyTerminal } from './pty-terminal';

/**
 * The backend's terminal sessions as the renderer sees them. Sessions belong
 * to the backend, not the page: on every (re)connection the list is fetched
 * again and each attached view restores by replay.
 */
@Injectable({ providedIn: 'root' })
export class TerminalSessions {
  readonly #client = inject(ProtocolClient);
  readonly #byId = new Map<string, PtyTerminal>();
  readonly #all = signal<readonly PtyTerminal[]>([]);
  /** Every session, oldest first. */
  readonly all = this.#all.asReadonly();
  /** The user's own shells (agents' terminals live in their slots). */
  readonly shells = computed(() => this.#all().filter((t) => t.info().kind === 'shell'));
  readonly #error = signal<string | undefined>(undefined);
  /** Why the last open or close failed, for the user; cleared by the next success. */
  readonly error = this.#error.asReadonly();

  constructor() {
    this.#client.onOutput((chunk) => this.#byId.get(chunk.id)?.receive(chunk));
    this.#client.on('pty.exit', ({ id, exitCode, signal: exitSignal }) =>
      this.#byId.get(id)?.update({ alive: false, exitCode, signal: exitSignal }),
    );
    this.#client.on('pty.opened', (info) => this.#add(info));
    this.#client.on('pty.closed', ({ id }) => this.#remove(id));
    effect(() => {
      if (this.#client.session() > 0) untracked(() => void this.#sync());
    });
  }

  /** The session with this id, if the backend has it. */
  get(id: string): PtyTerminal | undefined {
    return this.#byId.get(id);
  }

  /** Starts a user shell (the OS's default shell, in the home folder); on failure sets {@link error}. */
  async openShell(): Promise<PtyTerminal | undefined> {
    try {
      const { id } = await this.#client.request('pty.spawn', { ...INITIAL_SIZE });
      // The backend announced it (`pty.opened`) before answering; list again if that event was missed.
      if (!this.#byId.has(id)) await this.#sync();
      this.#error.set(undefined);
      return this.#byId.get(id);
    } catch (error) {
      this.#error.set(`Could not open a shell: ${messageOf(error)}`);
      return undefined;
    }
  }

  /** Ends the session's process and forgets it; on failure sets {@link error}. */
  async close(id: string): Promise<void> {
    try {
      await this.#client.request('pty.close', { id });
      this.#remove(id);
      this.#error.set(undefined);
    } catch (error) {
      this.#error.set(`Could not close the terminal: ${messageOf(error)}`);
    }
  }

  async #sync(): Promise<void> {
    let sessions: PtySessionInfo[];
    try {
      ({ sessions } = await this.#client.request('pty.list', {}));
    } catch {
      return; // Disconnected again; the next connection syncs.
    }
    const listed = new Set(sessions.map((s) => s.id));
    for (const id of [...this.#byId.keys()]) if (!listed.has(id)) this.#remove(id);
    for (const info of sessions) {
      const known = this.#byId.get(info.id);
      if (!known) this.#add(info);
      else {
        known.update(info);
        void known.restore();
      }
    }
  }

  #add(info: PtySessionInfo): void {
    if (this.#byId.has(info.id)) return;
    const terminal = new PtyTerminal(info, this.#client);
    this.#byId.set(info.id, terminal);
    this.#all.update((list) => [...list, terminal]);
  }

  #remove(id: string): void {
    if (!this.#byId.delete(id)) return;
    this.#all.update((list) => list.filter((t) => t.id !== id));
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
