/**
 * The file-watching contract between the Merkle tree and the OS: what a
 * watcher reports and how it is driven. A leaf module, so the backends and
 * the chooser (watcher.ts) can both depend on it.
 *
 * A watcher only says *which paths may have changed*; the tree then looks at
 * the disk itself. So a duplicate, stale or spurious event costs a `stat` and
 * never a wrong hash, and a backend may report coarsely (a folder) when it
 * cannot be precise.
 */
/**
 * - `folders`: one non-recursive `fs.watch` (inotify) per tracked folder, added
 *   before the folder is listed. The default on Linux, where @parcel/watcher
 *   2.6 was seen here to lose events after a folder rename and inside folders
 *   created by `mkdir -p`.
 * - `parcel`: @parcel/watcher (FSEvents, ReadDirectoryChangesW); the default on
 *   macOS and Windows.
 * - `recursive`: `fs.watch(root, { recursive: true })`, native on macOS and
 *   Windows; the fallback there when @parcel/watcher cannot load.
 * - `none`: no watching; only {@link MerkleTree.touched} reports changes.
 */
export type WatchBackend = 'folders' | 'parcel' | 'recursive' | 'none';

/** Where a watcher reports. Paths are workspace-relative (see paths.ts). */
export interface WatchSink {
  /** These paths (files or folders) may have changed, appeared or gone. */
  changed(paths: readonly string[]): void;
  /** Events were lost (queue overflow, backend error): everything must be re-checked. */
  lost(reason: string): void;
  /** Something the user should hear about; watching goes on, perhaps degraded. */
  warn(message: string, cause?: unknown): void;
}

/** A running watcher. Per-folder backends use the folder hooks; recursive ones ignore them. */
export interface WorkspaceWatcher {
  readonly backend: WatchBackend;
  /** The tree is about to list this folder (identified by inode): start watching it first. */
  watchFolder(relative: string, inode: number): void;
  /** This folder left the tree. */
  unwatchFolder(relative: string): void;
  /** Stop watching and release every OS handle. */
  dispose(): Promise<void>;
}
