/**
 * Loading personas: the built-ins shipped with the app, then the user's own
 * folder. A user persona with a built-in's name replaces it; any other name
 * adds a persona. A broken user file is reported and skipped, so one typo
 * does not take every persona away.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePersona, PersonaError } from './parse.ts';
import type { Persona, PersonaOrigin } from './persona.ts';

/** A persona is a prompt, not a book: a larger file is a mistake (or not a persona). */
export const MAX_PERSONA_FILE_BYTES = 64 * 1024;

/**
 * Where the built-in persona files live: beside this module. A build that
 * compiles to another folder must copy `builtin/*.md` along.
 */
export const BUILTIN_PERSONAS_DIR = fileURLToPath(new URL('./builtin/', import.meta.url));

export interface LoadPersonasOptions {
  /** Default {@link BUILTIN_PERSONAS_DIR}. */
  readonly builtinDir?: string;
  /** The user's persona folder; a folder that does not exist yet means "none". */
  readonly userDir?: string;
}

export interface LoadedPersonas {
  /** By name, sorted. */
  readonly personas: readonly Persona[];
  /** User files that could not be used, each naming the file and the problem. */
  readonly errors: readonly PersonaError[];
  /** Built-in names a user file replaced. */
  readonly overridden: readonly string[];
}

async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.md'))
    .map((entry) => join(dir, entry.name))
    .sort();
}

async function readPersona(file: string, origin: PersonaOrigin): Promise<Persona> {
  const info = await stat(file);
  if (info.size > MAX_PERSONA_FILE_BYTES) {
    throw new PersonaError(
      file,
      `is ${info.size} bytes; a persona file may be at most ${MAX_PERSONA_FILE_BYTES}`,
    );
  }
  return parsePersona(await readFile(file, 'utf8'), file, origin);
}

/** Reads every persona in `dir`; errors go to `errors`, duplicates within the folder included. */
async function readFolder(
  dir: string,
  origin: PersonaOrigin,
  errors: PersonaError[],
): Promise<Map<string, Persona>> {
  const found = new Map<string, Persona>();
  for (const file of await markdownFiles(dir)) {
    try {
      const persona = await readPersona(file, origin);
      const earlier = found.get(persona.name);
      if (earlier !== undefined)
        throw new PersonaError(file, `name "${persona.name}" is already used by ${earlier.source}`);
      found.set(persona.name, persona);
    } catch (error) {
      errors.push(
        error instanceof PersonaError ? error : new PersonaError(file, (error as Error).message),
      );
    }
  }
  return found;
}

/**
 * Load the built-in personas and the user's. A broken built-in file is a bug
 * and throws; a broken user file is returned in `errors` for the runtime to
 * show.
 * @throws {PersonaError} for a broken built-in persona.
 */
export async function loadPersonas(options: LoadPersonasOptions = {}): Promise<LoadedPersonas> {
  const builtinErrors: PersonaError[] = [];
  const personas = await readFolder(
    options.builtinDir ?? BUILTIN_PERSONAS_DIR,
    'builtin',
    builtinErrors,
  );
  if (builtinErrors[0] !== undefined) throw builtinErrors[0];

  const errors: PersonaError[] = [];
  const overridden: string[] = [];
  if (options.userDir !== undefined) {
    let user = new Map<string, Persona>();
    try {
      user = await readFolder(options.userDir, 'user', errors);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        errors.push(
          new PersonaError(options.userDir, `cannot be read: ${(error as Error).message}`),
        );
      }
    }
    for (const [name, persona] of user) {
      if (personas.has(name)) overridden.push(name);
      personas.set(name, persona);
    }
  }
  const sorted = [...personas.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  return { personas: sorted, errors, overridden: overridden.sort() };
}
