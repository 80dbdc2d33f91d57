/**
 * Character boundaries in raw UTF-8 output. A PTY's reads end wherever the
 * kernel's buffer did, often inside a multi-byte character; whoever cuts the
 * byte stream into text (the replay) must cut between characters.
 */

/** Whether `byte` continues a multi-byte character (0b10xxxxxx) rather than starting one. */
export function isContinuationByte(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/**
 * How many bytes at the end of `bytes[start, end)` are the beginning of a
 * character whose remaining bytes have not arrived yet; 0 when the range ends
 * on a character boundary. Invalid sequences count as complete: they decode to
 * U+FFFD now, and waiting would not change that.
 */
export function incompleteTailLength(bytes: Uint8Array, start: number, end: number): number {
  const limit = Math.max(start, end - 4);
  for (let i = end - 1; i >= limit; i--) {
    const byte = bytes[i] as number;
    if (isContinuationByte(byte)) continue;
    const have = end - i;
    return have < sequenceLength(byte) ? have : 0;
  }
  return 0;
}

/** The length of the character a lead byte starts (1 for ASCII and for bytes that cannot start one). */
function sequenceLength(lead: number): number {
  if (lead >= 0xc0 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf7) return 4;
  return 1;
}
