/**
 * Walks a folder tree the way a developer sees it: `.git` skipped and every
 * `.gitignore` on the way honoured, in a stable (sorted) order.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface WalkEntry {
  /** Path relative to the walk's root, with `/` separators. */
  path: string;
  absolute: string;
  isDirectory: boolean;
  depth: number;
}

interface IgnoreScope {
  base: string;
  rules: Ignore;
}

async function scopeFor(dir: string): Promise<IgnoreScope | undefined> {
  try {
    return { base: dir, rules: ignore().add(await readFile(join(dir, '.gitignore'), 'utf8')) };
  } catch {
    return undefined;
  }
}

function ignored(scopes: readonly IgnoreScope[], absolute: string, isDirectory: boolean): boolean {
  return scopes.some((scope) => {
    const rel = relative(scope.base, absolute).split(sep).join('/');
    return rel !== '' && scope.rules.ignores(isDirectory ? `${rel}/` : rel);
  });
}

export interface WalkOptions {
  maxDepth: number;
  includeHidden?: boolean;
  signal?: AbortSignal;
}

export async function* walk(root: string, options: WalkOptions): AsyncGenerator<WalkEntry> {
  const rootScope = await scopeFor(root);
  yield* walkDir(root, root, rootScope ? [rootScope] : [], 1, options);
}

async function* walkDir(
  root: string,
  dir: string,
  scopes: IgnoreScope[],
  depth: number,
  options: WalkOptions,
): AsyncGenerator<WalkEntry> {
  if (options.signal?.aborted) return;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === '.git') continue;
    if (!options.includeHidden && entry.name.startsWith('.')) continue;
    const absolute = join(dir, entry.name);
    const isDirectory = entry.isDirectory();
    if (ignored(scopes, absolute, isDirectory)) continue;
    yield { path: relative(root, absolute).split(sep).join('/'), absolute, isDirectory, depth };
    if (isDirectory && depth < options.maxDepth) {
      const scope = await scopeFor(absolute);
      yield* walkDir(root, absolute, scope ? [...scopes, scope] : scopes, depth + 1, options);
    }
  }
}
