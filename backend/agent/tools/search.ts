/** `search_files`: lines matching a regular expression in the workspace's files, as `path:line: text`. */
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { resolveInWorkspace } from './paths.ts';
import { runSearch } from './search-runner.ts';
import { MAX_TESTED_LINE_CHARS } from './search-scan.ts';
import { defineTool, fail, ok, ToolInputError, type AgentTool } from './tool.ts';
import { SEARCH_TOOL_NAME } from '../../protocol/tool-names.ts';

const DEFAULT_MAX_RESULTS = 100;
const MAX_RESULTS = 500;
/** A real search of a workspace takes well under a second; ten is a pattern backtracking without end. */
export const SEARCH_TIME_LIMIT_MS = 10_000;

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

function withMatches(message: string, matches: readonly string[], label: string): string {
  return matches.length === 0
    ? `${message} No matches were found ${label}.`
    : `${message} Matches found ${label}:\n${matches.join('\n')}`;
}

/** `timeLimitMs` is for tests; the agent's tool uses {@link SEARCH_TIME_LIMIT_MS}. */
export function createSearchTool(options: { timeLimitMs?: number } = {}): AgentTool {
  const timeLimitMs = options.timeLimitMs ?? SEARCH_TIME_LIMIT_MS;
  return defineTool({
    name: SEARCH_TOOL_NAME,
    definition: {
      name: SEARCH_TOOL_NAME,
      description:
        'Search the workspace\'s text files for lines matching a regular expression (JavaScript syntax). Returns "path:line: text" for each match. ' +
        `Files ignored by .gitignore, binary files and files over 1 MB are skipped; a line longer than ${MAX_TESTED_LINE_CHARS} characters is matched on its first ${MAX_TESTED_LINE_CHARS} only. ` +
        `Symbolic links leading out of the workspace are not followed. A search is stopped after ${duration(timeLimitMs)}.`,
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
      const flags = input.case_sensitive ? '' : 'i';
      try {
        // Only compiled here, to name a syntax error; matching happens in the worker.
        new RegExp(input.pattern, flags);
      } catch (error) {
        throw new ToolInputError(
          `"pattern" is not a valid regular expression: ${(error as Error).message}`,
        );
      }
      const shown = input.path ?? '.';
      const root = await resolveInWorkspace(context.workDir, shown);
      const info = await stat(root).catch(() => undefined);
      if (!info) throw new ToolInputError(`${shown} does not exist`);
      const limit = input.max_results ?? DEFAULT_MAX_RESULTS;
      const outcome = await runSearch(
        {
          workspace: context.workDir,
          root,
          rootIsDirectory: info.isDirectory(),
          shown,
          pattern: input.pattern,
          flags,
          glob: input.glob,
          limit,
        },
        { timeLimitMs, signal: context.signal },
      );
      const { matches } = outcome;
      switch (outcome.status) {
        case 'done':
          return ok(
            matches.length === 0
              ? `No matches for /${input.pattern}/ in ${shown}.`
              : matches.join('\n'),
          );
        case 'limit':
          return ok(
            `${matches.join('\n')}\n[… stopped at ${limit} matches; narrow the pattern, path or glob …]`,
          );
        case 'timeout':
          return fail(
            withMatches(
              `The search for /${input.pattern}/ in ${shown} did not finish within ${duration(timeLimitMs)} and was stopped. ` +
                'The pattern may backtrack without end (nested or overlapping quantifiers such as (a+)+ or (.*)*): use a simpler pattern, or narrow the path or glob.',
              matches,
              'before it stopped',
            ),
          );
        case 'aborted':
          return fail(
            withMatches(
              `The search for /${input.pattern}/ was interrupted by the user.`,
              matches,
              'before that',
            ),
          );
        case 'failed':
          return fail(`${SEARCH_TOOL_NAME} failed: ${outcome.message}`);
      }
    },
  });
}

export const searchTool = createSearchTool();
