/**
 * Workspace-relative paths: POSIX separators, no leading `./`, `''` for the root.
 * Every path inside the tree and the cache is in this form, whatever the OS.
 */
import path from 'node:path';

/** The root folder's relative path. */
export const ROOT_PATH = '';

/**
 * Turn an absolute or root-relative path into the canonical relative form, or
 * `undefined` when it lies outside the root.
 */
export function toRelative(root: string, input: string): string | undefined {
  if (isCanonicalRelative(input)) return input;
  const absolute = path.resolve(root, input);
  const relative = path.relative(root, absolute);
  if (relative === '') return ROOT_PATH;
  if (relative === '..' || relative.startsWith('..' + path.sep) || path.isAbsolute(relative))
    return undefined;
  return path.sep === '/' ? relative : relative.split(path.sep).join('/');
}

const NON_CANONICAL_SEGMENT = /(^|\/)\.{1,2}(\/|$)|\/\/|\\/;

/**
 * Already canonical: relative, POSIX separators, no `.`/`..` segments, no
 * doubled or trailing slash. The common case, answered without path math.
 */
function isCanonicalRelative(input: string): boolean {
  if (input === '') return true;
  if (
    input.charCodeAt(0) === 47 ||
    input.charCodeAt(input.length - 1) === 47 ||
    path.isAbsolute(input)
  )
    return false;
  return !NON_CANONICAL_SEGMENT.test(input);
}

/** Absolute OS path of a relative path. */
export function toAbsolute(root: string, relative: string): string {
  return relative === ROOT_PATH ? root : path.join(root, relative);
}

/** Join a folder's relative path and a child name. */
export function joinPath(folder: string, name: string): string {
  return folder === ROOT_PATH ? name : folder + '/' + name;
}

/** Parent folder of a relative path; the root's parent is `undefined`. */
export function parentOf(relative: string): string | undefined {
  if (relative === ROOT_PATH) return undefined;
  const slash = relative.lastIndexOf('/');
  return slash === -1 ? ROOT_PATH : relative.slice(0, slash);
}

/** Last segment of a relative path. */
export function baseName(relative: string): string {
  return relative.slice(relative.lastIndexOf('/') + 1);
}

/** True when `relative` is `folder` itself or lies below it. */
export function isWithin(relative: string, folder: string): boolean {
  if (folder === ROOT_PATH) return true;
  return (
    relative === folder ||
    (relative.startsWith(folder) && relative.charCodeAt(folder.length) === 47)
  );
}

/** Depth of a path: the root is 0, a top-level entry 1. */
export function depthOf(relative: string): number {
  if (relative === ROOT_PATH) return 0;
  let depth = 1;
  for (let i = 0; i < relative.length; i++) if (relative.charCodeAt(i) === 47) depth++;
  return depth;
}
