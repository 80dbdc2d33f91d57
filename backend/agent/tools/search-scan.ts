/**
 * The work of `search_files`: walk the files and test each line. Runs in a
 * worker thread (search-worker.ts), so a pattern that backtracks for minutes
 * blocks only that thread, which the tool can terminate.
 */
import { readFile, stat } from 'node:fs/promises';
import picomatch from 'picomatch';
import type { SearchRequest } from './search-protocol.ts';
import { walk, type WalkEntry } from './walk.ts';

/** Files larger than this are skipped: generated or data files, rarely what the model looks for. */
export const MAX_SEARCH_FILE_BYTES = 1024 * 1024;
/** Only a line's first this many characters are tested: a minified line of megabytes multiplies any backtracking. */
export const MAX_TESTED_LINE_CHARS = 4_000;
/** A matching line is shown up to this length. */
const MAX_SHOWN_LINE_CHARS = 300;
/** Deep enough for any real source tree. */
const MAX_DEPTH = 32;

async function* filesOf(request: SearchRequest): AsyncGenerator<WalkEntry> {
  if (request.rootIsDirectory)
    yield* walk(request.root, { workspace: request.workspace, maxDepth: MAX_DEPTH });
  else yield { path: request.shown, absolute: request.root, kind: 'file', depth: 0 };
}

/** Calls `onMatch` with each `path:line: text`; true when it stopped at `request.limit`. */
export async function scan(
  request: SearchRequest,
  onMatch: (line: string) => void,
): Promise<boolean> {
  const regex = new RegExp(request.pattern, request.flags);
  const matchesGlob = request.glob ? picomatch(request.glob, { dot: true }) : () => true;
  let found = 0;
  for await (const entry of filesOf(request)) {
    if (entry.kind !== 'file' || !matchesGlob(entry.path)) continue;
    const size = (await stat(entry.absolute).catch(() => undefined))?.size ?? Infinity;
    if (size > MAX_SEARCH_FILE_BYTES) continue;
    const buffer = await readFile(entry.absolute).catch(() => undefined);
    if (!buffer || buffer.includes(0)) continue;
    const lines = buffer.toString('utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      const tested =
        line.length > MAX_TESTED_LINE_CHARS ? line.slice(0, MAX_TESTED_LINE_CHARS) : line;
      if (!regex.test(tested)) continue;
      if (found >= request.limit) return true;
      found++;
      const text =
        line.length > MAX_SHOWN_LINE_CHARS ? `${line.slice(0, MAX_SHOWN_LINE_CHARS)}…` : line;
      onMatch(`${entry.path}:${i + 1}: ${text}`);
    }
  }
  return false;
}
