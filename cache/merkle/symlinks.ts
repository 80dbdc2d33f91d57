/**
 * Following symlinks *inside* the workspace, for dependencies only: the scan
 * never follows a link. A result read through `alias/a.ts`, where `alias`
 * links to `real`, depends on the link's target text and on `real/a.ts`.
 */
import path from 'node:path';
import type { SymlinkNode, TreeNode } from './node.ts';
import { parentOf, ROOT_PATH, toRelative } from './paths.ts';

/** The first symlink on the way from the root to `relative` (itself included). */
export function firstSymlink(
  relative: string,
  lookup: (relative: string) => TreeNode | undefined,
): SymlinkNode | undefined {
  if (relative === ROOT_PATH) return undefined;
  for (let slash = relative.indexOf('/'); ; slash = relative.indexOf('/', slash + 1)) {
    const node = lookup(slash === -1 ? relative : relative.slice(0, slash));
    if (node === undefined) return undefined;
    if (node.kind === 'symlink') return node;
    if (slash === -1) return undefined;
  }
}

/** Where a link points, as a relative path; `undefined` when that is outside the root. */
export function linkTarget(root: string, link: SymlinkNode): string | undefined {
  const target = link.target;
  if (path.isAbsolute(target)) return toRelative(root, target);
  const text = path.sep === '\\' ? target.replaceAll('\\', '/') : target;
  const joined = path.posix.normalize(path.posix.join(parentOf(link.path) ?? '', text));
  if (joined === '.' || joined === './') return ROOT_PATH;
  if (joined === '..' || joined.startsWith('../') || joined.startsWith('/')) return undefined;
  return joined.endsWith('/') ? joined.slice(0, -1) : joined;
}
