/**
 * The file-watching contract between the Merkle tree and the OS, and the
 * choice of backend per platform.
 *
 * A watcher only says *which paths may have changed*; the tree then looks at
 * the disk itself. So a duplicate, stale or spurious event costs a `stat` and
 * never a wrong hash, and a backend may report coarsely (a folder) when it
 * cannot be precise.
 */
import { FolderWatcher } from './folder-watcher.ts';
import { startParcelWatcher } from './parcel-watcher.ts';
import { RecursiveWatcher } from './recursive-watcher.ts';

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

/** The backend used when the caller does not choose one. */
export function defaultBackend(platform: NodeJS.Platform = process.platform): WatchBackend {
  return platform === 'darwin' || platform === 'win32' ? 'parcel' : 'folders';
}

class NoWatcher implements WorkspaceWatcher {
  readonly backend = 'none';
  watchFolder(): void {}
  unwatchFolder(): void {}
  async dispose(): Promise<void> {}
}

/** Start a watcher on `root` (an absolute, real path). */
export async function startWatcher(
  backend: WatchBackend,
  root: string,
  sink: WatchSink,
): Promise<WorkspaceWatcher> {
  switch (backend) {
    case 'none':
      return new NoWatcher();
    case 'folders':
      return new FolderWatcher(root, sink);
    case 'recursive':
      return new RecursiveWatcher(root, sink);
    case 'parcel':
      try {
        return await startParcelWatcher(root, sink);
      } catch (error) {
        sink.warn('@parcel/watcher is unavailable; falling back to fs.watch (recursive)', error);
        return new RecursiveWatcher(root, sink);
      }
  }
}
