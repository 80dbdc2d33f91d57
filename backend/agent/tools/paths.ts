/**
 * Confines every path a tool touches to the agent's working folder, after
 * resolving symlinks: `../x`, an absolute path elsewhere, and a symlink that
 * points out of the folder are all refused.
 */
import { lstat, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ToolInputError } from './tool.ts';

/** PATH_MAX on Linux: no longer path can be opened, and resolving one costs time in its length squared. */
const MAX_PATH_CHARS = 4096;

/** Whether `candidate` is `root` or below it (both absolute, symlinks already resolved). */
export function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves `requested` (relative to `root`, or absolute) to a real path inside
 * `root` (itself a real path). A path that does not exist yet is resolved
 * through its nearest existing ancestor.
 * @throws {ToolInputError} when the path leaves `root`.
 */
export async function resolveInWorkspace(root: string, requested: string): Promise<string> {
  if (requested.includes('\0'))
    throw new ToolInputError(`The path "${requested}" contains a NUL character`);
  if (requested.length > MAX_PATH_CHARS)
    throw new ToolInputError(
      `The path "${requested.slice(0, 80)}…" is ${requested.length} characters long; paths are limited to ${MAX_PATH_CHARS}`,
    );
  const lexical = resolve(root, requested);
  if (!isInside(root, lexical)) {
    throw new ToolInputError(
      `The path "${requested}" is outside the workspace ${root}; only paths inside it can be used`,
    );
  }
  let existing = lexical;
  const missing: string[] = [];
  for (;;) {
    try {
      const real = await realpath(existing);
      const full = missing.length > 0 ? join(real, ...missing.reverse()) : real;
      if (!isInside(root, full)) {
        throw new ToolInputError(
          `The path "${requested}" leads outside the workspace through a symbolic link; only paths inside ${root} can be used`,
        );
      }
      return full;
    } catch (error) {
      if (error instanceof ToolInputError) throw error;
      // A dangling symlink: writing to it would create its target, wherever that is.
      if (await exists(existing))
        throw new ToolInputError(`The path "${requested}" is a symbolic link to a missing target`);
      const parent = dirname(existing);
      if (parent === existing)
        throw new ToolInputError(`The path "${requested}" cannot be resolved`);
      missing.push(existing.slice(parent.length).replace(/^[\\/]/, ''));
      existing = parent;
    }
  }
}

/** `path` as the model should see it: relative to the workspace when inside it. */
export function displayPath(root: string, path: string): string {
  const rel = relative(root, path);
  return rel === '' ? '.' : rel;
}
