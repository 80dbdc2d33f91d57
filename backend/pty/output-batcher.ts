/**
 * Coalesces PTY output into fewer, larger chunks without delaying small,
 * interactive output. Within a window, output is sent at once while the
 * window's total stays small (keystroke echoes, prompts); once a window has
 * carried more than that, further output waits for the window to close and
 * goes out as one chunk, and so does everything while output keeps flowing.
 * A flood thus becomes one message per window instead of one per read.
 */
import type { Disposable } from './emitter.ts';

export interface OutputBatcherOptions {
  windowMs: number;
  /** Output sent at once within one window, up to this many characters in total. */
  immediateChars: number;
  /** A pending batch this large is sent without waiting for the window. */
  maxChars: number;
  emit: (data: string) => void;
}

export class OutputBatcher implements Disposable {
  readonly #options: OutputBatcherOptions;
  #pending: string[] = [];
  #pendingChars = 0;
  /** Characters sent in the current window; undefined when no window is open (quiet). */
  #windowChars: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

  constructor(options: OutputBatcherOptions) {
    this.#options = options;
  }

  push(data: string): void {
    if (this.#disposed || data.length === 0) return;
    if (this.#windowChars === undefined) this.#openWindow(0);
    if (this.#pendingChars === 0 && (this.#windowChars ?? 0) < this.#options.immediateChars) {
      this.#windowChars = (this.#windowChars ?? 0) + data.length;
      this.#options.emit(data);
      return;
    }
    this.#pending.push(data);
    this.#pendingChars += data.length;
    if (this.#pendingChars >= this.#options.maxChars) this.flush();
  }

  /** Sends whatever is pending now (before an exit, or when no more output can come soon). */
  flush(): void {
    if (this.#pendingChars === 0) return;
    const data = this.#pending.length === 1 ? (this.#pending[0] as string) : this.#pending.join('');
    this.#pending = [];
    this.#pendingChars = 0;
    if (this.#windowChars !== undefined) this.#windowChars += data.length;
    this.#options.emit(data);
  }

  /** Drops the timer and pending output; call {@link flush} first to keep it. */
  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = [];
    this.#pendingChars = 0;
  }

  #openWindow(chars: number): void {
    this.#windowChars = chars;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const flushed = this.#pendingChars;
      this.flush();
      // Output is still flowing: the next window starts busy, batching from its first read.
      if (flushed > 0) this.#openWindow(this.#options.immediateChars);
      else this.#windowChars = undefined;
    }, this.#options.windowMs);
  }
}
