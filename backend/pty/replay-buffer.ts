/**
 * The recent output of one session, bounded, for a renderer that reloads or
 * reconnects: written into a freshly reset xterm.js, it rebuilds the screen and
 * scrollback. It keeps raw output rather than a rendered screen (no headless
 * terminal on the backend), so once old output has been dropped the replay
 * starts at a line break, not in the middle of an escape sequence.
 */
export interface ReplayBufferOptions {
  maxChars: number;
  /** How far past the cut to look for a line break. */
  alignWindowChars: number;
}

export class ReplayBuffer {
  readonly #options: ReplayBufferOptions;
  #chunks: string[] = [];
  /** Index of the first live chunk; chunks before it were dropped (compacted lazily). */
  #head = 0;
  #chars = 0;
  #truncated = false;

  constructor(options: ReplayBufferOptions) {
    this.#options = options;
  }

  /** Characters currently held. */
  get size(): number {
    return this.#chars;
  }

  append(data: string): void {
    if (data.length === 0) return;
    this.#chunks.push(data);
    this.#chars += data.length;
    this.#trim();
  }

  /** The held output as one string, aligned to a line break if older output was dropped. */
  snapshot(): string {
    const data = this.#chunks.slice(this.#head).join('');
    if (!this.#truncated) return data;
    const lineBreak = data.indexOf('\n');
    return lineBreak >= 0 && lineBreak < this.#options.alignWindowChars
      ? data.slice(lineBreak + 1)
      : data;
  }

  clear(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#chars = 0;
  }

  #trim(): void {
    const { maxChars } = this.#options;
    while (this.#chars > maxChars) {
      const first = this.#chunks[this.#head] as string;
      const excess = this.#chars - maxChars;
      this.#truncated = true;
      if (first.length <= excess) {
        this.#head++;
        this.#chars -= first.length;
      } else {
        this.#chunks[this.#head] = first.slice(excess);
        this.#chars -= excess;
      }
    }
    // Compact once the dropped prefix dominates, keeping appends O(1) amortized.
    if (this.#head > 64 && this.#head * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
  }
}
