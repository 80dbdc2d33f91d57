/** Paths a task names ("fix src/app/button.ts", "update README.md"), for glob triggers. */

/** Characters that end a path token in prose or Markdown. */
const SEPARATORS = /[\s,;()<>[\]{}"'`|]+/;
/** An extension: a dot, then 1–10 letters or digits with at least one letter (not "v1.2"). */
const EXTENSION = /\.(?=[A-Za-z0-9]{0,9}[A-Za-z])[A-Za-z0-9]{1,10}$/;
/** Enough for any task a person writes; stops a pasted log from producing thousands of "paths". */
const MAX_MENTIONS = 200;

/**
 * Workspace-relative paths mentioned in `text`: tokens with a `/` or a file
 * extension, URLs excluded, `./` and trailing punctuation stripped, each once.
 */
export function mentionedPaths(text: string): string[] {
  const found = new Set<string>();
  for (const raw of text.split(SEPARATORS)) {
    if (found.size >= MAX_MENTIONS) break;
    if (raw.includes('://') || raw.startsWith('@')) continue;
    const token = raw
      .replace(/[.:!?]+$/, '')
      .replace(/\\/g, '/')
      .replace(/^(?:\.\/)+/, '');
    if (token.length < 2 || token.startsWith('-')) continue;
    if (token.includes('/') || EXTENSION.test(token)) found.add(token);
  }
  return [...found];
}
