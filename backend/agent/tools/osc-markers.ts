/**
 * Finds shell-integration markers in terminal output: OSC 633 (VS Code's
 * dialect) and OSC 133 (FinalTerm's, used by iTerm2, WezTerm, kitty…):
 *
 *   A  prompt starts      B  prompt ends (input starts)
 *   C  command output starts      D;<code>  command finished with <code>
 *
 * Output arrives in arbitrary chunks, so a marker split across two chunks is
 * held back until it is complete.
 */

export type MarkerCode = 'A' | 'B' | 'C' | 'D';

export type TerminalPiece =
  { kind: 'text'; text: string } | { kind: 'marker'; code: MarkerCode; exitCode?: number };

/** A marker that never terminates would otherwise make the parser hold output forever. */
const MAX_PENDING_SEQUENCE = 512;

// ESC ] (633|133) ; <code> [; args] then BEL or ESC \
// eslint-disable-next-line no-control-regex -- markers are made of control characters
const MARKER = /\x1b\](?:633|133);([ABCD])(?:;([^\x07\x1b]*))?(?:\x07|\x1b\\)/g;

export class MarkerParser {
  #pending = '';

  /** Splits `chunk` (with any held-back tail of the previous one) into text and markers. */
  push(chunk: string): TerminalPiece[] {
    let data = this.#pending + chunk;
    this.#pending = '';
    const pieces: TerminalPiece[] = [];
    let last = 0;
    MARKER.lastIndex = 0;
    for (let match = MARKER.exec(data); match; match = MARKER.exec(data)) {
      if (match.index > last) pieces.push({ kind: 'text', text: data.slice(last, match.index) });
      const code = match[1] as MarkerCode;
      const piece: TerminalPiece = { kind: 'marker', code };
      if (code === 'D' && match[2] !== undefined) {
        const exitCode = Number.parseInt(match[2], 10);
        if (Number.isFinite(exitCode)) piece.exitCode = exitCode;
      }
      pieces.push(piece);
      last = MARKER.lastIndex;
    }
    data = data.slice(last);
    // Hold back a possible marker start at the end of the data.
    const start = data.lastIndexOf('\x1b');
    if (
      start !== -1 &&
      data.length - start < MAX_PENDING_SEQUENCE &&
      couldBeMarker(data.slice(start))
    ) {
      this.#pending = data.slice(start);
      data = data.slice(0, start);
    }
    if (data.length > 0) pieces.push({ kind: 'text', text: data });
    return pieces;
  }
}

function couldBeMarker(tail: string): boolean {
  const prefixes = ['\x1b]633;', '\x1b]133;'];
  if (prefixes.some((p) => p.startsWith(tail))) return true;
  if (!prefixes.some((p) => tail.startsWith(p))) return false;
  // Started as a marker and not yet terminated.
  return !tail.includes('\x07') && !tail.slice(1).includes('\x1b');
}
