/**
 * Coalesces PTY output into fewer, larger chunks. The first chunk after a quiet
 * spell goes out at once (a keystroke's echo is not delayed); chunks that follow
 * within the window are joined and sent when it closes, so a flood becomes one
 * message per window instead of one per read.
 */
import type { Disposable } from './emitter.ts';

export interface OutputBatcherOptions {
  windowMs: number;
  /** A pending batch this large is sent without waiting for the window. */
  maxChars: number;
  emit: (data: string) => void;
}

export class OutputBatcher implements Disposable {
  readonly #options: OutputBatcherOptions;
  #pending: string[] = [];
  #pendingChars = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

  constructor(options: OutputBatcherOptions) {
    this.#options = options;
  }

  push(data: string): void {
    if (this.#disposed || data.length === 0) return;
    if (this.#timer === undefined) {
      this.#options.emit(data);
      this.#startWindow();
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
    this.#options.emit(data);
  }

  /** Drops the timer; call {@link flush} first to keep pending output. */
  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = [];
    this.#pendingChars = 0;
  }

  #startWindow(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#pendingChars === 0) return;
      this.flush();
      // Output is still flowing: keep coalescing rather than sending the next read alone.
      this.#startWindow();
    }, this.#options.windowMs);
  }
}
