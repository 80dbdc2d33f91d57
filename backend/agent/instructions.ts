/**
 * The repository's and the user's instruction files, loaded the way Claude
 * Code loads its memory files, so agents follow what such repositories ask:
 *
 * 1. `~/.claude/CLAUDE.md`: the user's own instructions, for every project;
 * 2. then, from the repository root down to the agent's working folder, in
 *    each folder: `CLAUDE.md`, `.claude/CLAUDE.md`, `AGENTS.md` (the
 *    cross-tool name) and `CLAUDE.local.md` (personal, usually git-ignored:
 *    read from the user's own checkout, since an agent's worktree lacks it).
 *
 * Later files are more specific and come later in the prompt. A file may
 * import another with `@path` (relative to the importing file, or `@~/…`
 * from the home folder), outside code spans and blocks, up to
 * {@link MAX_IMPORT_DEPTH} levels deep; a file is included once however often
 * it is named (so a `CLAUDE.md` that only says `@AGENTS.md` costs nothing
 * extra), and imports stay inside the repository, the user's checkout and
 * `~/.claude`. What is skipped is said in `notes`.
 *
 * The block goes at the end of the base system prompt: the stable, cached
 * prefix. Reloaded before each turn; when a file changed, the block changes
 * and the caller announces a prefix change.
 */
import { readFile, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Claude Code follows imports five hops deep. */
export const MAX_IMPORT_DEPTH = 5;
/** One instruction file past this is not instructions (a log, a dump). */
export const MAX_INSTRUCTION_FILE_BYTES = 64 * 1024;
/** All instruction files together: the rest would crowd out the work. */
export const MAX_INSTRUCTION_TOTAL_BYTES = 256 * 1024;
/** Folders between the repository root and the working folder; more is a wrong root. */
const MAX_FOLDER_DEPTH = 32;

/** The files looked for in each folder, in order. */
const PROJECT_FILES = [
  { name: 'CLAUDE.md', kind: 'project' },
  { name: join('.claude', 'CLAUDE.md'), kind: 'project' },
  { name: 'AGENTS.md', kind: 'project' },
  { name: 'CLAUDE.local.md', kind: 'local' },
] as const;

export type InstructionKind = 'user' | 'project' | 'local' | 'import';

export interface InstructionFile {
  /** Absolute path, as read. */
  readonly path: string;
  readonly kind: InstructionKind;
  /** For an import: the file that named it. */
  readonly importedBy?: string;
  /** Estimated tokens (utf8 bytes / 4, as elsewhere in Troika). */
  readonly tokens: number;
  readonly text: string;
}

export interface InstructionsOptions {
  /** The agent's working folder. */
  readonly workDir: string;
  /** The top folder searched: the worktree's or repository's root, else `workDir`. */
  readonly root: string;
  /** The user's own checkout matching `root` (where git-ignored `CLAUDE.local.md` lives), when it differs. */
  readonly localRoot?: string;
  /** The home folder for `~/.claude/CLAUDE.md` and `@~/` imports; none read when omitted. */
  readonly homeDir?: string;
}

export interface Instructions {
  readonly files: readonly InstructionFile[];
  readonly tokens: number;
  /** The system prompt block; `''` when there are no files. */
  readonly block: string;
  /** What was skipped and why. */
  readonly notes: readonly string[];
}

const DESCRIPTIONS: Record<InstructionKind, string> = {
  user: "user's private global instructions for all projects",
  project: 'project instructions, checked into the codebase',
  local: "user's private project instructions, not checked in",
  import: 'imported',
};

function estimateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text) / 4);
}

function inside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The folders from `root` down to `workDir` (just `workDir` when it is not under `root`). */
function foldersDown(root: string, workDir: string): string[] {
  if (!inside(workDir, root)) return [workDir];
  const parts = relative(root, workDir)
    .split(sep)
    .filter((part) => part !== '');
  const folders = [root];
  for (const part of parts.slice(0, MAX_FOLDER_DEPTH))
    folders.push(join(folders[folders.length - 1] ?? root, part));
  return folders;
}

