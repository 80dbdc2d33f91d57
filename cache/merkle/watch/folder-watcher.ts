/**
 * One non-recursive `fs.watch` per folder: on Linux that is one inotify watch
 * per folder, the same cost as any recursive watcher there, and it reports
 * children by name. The tree calls {@link watchFolder} before it lists a
 * folder, so a file created between the listing and the watch cannot be missed.
 */
import { watch, type FSWatcher } from 'node:fs';
import { joinPath, toAbsolute } from '../paths.ts';
import type { WatchSink, WorkspaceWatcher } from './contract.ts';

interface Watched {
  readonly watcher: FSWatcher;
  readonly inode: number;
}

export class FolderWatcher implements WorkspaceWatcher {
  readonly backend = 'folders';
  readonly #root: string;
  readonly #sink: WatchSink;
  readonly #watched = new Map<string, Watched>();
  #disposed = false;
  #warnedLimit = false;

  constructor(root: string, sink: WatchSink) {
    this.#root = root;
    this.#sink = sink;
  }

  watchFolder(relative: string, inode: number): void {
    if (this.#disposed) return;
    const current = this.#watched.get(relative);
    // Same path, same folder: already watched. A new inode means the folder was
    // replaced (renamed over), and the old watch follows the old folder.
    if (current !== undefined) {
      if (current.inode === inode) return;
      this.unwatchFolder(relative);
    }
    let watcher: FSWatcher;
    try {
      watcher = watch(toAbsolute(this.#root, relative), { persistent: false }, (_event, name) => {
        // A watch on a renamed folder keeps reporting under its old path: that
        // costs a stat of a missing path, and the rename itself is reported by
        // the parent folder, so the new path is rescanned.
        this.#sink.changed([name === null ? relative : joinPath(relative, name)]);
      });
    } catch (error) {
      this.#watchFailed(relative, error);
      return;
    }
    watcher.on('error', (error) => {
      this.unwatchFolder(relative);
      // The folder is gone or unreadable: have the tree look at it again.
      this.#sink.changed([relative]);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        this.#sink.warn(`watching ${relative || '.'} failed`, error);
    });
    this.#watched.set(relative, { watcher, inode });
  }

  unwatchFolder(relative: string): void {
    const current = this.#watched.get(relative);
    if (current === undefined) return;
    this.#watched.delete(relative);
    current.watcher.close();
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const { watcher } of this.#watched.values()) watcher.close();
    this.#watched.clear();
  }

  #watchFailed(relative: string, error: unknown): void {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return; // gone already; its parent reports that
    if (code === 'ENOSPC' || code === 'EMFILE') {
      if (!this.#warnedLimit) {
        this.#warnedLimit = true;
        this.#sink.warn(
          'the OS limit on watched folders is reached (on Linux raise fs.inotify.max_user_watches); ' +
            'changes in unwatched folders are seen only through touched()',
          error,
        );
      }
      return;
    }
    this.#sink.warn(`cannot watch ${relative || '.'}`, error);
  }
}
