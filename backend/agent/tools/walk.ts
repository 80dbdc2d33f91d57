/**
 * Walks a folder tree the way a developer sees it: `.git` skipped and every
 * `.gitignore` on the way honoured, in a stable (sorted) order. The walk never
 * leaves the workspace: a symbolic link is followed only when its real target
 * is inside it, and a folder is walked once however many links lead to it
 * (so a symlink loop ends), the others being reported as links.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isInside } from './paths.ts';

/** Why a symbolic link was listed but not followed. */
export type UnfollowedLink =
  | { reason: 'outside' }
  | { reason: 'broken' }
  /** A folder of the workspace walked under its own path (or already walked): `target` relative to the workspace. */
  | { reason: 'duplicate'; target: string };

export interface WalkEntry {
  /** Path relative to the walk's root, with `/` separators, as the model sees it. */
  path: string;
  /** The real path, inside the workspace, to read; for a link not followed, the link itself. */
  absolute: string;
  kind: 'file' | 'directory' | 'link';
  /** Set for a `link`. */
  unfollowed?: UnfollowedLink;
  depth: number;
}

export interface WalkOptions {
  /** The workspace (a real path): nothing outside it is read or descended. */
  workspace: string;
  maxDepth: number;
  includeHidden?: boolean;
  signal?: AbortSignal;
}

interface IgnoreScope {
  /** The folder holding the .gitignore, as a walk path ('' for the root). */
  base: string;
  rules: Ignore;
}

async function scopeFor(realDir: string, base: string): Promise<IgnoreScope | undefined> {
  try {
    return { base, rules: ignore().add(await readFile(join(realDir, '.gitignore'), 'utf8')) };
  } catch {
    return undefined;
  }
}

// Matched on walk paths, not real ones: a folder reached through a link is
// judged by where it appears, and `ignore` refuses paths starting with "../".
function ignored(scopes: readonly IgnoreScope[], path: string, isDirectory: boolean): boolean {
  return scopes.some((scope) => {
    const rel = scope.base === '' ? path : path.slice(scope.base.length + 1);
    return scope.rules.ignores(isDirectory ? `${rel}/` : rel);
  });
}

interface Walk {
  root: string;
  options: WalkOptions;
  /** Real paths of folders already descended. */
  visited: Set<string>;
}

type Resolved =
  | { kind: 'file' | 'directory'; real: string }
  | { kind: 'link'; unfollowed: UnfollowedLink; isDirectory: boolean };

/** What an entry is once any symlink is resolved; undefined for what is neither file nor folder (a FIFO would block a read). */
async function resolveEntry(
  walk: Walk,
  entry: Dirent,
  absolute: string,
): Promise<Resolved | undefined> {
  if (entry.isFile()) return { kind: 'file', real: absolute };
  if (entry.isDirectory()) return { kind: 'directory', real: absolute };
  if (!entry.isSymbolicLink()) return undefined;
  const broken: Resolved = { kind: 'link', unfollowed: { reason: 'broken' }, isDirectory: false };
  const real = await realpath(absolute).catch(() => undefined);
  if (real === undefined) return broken;
  if (!isInside(walk.options.workspace, real))
    return { kind: 'link', unfollowed: { reason: 'outside' }, isDirectory: false };
  const info = await stat(real).catch(() => undefined);
  if (!info) return broken;
  if (info.isFile()) return { kind: 'file', real };
  if (!info.isDirectory()) return undefined;
  // A target under the walk's root is walked under its own path; following the link too would repeat it.
  if (walk.visited.has(real) || isInside(walk.root, real)) {
    const target = relative(walk.options.workspace, real).split(sep).join('/');
    return { kind: 'link', unfollowed: { reason: 'duplicate', target }, isDirectory: true };
  }
  return { kind: 'directory', real };
}

/** `root` must be a real path inside `options.workspace` (see `resolveInWorkspace`). */
export async function* walk(root: string, options: WalkOptions): AsyncGenerator<WalkEntry> {
  const state: Walk = { root, options, visited: new Set([root]) };
  const rootScope = await scopeFor(root, '');
  yield* walkDir(state, root, '', rootScope ? [rootScope] : [], 1);
}

async function* walkDir(
  walk: Walk,
  realDir: string,
  dirPath: string,
  scopes: IgnoreScope[],
  depth: number,
): AsyncGenerator<WalkEntry> {
  const { options } = walk;
  if (options.signal?.aborted) return;
  let entries;
  try {
    entries = await readdir(realDir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (options.signal?.aborted) return;
    if (entry.name === '.git') continue;
    if (!options.includeHidden && entry.name.startsWith('.')) continue;
    const path = dirPath === '' ? entry.name : `${dirPath}/${entry.name}`;
    const absolute = join(realDir, entry.name);
    const resolved = await resolveEntry(walk, entry, absolute);
    if (!resolved) continue;
    const isDirectory =
      resolved.kind === 'link' ? resolved.isDirectory : resolved.kind === 'directory';
    if (ignored(scopes, path, isDirectory)) continue;
    if (resolved.kind === 'link') {
      yield { path, absolute, kind: 'link', unfollowed: resolved.unfollowed, depth };
      continue;
    }
    yield { path, absolute: resolved.real, kind: resolved.kind, depth };
    if (resolved.kind === 'directory' && depth < options.maxDepth) {
      if (walk.visited.has(resolved.real)) continue;
      walk.visited.add(resolved.real);
      const scope = await scopeFor(resolved.real, path);
      yield* walkDir(walk, resolved.real, path, scope ? [...scopes, scope] : scopes, depth + 1);
    }
  }
}
