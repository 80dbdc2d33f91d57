/**
 * The choice of file-watching backend per platform (the contract itself is
 * in contract.ts).
 */
import { FolderWatcher } from './folder-watcher.ts';
import { startParcelWatcher } from './parcel-watcher.ts';
import { RecursiveWatcher } from './recursive-watcher.ts';
import type { WatchBackend, WatchSink, WorkspaceWatcher } from './contract.ts';

export type { WatchBackend, WatchSink, WorkspaceWatcher } from './contract.ts';

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
