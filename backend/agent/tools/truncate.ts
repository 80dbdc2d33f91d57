/**
 * Keeps tool output within what is worth sending to the model: the start and
 * the end of a long output (where commands print what they do and how they
 * ended), with a note in the middle saying how much was cut.
 */

/** About 8k tokens: enough for a test run's failures, small enough to keep turns cheap. */
export const MAX_TOOL_OUTPUT_CHARS = 30_000;
/** The start of an output is worth a bit more than the end (headers, first errors). */
const HEAD_SHARE = 0.6;

export interface Truncated {
  text: string;
  cutChars: number;
  cutLines: number;
}

export function truncateForModel(
  text: string,
  maxChars: number = MAX_TOOL_OUTPUT_CHARS,
): Truncated {
  if (text.length <= maxChars) return { text, cutChars: 0, cutLines: 0 };
  const headLength = Math.floor(maxChars * HEAD_SHARE);
  const tailLength = maxChars - headLength;
  const head = text.slice(0, headLength);
  const tail = text.slice(text.length - tailLength);
  const cut = text.slice(headLength, text.length - tailLength);
  const cutLines = cut.split('\n').length - 1;
  const note = `\n[… ${cut.length} characters (${cutLines} lines) cut from the middle of this output; ${text.length} characters in total …]\n`;
  return { text: head + note + tail, cutChars: cut.length, cutLines };
}
