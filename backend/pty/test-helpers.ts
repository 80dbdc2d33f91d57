/** Helpers shared by the terminal tests. */
import type { PtyManager, PtySpawnOptions } from './pty-manager.ts';
import type { PtyExit, PtyOutput, PtySession } from './pty-session.ts';

/** A quiet, predictable interactive shell: no rc files, a fixed prompt. */
export const TEST_SHELL: PtySpawnOptions = {
  cols: 80,
  rows: 24,
  shell: '/bin/bash',
  args: ['--norc', '--noprofile', '-i'],
  env: { PS1: 'PROMPT$ ', HISTFILE: '/dev/null' },
};

/** Runs `script` under sh, non-interactively. */
export function shScript(script: string): PtySpawnOptions {
  return { cols: 80, rows: 24, shell: '/bin/sh', args: ['-c', script] };
}

/** Everything a session emits, and when it exited. */
export class Recorder {
  text = '';
  /** Total chunks seen, to check batching and ordering. */
  chunks = 0;
  /** Each chunk's bytes and its `seq`, in order (kept only with `keepChunks`: a flood would pile up). */
  readonly outputs: Array<Pick<PtyOutput, 'bytes' | 'seq'>> = [];
  /** Bytes seen in total. */
  byteCount = 0;
  /** Chunks whose `seq` was not the previous one plus their length; 0 when positions count the bytes. */
  seqMismatches = 0;
  exit: PtyExit | undefined;
  /** Output length when the exit arrived: all output must precede it. */
  textAtExit = -1;
  readonly #session: PtySession;
  readonly #listeners;
  #waiters: Array<() => void> = [];

  constructor(session: PtySession, options: { keepChunks?: boolean } = {}) {
    this.#session = session;
    this.#listeners = [
      session.onData(({ bytes, data, seq }) => {
        this.text += data;
        this.chunks++;
        this.byteCount += bytes.length;
        if (seq !== this.byteCount) this.seqMismatches++;
        if (options.keepChunks) this.outputs.push({ bytes, seq });
        this.#wake();
      }),
      session.onExit((exit) => {
        this.exit = exit;
        this.textAtExit = this.text.length;
        this.#wake();
      }),
    ];
  }

  /** Resolves once `predicate` holds; rejects with what was seen after `timeoutMs`. */
  async until(predicate: (r: Recorder) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `Timed out; session ${this.#session.id} printed ${JSON.stringify(this.text.slice(-500))}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  untilText(pattern: string | RegExp, timeoutMs?: number): Promise<void> {
    return this.until(
      (r) => (typeof pattern === 'string' ? r.text.includes(pattern) : pattern.test(r.text)),
      timeoutMs,
    );
  }

  /** All bytes seen, in order (needs `keepChunks`). */
  bytes(): Buffer {
    return Buffer.concat(this.outputs.map((output) => output.bytes));
  }

  untilExit(timeoutMs?: number): Promise<void> {
    return this.until((r) => r.exit !== undefined, timeoutMs);
  }

  dispose(): void {
    for (const listener of this.#listeners) listener.dispose();
    for (const wake of this.#waiters.splice(0)) wake();
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

/** Spawns and records; the caller disposes the manager. */
export function spawnRecorded(
  manager: PtyManager,
  options: PtySpawnOptions,
  recorder: { keepChunks?: boolean } = {},
): { session: PtySession; out: Recorder } {
  const session = manager.spawn(options);
  return { session, out: new Recorder(session, recorder) };
}

/** Handles the event loop holds (timers, sockets, TTYs), by type, for leak checks. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}
