/**
 * Which entries depend on which path. A change to a path invalidates exactly
 * the entries listed under it; the Merkle tree reports a change for every path
 * whose hash changed (the file, each folder above it, every path under a
 * removed folder), so "depends on the file or on a folder containing it" is
 * one lookup per changed path.
 */
export class DependencyIndex {
  readonly #byPath = new Map<string, Set<string>>();

  /** Record that `key` depends on each of `paths`. */
  add(key: string, paths: Iterable<string>): void {
    for (const path of paths) {
      let keys = this.#byPath.get(path);
      if (keys === undefined) this.#byPath.set(path, (keys = new Set()));
      keys.add(key);
    }
  }

  /** Forget that `key` depends on `paths`. */
  remove(key: string, paths: Iterable<string>): void {
    for (const path of paths) {
      const keys = this.#byPath.get(path);
      if (keys === undefined) continue;
      keys.delete(key);
      if (keys.size === 0) this.#byPath.delete(path);
    }
  }

  /** Keys that depend on exactly this path. */
  keysOf(path: string): ReadonlySet<string> | undefined {
    return this.#byPath.get(path);
  }

  /**
   * Keys that depend on `folder` or anything below it. A full scan of the
   * index: used only when ignore rules change, which is rare.
   */
  keysUnder(folder: string): Set<string> {
    const found = new Set<string>();
    const prefix = folder === '' ? '' : folder + '/';
    for (const [path, keys] of this.#byPath) {
      if (folder === '' || path === folder || path.startsWith(prefix))
        for (const key of keys) found.add(key);
    }
    return found;
  }

  /** Number of distinct paths with dependents. */
  get paths(): number {
    return this.#byPath.size;
  }

  clear(): void {
    this.#byPath.clear();
  }
}
