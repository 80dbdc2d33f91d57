/**
 * Terminal output as the person reads it: a secret printed in colour
 * (`grep --color` paints the match, the line number, the file name) is
 * interleaved with escape sequences, and a PTY ends lines with `\r\n`. The
 * rules see the text with those taken out; the spans they find are mapped
 * back to the raw output, where the escape sequences inside a secret are
 * kept after its marker so the terminal's colours stay as they were.
 */

/** CSI (`ESC [ … final`), OSC (`ESC ] … BEL` or `ESC ] … ESC \`), a two-byte escape, or a carriage return. */
// eslint-disable-next-line no-control-regex -- escape sequences are made of control characters
const INVISIBLE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])|\r/g;

/** `text` without escape sequences, and where each of its characters is in the raw text. */
export interface VisibleText {
  readonly text: string;
  /** `offsets[i]`: the raw index of visible character `i`; one more entry for the end. */
  readonly offsets: Int32Array | undefined;
  /** The invisible runs, as raw `[start, end)`, in order. */
  readonly hidden: ReadonlyArray<readonly [number, number]>;
}

export function visibleText(raw: string): VisibleText {
  INVISIBLE.lastIndex = 0;
  if (!INVISIBLE.test(raw)) return { text: raw, offsets: undefined, hidden: [] };
  INVISIBLE.lastIndex = 0;
  const hidden: Array<readonly [number, number]> = [];
  const offsets = new Int32Array(raw.length + 1);
  let text = '';
  let at = 0;
  const keep = (end: number): void => {
    for (let i = at; i < end; i++) offsets[text.length + i - at] = i;
    text += raw.slice(at, end);
  };
  for (let match = INVISIBLE.exec(raw); match !== null; match = INVISIBLE.exec(raw)) {
    keep(match.index);
    at = match.index + match[0].length;
    hidden.push([match.index, at]);
  }
  keep(raw.length);
  offsets[text.length] = raw.length;
  return { text, offsets: offsets.subarray(0, text.length + 1), hidden };
}

/** A span of the visible text as a span of the raw text. */
export function rawSpan(visible: VisibleText, start: number, end: number): [number, number] {
  const { offsets } = visible;
  if (offsets === undefined) return [start, end];
  // The end is just after the secret's last character, not after the escapes that follow it.
  return [offsets[start] as number, (offsets[end - 1] as number) + 1];
}

/** The escape sequences inside raw `[start, end)`, to be kept after a marker. */
export function hiddenWithin(
  visible: VisibleText,
  raw: string,
  start: number,
  end: number,
): string {
  let out = '';
  for (const [from, to] of visible.hidden) {
    if (to <= start) continue;
    if (from >= end) break;
    if (raw[from] !== '\r') out += raw.slice(from, to);
  }
  return out;
}
