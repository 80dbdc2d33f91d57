/**
 * A re-read of a file that changed since the model last saw it, answered with
 * what changed rather than the whole file. Results are the editor's numbered
 * `view` output (`     1\tline`); the answer names the earlier result, the
 * line range of it that changed, and the new lines, numbered as the file now
 * is. The changed range is the span between the longest common prefix and
 * suffix of lines: one hunk, exact, found in linear time (edits in agent
 * sessions touch one region at a time; several regions make one larger hunk,
 * and the answer is only used when it is much smaller than the file).
 */

/** Answers larger than this share of the full result are not worth it: the full result is sent. */
export const MAX_CHANGE_SHARE = 0.5;

const HEADER =
  /^\[Changed since tool_use_id (\S+) \(([^)]*)\): lines (\d+)-(\d+) of that result are replaced by the (\d+) lines? below; the other lines are as there\. The file now has (\d+) lines\.\]\n/;

function lines(text: string): string[] {
  return text === '' ? [] : text.split('\n');
}

/** The number-less text of a numbered line (`     12\tcode` → `code`). */
function body(line: string): string {
  const tab = line.indexOf('\t');
  return tab === -1 ? line : line.slice(tab + 1);
}

function numbered(texts: readonly string[], first: number): string[] {
  return texts.map((text, i) => `${String(first + i).padStart(6)}\t${text}`);
}

/**
 * The change answer turning the numbered `before` into the numbered `after`,
 * or undefined when nothing changed or the answer would not be much smaller.
 */
export function changeAnswer(
  earlierId: string,
  label: string,
  before: string,
  after: string,
): string | undefined {
  if (before === after) return undefined;
  const a = lines(before).map(body);
  const b = lines(after).map(body);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  )
    suffix++;
  const replaced = b.slice(prefix, b.length - suffix);
  const from = prefix + 1;
  const to = a.length - suffix;
  const header = `[Changed since tool_use_id ${earlierId} (${label}): lines ${from}-${to} of that result are replaced by the ${replaced.length} line${replaced.length === 1 ? '' : 's'} below; the other lines are as there. The file now has ${b.length} lines.]\n`;
  const answer = header + numbered(replaced, from).join('\n');
  return answer.length <= MAX_CHANGE_SHARE * after.length ? answer : undefined;
}

/** The full numbered result a change answer stands for, given the earlier result; undefined if `answer` is not one. */
export function applyChangeAnswer(answer: string, earlier: string): string | undefined {
  const match = HEADER.exec(answer);
  if (match === null) return undefined;
  const from = Number(match[3]);
  const to = Number(match[4]);
  const before = lines(earlier).map(body);
  const replaced = lines(answer.slice(match[0].length)).map(body);
  const after = [...before.slice(0, from - 1), ...replaced, ...before.slice(to)];
  return numbered(after, 1).join('\n');
}
