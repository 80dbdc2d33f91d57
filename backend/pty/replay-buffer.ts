/**
 * The recent output of one session, bounded, for a renderer that reloads or
 * reconnects: written into a freshly reset xterm.js, it rebuilds the screen and
 * scrollback. It keeps raw output rather than a rendered screen (no headless
 * terminal on the backend), so once old output has been dropped the replay
 * starts at a line break, not in the middle of an escape sequence.
 *
 * The output's bytes are copied into a ring outside the JavaScript heap.
 * Keeping the chunks themselves made every chunk live long enough to be
 * promoted to the old generation and then die there: under a flood the
 * backend's memory climbed by tens of MB a second between full collections
 * (measured with `npm run bench:pty`, `rss_trend`). The ring is allocated once
 * and reused.
 *
 * Bytes are kept as the process wrote them, so the ring may begin or end
 * inside a multi-byte character; {@link ReplayBuffer.snapshot} cuts the text
 * on character boundaries and says where in the byte stream it ends.
 */
import type { PtyReplayResult } from '../protocol/pty.ts';
import { incompleteTailLength, isContinuationByte } from './utf8.ts';

export interface ReplayBufferOptions {
  maxBytes: number;
  alignWindowBytes: number;
}

/** The ring starts this small (in bytes) and doubles up to the bound: most terminals print little. */
const INITIAL_CAPACITY_BYTES = 16 * 1024;

export class ReplayBuffer {
  readonly #options: ReplayBufferOptions;
  #ring: Buffer = Buffer.alloc(0);
  /** Bytes appended since the last clear; the ring holds the last `size` of them. */
  #total = 0;

  constructor(options: ReplayBufferOptions) {
    this.#options = options;
  }

  /** Bytes held. */
  get size(): number {
    return Math.min(this.#total, this.#options.maxBytes);
  }

  append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#reserve(Math.min(this.#options.maxBytes, this.#total + bytes.length));
    const capacity = this.#ring.length;
    // Only the newest `capacity` bytes of a huge chunk can survive.
    const kept = bytes.length > capacity ? bytes.subarray(bytes.length - capacity) : bytes;
    this.#total += bytes.length - kept.length;
    const offset = this.#total % capacity;
    const first = Math.min(kept.length, capacity - offset);
    this.#ring.set(kept.subarray(0, first), offset);
    if (first < kept.length) this.#ring.set(kept.subarray(first), 0);
    this.#total += kept.length;
  }

  /**
   * The kept output as text, and its end as a position in the bytes appended
   * since the last clear. The text ends at the last complete character: bytes
   * of a character still being written are left out, and `seq` points at its
   * first byte. Once old output was dropped, the text starts after a line
   * break if one is near, else at least on a character boundary.
   */
  snapshot(): PtyReplayResult {
    const size = this.size;
    if (size === 0) return { data: '', seq: this.#total };
    const bytes = this.#kept(size);
    let from = 0;
    if (this.#total > this.#options.maxBytes) {
      const lineBreak = bytes.subarray(0, this.#options.alignWindowBytes).indexOf(0x0a);
      if (lineBreak >= 0) from = lineBreak + 1;
      else while (from < size && isContinuationByte(bytes[from] as number)) from++;
    }
    const to = size - incompleteTailLength(bytes, from, size);
    return { data: bytes.toString('utf8', from, to), seq: this.#total - (size - to) };
  }

  clear(): void {
    this.#ring = Buffer.alloc(0);
    this.#total = 0;
  }

  /** The newest `size` bytes, in order: a view of the ring, or a copy where they wrap around its end. */
  #kept(size: number): Buffer {
    const capacity = this.#ring.length;
    const start = (this.#total - size) % capacity;
    if (start + size <= capacity) return this.#ring.subarray(start, start + size);
    return Buffer.concat(
      [this.#ring.subarray(start), this.#ring.subarray(0, start + size - capacity)],
      size,
    );
  }

  /** Grows the ring (before it has wrapped) to hold `bytes`, doubling, up to the bound. */
  #reserve(bytes: number): void {
    const capacity = this.#ring.length;
    if (bytes <= capacity) return;
    let grown = Math.max(capacity, INITIAL_CAPACITY_BYTES);
    while (grown < bytes) grown *= 2;
    grown = Math.min(grown, this.#options.maxBytes);
    const ring = Buffer.allocUnsafe(grown);
    // Not wrapped yet: everything so far sits at the ring's start.
    this.#ring.copy(ring, 0, 0, this.#total);
    this.#ring = ring;
  }
}
