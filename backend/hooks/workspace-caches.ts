/**
 * One token cache per workspace folder, shared by the agents working in it
 * and closed when the last one lets go. Agents in their own git worktrees get
 * their own caches; agents sharing a plain folder share one.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TokenCache, type CacheWarning, type WatchBackend } from '../../cache/index.ts';

/** Hands out the token cache of a workspace. */
export interface CacheProvider {
  /** The cache over `workDir`; the same instance while it is held. */
  acquire(workDir: string): Promise<TokenCache>;
  /** Lets go of one {@link acquire}; the cache closes when nobody holds it. */
  release(workDir: string): Promise<void>;
}

export interface WorkspaceCachesOptions {
  /** Folder for the cold tiers, one SQLite file per workspace; omit for hot-only caches. */
  readonly coldDir?: string;
  readonly watch?: WatchBackend;
  readonly onWarning?: (workDir: string, warning: CacheWarning) => void;
}

/** Cold file names: a digest of the folder, so any path gives a safe, fixed-length name. */
const COLD_NAME_HEX_CHARS = 32;

export class WorkspaceCaches implements CacheProvider {
  readonly #options: WorkspaceCachesOptions;
  readonly #open = new Map<string, { cache: Promise<TokenCache>; holders: number }>();

  constructor(options: WorkspaceCachesOptions = {}) {
    this.#options = options;
  }

  acquire(workDir: string): Promise<TokenCache> {
    const held = this.#open.get(workDir);
    if (held !== undefined) {
      held.holders++;
      return held.cache;
    }
    const cache = this.#openCache(workDir);
    const entry = { cache, holders: 1 };
    this.#open.set(workDir, entry);
    // A cache that fails to open is not kept: the next acquire tries again.
    cache.catch(() => {
      if (this.#open.get(workDir) === entry) this.#open.delete(workDir);
    });
    return cache;
  }

  async release(workDir: string): Promise<void> {
    const held = this.#open.get(workDir);
    if (held === undefined) return;
    held.holders--;
    if (held.holders > 0) return;
    this.#open.delete(workDir);
    await (await held.cache).dispose();
  }

  /** Close every cache. */
  async dispose(): Promise<void> {
    const all = [...this.#open.values()];
    this.#open.clear();
    await Promise.allSettled(all.map(async (held) => (await held.cache).dispose()));
  }

  #openCache(workDir: string): Promise<TokenCache> {
    const { coldDir, watch, onWarning } = this.#options;
    let coldDbFile: string | undefined;
    if (coldDir !== undefined) {
      mkdirSync(coldDir, { recursive: true });
      const name = createHash('sha256').update(workDir).digest('hex').slice(0, COLD_NAME_HEX_CHARS);
      coldDbFile = join(coldDir, `${name}.db`);
    }
    return TokenCache.open({
      root: workDir,
      ...(coldDbFile !== undefined && { coldDbFile }),
      ...(watch !== undefined && { watch }),
      ...(onWarning !== undefined && {
        onWarning: (warning: CacheWarning) => onWarning(workDir, warning),
      }),
    });
  }
}
