/**
 * Paths with a reported change not yet rehashed. While a path is pending, so
 * is every folder above it (its hash will change) and everything below it (a
 * pending folder may have been replaced whole): none of them has a trustworthy
 * hash, so the tree answers `undefined` for them.
 */
import { parentOf } from './paths.ts';

/** One report of a change. `deep`: re-read a folder's whole subtree, not just its listing. */
export interface PendingMark {
  readonly deep: boolean;
}

export class PendingPaths {
  readonly #marks = new Map<string, PendingMark>();
  /** For each folder, how many pending paths lie strictly below it. */
  readonly #below = new Map<string, number>();

  get size(): number {
    return this.#marks.size;
  }

  /**
   * Mark a path. Every mark is a fresh object, so a batch that started before
   * this call does not clear it (see {@link settle}): the change is processed again.
   */
  mark(relative: string, deep: boolean): void {
    const existing = this.#marks.get(relative);
    if (existing === undefined) {
      for (let folder = parentOf(relative); folder !== undefined; folder = parentOf(folder)) {
        this.#below.set(folder, (this.#below.get(folder) ?? 0) + 1);
      }
    }
    this.#marks.set(relative, { deep: deep || existing?.deep === true });
  }

  /** The marks as they are now, for one batch of work. */
  snapshot(): Map<string, PendingMark> {
    return new Map(this.#marks);
  }

  /** Clear a mark the batch handled, unless it was marked again meanwhile. */
  settle(relative: string, handled: PendingMark): void {
    if (this.#marks.get(relative) !== handled) return;
    this.#marks.delete(relative);
    for (let folder = parentOf(relative); folder !== undefined; folder = parentOf(folder)) {
      const count = (this.#below.get(folder) ?? 1) - 1;
      if (count === 0) this.#below.delete(folder);
      else this.#below.set(folder, count);
    }
  }

  /** Neither the path, nor a folder above it, nor anything below it is pending. */
  isSettled(relative: string): boolean {
    if (this.#marks.size === 0) return true;
    if (this.#marks.has(relative) || this.#below.has(relative)) return false;
    for (let folder = parentOf(relative); folder !== undefined; folder = parentOf(folder)) {
      if (this.#marks.has(folder)) return false;
    }
    return true;
  }
}