/** `@path` references outside code: fenced blocks and inline code spans are left out, as in Claude Code. */
export function importsOf(text: string): string[] {
  const prose = text.replace(/^(```|~~~)[\s\S]*?^\1/gm, '').replace(/`[^`\n]*`/g, '');
  const found: string[] = [];
  for (const match of prose.matchAll(/(?<![\w@/])@((?:~\/|\.{1,2}\/|\/)?[\w.\-/]+)/g)) {
    const path = (match[1] ?? '').replace(/[.,;:)]+$/, '');
    // A file has an extension or a path prefix; `@alice` or `@angular/core` is not a file.
    const isFile = /^(~\/|\.{1,2}\/|\/)/.test(path) || /\.\w+$/.test(path);
    if (isFile && !found.includes(path)) found.push(path);
  }
  return found;
}

class Reader {
  readonly files: InstructionFile[] = [];
  readonly notes: string[] = [];
  readonly #seen = new Set<string>();
  readonly #allowed: string[];
  readonly #homeDir: string | undefined;
  #bytes = 0;

  constructor(allowed: string[], homeDir: string | undefined) {
    this.#allowed = allowed;
    this.#homeDir = homeDir;
  }

  /** Reads `path` (if it exists) and what it imports; returns whether it was read. */
  async add(path: string, kind: InstructionKind, depth = 0, importedBy?: string): Promise<boolean> {
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      if (importedBy !== undefined)
        this.notes.push(`${importedBy}: imports ${path}, which does not exist`);
      return false;
    }
    if (this.#seen.has(real)) return false;
    if (importedBy !== undefined && !this.#allowed.some((folder) => inside(real, folder))) {
      this.notes.push(
        `${importedBy}: imports ${path}, outside the repository and ~/.claude; not read`,
      );
      return false;
    }
    let text: string;
    try {
      text = await readFile(real, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A folder named CLAUDE.md, or one the user cannot read: say so, read the rest.
      if (code !== 'ENOENT') this.notes.push(`${path}: cannot be read (${code ?? 'error'})`);
      return false;
    }
    this.#seen.add(real);
    const bytes = Buffer.byteLength(text);
    if (bytes > MAX_INSTRUCTION_FILE_BYTES) {
      this.notes.push(`${path}: ${bytes} bytes, over ${MAX_INSTRUCTION_FILE_BYTES}; not read`);
      return false;
    }
    if (this.#bytes + bytes > MAX_INSTRUCTION_TOTAL_BYTES) {
      this.notes.push(
        `${path}: instruction files are over ${MAX_INSTRUCTION_TOTAL_BYTES} bytes together; not read`,
      );
      return false;
    }
    this.#bytes += bytes;
    const clean = text
      .replace(/^\uFEFF/, '')
      .replace(/\r\n?/g, '\n')
      .trim();
    this.files.push({
      path,
      kind,
      ...(importedBy !== undefined && { importedBy }),
      tokens: estimateTokens(clean),
      text: clean,
    });
    for (const reference of importsOf(clean)) {
      if (depth >= MAX_IMPORT_DEPTH) {
        this.notes.push(
          `${path}: imports ${reference} more than ${MAX_IMPORT_DEPTH} levels deep; not read`,
        );
        continue;
      }
      const target = reference.startsWith('~/')
        ? this.#homeDir === undefined
          ? undefined
          : join(this.#homeDir, reference.slice(2))
        : resolve(dirname(path), reference);
      if (target !== undefined) await this.add(target, 'import', depth + 1, path);
    }
    return true;
  }
}

function render(files: readonly InstructionFile[]): string {
  if (files.length === 0) return '';
  const sections = files
    .filter((file) => file.text !== '')
    .map((file) => {
      const what =
        file.importedBy === undefined ? DESCRIPTIONS[file.kind] : `imported by ${file.importedBy}`;
      return `Contents of ${file.path} (${what}):\n\n${file.text}`;
    });
  return [
    "Instructions from the repository's and the user's instruction files (CLAUDE.md, AGENTS.md) follow. They are the developer's standing instructions: follow them as written, unless a message from the developer says otherwise.",
    ...sections,
  ].join('\n\n');
}

/** Read the instruction files for an agent working in `options.workDir`. Never throws: problems are notes. */
export async function loadInstructions(options: InstructionsOptions): Promise<Instructions> {
  const claudeHome = options.homeDir === undefined ? undefined : join(options.homeDir, '.claude');
  const allowed = [options.root, options.localRoot, claudeHome].filter(
    (folder): folder is string => folder !== undefined,
  );
  const realAllowed = await Promise.all(
    allowed.map((folder) => realpath(folder).catch(() => folder)),
  );
  const reader = new Reader(realAllowed, options.homeDir);
  if (claudeHome !== undefined) await reader.add(join(claudeHome, 'CLAUDE.md'), 'user');
  for (const folder of foldersDown(options.root, options.workDir)) {
    for (const file of PROJECT_FILES) {
      if (file.kind === 'local' && options.localRoot !== undefined) {
        const mirrored = join(options.localRoot, relative(options.root, folder), file.name);
        if (await reader.add(mirrored, 'local')) continue;
      }
      await reader.add(join(folder, file.name), file.kind);
    }
  }
  const files = reader.files;
  return {
    files,
    tokens: files.reduce((sum, file) => sum + file.tokens, 0),
    block: render(files),
    notes: reader.notes,
  };
}
