/**
 * The contract between a terminal view and whatever feeds it. The view knows
 * nothing of processes: it takes output from a source and gives back
 * keystrokes and sizes (as outputs).
 */

/** Where a source writes output: implemented by the terminal view. */
export interface TerminalSink {
  /**
   * Writes output in order, as text or as UTF-8 bytes (a character may be
   * split across byte writes); `parsed` runs once the emulator has parsed it
   * (the moment to acknowledge it).
   */
  write(data: string | Uint8Array, parsed?: () => void): void;
  /** Clears screen, scrollback and modes, in order with the writes around it (before a replay). */
  reset(): void;
}

/** A stream of terminal output. */
export interface TerminalSource {
  /** Starts feeding `sink` (a source may reset it and replay recent output first); returns the function that stops. */
  attach(sink: TerminalSink): () => void;
}

export interface TerminalSize {
  cols: number;
  rows: number;
}
