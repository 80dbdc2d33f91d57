/**
 * Read-only tools over one commit of the plan's repository, for the
 * reviewer and the planner: read a file, list files, search. They read git
 * objects (`git show`, `ls-tree`, `grep` at the commit), so they see exactly
 * the version under review and cannot change anything, whatever they are
 * asked.
 */
import { z } from 'zod';
import { git } from '../landing/git.ts';
import { redact } from '../redaction/redact.ts';
import type { Tool } from '@anthropic-ai/sdk/resources/messages';

/** A file is shown this many lines at a time unless asked for fewer. */
const DEFAULT_READ_LINES = 400;
/** What one result may hand the model. */
const MAX_RESULT_CHARS = 40_000;
/** Listing and search results are cut after this many lines. */
const MAX_LIST_LINES = 500;

export interface RepoTool {
  definition: Tool;
  run(input: unknown): Promise<{ content: string; isError: boolean }>;
}

const RepoPath = z
  .string()
  .trim()
  .max(1024)
  .refine(
    (p) => !p.startsWith('/') && !p.split('/').includes('..'),
    'must be a path inside the repository',
  )
  .transform((p) => p.replace(/^\.\//, '').replace(/\/+$/, ''));

const ReadInput = z.object({
  path: RepoPath.refine((p) => p.length > 0, 'name a file'),
  offset: z.number().int().min(1).optional(),
  limit: z.number().int().min(1).max(2000).optional(),
});
const ListInput = z.object({ path: RepoPath.optional() });
const SearchInput = z.object({
  pattern: z.string().min(1).max(500),
  path: RepoPath.optional(),
});

/** What a tool hands the model: secrets hidden (a committed `.env`), then cut to size. */
function cut(raw: string): string {
  const text = redact(raw);
  return text.length > MAX_RESULT_CHARS
    ? `${text.slice(0, MAX_RESULT_CHARS)}\n[… cut at ${MAX_RESULT_CHARS} characters]`
    : text;
}

function firstLines(text: string): string {
  const lines = text.split('\n').filter(Boolean);
  if (lines.length <= MAX_LIST_LINES) return lines.join('\n');
  return `${lines.slice(0, MAX_LIST_LINES).join('\n')}\n[… ${lines.length - MAX_LIST_LINES} more]`;
}

function tool<S extends z.ZodType>(
  definition: Tool,
  schema: S,
  run: (input: z.output<S>) => Promise<string>,
): RepoTool {
  return {
    definition,
    async run(input) {
      const parsed = schema.safeParse(input);
      if (!parsed.success)
        return {
          content: `Invalid input: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`,
          isError: true,
        };
      try {
        return { content: cut(await run(parsed.data)), isError: false };
      } catch (error) {
        return { content: (error as Error).message, isError: true };
      }
    },
  };
}

/** The three tools over `commit` in `repo`. */
export function repoTools(repo: string, commit: string): RepoTool[] {
  return [
    tool(
      {
        name: 'read_file',
        description:
          'Read a file of the repository at the version under discussion, with line numbers. Use offset and limit for long files.',
        input_schema: {
          type: 'object',
          properties: {
            path: { type: 'string', description: 'Path relative to the repository root.' },
            offset: { type: 'integer', description: 'First line (1-based).' },
            limit: {
              type: 'integer',
              description: `Lines to show (default ${DEFAULT_READ_LINES}).`,
            },
          },
          required: ['path'],
        },
      },
      ReadInput,
      async ({ path, offset = 1, limit = DEFAULT_READ_LINES }) => {
        const shown = await git(repo, ['show', `${commit}:${path}`], { okCodes: [128] });
        if (shown.code !== 0) throw new Error(`No file "${path}" at this version`);
        const lines = shown.stdout.split('\n');
        const end = Math.min(lines.length, offset - 1 + limit);
        const body = lines
          .slice(offset - 1, end)
          .map((line, i) => `${String(offset + i).padStart(5)}  ${line}`)
          .join('\n');
        return end < lines.length
          ? `${body}\n[… lines ${end + 1}-${lines.length} not shown]`
          : body;
      },
    ),
    tool(
      {
        name: 'list_files',
        description:
          'List the files of the repository under a folder (all of them when no path is given).',
        input_schema: {
          type: 'object',
          properties: {
            path: { type: 'string', description: 'Folder relative to the repository root.' },
          },
        },
      },
      ListInput,
      async ({ path }) => {
        const args = ['ls-tree', '-r', '--name-only', commit];
        const out = await git(repo, path ? [...args, '--', path] : args);
        return firstLines(out.stdout) || `No files under "${path ?? '.'}"`;
      },
    ),
    tool(
      {
        name: 'search',
        description:
          'Search the repository for a regular expression (extended syntax); answers file:line:text.',
        input_schema: {
          type: 'object',
          properties: {
            pattern: { type: 'string' },
            path: { type: 'string', description: 'Only under this folder or file.' },
          },
          required: ['pattern'],
        },
      },
      SearchInput,
      async ({ pattern, path }) => {
        const args = ['grep', '-n', '-I', '-E', '-e', pattern, commit];
        const out = await git(repo, path ? [...args, '--', path] : args, { okCodes: [1] });
        // git grep prefixes each hit with "<commit>:"; the model needs only the path.
        return firstLines(out.stdout.replaceAll(`${commit}:`, '')) || 'No match';
      },
    ),
  ];
}
