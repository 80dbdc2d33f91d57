/**
 * A Merkle tree over a workspace folder: each file's content hash, each
 * folder's hash from its children's names and hashes.
 *
 * It is built by one full scan and kept current incrementally from a file
 * watcher and from {@link MerkleTree.touched}. Between a reported change and
 * its rehash, the changed path, everything above it and everything below it
 * are *pending*: {@link MerkleTree.hashOf} answers `undefined` for them, so a
 * caller never mistakes an old hash for the current one.
 */
import { readdirSync, type Dirent } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { MAX_SYMLINK_HOPS } from '../limits.ts';
import { PendingPaths, type PendingMark } from './pending.ts';
import { firstSymlink, linkTarget } from './symlinks.ts';
import { MISSING_HASH } from './hash.ts';
import { GITIGNORE, IgnoreRules } from './ignore-rules.ts';
import type { FolderNode, NodeKind, TreeNode } from './node.ts';
import {
  baseName,
  depthOf,
  isWithin,
  joinPath,
  parentOf,
  ROOT_PATH,
  toAbsolute,
  toRelative,
} from './paths.ts';
import {
  isGone,
  lstatOrUndefined,
  readPath,
  rehashFolder,
  scanFolder,
  ScanCancelledError,
  WorkSlicer,
  type ScanContext,
} from './scan.ts';
import {
  defaultBackend,
  startWatcher,
  type WatchBackend,
  type WatchSink,
  type WorkspaceWatcher,
} from './watch/watcher.ts';

/** Options of {@link MerkleTree.open}. */
export interface MerkleTreeOptions {
  /** The workspace folder. Symlinks in the path to it are resolved once, here. */
  readonly root: string;
  /** How changes made by others are noticed; see {@link WatchBackend}. Default: per platform. */
  readonly watch?: WatchBackend;
  /** Called for conditions worth telling the user about; the tree keeps working. */
  readonly onWarning?: (message: string, cause?: unknown) => void;
}

/** One path whose hash changed; {@link MISSING_HASH} when it is gone. */
export interface TreeChange {
  readonly path: string;
  readonly hash: string;
}

/** What one round of incremental updates changed. */
export interface TreeUpdate {
  /** Every path whose hash changed: files, the folders above them, whole subtrees added or removed. */
  readonly changes: readonly TreeChange[];
  /** Folders whose ignore rules changed: any path below them may have entered or left the tree. */
  readonly rulesChanged: readonly string[];
}

/** What the tree knows about one path. */
export interface PathInfo {
  readonly kind: NodeKind;
  readonly hash: string;
  /** Files only. */
  readonly size?: number;
  /** Files only: a NUL in the first 8,000 bytes, git's test. */
  readonly binary?: boolean;
  /** Symlinks only: the target text. */
  readonly target?: string;
}

/** A path and the hash it has now, as a dependency records it. */
export interface PathHash {
  readonly path: string;
  readonly hash: string;
}

/** Counts over the tree, for metrics. */
export interface TreeStats {
  readonly files: number;
  readonly folders: number;
  readonly symlinks: number;
  readonly bytes: number;
}

interface Batch {
  readonly context: ScanContext;
  readonly changes: Map<string, string>;
  readonly rulesChanged: string[];
  /** Folders whose children changed: their hashes are recomputed once, at the end. */
  readonly dirtyFolders: Set<string>;
  /** Folders read whole in this batch: later marks inside them are already covered. */
  readonly scanned: string[];
}

export class MerkleTree {
  /** The workspace root: absolute and real (symlinks resolved). */
  readonly root: string;
  readonly #rules: IgnoreRules;
  readonly #onWarning: (message: string, cause?: unknown) => void;
  readonly #nodes = new Map<string, TreeNode>();
  readonly #pending = new PendingPaths();
  readonly #listeners = new Set<(update: TreeUpdate) => void>();
  readonly #settledWaiters: Array<() => void> = [];
  #watcher: WorkspaceWatcher | undefined;
  #scheduled: NodeJS.Immediate | undefined;
  #draining: Promise<void> | undefined;
  #ready = false;
  #disposed = false;
  #epoch = 0;
  #files = 0;
  #folders = 0;
  #symlinks = 0;
  #bytes = 0;

  private constructor(root: string, onWarning: (message: string, cause?: unknown) => void) {
    this.root = root;
    this.#rules = new IgnoreRules(root);
    this.#onWarning = onWarning;
  }

