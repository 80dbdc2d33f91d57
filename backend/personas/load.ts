/**
 * Loading personas from every place they may live, lowest precedence first:
 *
 * 1. the built-ins shipped with the app;
 * 2. the user's Claude Code subagents, `~/.claude/agents/` (recursively);
 * 3. Troika's persona folder (the setting, `TROIKA_PERSONAS_DIR`, or the data folder's `personas/`);
 * 4. the workspace's Claude Code subagents, `<workspace>/.claude/agents/` (recursively).
 *
 * A later place's persona replaces an earlier one of the same name, as a
 * project subagent replaces a user one in Claude Code. A broken file is
 * reported and skipped, so one typo does not take every persona away; its
 * name (when it can be read) is kept, so pinning it is an error rather than
 * a silent fallback.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePersona, PersonaError } from './parse.ts';
import type { Persona, PersonaOrigin } from './persona.ts';

/** A persona is a prompt, not a book: a larger file is a mistake (or not a persona). */
export const MAX_PERSONA_FILE_BYTES = 64 * 1024;
/** Subfolders only organise subagents; deeper than this is a wrong folder (or a link loop). */
export const MAX_AGENTS_DEPTH = 6;
/** More files than this in one persona folder is not a persona collection. */
export const MAX_PERSONA_FILES = 500;

/**
 * Where the built-in persona files live: beside this module. A build that
 * compiles to another folder must copy `builtin/*.md` along.
 */
export const BUILTIN_PERSONAS_DIR = fileURLToPath(new URL('./builtin/', import.meta.url));

/** The Claude Code subagent folder under a workspace or a home folder. */
export function claudeAgentsDir(root: string): string {
  return join(root, '.claude', 'agents');
}

export interface LoadPersonasOptions {
  /** Default {@link BUILTIN_PERSONAS_DIR}. */
  readonly builtinDir?: string;
  /** The user's home folder, for `~/.claude/agents`; none read when omitted. */
  readonly homeDir?: string;
  /** Troika's persona folder; a folder that does not exist yet means "none". */
  readonly userDir?: string;
  /** The agent's workspace, for `.claude/agents`; none read when omitted. */
  readonly workspaceDir?: string;
}

export interface LoadedPersonas {
  /** By name, sorted. */
  readonly personas: readonly Persona[];
  /** Files that could not be used, each naming the file and the problem. */
  readonly errors: readonly PersonaError[];
  /** Names a later place replaced (a built-in, or a persona of an earlier folder). */
  readonly overridden: readonly string[];
  /** Persona names whose file failed to load, with the error: pinning one is an error. */
  readonly failed: ReadonlyMap<string, PersonaError>;
}

async function markdownFiles(dir: string, recursive: boolean, depth = 0): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) files.push(path);
    // Symbolic links to folders are not followed: a loop would never end.
    else if (recursive && entry.isDirectory() && depth < MAX_AGENTS_DEPTH)
      files.push(...(await markdownFiles(path, true, depth + 1)));
    if (files.length > MAX_PERSONA_FILES) break;
  }
  return files.sort();
}

/** The name a broken file meant to have: its `name:` line, else its file name. */
function intendedName(text: string | undefined, file: string): string {
  const line = text === undefined ? null : /^name:[ \t]*["']?([^"'\n]+?)["']?[ \t]*$/m.exec(text);
  return (line?.[1] ?? basename(file).replace(/\.md$/i, '')).trim();
}

/**
 * Files parsed before, by path, while their size and modification time stay
 * the same: every worktree of a plan loads the same built-in and user
 * personas, and parsing them again cost each new agent tens of milliseconds.
 */
const parsed = new Map<string, { version: string; persona: Persona }>();
const MAX_PARSED = 2_000;

