/**
 * @parcel/watcher: one native recursive subscription (FSEvents on macOS,
 * ReadDirectoryChangesW on Windows, inotify on Linux), skipping `.git` and
 * `node_modules` in the native layer so their churn never reaches JavaScript.
 */
import type ParcelWatcher from '@parcel/watcher';
import { loadNative } from '../../../native/load.ts';
import { toRelative } from '../paths.ts';
import type { WatchSink, WorkspaceWatcher } from './contract.ts';

/** Skipped natively; the tree skips them too, this only saves the event traffic. */
const NATIVE_IGNORES = ['.git', 'node_modules', '**/.git', '**/node_modules'];

class ParcelSubscription implements WorkspaceWatcher {
  readonly backend = 'parcel';
  readonly #subscription: ParcelWatcher.AsyncSubscription;
  readonly #sink: WatchSink;

  constructor(subscription: ParcelWatcher.AsyncSubscription, sink: WatchSink) {
    this.#subscription = subscription;
    this.#sink = sink;
  }

  watchFolder(): void {}
  unwatchFolder(): void {}

  async dispose(): Promise<void> {
    try {
      await this.#subscription.unsubscribe();
    } catch (error) {
      // Seen on Linux after watched folders were deleted; the handles are gone either way.
      this.#sink.warn('@parcel/watcher failed to unsubscribe cleanly', error);
    }
  }
}

/** Subscribe to `root`; rejects when the native module is missing or the OS refuses. */
export async function startParcelWatcher(root: string, sink: WatchSink): Promise<WorkspaceWatcher> {
  const parcel = loadNative<typeof ParcelWatcher>('@parcel/watcher');
  const subscription = await parcel.subscribe(
    root,
    (error, events) => {
      if (error !== null) {
        sink.warn('@parcel/watcher reported an error', error);
        sink.lost('@parcel/watcher reported an error');
        return;
      }
      const paths: string[] = [];
      for (const event of events) {
        const relative = toRelative(root, event.path);
        if (relative !== undefined) paths.push(relative);
      }
      if (paths.length > 0) sink.changed(paths);
    },
    { ignore: NATIVE_IGNORES },
  );
  return new ParcelSubscription(subscription, sink);
}
