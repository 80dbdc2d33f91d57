/**
 * Reading the disk into tree nodes: a whole folder subtree, or one path.
 *
 * Small files are read synchronously (one call is much cheaper than a trip
 * through the libuv thread pool), and the scan yields to the event loop every
 * {@link SCAN_SLICE_MS} so the app stays responsive during a first hash.
 * Large files are streamed. Symlinks are recorded, never followed, so the scan
 * cannot leave the root or loop.
 */
import { lstatSync, readdirSync, readlinkSync, type Dirent, type Stats } from 'node:fs';
import { SCAN_SLICE_MS } from '../limits.ts';
import { hashFolder, hashLink, hashRegularFile, type FolderChild } from './hash.ts';
import type { IgnoreRules } from './ignore-rules.ts';
import type { FileNode, FolderNode, TreeNode } from './node.ts';
import { joinPath, toAbsolute } from './paths.ts';
import type { WorkspaceWatcher } from './watch/watcher.ts';

/** Thrown into a running scan when its owner was disposed. */
export class ScanCancelledError extends Error {
  constructor() {
    super('scan cancelled');
    this.name = 'ScanCancelledError';
  }
}

/** Yields to the event loop once a slice of synchronous work is used up; stops a cancelled scan there. */
export class WorkSlicer {
  readonly #isCancelled: () => boolean;
  #sliceStart = performance.now();

  constructor(isCancelled: () => boolean) {
    this.#isCancelled = isCancelled;
  }

  async yieldIfDue(): Promise<void> {
    if (performance.now() - this.#sliceStart < SCAN_SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.#sliceStart = performance.now();
    if (this.#isCancelled()) throw new ScanCancelledError();
  }
}

/** What a scan needs from the tree. */
export interface ScanContext {
  readonly root: string;
  readonly rules: IgnoreRules;
  readonly watcher: WorkspaceWatcher;
  readonly slicer: WorkSlicer;
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** A path that vanished or became unreadable while being read is simply not in the tree. */
export function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return (
    code === 'ENOENT' ||
    code === 'ENOTDIR' ||
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'ELOOP'
  );
}

/** Recompute a folder's hash from its children, sorting names only when the set changed. */
export function rehashFolder(folder: FolderNode): string {
  folder.sortedNames ??= [...folder.children.keys()].sort();
  const children = folder.children;
  const listing = folder.sortedNames.map((name): FolderChild => {
    const child = children.get(name)!;
    return { name, kind: child.kind, hash: child.hash };
  });
  folder.hash = hashFolder(listing);
  return folder.hash;
}

/**
 * Scan a folder and everything below it. The watcher is told about the folder
 * before it is listed, so a change after the listing is reported.
 */
export async function scanFolder(
  context: ScanContext,
  relative: string,
  inode: number,
): Promise<FolderNode> {
  context.watcher.watchFolder(relative, inode);
  context.rules.loadFolder(relative);
  const folder: FolderNode = {
    kind: 'folder',
    path: relative,
    hash: '',
    inode,
    children: new Map(),
    sortedNames: undefined,
  };
  let entries: Dirent[];
  try {
    entries = readdirSync(toAbsolute(context.root, relative), { withFileTypes: true });
  } catch (error) {
    if (!isGone(error)) throw error;
    entries = [];
  }
  entries.sort(byName);
  for (const entry of entries) {
    await context.slicer.yieldIfDue();
    const child = await readEntry(context, joinPath(relative, entry.name), entry);
    if (child !== undefined) folder.children.set(entry.name, child);
  }
  folder.sortedNames = entries
    .filter((entry) => folder.children.has(entry.name))
    .map((entry) => entry.name);
  rehashFolder(folder);
  return folder;
}

async function readEntry(
  context: ScanContext,
  relative: string,
  entry: Dirent,
): Promise<TreeNode | undefined> {
  const isFolder = entry.isDirectory();
  const isFile = entry.isFile();
  if (!isFolder && !isFile && !entry.isSymbolicLink()) return undefined; // sockets, FIFOs, devices
  if (context.rules.isIgnoredChild(relative, isFolder)) return undefined;
  try {
    // A file needs no lstat: the descriptor it is read through says what it is.
    if (isFile) return await readFile(relative, toAbsolute(context.root, relative));
    return await readPath(context, relative, lstatSync(toAbsolute(context.root, relative)));
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

async function readFile(relative: string, absolute: string): Promise<FileNode | undefined> {
  const digest = await hashRegularFile(absolute);
  return digest === undefined ? undefined : { kind: 'file', path: relative, ...digest };
}

/**
 * Read one path whose `lstat` the caller has, ignore rules already applied.
 * Returns `undefined` for what the tree does not hold (special files).
 */
export async function readPath(
  context: ScanContext,
  relative: string,
  stats: Stats,
): Promise<TreeNode | undefined> {
  const absolute = toAbsolute(context.root, relative);
  if (stats.isDirectory()) return scanFolder(context, relative, stats.ino);
  if (stats.isSymbolicLink()) {
    const target = readlinkSync(absolute);
    return { kind: 'symlink', path: relative, hash: hashLink(target), target };
  }
  if (!stats.isFile()) return undefined;
  return readFile(relative, absolute);
}

/** `lstat` that answers `undefined` for a path that is not there (or not reachable). */
export function lstatOrUndefined(absolute: string): Stats | undefined {
  try {
    return lstatSync(absolute);
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}
