/**
 * Coalesces PTY output into fewer, larger chunks without delaying small,
 * interactive output. Within a window, output is sent at once while the
 * window's total stays small (keystroke echoes, prompts); once a window has
 * carried more than that, further output waits for the window to close and
 * goes out as one chunk, and so does everything while output keeps flowing.
 * A flood thus becomes one message per window instead of one per read.
 *
 * It works on raw bytes: a batch may end inside a multi-byte character, which
 * its consumer decodes with a decoder that carries such a tail over.
 */
import type { Disposable } from './emitter.ts';

export interface OutputBatcherOptions {
  windowMs: number;
  /** Output sent at once within one window, up to this many bytes in total. */
  immediateBytes: number;
  /** A pending batch of this many bytes is sent without waiting for the window. */
  maxBytes: number;
  emit: (bytes: Buffer) => void;
}

export class OutputBatcher implements Disposable {
  readonly #options: OutputBatcherOptions;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Bytes sent in the current window; undefined when no window is open (quiet). */
  #windowBytes: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

  constructor(options: OutputBatcherOptions) {
    this.#options = options;
  }

  push(bytes: Buffer): void {
    if (this.#disposed || bytes.length === 0) return;
    if (this.#windowBytes === undefined) this.#openWindow(0);
    if (this.#pendingBytes === 0 && (this.#windowBytes ?? 0) < this.#options.immediateBytes) {
      this.#windowBytes = (this.#windowBytes ?? 0) + bytes.length;
      this.#options.emit(bytes);
      return;
    }
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
    if (this.#pendingBytes >= this.#options.maxBytes) this.flush();
  }

  /** Sends whatever is pending now (before an exit, or when no more output can come soon). */
  flush(): void {
    if (this.#pendingBytes === 0) return;
    const bytes =
      this.#pending.length === 1
        ? (this.#pending[0] as Buffer)
        : Buffer.concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    if (this.#windowBytes !== undefined) this.#windowBytes += bytes.length;
    this.#options.emit(bytes);
  }

  /** Drops the timer and pending output; call {@link flush} first to keep it. */
  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  #openWindow(bytes: number): void {
    this.#windowBytes = bytes;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const flushed = this.#pendingBytes;
      this.flush();
      // Output is still flowing: the next window starts busy, batching from its first read.
      if (flushed > 0) this.#openWindow(this.#options.immediateBytes);
      else this.#windowBytes = undefined;
    }, this.#options.windowMs);
  }
}