  /**
   * Hash the workspace and start watching it. The watcher starts first, so a
   * change made during the first scan is applied right after it.
   */
  static async open(options: MerkleTreeOptions): Promise<MerkleTree> {
    const root = await realpath(options.root);
    if (!(await stat(root)).isDirectory())
      throw new Error(`workspace root is not a folder: ${root}`);
    const tree = new MerkleTree(root, options.onWarning ?? (() => {}));
    try {
      tree.#watcher = await startWatcher(options.watch ?? defaultBackend(), root, tree.#sink());
      const context = tree.#context();
      const rootNode = await scanFolder(context, ROOT_PATH, (await stat(root)).ino);
      tree.#adopt(rootNode);
      tree.#ready = true;
      tree.#schedule();
      return tree;
    } catch (error) {
      await tree.dispose();
      throw error;
    }
  }

  /** Canonical relative form of an absolute or root-relative path; `undefined` outside the root. */
  relative(input: string): string | undefined {
    return toRelative(this.root, input);
  }

  /**
   * The current hash of a file, folder or symlink (absolute or root-relative
   * path), or `undefined` when it is not in the tree (missing, ignored,
   * outside the root) or a change to it is still being processed.
   *
   * Compare with a hash obtained earlier to answer "has this changed since?".
   */
  hashOf(input: string): string | undefined {
    const relative = toRelative(this.root, input);
    if (relative === undefined || !this.#isSettled(relative)) return undefined;
    return this.#nodes.get(relative)?.hash;
  }

  /** Kind, hash and (for files) size of a path; `undefined` as for {@link hashOf}. */
  info(input: string): PathInfo | undefined {
    const relative = toRelative(this.root, input);
    if (relative === undefined || !this.#isSettled(relative)) return undefined;
    const node = this.#nodes.get(relative);
    if (node === undefined) return undefined;
    if (node.kind === 'file')
      return { kind: 'file', hash: node.hash, size: node.size, binary: node.binary };
    if (node.kind === 'symlink') return { kind: 'symlink', hash: node.hash, target: node.target };
    return { kind: 'folder', hash: node.hash };
  }

  /**
   * The hash to compare a recorded dependency against: the node's hash,
   * {@link MISSING_HASH} when nothing is there, `undefined` while pending.
   * Takes a canonical relative path (the cache's hot path; no normalization).
   */
  currentHash(relative: string): string | undefined {
    if (this.#pending.size !== 0 && !this.#isSettled(relative)) return undefined;
    return this.#nodes.get(relative)?.hash ?? MISSING_HASH;
  }

  /**
   * A number that changes whenever any hash in the tree may have changed, or
   * -1 while a change is pending. A dependency check that passed at epoch E
   * (E >= 0) still holds while the epoch is E: the cache's fast path.
   */
  get epoch(): number {
    return this.#pending.size === 0 ? this.#epoch : -1;
  }

  /**
   * What a result read through `input` depends on: each symlink passed on the
   * way (its target text can change) and the final path with its current
   * hash ({@link MISSING_HASH} if absent). `undefined` when the path cannot be
   * tracked: outside the root, through a symlink leaving the root, ignored, or
   * pending.
   */
  resolve(input: string): PathHash[] | undefined {
    let relative = toRelative(this.root, input);
    if (relative === undefined) return undefined;
    const through: PathHash[] = [];
    for (let hops = 0; ; hops++) {
      const link = firstSymlink(relative, (prefix) => this.#nodes.get(prefix));
      if (link === undefined) break;
      if (hops >= MAX_SYMLINK_HOPS || !this.#isSettled(link.path)) return undefined;
      through.push({ path: link.path, hash: link.hash });
      const target = linkTarget(this.root, link);
      if (target === undefined) return undefined;
      const rest = relative.slice(link.path.length + 1);
      relative = rest === '' ? target : joinPath(target, rest);
    }
    if (!this.#isSettled(relative)) return undefined;
    const node = this.#nodes.get(relative);
    if (node === undefined && this.#rules.isIgnored(relative, undefined)) return undefined;
    // The node's own path string: dependents then share it with the tree's map.
    through.push({ path: node?.path ?? relative, hash: node?.hash ?? MISSING_HASH });
    return through;
  }

  /**
   * Whether a canonical relative path would be in the tree if it existed: not
   * ignored and not inside `.git` or `node_modules` (cautious: a path ignored
   * as either a file or a folder counts as not tracked).
   */
  tracks(relative: string): boolean {
    return !this.#rules.isIgnored(relative, undefined);
  }

  /**
   * Report paths the caller changed itself (files or folders; absolute or
   * root-relative). They are pending from this call on; the promise settles
   * once the tree, and everyone listening to it, reflect them.
   */
  async touched(paths: Iterable<string>): Promise<void> {
    if (this.#disposed) return;
    for (const input of paths) {
      const relative = toRelative(this.root, input);
      if (relative === undefined) {
        this.#onWarning(`touched() ignored a path outside the workspace: ${input}`);
        continue;
      }
      this.#mark(relative, true);
    }
    this.#schedule(true);
    await this.settled();
  }

  /** Resolves once no change is pending. */
  settled(): Promise<void> {
    if ((this.#pending.size === 0 && this.#draining === undefined) || this.#disposed)
      return Promise.resolve();
    return new Promise((resolve) => this.#settledWaiters.push(resolve));
  }

  /** Listen to every round of updates; returns the function that stops listening. */
  onUpdate(listener: (update: TreeUpdate) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Files, folders, symlinks and file bytes currently in the tree. */
  stats(): TreeStats {
    return {
      files: this.#files,
      folders: this.#folders,
      symlinks: this.#symlinks,
      bytes: this.#bytes,
    };
  }

  /** Which watcher backend is running. */
  get watchBackend(): WatchBackend {
    return this.#watcher?.backend ?? 'none';
  }

  /** Stop watching; pending work is abandoned. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    await this.#draining;
    await this.#watcher?.dispose();
    this.#listeners.clear();
    this.#resolveSettled();
  }

  // ----- pending marks ---------------------------------------------------------------------------

  #sink(): WatchSink {
    return {
      changed: (paths) => {
        for (const relative of paths)
          if (!this.#isIgnoredEvent(relative)) this.#mark(relative, false);
      },
      lost: (reason) => {
        this.#onWarning(`file events were lost (${reason}); rescanning the workspace`);
        this.#mark(ROOT_PATH, true);
      },
      warn: (message, cause) => this.#onWarning(message, cause),
    };
  }

  /** Events for ignored paths (build output, logs) are dropped before they cost a stat. */
  #isIgnoredEvent(relative: string): boolean {
    if (this.#nodes.has(relative)) return false;
    return this.#rules.isIgnored(relative, false) && this.#rules.isIgnored(relative, true);
  }

  #mark(relative: string, deep: boolean): void {
    if (this.#disposed) return;
    this.#epoch++;
    this.#pending.mark(relative, deep);
    this.#schedule();
  }

  #isSettled(relative: string): boolean {
    return this.#pending.isSettled(relative);
  }

  /**
   * Start draining pending marks. Watcher events wait for setImmediate, which
   * gathers a burst of them into one batch; touched() starts at once, since
   * its caller is waiting.
   */
  #schedule(now = false): void {
    if (!this.#ready || this.#disposed || this.#draining !== undefined || this.#pending.size === 0)
      return;
    if (now) {
      if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
      this.#scheduled = undefined;
      this.#startDrain();
    } else {
      this.#scheduled ??= setImmediate(() => {
        this.#scheduled = undefined;
        this.#startDrain();
      });
    }
  }

  #startDrain(): void {
    if (this.#draining !== undefined || this.#disposed) return;
    this.#draining = this.#drain().finally(() => {
      this.#draining = undefined;
      if (this.#pending.size === 0) this.#resolveSettled();
      else this.#schedule();
    });
  }

  #resolveSettled(): void {
    for (const resolve of this.#settledWaiters.splice(0)) resolve();
  }

  async #drain(): Promise<void> {
    while (this.#pending.size > 0 && !this.#disposed) {
      const marks = this.#pending.snapshot();
      let update: TreeUpdate;
      try {
        update = await this.#applyBatch(marks);
      } catch (error) {
        if (error instanceof ScanCancelledError) return;
        // Not expected; if it happens the tree may be wrong anywhere, so say so:
        // listeners treat a rules change at the root as "everything changed".
        this.#onWarning('updating the workspace tree failed; invalidating everything', error);
        update = { changes: [], rulesChanged: [ROOT_PATH] };
      }
      // Unmark and notify in one synchronous step: no reader sees the new
      // hashes before listeners have dropped what they invalidate.
      for (const [relative, mark] of marks) this.#pending.settle(relative, mark);
      this.#epoch++;
      if (update.changes.length > 0 || update.rulesChanged.length > 0) {
        for (const listener of this.#listeners) listener(update);
      }
    }
  }

  // ----- applying changes ------------------------------------------------------------------------

  #context(): ScanContext {
    return {
      root: this.root,
      rules: this.#rules,
      watcher: this.#watcher!,
      slicer: new WorkSlicer(() => this.#disposed),
    };
  }

  async #applyBatch(marks: ReadonlyMap<string, PendingMark>): Promise<TreeUpdate> {
    const batch: Batch = {
      context: this.#context(),
      changes: new Map(),
      rulesChanged: [],
      dirtyFolders: new Set(),
      scanned: [],
    };
    const ordered = [...marks].sort((a, b) => depthOf(a[0]) - depthOf(b[0]));
    for (const [relative, mark] of ordered) {
      if (batch.scanned.some((folder) => isWithin(relative, folder))) continue;
      try {
        await this.#refresh(relative, mark.deep, batch);
      } catch (error) {
        if (error instanceof ScanCancelledError) throw error;
        // Unknown state is treated as gone: whatever depended on it is invalidated.
        this.#onWarning(`cannot read ${relative || '.'}; treating it as removed`, error);
        const old = this.#nodes.get(relative);
        if (relative !== ROOT_PATH && this.#nodes.get(parentOf(relative)!)?.kind === 'folder') {
          this.#replace(relative, old, undefined, batch);
        }
      }
    }
    this.#rehashDirtyFolders(batch);
    const changes: TreeChange[] = [];
    for (const [changedPath, hash] of batch.changes) changes.push({ path: changedPath, hash });
    return { changes, rulesChanged: batch.rulesChanged };
  }

  async #refresh(requested: string, deepRequested: boolean, batch: Batch): Promise<void> {
    // Anchor at the nearest folder the tree holds: an event inside a folder the
    // tree has not seen yet means that whole folder is new.
    let relative = requested;
    let deep = deepRequested;
    let parent = parentOf(relative);
    while (parent !== undefined && this.#nodes.get(parent)?.kind !== 'folder') {
      relative = parent;
      parent = parentOf(parent);
      deep = true;
    }
    const old = this.#nodes.get(relative);
    const stats = lstatOrUndefined(toAbsolute(this.root, relative));
    let next: TreeNode | undefined;
    if (stats === undefined) {
      next = undefined;
    } else if (
      relative !== ROOT_PATH &&
      this.#rules.isIgnoredChild(relative, stats.isDirectory())
    ) {
      next = undefined;
    } else if (stats.isDirectory() && old?.kind === 'folder' && old.inode === stats.ino && !deep) {
      await this.#syncFolder(relative, old, batch);
      return;
    } else {
      next = await readPath(batch.context, relative, stats);
      if (next?.kind === 'folder') batch.scanned.push(relative);
    }
    if (relative === ROOT_PATH) {
      if (next?.kind !== 'folder') {
        this.#onWarning('the workspace root is gone or no longer a folder');
        next = {
          kind: 'folder',
          path: ROOT_PATH,
          hash: '',
          inode: 0,
          children: new Map(),
          sortedNames: [],
        };
        rehashFolder(next);
      }
    }
    this.#replace(relative, old, next, batch);
    if (baseName(relative) === GITIGNORE && parent !== undefined) {
      // New rules can bring paths in or push them out anywhere below.
      batch.rulesChanged.push(parent);
      await this.#refresh(parent, true, batch);
    }
  }

  /** An existing folder, same inode: compare its listing; changed children are refreshed. */
  async #syncFolder(relative: string, folder: FolderNode, batch: Batch): Promise<void> {
    batch.context.watcher.watchFolder(relative, folder.inode);
    let entries: Dirent[];
    try {
      entries = readdirSync(toAbsolute(this.root, relative), { withFileTypes: true });
    } catch (error) {
      if (!isGone(error)) throw error;
      entries = [];
    }
    const seen = new Set<string>();
    for (const entry of entries) {
      seen.add(entry.name);
      const kind: NodeKind | undefined = entry.isDirectory()
        ? 'folder'
        : entry.isSymbolicLink()
          ? 'symlink'
          : entry.isFile()
            ? 'file'
            : undefined;
      const known = folder.children.get(entry.name);
      if (known === undefined ? kind !== undefined : known.kind !== kind) {
        await this.#refresh(joinPath(relative, entry.name), true, batch);
      }
    }
    for (const name of [...folder.children.keys()]) {
      if (!seen.has(name)) await this.#refresh(joinPath(relative, name), false, batch);
    }
  }

  /** Put `next` where `old` was, recording every path whose hash changed. */
  #replace(
    relative: string,
    old: TreeNode | undefined,
    next: TreeNode | undefined,
    batch: Batch,
  ): void {
    if (old === undefined && next === undefined) return;
    if (
      old !== undefined &&
      next !== undefined &&
      old.kind !== 'folder' &&
      next.kind !== 'folder'
    ) {
      // The common case, one file: no subtree to walk.
      this.#count(old, -1);
      this.#count(next, 1);
      this.#nodes.set(next.path, next);
      if (old.hash !== next.hash) batch.changes.set(next.path, next.hash);
    } else {
      const before = new Map<string, TreeNode>();
      const after = new Map<string, TreeNode>();
      if (old !== undefined) flatten(old, before);
      if (next !== undefined) flatten(next, after);
      for (const [oldPath, oldNode] of before) {
        const newNode = after.get(oldPath);
        this.#count(oldNode, -1);
        if (newNode === undefined) {
          this.#nodes.delete(oldPath);
          batch.changes.set(oldPath, MISSING_HASH);
        } else if (newNode.hash !== oldNode.hash) {
          batch.changes.set(oldPath, newNode.hash);
        }
        if (oldNode.kind === 'folder' && newNode?.kind !== 'folder') {
          this.#watcher?.unwatchFolder(oldPath);
          this.#rules.dropBelow(oldPath);
        }
      }
      for (const [newPath, newNode] of after) {
        this.#count(newNode, 1);
        this.#nodes.set(newPath, newNode);
        if (!before.has(newPath)) batch.changes.set(newPath, newNode.hash);
      }
    }
    const parent = parentOf(relative);
    if (parent === undefined) return;
    const folder = this.#nodes.get(parent) as FolderNode;
    const name = baseName(relative);
    if (next === undefined) {
      if (folder.children.delete(name)) folder.sortedNames = undefined;
    } else {
      if (!folder.children.has(name)) folder.sortedNames = undefined;
      folder.children.set(name, next);
    }
    batch.dirtyFolders.add(parent);
  }

  /** Recompute folder hashes bottom-up, each once, stopping where nothing changed. */
  #rehashDirtyFolders(batch: Batch): void {
    const byDepth = new Map<number, Set<string>>();
    let deepest = -1;
    const add = (folder: string): void => {
      const depth = depthOf(folder);
      let bucket = byDepth.get(depth);
      if (bucket === undefined) byDepth.set(depth, (bucket = new Set()));
      bucket.add(folder);
      if (depth > deepest) deepest = depth;
    };
    for (const folder of batch.dirtyFolders) add(folder);
    for (let depth = deepest; depth >= 0; depth--) {
      for (const folderPath of byDepth.get(depth) ?? []) {
        const node = this.#nodes.get(folderPath);
        if (node?.kind !== 'folder') continue;
        const before = node.hash;
        if (rehashFolder(node) === before) continue;
        batch.changes.set(folderPath, node.hash);
        const parent = parentOf(folderPath);
        if (parent !== undefined) add(parent);
      }
    }
  }

  #adopt(node: TreeNode): void {
    const all = new Map<string, TreeNode>();
    flatten(node, all);
    for (const [nodePath, each] of all) {
      this.#nodes.set(nodePath, each);
      this.#count(each, 1);
    }
  }

  #count(node: TreeNode, sign: 1 | -1): void {
    if (node.kind === 'file') {
      this.#files += sign;
      this.#bytes += sign * node.size;
    } else if (node.kind === 'folder') {
      this.#folders += sign;
    } else {
      this.#symlinks += sign;
    }
  }
}

function flatten(node: TreeNode, into: Map<string, TreeNode>): void {
  into.set(node.path, node);
  if (node.kind !== 'folder') return;
  for (const child of node.children.values()) flatten(child, into);
}
