/**
 * The user's side of a landing: where the target branch is checked out, and
 * which of that checkout's uncommitted files a merge would touch (those make
 * Troika refuse: the checkout is never left half-merged, edits never lost).
 */
import { git, gitOut } from './git.ts';

/** The worktree (main checkout or linked) that has `branch` checked out, if any. */
export async function checkoutOf(repo: string, branch: string): Promise<string | null> {
  const list = await gitOut(repo, ['worktree', 'list', '--porcelain', '-z']);
  let path: string | null = null;
  for (const field of list.split('\0')) {
    if (field.startsWith('worktree ')) path = field.slice('worktree '.length);
    else if (field === `branch refs/heads/${branch}` && path !== null) return path;
  }
  return null;
}

/** Paths with uncommitted changes (staged, unstaged, untracked) in a checkout. */
export async function dirtyFiles(checkout: string): Promise<string[]> {
  // Not trimmed: the first entry's status may start with a space.
  const { stdout: out } = await git(checkout, [
    '-c',
    'core.quotepath=off',
    'status',
    '--porcelain=v1',
    '-z',
    '--untracked-files=all',
  ]);
  const parts = out.split('\0');
  const paths: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i] ?? '';
    if (entry.length < 4) continue;
    paths.push(entry.slice(3));
    // A rename or copy is followed by its old path.
    if (entry[0] === 'R' || entry[0] === 'C') paths.push(parts[++i] ?? '');
  }
  return paths;
}

/** Files that differ between two commits or trees, renames as delete plus add. */
export async function changedFiles(repo: string, from: string, to: string): Promise<string[]> {
  const out = await gitOut(repo, [
    '-c',
    'core.quotepath=off',
    'diff',
    '--no-renames',
    '--name-only',
    '-z',
    from,
    to,
    '--',
  ]);
  return out.split('\0').filter(Boolean);
}

/** Dirty files of the checkout that the merge would touch; a folder counts when a touched file is in it. */
export function overlapping(dirty: readonly string[], touched: readonly string[]): string[] {
  const touchedSet = new Set(touched);
  return dirty.filter(
    (path) =>
      touchedSet.has(path) || (path.endsWith('/') && touched.some((t) => t.startsWith(path))),
  );
}