async function readPersona(
  file: string,
  origin: PersonaOrigin,
  onText: (text: string) => void,
): Promise<Persona> {
  const info = await stat(file);
  if (info.size > MAX_PERSONA_FILE_BYTES) {
    throw new PersonaError(
      file,
      `is ${info.size} bytes; a persona file may be at most ${MAX_PERSONA_FILE_BYTES}`,
    );
  }
  const version = `${origin}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
  const known = parsed.get(file);
  if (known?.version === version) return known.persona;
  const text = await readFile(file, 'utf8');
  onText(text);
  const persona = parsePersona(text, file, origin);
  if (parsed.size >= MAX_PARSED) parsed.clear();
  parsed.set(file, { version, persona });
  return persona;
}

/** Reads every persona in `dir`; errors go to `errors` (and `failed`), duplicates within the folder included. */
async function readFolder(
  dir: string,
  origin: PersonaOrigin,
  errors: PersonaError[],
  failed: Map<string, PersonaError>,
  recursive: boolean,
): Promise<Map<string, Persona>> {
  const found = new Map<string, Persona>();
  const files = await markdownFiles(dir, recursive);
  if (files.length > MAX_PERSONA_FILES)
    errors.push(
      new PersonaError(
        dir,
        `holds more than ${MAX_PERSONA_FILES} Markdown files; the first ${MAX_PERSONA_FILES} were read`,
      ),
    );
  // Read side by side (a new agent's start waits for this), then taken in the files' order.
  const reads = await Promise.all(
    files.slice(0, MAX_PERSONA_FILES).map(async (file) => {
      let text: string | undefined;
      try {
        const persona = await readPersona(file, origin, (read) => (text = read));
        return { ok: true as const, file, persona, text };
      } catch (error) {
        return { ok: false as const, file, error, text };
      }
    }),
  );
  for (const read of reads) {
    const { file } = read;
    try {
      if (!read.ok) throw read.error;
      const { persona } = read;
      const earlier = found.get(persona.name);
      if (earlier !== undefined)
        throw new PersonaError(file, `name "${persona.name}" is already used by ${earlier.source}`);
      found.set(persona.name, persona);
    } catch (error) {
      const problem =
        error instanceof PersonaError ? error : new PersonaError(file, (error as Error).message);
      errors.push(problem);
      const name = intendedName(read.text, file);
      if (!found.has(name)) failed.set(name, problem);
    }
  }
  return found;
}

/** Built-in persona folders read in this process: they ship with the app and do not change while it runs. */
const builtinRead = new Map<string, Promise<ReadonlyMap<string, Persona>>>();

/**
 * The built-in personas of `dir`, read once per process (every new agent
 * worktree loads the personas again; only its own folder can have changed).
 * A broken built-in file throws, and is read again next time.
 */
function builtinPersonas(dir: string): Promise<ReadonlyMap<string, Persona>> {
  let reading = builtinRead.get(dir);
  if (reading === undefined) {
    reading = (async () => {
      const errors: PersonaError[] = [];
      const found = await readFolder(dir, 'builtin', errors, new Map(), false);
      if (errors[0] !== undefined) throw errors[0];
      return found;
    })();
    builtinRead.set(dir, reading);
    reading.catch(() => builtinRead.delete(dir));
  }
  return reading;
}

/**
 * Load the personas of every place in the module header's order. A broken
 * built-in file is a bug and throws; any other broken file is returned in
 * `errors` for the runtime to show.
 * @throws {PersonaError} for a broken built-in persona.
 */
export async function loadPersonas(options: LoadPersonasOptions = {}): Promise<LoadedPersonas> {
  const personas = new Map(await builtinPersonas(options.builtinDir ?? BUILTIN_PERSONAS_DIR));

  const errors: PersonaError[] = [];
  const failed = new Map<string, PersonaError>();
  const overridden = new Set<string>();
  const places: Array<{ dir: string; origin: PersonaOrigin; recursive: boolean }> = [];
  if (options.homeDir !== undefined)
    places.push({ dir: claudeAgentsDir(options.homeDir), origin: 'claude-user', recursive: true });
  if (options.userDir !== undefined)
    places.push({ dir: options.userDir, origin: 'user', recursive: false });
  if (options.workspaceDir !== undefined)
    places.push({ dir: claudeAgentsDir(options.workspaceDir), origin: 'project', recursive: true });
  for (const place of places) {
    let found = new Map<string, Persona>();
    try {
      found = await readFolder(place.dir, place.origin, errors, failed, place.recursive);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        errors.push(new PersonaError(place.dir, `cannot be read: ${(error as Error).message}`));
      }
    }
    for (const [name, persona] of found) {
      if (personas.has(name)) overridden.add(name);
      personas.set(name, persona);
    }
  }
  // A name that loaded from some place is usable: the broken file is only reported.
  for (const name of personas.keys()) failed.delete(name);
  const sorted = [...personas.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  return { personas: sorted, errors, overridden: [...overridden].sort(), failed };
}
