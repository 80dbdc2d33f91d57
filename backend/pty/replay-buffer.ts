/**
 * The recent output of one session, bounded, for a renderer that reloads or
 * reconnects: written into a freshly reset xterm.js, it rebuilds the screen and
 * scrollback. It keeps raw output rather than a rendered screen (no headless
 * terminal on the backend), so once old output has been dropped the replay
 * starts at a line break, not in the middle of an escape sequence.
 *
 * The output is copied into a ring of UTF-16 code units outside the JavaScript
 * heap. Keeping the chunks themselves made every chunk live long enough to be
 * promoted to the old generation and then die there: under a flood the
 * backend's memory climbed by tens of MB a second between full collections
 * (measured with `npm run bench:pty`, `rss_trend`). The ring is allocated once
 * and reused.
 */
export interface ReplayBufferOptions {
  maxChars: number;
  alignWindowChars: number;
}

/** Bytes per UTF-16 code unit in the ring. */
const UNIT_BYTES = 2;
/** The ring starts this small (in characters) and doubles up to the bound: most terminals print little. */
const INITIAL_CAPACITY_CHARS = 16 * 1024;

export class ReplayBuffer {
  readonly #options: ReplayBufferOptions;
  #ring: Buffer = Buffer.alloc(0);
  /** Characters appended since the last clear; the ring holds the last `size` of them. */
  #total = 0;

  constructor(options: ReplayBufferOptions) {
    this.#options = options;
  }

  get size(): number {
    return Math.min(this.#total, this.#options.maxChars);
  }

  append(data: string): void {
    if (data.length === 0) return;
    const { maxChars } = this.#options;
    this.#reserve(Math.min(maxChars, this.#total + data.length));
    const capacity = this.#capacity;
    // Only the newest `capacity` characters of a huge chunk can survive.
    const kept = data.length > capacity ? data.slice(data.length - capacity) : data;
    this.#total += data.length - kept.length;
    const offset = this.#total % capacity;
    const first = Math.min(kept.length, capacity - offset);
    // utf16le copies code units as they are (lone surrogates included), so a split pair rejoins on read.
    this.#ring.write(kept.slice(0, first), offset * UNIT_BYTES, 'utf16le');
    if (first < kept.length) this.#ring.write(kept.slice(first), 0, 'utf16le');
    this.#total += kept.length;
  }

  snapshot(): string {
    const size = this.size;
    if (size === 0) return '';
    const capacity = this.#capacity;
    const start = (this.#total - size) % capacity;
    const data =
      start + size <= capacity
        ? this.#ring.toString('utf16le', start * UNIT_BYTES, (start + size) * UNIT_BYTES)
        : this.#ring.toString('utf16le', start * UNIT_BYTES, capacity * UNIT_BYTES) +
          this.#ring.toString('utf16le', 0, (start + size - capacity) * UNIT_BYTES);
    if (this.#total <= this.#options.maxChars) return data;
    const lineBreak = data.indexOf('\n');
    if (lineBreak >= 0 && lineBreak < this.#options.alignWindowChars)
      return data.slice(lineBreak + 1);
    // No line break near: at least do not start with the second half of a surrogate pair.
    return isLowSurrogate(data.charCodeAt(0)) ? data.slice(1) : data;
  }

  clear(): void {
    this.#ring = Buffer.alloc(0);
    this.#total = 0;
  }

  get #capacity(): number {
    return this.#ring.length / UNIT_BYTES;
  }

  /** Grows the ring (before it has wrapped) to hold `chars`, doubling, up to the bound. */
  #reserve(chars: number): void {
    const capacity = this.#capacity;
    if (chars <= capacity) return;
    let grown = Math.max(capacity, INITIAL_CAPACITY_CHARS);
    while (grown < chars) grown *= 2;
    grown = Math.min(grown, this.#options.maxChars);
    const ring = Buffer.allocUnsafe(grown * UNIT_BYTES);
    // Not wrapped yet: everything so far sits at the ring's start.
    this.#ring.copy(ring, 0, 0, this.#total * UNIT_BYTES);
    this.#ring = ring;
  }
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
