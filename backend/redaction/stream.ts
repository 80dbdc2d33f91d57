/**
 * Redaction of text that arrives in pieces (streamed model text, command
 * output): a secret split across two chunks is still found, because text is
 * released a whole line at a time and a private key block is held until its
 * end line. For terminal output (`terminal: true`) secrets are looked for in
 * the text as it reads, escape sequences taken out (see `terminal.ts`).
 */
import type { Redactor } from './redact.ts';
import { redactionMarker } from './redact.ts';

/**
 * A line longer than this is released in parts (minified code, a progress bar
 * without newlines) so the stream never stalls on it; the cut is put at
 * whitespace, which no single-line secret contains.
 */
export const MAX_HELD_CHARS = 16 * 1024;
/** Held back at a forced cut: longer than any single-token secret the rules know (GitHub tokens top out at 255). */
const FORCED_CUT_TAIL_CHARS = 1024;
/** A private key block is held at most this long waiting for its END line; then it is hidden whole and the rest swallowed. */
export const MAX_HELD_KEY_CHARS = 64 * 1024;

const KEY_BEGIN = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
const KEY_END = /-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;

/** Streams text through a {@link Redactor}. Not thread-safe: one per stream. */
export class RedactingStream {
  readonly #redact: (text: string) => string;
  #held = '';
  /** Inside an over-long private key block: drop text until its END line. */
  #swallowingKey = false;

  constructor(redactor: Redactor, options: { terminal?: boolean } = {}) {
    this.#redact = options.terminal
      ? (text) => redactor.redactTerminal(text)
      : (text) => redactor.redact(text);
  }

  /** Add a chunk; returns the redacted text that is safe to release now (possibly empty). */
  push(chunk: string): string {
    let text = this.#held + chunk;
    this.#held = '';
    let out = '';
    for (;;) {
      if (this.#swallowingKey) {
        const end = KEY_END.exec(text);
        if (end === null) return out;
        this.#swallowingKey = false;
        text = text.slice(end.index + end[0].length);
      }
      const begin = KEY_BEGIN.exec(text);
      if (begin === null) return out + this.#releaseLines(text);
      const end = KEY_END.exec(text.slice(begin.index));
      if (end !== null) {
        // A whole key block: release through its END line, then go on with the rest.
        const blockEnd = begin.index + end.index + end[0].length;
        out += this.#redact(text.slice(0, blockEnd));
        text = text.slice(blockEnd);
        continue;
      }
      out += this.#redact(text.slice(0, begin.index));
      const block = text.slice(begin.index);
      if (block.length <= MAX_HELD_KEY_CHARS) {
        this.#held = block;
        return out;
      }
      this.#swallowingKey = true;
      return out + redactionMarker('private-key');
    }
  }

  /** Release everything held (end of the stream, or of a turn). */
  flush(): string {
    const text = this.#held;
    this.#held = '';
    if (this.#swallowingKey) return '';
    return this.#redact(text);
  }

  /** Redact and release complete lines; keep the unfinished last line. */
  #releaseLines(text: string): string {
    const cut = this.#cutPoint(text);
    this.#held = text.slice(cut);
    return cut === 0 ? '' : this.#redact(text.slice(0, cut));
  }

  #cutPoint(text: string): number {
    const lastNewline = text.lastIndexOf('\n');
    const afterLine = lastNewline + 1;
    if (text.length - afterLine <= MAX_HELD_CHARS) return afterLine;
    const limit = text.length - FORCED_CUT_TAIL_CHARS;
    for (let i = limit; i > afterLine; i--) {
      if (/\s/.test(text[i - 1] as string)) return i;
    }
    return limit;
  }
}
