/**
 * `fs.watch(root, { recursive: true })`: native and reliable on macOS
 * (FSEvents) and Windows (ReadDirectoryChangesW). On Linux Node emulates it
 * with a watch per file, which was seen here to miss writes to a file that had
 * been renamed over, so it is not the Linux default.
 */
import { watch, type FSWatcher } from 'node:fs';
import { toRelative } from '../paths.ts';
import type { WatchSink, WorkspaceWatcher } from './contract.ts';

export class RecursiveWatcher implements WorkspaceWatcher {
  readonly backend = 'recursive';
  readonly #watcher: FSWatcher;

  constructor(root: string, sink: WatchSink) {
    this.#watcher = watch(root, { recursive: true, persistent: false }, (_event, name) => {
      if (name === null) {
        sink.lost('the recursive watcher reported a change without a path');
        return;
      }
      const relative = toRelative(root, name);
      if (relative !== undefined) sink.changed([relative]);
    });
    this.#watcher.on('error', (error) => {
      sink.warn('the recursive watcher failed', error);
      sink.lost('the recursive watcher failed');
    });
  }

  watchFolder(): void {}
  unwatchFolder(): void {}

  async dispose(): Promise<void> {
    this.#watcher.close();
  }
}
