/**
 * Anthropic's text editor tool (`text_editor_20250728`,
 * `str_replace_based_edit_tool`): view, create, str_replace and insert, on
 * files inside the agent's workspace only.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { resolveInWorkspace } from './paths.ts';
import { defineTool, ok, ToolInputError } from './tool.ts';
import { truncateForModel } from './truncate.ts';
import { EDITOR_TOOL_NAME } from '../../protocol/tool-names.ts';

/** Files larger than this are not loaded whole for viewing or editing: they are data, not source. */
const MAX_EDIT_FILE_BYTES = 10 * 1024 * 1024;
/** Lines of context shown around an edit so the model can check it. */
const SNIPPET_CONTEXT_LINES = 4;
/** A folder view stops here: enough to see its shape, and a folder of a million files costs no more. */
const MAX_VIEW_ENTRIES = 1_000;
/** Folders a directory view skips: never source, often huge. */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

const ViewInput = z.object({
  command: z.literal('view'),
  path: z.string().min(1),
  view_range: z.tuple([z.number().int().min(1), z.number().int().min(-1)]).optional(),
});
const CreateInput = z.object({
  command: z.literal('create'),
  path: z.string().min(1),
  file_text: z.string(),
});
const StrReplaceInput = z.object({
  command: z.literal('str_replace'),
  path: z.string().min(1),
  old_str: z.string().min(1),
  new_str: z.string().optional(),
});
const InsertInput = z
  .object({
    command: z.literal('insert'),
    path: z.string().min(1),
    insert_line: z.number().int().min(0),
    insert_text: z.string().optional(),
    /** The older tool versions' name for the inserted text. */
    new_str: z.string().optional(),
  })
  .refine((i) => i.insert_text !== undefined || i.new_str !== undefined, {
    message: '"insert_text" is required',
    path: ['insert_text'],
  });

const EditorInput = z.discriminatedUnion(
  'command',
  [ViewInput, CreateInput, StrReplaceInput, InsertInput],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? '"command" must be one of view, create, str_replace, insert'
        : undefined,
  },
);

/** Non-overlapping occurrences of `needle` in `text` before `end`, without splitting a 10 MB file into pieces. */
function countOccurrences(text: string, needle: string, end = text.length): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1 && at + needle.length <= end;) {
    count++;
    at = text.indexOf(needle, at + needle.length);
  }
  return count;
}

function numbered(lines: readonly string[], first: number): string {
  return lines.map((line, i) => `${String(first + i).padStart(6)}\t${line}`).join('\n');
}

async function readText(path: string, shown: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new ToolInputError(`The file ${shown} does not exist`);
  if (info.isDirectory()) throw new ToolInputError(`${shown} is a directory, not a file`);
  if (info.size > MAX_EDIT_FILE_BYTES)
    throw new ToolInputError(
      `${shown} is ${info.size} bytes, too large to open (limit ${MAX_EDIT_FILE_BYTES})`,
    );
  const buffer = await readFile(path);
  if (buffer.includes(0))
    throw new ToolInputError(
      `${shown} looks like a binary file; it cannot be viewed or edited as text`,
    );
  return buffer.toString('utf8');
}

function snippet(text: string, aroundLine: number, lineCount: number): string {
  const lines = text.split('\n');
  const start = Math.max(0, aroundLine - SNIPPET_CONTEXT_LINES);
  const end = Math.min(lines.length, aroundLine + lineCount + SNIPPET_CONTEXT_LINES);
  return numbered(lines.slice(start, end), start + 1);
}

/** Symlinks are listed as files and never descended (Dirent.isDirectory() is false for them). */
async function listTree(
  root: string,
  depth: number,
  out: string[] = [],
  prefix = '',
): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (out.length >= MAX_VIEW_ENTRIES) return out;
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      out.push(`${rel}/`);
      if (depth > 1) await listTree(join(root, entry.name), depth - 1, out, rel);
    } else out.push(rel);
  }
  return out;
}

export const editorTool = defineTool({
  name: EDITOR_TOOL_NAME,
  definition: { type: 'text_editor_20250728', name: EDITOR_TOOL_NAME },
  schema: EditorInput,
  async run(input, context) {
    const path = await resolveInWorkspace(context.workDir, input.path);
    const shown = input.path;
    switch (input.command) {
      case 'view': {
        const info = await stat(path).catch(() => undefined);
        if (info?.isDirectory()) {
          const entries = await listTree(path, 2);
          if (entries.length >= MAX_VIEW_ENTRIES)
            entries.push(`[… stopped at ${MAX_VIEW_ENTRIES} entries; view a subfolder …]`);
          const text = `Files and folders up to 2 levels deep in ${shown}, hidden items and node_modules excluded:\n${entries.join('\n')}`;
          return ok(truncateForModel(text, context.limits.maxOutputChars).text);
        }
        const lines = (await readText(path, shown)).split('\n');
        let first = 1;
        let last = lines.length;
        if (input.view_range) {
          const [from, to] = input.view_range;
          const end = to === -1 ? lines.length : to;
          if (from > lines.length)
            throw new ToolInputError(
              `view_range starts at line ${from}, but ${shown} has ${lines.length} lines`,
            );
          if (end < from)
            throw new ToolInputError(`view_range [${from}, ${to}] ends before it starts`);
          first = from;
          last = Math.min(end, lines.length);
        }
        const body = numbered(lines.slice(first - 1, last), first);
        return ok(truncateForModel(body, context.limits.maxOutputChars).text);
      }
      case 'create': {
        const existed = await stat(path).then(
          (s) => {
            if (s.isDirectory())
              throw new ToolInputError(`${shown} is a directory; give a file path`);
            return true;
          },
          () => false,
        );
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, input.file_text);
        return ok(existed ? `Overwrote ${shown}.` : `Created ${shown}.`);
      }
      case 'str_replace': {
        const text = await readText(path, shown);
        const count = countOccurrences(text, input.old_str);
        if (count === 0)
          throw new ToolInputError(
            `No match found for old_str in ${shown}; it must match the file exactly, whitespace included. View the file and try again.`,
          );
        if (count > 1)
          throw new ToolInputError(
            `Found ${count} matches for old_str in ${shown}; include more surrounding context so it matches exactly once.`,
          );
        const at = text.indexOf(input.old_str);
        const newStr = input.new_str ?? '';
        const updated = text.slice(0, at) + newStr + text.slice(at + input.old_str.length);
        await writeFile(path, updated);
        const line = countOccurrences(text, '\n', at);
        return ok(
          `Edited ${shown}. The changed region now reads:\n${snippet(updated, line, newStr.split('\n').length)}`,
        );
      }
      case 'insert': {
        const text = await readText(path, shown);
        const lines = text.split('\n');
        if (input.insert_line > lines.length) {
          throw new ToolInputError(
            `insert_line ${input.insert_line} is past the end of ${shown}, which has ${lines.length} lines (use 0 to ${lines.length})`,
          );
        }
        // A trailing newline ends the inserted text; it is not an extra blank line.
        const inserted = (input.insert_text ?? input.new_str ?? '').replace(/\n$/, '').split('\n');
        // Not splice(…, ...inserted): spreading 100k lines as arguments overflows the stack.
        const updated = [
          ...lines.slice(0, input.insert_line),
          ...inserted,
          ...lines.slice(input.insert_line),
        ].join('\n');
        await writeFile(path, updated);
        return ok(
          `Inserted ${inserted.length} line(s) into ${shown} after line ${input.insert_line}:\n${snippet(updated, input.insert_line, inserted.length)}`,
        );
      }
    }
  },
});
