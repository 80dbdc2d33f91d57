/**
 * One terminal: a node-pty process, its output batcher, flow control and replay
 * buffer. It knows nothing of the UI or the protocol; the agent runtime can use
 * it directly (`onData`, `write`) in the same PTY the user watches.
 */
import { constants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import type { IPty } from '../../native/node-pty.ts';
import type { PtyKind, PtyReplayResult, PtySessionInfo, PtySignal } from '../protocol/pty.ts';
import {
  BATCH_WINDOW_MS,
  EXIT_DRAIN_POLL_MS,
  FLOW_STALL_TIMEOUT_MS,
  HIGH_WATERMARK_BYTES,
  IMMEDIATE_BYTES,
  KILL_GRACE_MS,
  LOW_WATERMARK_BYTES,
  MAX_BATCH_BYTES,
  REPLAY_ALIGN_WINDOW_BYTES,
  REPLAY_MAX_BYTES,
} from './constants.ts';
import { Emitter, type Disposable, type Listener } from './emitter.ts';
import { FlowController } from './flow-control.ts';
import { OutputBatcher } from './output-batcher.ts';
import { isRunning } from './process-alive.ts';
import { PtyError } from './pty-error.ts';
import { outputBytes, readRawOutput } from './raw-output.ts';
import { ReplayBuffer } from './replay-buffer.ts';
import { holdPtySlave } from './slave-hold.ts';

/** A chunk of output. */
export interface PtyOutput {
  /** The bytes the process wrote, as they are: for a transport that carries bytes to xterm.js. */
  bytes: Buffer;
  /**
   * The same output as text, for consumers that read it (the agent runtime,
   * scrollback). Decoded when first read, in order by one decoder per
   * session, so a character whose bytes span two chunks appears whole in the
   * later chunk's text.
   */
  readonly data: string;
  /** The stream position after this chunk: bytes emitted since spawn. */
  seq: number;
}

export interface PtyExit {
  exitCode: number;
  /** The signal's name, e.g. "SIGKILL", if a signal ended the process. */
  signal: string | null;
}

/** Tunables, defaulting to the constants; tests shrink them. Sizes are in bytes. */
export interface PtySessionLimits {
  highWatermark: number;
  lowWatermark: number;
  stallTimeoutMs: number;
  replayMaxBytes: number;
}

export const DEFAULT_SESSION_LIMITS: PtySessionLimits = {
  highWatermark: HIGH_WATERMARK_BYTES,
  lowWatermark: LOW_WATERMARK_BYTES,
  stallTimeoutMs: FLOW_STALL_TIMEOUT_MS,
  replayMaxBytes: REPLAY_MAX_BYTES,
};

export interface PtySessionOptions {
  id: string;
  name: string;
  kind: PtyKind;
  shell: string;
  cwd: string;
  pty: IPty;
  limits?: PtySessionLimits;
}

const signalNames = new Map<number, string>(
  Object.entries(constants.signals).map(([name, number]) => [number, name]),
);

export class PtySession {
  readonly id: string;
  readonly name: string;
  readonly kind: PtyKind;
  readonly shell: string;
  readonly cwd: string;
  readonly pid: number;
  readonly #pty: IPty;
  readonly #onData = new Emitter<PtyOutput>();
  readonly #onExit = new Emitter<PtyExit>();
  readonly #batcher: OutputBatcher;
  readonly #flow: FlowController;
  readonly #replay: ReplayBuffer;
  /** One for the whole stream: it holds a character's first bytes until the chunk with the rest. */
  readonly #decoder = new StringDecoder('utf8');
  /** The stream position up to which #decoder has decoded. */
  #decoded = 0;
  readonly #ptyListeners: Disposable[];
  #slave: Disposable | undefined;
  readonly #exited: Promise<PtyExit>;
  #resolveExited: (exit: PtyExit) => void = () => {};
  #drainPoll: ReturnType<typeof setInterval> | undefined;
  #seq = 0;
  #exit: PtyExit | undefined;
  #disposed = false;

  constructor(options: PtySessionOptions) {
    const limits = options.limits ?? DEFAULT_SESSION_LIMITS;
    this.id = options.id;
    this.name = options.name;
    this.kind = options.kind;
    this.shell = options.shell;
    this.cwd = options.cwd;
    this.#pty = options.pty;
    this.pid = options.pty.pid;
    this.#exited = new Promise((resolve) => (this.#resolveExited = resolve));
    this.#replay = new ReplayBuffer({
      maxBytes: limits.replayMaxBytes,
      alignWindowBytes: REPLAY_ALIGN_WINDOW_BYTES,
    });
    this.#batcher = new OutputBatcher({
      windowMs: BATCH_WINDOW_MS,
      immediateBytes: IMMEDIATE_BYTES,
      maxBytes: MAX_BATCH_BYTES,
      emit: (bytes) => this.#emit(bytes),
    });
    this.#flow = new FlowController({
      highWatermark: limits.highWatermark,
      lowWatermark: limits.lowWatermark,
      stallTimeoutMs: limits.stallTimeoutMs,
      pause: () => this.#pause(),
      resume: () => this.#resume(),
    });
    this.#slave = holdPtySlave(options.pty);
    readRawOutput(this.#pty);
    this.#ptyListeners = [
      // Buffers on Unix; ConPTY still delivers strings.
      this.#pty.onData((chunk: string | Buffer) => {
        const bytes = outputBytes(chunk);
        this.#flow.produced(bytes.length);
        this.#batcher.push(bytes);
      }),
      this.#pty.onExit(({ exitCode, signal }) => this.#handleExit(exitCode, signal)),
    ];
  }

  /** Output, batched; in order, and all of it before {@link onExit}. */
  onData(listener: Listener<PtyOutput>): Disposable {
    return this.#onData.event(listener);
  }

  /** Fires once, after the last output. */
  onExit(listener: Listener<PtyExit>): Disposable {
    return this.#onExit.event(listener);
  }

  /** Resolves when the process has exited (after its last output was emitted). */
  get exited(): Promise<PtyExit> {
    return this.#exited;
  }

  get alive(): boolean {
    return this.#exit === undefined;
  }

  /** Stream position: bytes emitted since spawn. */
  get seq(): number {
    return this.#seq;
  }

  /** Listeners still subscribed to this session (a leak check for its users). */
  get listenerCount(): number {
    return this.#onData.listenerCount + this.#onExit.listenerCount;
  }

  /** Whether flow control holds the process paused right now. */
  get paused(): boolean {
    return this.#flow.paused;
  }

  write(data: string): void {
    this.#assertAlive('write to');
    this.#pty.write(data);
  }

  resize(cols: number, rows: number): void {
    this.#assertAlive('resize');
    if (cols === this.#pty.cols && rows === this.#pty.rows) return;
    this.#pty.resize(cols, rows);
  }

  /** Sends a signal (default SIGHUP); on Windows the process is ended whatever the signal. */
  kill(signal: PtySignal = 'SIGHUP'): void {
    this.#assertAlive('signal');
    if (process.platform === 'win32') this.#pty.kill();
    else this.#pty.kill(signal);
  }

  /** A renderer parsed `bytes` more bytes of output. */
  acknowledge(bytes: number): void {
    this.#flow.acknowledged(bytes);
  }

  /**
   * For a renderer (re)attaching: recent output as text and the byte position
   * it ends at, which is short of {@link seq} while the newest output ends
   * inside a character (see {@link PtyReplayResult}). Restarts flow-control
   * accounting.
   */
  replay(): PtyReplayResult {
    // Pending output would otherwise arrive live with a seq the replay already claims to cover.
    this.#batcher.flush();
    this.#flow.watch();
    // The replay buffer has seen every byte since spawn, so its positions are the session's.
    return this.#replay.snapshot();
  }

  info(): PtySessionInfo {
    return {
      id: this.id,
      name: this.name,
      kind: this.kind,
      pid: this.pid,
      shell: this.shell,
      cwd: this.cwd,
      cols: this.#pty.cols,
      rows: this.#pty.rows,
      title: this.#title(),
      alive: this.alive,
      exitCode: this.#exit?.exitCode ?? null,
      signal: this.#exit?.signal ?? null,
    };
  }

  /**
   * Ends the process (SIGHUP, then SIGKILL after a grace period) and frees
   * every listener and timer. Resolves once the process is gone.
   */
  async dispose(): Promise<void> {
    if (this.#disposed) return this.#exited.then(() => undefined);
    this.#disposed = true;
    if (this.alive) {
      this.#flow.release();
      this.#safeKill('SIGHUP');
      const grace = setTimeout(() => this.#safeKill('SIGKILL'), KILL_GRACE_MS);
      await this.#exited;
      clearTimeout(grace);
    }
    this.#teardown();
  }

  #emit(bytes: Buffer): void {
    const start = this.#seq;
    this.#seq += bytes.length;
    this.#replay.append(bytes);
    // Chunks are decoded in order as long as someone reads each one as it is emitted (text
    // consumers listen from the start); text read late, or after skipped chunks, decodes on
    // its own, where a character split at the chunk's edges shows as U+FFFD.
    const decode = (from: number): string => {
      if (from !== this.#decoded) {
        if (from < this.#decoded) return bytes.toString('utf8');
        this.#decoder.end();
      }
      this.#decoded = from + bytes.length;
      return this.#decoder.write(bytes);
    };
    let text: string | undefined;
    this.#onData.fire({
      bytes,
      seq: this.#seq,
      // Decoded only if a listener reads it: the renderer takes the bytes.
      get data(): string {
        return (text ??= decode(start));
      },
    });
  }

  #pause(): void {
    this.#pty.pause();
    // Nothing more arrives while paused: send what is pending now, not after the window.
    this.#batcher.flush();
    this.#drainPoll = setInterval(() => {
      if (!isRunning(this.pid)) this.#flow.release();
    }, EXIT_DRAIN_POLL_MS);
  }

  #resume(): void {
    clearInterval(this.#drainPoll);
    this.#drainPoll = undefined;
    this.#pty.resume();
  }

  #handleExit(exitCode: number, signal: number | undefined): void {
    if (this.#exit) return;
    this.#batcher.flush();
    const exit: PtyExit = {
      exitCode,
      signal: signal ? (signalNames.get(signal) ?? String(signal)) : null,
    };
    this.#exit = exit;
    clearInterval(this.#drainPoll);
    this.#drainPoll = undefined;
    this.#flow.dispose();
    this.#releaseSlave();
    this.#onExit.fire(exit);
    this.#resolveExited(exit);
  }

  #releaseSlave(): void {
    this.#slave?.dispose();
    this.#slave = undefined;
  }

  #teardown(): void {
    for (const listener of this.#ptyListeners) listener.dispose();
    this.#releaseSlave();
    clearInterval(this.#drainPoll);
    this.#drainPoll = undefined;
    this.#batcher.dispose();
    this.#flow.dispose();
    this.#replay.clear();
    this.#onData.dispose();
    this.#onExit.dispose();
  }

  #assertAlive(action: string): void {
    if (this.#disposed) throw new PtyError('not_found', `Terminal session ${this.id} was closed`);
    if (this.#exit) {
      throw new PtyError(
        'conflict',
        `Cannot ${action} terminal session ${this.id}: its process exited with code ${this.#exit.exitCode}`,
      );
    }
  }

  #safeKill(signal: 'SIGHUP' | 'SIGKILL'): void {
    try {
      if (process.platform === 'win32') this.#pty.kill();
      else this.#pty.kill(signal);
    } catch {
      // Already gone.
    }
  }

  #title(): string {
    try {
      return this.alive ? this.#pty.process : this.shell;
    } catch {
      return this.shell;
    }
  }
}
