/** `list_files`: the files and folders under a path, as a developer sees them (ignored files left out). */
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { resolveInWorkspace } from './paths.ts';
import { defineTool, fail, ok, ToolInputError } from './tool.ts';
import { walk, type WalkEntry } from './walk.ts';
import { LIST_TOOL_NAME } from '../../protocol/tool-names.ts';

/** Enough to see a project's shape; a larger listing should be narrowed by path or depth. */
const MAX_ENTRIES = 1_000;
const MAX_DEPTH = 10;

function describeEntry(entry: WalkEntry): string {
  switch (entry.unfollowed?.reason) {
    case undefined:
      return entry.kind === 'directory' ? `${entry.path}/` : entry.path;
    case 'outside':
      return `${entry.path}@ (symbolic link out of the workspace; not followed)`;
    case 'broken':
      return `${entry.path}@ (broken symbolic link)`;
    case 'duplicate':
      return `${entry.path}@ -> ${entry.unfollowed.target || '.'}/ (symbolic link to a workspace folder, listed under its own path)`;
  }
}

export const listTool = defineTool({
  name: LIST_TOOL_NAME,
  definition: {
    name: LIST_TOOL_NAME,
    description:
      'List files and folders under a path in the workspace (folders end with "/"). Files ignored by .gitignore and the .git folder are left out. ' +
      'Symbolic links are followed only inside the workspace; others are shown with "@". ' +
      "Use it to see a project's layout before reading files.",
    input_schema: {
      type: 'object',
      properties: {
        path: {
          type: 'string',
          description:
            'Folder to list, relative to the workspace or absolute inside it. Default: the workspace.',
        },
        depth: {
          type: 'integer',
          minimum: 1,
          maximum: MAX_DEPTH,
          description: 'How many levels to descend. Default 2.',
        },
        include_hidden: {
          type: 'boolean',
          description: 'Include names starting with ".". Default false.',
        },
      },
    },
  },
  schema: z.object({
    path: z.string().min(1).optional(),
    depth: z.number().int().min(1).max(MAX_DEPTH).optional(),
    include_hidden: z.boolean().optional(),
  }),
  async run(input, context) {
    const shown = input.path ?? '.';
    const root = await resolveInWorkspace(context.workDir, shown);
    const info = await stat(root).catch(() => undefined);
    if (!info) throw new ToolInputError(`${shown} does not exist`);
    if (!info.isDirectory())
      throw new ToolInputError(
        `${shown} is a file, not a folder; use ${'str_replace_based_edit_tool'} to view it`,
      );
    const lines: string[] = [];
    let more = false;
    for await (const entry of walk(root, {
      workspace: context.workDir,
      maxDepth: input.depth ?? 2,
      includeHidden: input.include_hidden ?? false,
      signal: context.signal,
    })) {
      if (lines.length >= MAX_ENTRIES) {
        more = true;
        break;
      }
      lines.push(describeEntry(entry));
    }
    if (context.signal.aborted) return fail('The listing was interrupted by the user.');
    if (lines.length === 0) return ok(`${shown} is empty.`);
    if (more)
      lines.push(
        `[… listing stopped at ${MAX_ENTRIES} entries; list a subfolder or use a smaller depth …]`,
      );
    return ok(lines.join('\n'));
  },
});
