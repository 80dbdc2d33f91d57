/**
 * Claude Code's tool matchers: `""`, `"*"` or no matcher match every tool; a
 * plain name or `|`-separated names match exactly (case-sensitive); anything
 * else is a regular expression that must match the whole tool name
 * (`Notebook.*`, `mcp__.*`).
 */

/** A tool matcher compiled once. */
export type ToolMatcher = (toolName: string) => boolean;

const NAMES_ONLY = /^[A-Za-z0-9_|-]+$/;

/**
 * Compile a matcher.
 * @throws {SyntaxError} for a pattern that is not a valid regular expression.
 */
export function compileMatcher(matcher: string | undefined): ToolMatcher {
  const text = matcher?.trim() ?? '';
  if (text === '' || text === '*') return () => true;
  if (NAMES_ONLY.test(text)) {
    const names = new Set(text.split('|').filter((name) => name !== ''));
    return (toolName) => names.has(toolName);
  }
  const pattern = new RegExp(`^(?:${text})$`);
  return (toolName) => pattern.test(toolName);
}
