/** `search_files`: lines matching a regular expression in the workspace's files, as `path:line: text`. */
import { readFile, stat } from 'node:fs/promises';
import picomatch from 'picomatch';
import { z } from 'zod';
import { resolveInWorkspace } from './paths.ts';
import { defineTool, ok, ToolInputError } from './tool.ts';
import { walk } from './walk.ts';
import { SEARCH_TOOL_NAME } from '../../protocol/tool-names.ts';

/** Files larger than this are skipped: generated or data files, rarely what the model looks for. */
const MAX_SEARCH_FILE_BYTES = 1024 * 1024;
const DEFAULT_MAX_RESULTS = 100;
const MAX_RESULTS = 500;
/** A matching line is shown up to this length; minified files have lines of megabytes. */
const MAX_LINE_CHARS = 300;
/** Deep enough for any real source tree, bounded so a symlink loop cannot run away. */
const MAX_DEPTH = 32;

export const searchTool = defineTool({
  name: SEARCH_TOOL_NAME,
  definition: {
    name: SEARCH_TOOL_NAME,
    description:
      'Search the workspace\'s text files for lines matching a regular expression (JavaScript syntax). Returns "path:line: text" for each match. ' +
      'Files ignored by .gitignore, binary files and files over 1 MB are skipped.',
    input_schema: {
      type: 'object',
      properties: {
        pattern: { type: 'string', description: 'Regular expression to search for.' },
        path: {
          type: 'string',
          description: 'Folder or file to search in. Default: the workspace.',
        },
        glob: {
          type: 'string',
          description: 'Only search files whose path matches this glob, e.g. "**/*.ts".',
        },
        case_sensitive: { type: 'boolean', description: 'Default false.' },
        max_results: {
          type: 'integer',
          minimum: 1,
          maximum: MAX_RESULTS,
          description: `Default ${DEFAULT_MAX_RESULTS}.`,
        },
      },
      required: ['pattern'],
    },
  },
  schema: z.object({
    pattern: z.string().min(1),
    path: z.string().min(1).optional(),
    glob: z.string().min(1).optional(),
    case_sensitive: z.boolean().optional(),
    max_results: z.number().int().min(1).max(MAX_RESULTS).optional(),
  }),
  async run(input, context) {
    let regex: RegExp;
    try {
      regex = new RegExp(input.pattern, input.case_sensitive ? '' : 'i');
    } catch (error) {
      throw new ToolInputError(
        `"pattern" is not a valid regular expression: ${(error as Error).message}`,
      );
    }
    const shown = input.path ?? '.';
    const root = await resolveInWorkspace(context.workDir, shown);
    const info = await stat(root).catch(() => undefined);
    if (!info) throw new ToolInputError(`${shown} does not exist`);
    const matchesGlob = input.glob ? picomatch(input.glob, { dot: true }) : () => true;
    const limit = input.max_results ?? DEFAULT_MAX_RESULTS;
    const results: string[] = [];
    const files = info.isDirectory()
      ? walk(root, { maxDepth: MAX_DEPTH, signal: context.signal })
      : (async function* () {
          yield { path: shown, absolute: root, isDirectory: false, depth: 0 };
        })();
    search: for await (const entry of files) {
      if (entry.isDirectory || !matchesGlob(entry.path)) continue;
      const size = (await stat(entry.absolute).catch(() => undefined))?.size ?? Infinity;
      if (size > MAX_SEARCH_FILE_BYTES) continue;
      const buffer = await readFile(entry.absolute).catch(() => undefined);
      if (!buffer || buffer.includes(0)) continue;
      const lines = buffer.toString('utf8').split('\n');
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i] as string;
        if (!regex.test(line)) continue;
        if (results.length >= limit) {
          results.push(`[… stopped at ${limit} matches; narrow the pattern, path or glob …]`);
          break search;
        }
        const text = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line;
        results.push(`${entry.path}:${i + 1}: ${text}`);
      }
    }
    return ok(
      results.length === 0 ? `No matches for /${input.pattern}/ in ${shown}.` : results.join('\n'),
    );
  },
});
