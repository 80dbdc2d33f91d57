/**
 * Flow control by acknowledged bytes (as VS Code's terminal does with
 * characters): output read from the process counts as unacknowledged until
 * the renderer says xterm.js has parsed it. Above the high watermark the
 * process is paused, and it resumes below the low one, so a renderer that
 * falls behind slows the process instead of letting output pile up in the
 * backend.
 *
 * Accounting starts when a renderer watches (attaches, or acknowledges) and
 * stops when a paused session hears nothing for the stall timeout: a session
 * nobody watches, such as an agent's terminal with no window open, runs free.
 */
import type { Disposable } from './emitter.ts';

export interface FlowControlOptions {
  /** Unacknowledged bytes above which the process is paused. */
  highWatermark: number;
  /** Unacknowledged bytes below which a paused process resumes. */
  lowWatermark: number;
  stallTimeoutMs: number;
  pause: () => void;
  resume: () => void;
}

export class FlowController implements Disposable {
  readonly #options: FlowControlOptions;
  #watched = false;
  #unacked = 0;
  #paused = false;
  #stallTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: FlowControlOptions) {
    this.#options = options;
  }

  get paused(): boolean {
    return this.#paused;
  }

  get unacknowledged(): number {
    return this.#unacked;
  }

  /** `bytes` bytes of output were read from the process. */
  produced(bytes: number): void {
    if (!this.#watched) return;
    this.#unacked += bytes;
    if (!this.#paused && this.#unacked > this.#options.highWatermark) {
      this.#paused = true;
      this.#options.pause();
      this.#armStallTimer();
    }
  }

  /** A renderer parsed `bytes` bytes. Acks from any renderer count; the count never goes below zero. */
  acknowledged(bytes: number): void {
    this.#watched = true;
    this.#unacked = Math.max(0, this.#unacked - bytes);
    if (!this.#paused) return;
    if (this.#unacked < this.#options.lowWatermark) this.#resume();
    else this.#armStallTimer();
  }

  /** A renderer (re)attached and replays from now: earlier in-flight output will never be acknowledged. */
  watch(): void {
    this.#watched = true;
    this.#unacked = 0;
    if (this.#paused) this.#resume();
  }

  /** Resumes for good, e.g. to drain output after the process exited. */
  release(): void {
    this.#watched = false;
    this.#unacked = 0;
    if (this.#paused) this.#resume();
  }

  dispose(): void {
    clearTimeout(this.#stallTimer);
    this.#stallTimer = undefined;
  }

  #resume(): void {
    this.#paused = false;
    clearTimeout(this.#stallTimer);
    this.#stallTimer = undefined;
    this.#options.resume();
  }

  #armStallTimer(): void {
    clearTimeout(this.#stallTimer);
    this.#stallTimer = setTimeout(() => {
      this.#stallTimer = undefined;
      this.release();
    }, this.#options.stallTimeoutMs);
  }
}
