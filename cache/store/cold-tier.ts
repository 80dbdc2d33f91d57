/**
 * The cold tier: SQLite (WAL) in its own file, surviving restarts.
 *
 * Reads are synchronous point lookups (one indexed row carries the value and
 * its dependencies). Writes are queued and applied in one transaction per
 * {@link COLD_FLUSH_INTERVAL_MS}: a cache may lose its last few writes in a
 * crash, but it must not make every `set` wait for the disk.
 *
 * Size is bounded with least-recently-used eviction; recency updates are
 * queued like writes. Several processes may share the file: WAL lets readers
 * run beside the writer, writers take the lock up front and wait for it.
 *
 * A file that is corrupt, truncated or from a newer schema is renamed aside
 * and replaced by a new one, with a warning; the cache keeps working.
 */
import { renameSync } from 'node:fs';
import { openDatabase, type Database, type Statement } from '../../native/sqlite.ts';
import type { ColdRecord, RecordedDependency, ValueEncoding } from '../entry.ts';
import {
  COLD_BUSY_TIMEOUT_MS,
  COLD_EVICT_TO_FRACTION,
  COLD_FLUSH_INTERVAL_MS,
  COLD_FLUSH_MAX_BATCH,
  COLD_PURGE_INTERVAL_MS,
} from '../limits.ts';
import { migrate, SchemaTooNewError } from './cold-schema.ts';

export interface ColdTierOptions {
  /** The database file; created when missing. */
  readonly file: string;
  readonly maxBytes: number;
  readonly onWarning: (message: string, cause?: unknown) => void;
  /** Clock, injectable for tests of expiry. */
  readonly now?: () => number;
  /** Queued writes are flushed this often. */
  readonly flushIntervalMs?: number;
}

/** Counters of the cold tier since it was opened (entries and bytes: the whole file). */
export interface ColdStats {
  readonly entries: number;
  readonly bytes: number;
  readonly evictions: number;
  readonly invalidations: number;
  readonly expired: number;
  /** Times the file was found corrupt and rebuilt. */
  readonly rebuilds: number;
}

/** A path's new hash: rows that recorded another hash for it are stale. */
export interface PathChange {
  readonly path: string;
  readonly hash: string;
}

interface Statements {
  readonly select: Statement<[string], Row>;
  readonly upsert: Statement<unknown[], { id: number }>;
  readonly deleteDeps: Statement<[number]>;
  readonly insertDep: Statement<[number, string, string]>;
  readonly deleteKey: Statement<[string]>;
  readonly touch: Statement<[number, string]>;
  readonly invalidatePath: Statement<[string, string]>;
  readonly invalidateUnder: Statement<[string, string, string]>;
  readonly deleteByRecorded: Statement<[string, string]>;
  readonly meta: Statement<[string], { value: number }>;
  readonly evictOldest: Statement<[number]>;
  readonly purgeExpired: Statement<[number]>;
}

interface Row {
  value: string;
  encoding: number;
  tokens: number;
  bytes: number;
  deps: string;
  expires_at: number;
}

type CompactDependency = [path: string, kind: RecordedDependency['kind'], hash: string];

const CORRUPTION_CODES = /^SQLITE_(CORRUPT|NOTADB|IOERR_SHORT_READ)/;

function isCorruption(error: unknown): boolean {
  if (error instanceof SchemaTooNewError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CORRUPTION_CODES.test(code);
}

function openChecked(file: string): Database {
  const db = openDatabase(file, { timeout: COLD_BUSY_TIMEOUT_MS });
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: durable except for the last commits on power loss; fine for a cache.
    db.pragma('synchronous = NORMAL');
    migrate(db);
    db.prepare("SELECT value FROM meta WHERE name = 'bytes'").get();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function prepare(db: Database): Statements {
  return {
    select: db.prepare(
      'SELECT value, encoding, tokens, bytes, deps, expires_at FROM entries WHERE key = ?',
    ),
    upsert: db.prepare(
      `INSERT INTO entries (key, value, encoding, tokens, bytes, deps, expires_at, last_used)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, encoding = excluded.encoding,
         tokens = excluded.tokens, bytes = excluded.bytes, deps = excluded.deps,
         expires_at = excluded.expires_at, last_used = excluded.last_used
       RETURNING id`,
    ),
    deleteDeps: db.prepare('DELETE FROM deps WHERE entry_id = ?'),
    insertDep: db.prepare('INSERT INTO deps (entry_id, path, hash) VALUES (?, ?, ?)'),
    deleteKey: db.prepare('DELETE FROM entries WHERE key = ?'),
    touch: db.prepare('UPDATE entries SET last_used = ? WHERE key = ?'),
    invalidatePath: db.prepare(
      'DELETE FROM entries WHERE id IN (SELECT entry_id FROM deps WHERE path = ? AND hash != ?)',
    ),
    invalidateUnder: db.prepare(
      'DELETE FROM entries WHERE id IN (SELECT entry_id FROM deps WHERE path = ? OR (path >= ? AND path < ?))',
    ),
    deleteByRecorded: db.prepare(
      'DELETE FROM entries WHERE id IN (SELECT entry_id FROM deps WHERE path = ? AND hash = ?)',
    ),
    meta: db.prepare('SELECT value FROM meta WHERE name = ?'),
    evictOldest: db.prepare(
      'DELETE FROM entries WHERE id IN (SELECT id FROM entries ORDER BY last_used LIMIT ?)',
    ),
    purgeExpired: db.prepare('DELETE FROM entries WHERE expires_at <= ?'),
  };
}

/** At most this many rows per eviction statement: keeps one flush short. */
const EVICT_CHUNK = 256;

export class ColdTier {
  readonly #file: string;
  readonly #maxBytes: number;
  readonly #warn: (message: string, cause?: unknown) => void;
  readonly #now: () => number;
  readonly #flushIntervalMs: number;
  #db: Database | undefined;
  #statements: Statements | undefined;
  /** Queued writes: a record to upsert, or `null` to delete. */
  #writes = new Map<string, ColdRecord | null>();
  #touches = new Map<string, number>();
  #changes: PathChange[] = [];
  #under: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** The timer is already set to flush at the next turn of the event loop. */
  #flushSoon = false;
  #lastPurge = 0;
  #evictions = 0;
  #invalidations = 0;
  #expired = 0;
  #rebuilds = 0;
  #busyWarned = false;
  #lastFailureWasCorruption = false;

  private constructor(options: ColdTierOptions) {
    this.#file = options.file;
    this.#maxBytes = options.maxBytes;
    this.#warn = options.onWarning;
    this.#now = options.now ?? Date.now;
    this.#flushIntervalMs = options.flushIntervalMs ?? COLD_FLUSH_INTERVAL_MS;
  }

  /** Open (or create) the cold database, setting aside a damaged file. */
  static open(options: ColdTierOptions): ColdTier {
    const tier = new ColdTier(options);
    try {
      tier.#attach(openChecked(options.file));
    } catch (error) {
      if (!isCorruption(error)) throw error;
      tier.#rebuild(error);
    }
    tier.#guard(() => tier.#purge(), undefined);
    return tier;
  }

  /** The file this tier lives in. */
  get file(): string {
    return this.#file;
  }

  /** A stored, unexpired record; queued writes are seen at once. */
  get(key: string): ColdRecord | undefined {
    const queued = this.#writes.get(key);
    if (queued === null) return undefined;
    const record = queued ?? this.#guard(() => this.#select(key), undefined);
    if (record === undefined) return undefined;
    if (record.expiresAt <= this.#now()) {
      this.delete(key);
      this.#expired++;
      return undefined;
    }
    return record;
  }

  /** Queue a record for storage. */
  put(record: ColdRecord): void {
    this.#writes.set(record.key, record);
    this.#touches.delete(record.key);
    this.#scheduleFlush();
  }

  /** Queue a deletion. */
  delete(key: string): void {
    if (this.#db === undefined) return;
    this.#writes.set(key, null);
    this.#touches.delete(key);
    this.#scheduleFlush();
  }

  /** Delete a record found stale on read, counting it as an invalidation. */
  invalidateKey(key: string): void {
    if (this.#db === undefined) return;
    this.delete(key);
    this.#invalidations++;
  }

  /** Note a read, for least-recently-used eviction. */
  touch(key: string): void {
    if (this.#db === undefined) return;
    this.#touches.set(key, this.#now());
    this.#scheduleFlush();
  }

  /**
   * Paths now have these hashes: remove every record that recorded another
   * hash for one of them. Queued records are filtered at once, stored ones at
   * the next flush (reads validate hashes anyway, so nothing stale is served
   * in between).
   */
  invalidate(changes: readonly PathChange[]): void {
    if (this.#db === undefined || changes.length === 0) return;
    const byPath = new Map(changes.map((change) => [change.path, change.hash]));
    for (const [key, record] of this.#writes) {
      if (record === null) continue;
      if (record.deps.some((dep) => byPath.has(dep.path) && byPath.get(dep.path) !== dep.hash)) {
        this.#writes.set(key, null);
        this.#invalidations++;
      }
    }
    this.#changes.push(...changes);
    this.#scheduleFlush();
  }

  /** Remove every record depending on `folder` or anything below it ('' for everything). */
  invalidateUnder(folder: string): void {
    if (this.#db === undefined) return;
    const prefix = folder === '' ? '' : folder + '/';
    for (const [key, record] of this.#writes) {
      if (
        record?.deps.some(
          (dep) => folder === '' || dep.path === folder || dep.path.startsWith(prefix),
        )
      ) {
        this.#writes.set(key, null);
        this.#invalidations++;
      }
    }
    this.#under.push(folder);
    this.#scheduleFlush();
  }

  /**
   * Check every stored dependency against the workspace as it is now (after a
   * restart, files may have changed while nothing watched) and delete the
   * records that no longer hold. Returns the number deleted.
   */
  revalidate(isCurrent: (path: string, hash: string) => boolean): number {
    this.flush();
    return this.#guard(() => {
      const db = this.#db!;
      const pairs = db.prepare('SELECT DISTINCT path, hash FROM deps').all() as Array<{
        path: string;
        hash: string;
      }>;
      const stale = pairs.filter((pair) => !isCurrent(pair.path, pair.hash));
      let removed = 0;
      db.transaction(() => {
        for (const pair of stale)
          removed += this.#statements!.deleteByRecorded.run(pair.path, pair.hash).changes;
      }).immediate();
      this.#invalidations += removed;
      return removed;
    }, 0);
  }

  /** Apply queued writes now, in one transaction. */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flushSoon = false;
    if (this.#db === undefined) {
      this.#dropQueue();
      return;
    }
    if (
      this.#writes.size === 0 &&
      this.#touches.size === 0 &&
      this.#changes.length === 0 &&
      this.#under.length === 0
    ) {
      return;
    }
    const writes = this.#writes;
    const touches = this.#touches;
    const changes = this.#changes;
    const under = this.#under;
    this.#dropQueue();
    const applied = this.#guard(() => {
      this.#db!.transaction(() => this.#apply(writes, touches, changes, under)).immediate();
      return true;
    }, false);
    if (!applied && this.#db !== undefined && !this.#lastFailureWasCorruption) {
      // Busy beyond the timeout, or a transient I/O error: keep the work for the next flush.
      for (const [key, record] of writes) if (!this.#writes.has(key)) this.#writes.set(key, record);
      for (const [key, at] of touches) if (!this.#touches.has(key)) this.#touches.set(key, at);
      this.#changes.unshift(...changes);
      this.#under.unshift(...under);
      this.#scheduleFlush();
    }
  }

  /** Entry and byte totals of the file (all processes), plus this tier's counters. */
  stats(): ColdStats {
    const totals = this.#guard(
      () => ({
        entries: this.#statements!.meta.get('entries')?.value ?? 0,
        bytes: this.#statements!.meta.get('bytes')?.value ?? 0,
      }),
      { entries: 0, bytes: 0 },
    );
    return {
      ...totals,
      evictions: this.#evictions,
      invalidations: this.#invalidations,
      expired: this.#expired,
      rebuilds: this.#rebuilds,
    };
  }

  /** Flush and close the database. Safe to call twice. */
  close(): void {
    this.flush();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const db = this.#db;
    this.#db = undefined;
    this.#statements = undefined;
    if (db !== undefined) {
      try {
        db.close();
      } catch (error) {
        this.#warn('closing the cold cache failed', error);
      }
    }
  }

  // ----- internals -------------------------------------------------------------------------------

  #attach(db: Database): void {
    this.#db = db;
    this.#statements = prepare(db);
  }

  #select(key: string): ColdRecord | undefined {
    const row = this.#statements!.select.get(key);
    if (row === undefined) return undefined;
    const deps = (JSON.parse(row.deps) as CompactDependency[]).map(
      ([path, kind, hash]): RecordedDependency => ({ path, kind, hash }),
    );
    const encoding: ValueEncoding = row.encoding === 0 ? 'string' : 'json';
    return {
      key,
      payload: row.value,
      encoding,
      tokens: row.tokens,
      deps,
      bytes: row.bytes,
      expiresAt: row.expires_at,
    };
  }

  #apply(
    writes: ReadonlyMap<string, ColdRecord | null>,
    touches: ReadonlyMap<string, number>,
    changes: readonly PathChange[],
    under: readonly string[],
  ): void {
    const statements = this.#statements!;
    // Invalidations first: a record queued after a change recorded the new hash and must survive it.
    for (const change of changes)
      this.#invalidations += statements.invalidatePath.run(change.path, change.hash).changes;
    for (const folder of under) {
      this.#invalidations +=
        folder === ''
          ? this.#db!.prepare('DELETE FROM entries').run().changes
          : statements.invalidateUnder.run(folder, folder + '/', folder + '0').changes;
    }
    const now = this.#now();
    for (const [key, record] of writes) {
      if (record === null) {
        statements.deleteKey.run(key);
        continue;
      }
      const deps = JSON.stringify(
        record.deps.map((dep): CompactDependency => [dep.path, dep.kind, dep.hash]),
      );
      const encoding = record.encoding === 'string' ? 0 : 1;
      const { id } = statements.upsert.get(
        key,
        record.payload,
        encoding,
        record.tokens,
        record.bytes,
        deps,
        record.expiresAt,
        now,
      )!;
      statements.deleteDeps.run(id);
      for (const dep of record.deps) statements.insertDep.run(id, dep.path, dep.hash);
    }
    for (const [key, at] of touches) statements.touch.run(at, key);
    if (now - this.#lastPurge >= COLD_PURGE_INTERVAL_MS) this.#purge();
    this.#evictIfOver();
  }

  #purge(): void {
    this.#lastPurge = this.#now();
    this.#expired += this.#statements!.purgeExpired.run(this.#lastPurge).changes;
  }

  #evictIfOver(): void {
    const statements = this.#statements!;
    let bytes = statements.meta.get('bytes')?.value ?? 0;
    if (bytes <= this.#maxBytes) return;
    // Evict below the bound, not to it, so the next flush does not evict again.
    const target = this.#maxBytes * COLD_EVICT_TO_FRACTION;
    while (bytes > target) {
      // Remove about as many rows as the excess needs at the average row size, in bounded chunks.
      const entries = statements.meta.get('entries')?.value ?? 0;
      const average = entries > 0 ? bytes / entries : bytes;
      const wanted = Math.min(
        EVICT_CHUNK,
        Math.max(1, Math.ceil((bytes - target) / Math.max(1, average))),
      );
      const removed = statements.evictOldest.run(wanted).changes;
      if (removed === 0) break;
      this.#evictions += removed;
      bytes = statements.meta.get('bytes')?.value ?? 0;
    }
  }

  #scheduleFlush(): void {
    if (this.#db === undefined) {
      this.#dropQueue();
      return;
    }
    if (this.#flushSoon) return;
    if (this.#writes.size + this.#touches.size >= COLD_FLUSH_MAX_BATCH) {
      // Flush soon, but not inside the caller's set(): the event loop gets a turn first.
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      this.#flushSoon = true;
      this.#timer = setTimeout(() => this.flush(), 0);
      this.#timer.unref();
      return;
    }
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => this.flush(), this.#flushIntervalMs);
    // A pending flush must not keep the process alive; close() flushes what is left.
    this.#timer.unref();
  }

  #dropQueue(): void {
    this.#writes = new Map();
    this.#touches = new Map();
    this.#changes = [];
    this.#under = [];
  }

  /** Run a database operation; on corruption rebuild, on other errors warn. Either way, answer `fallback`. */
  #guard<T>(operation: () => T, fallback: T): T {
    if (this.#db === undefined) return fallback;
    try {
      this.#lastFailureWasCorruption = false;
      const result = operation();
      this.#busyWarned = false;
      return result;
    } catch (error) {
      if (isCorruption(error)) {
        this.#lastFailureWasCorruption = true;
        this.#rebuild(error);
      } else if ((error as { code?: unknown }).code === 'SQLITE_BUSY') {
        if (!this.#busyWarned)
          this.#warn('the cold cache is busy in another process; retrying later', error);
        this.#busyWarned = true;
      } else {
        this.#warn('a cold cache operation failed', error);
      }
      return fallback;
    }
  }

  /** Set the damaged file aside and start a new one; without a usable file the tier turns itself off. */
  #rebuild(cause: unknown): void {
    try {
      this.#db?.close();
    } catch {
      // It is being replaced; a failure to close changes nothing.
    }
    this.#db = undefined;
    this.#statements = undefined;
    const aside = `${this.#file}.corrupt-${Date.now()}`;
    for (const suffix of ['', '-wal', '-shm']) {
      try {
        renameSync(this.#file + suffix, aside + suffix);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
          this.#warn(`cannot set aside ${this.#file + suffix}`, error);
      }
    }
    this.#rebuilds++;
    try {
      this.#attach(openChecked(this.#file));
      this.#warn(
        `the cold cache ${this.#file} was damaged; it was set aside as ${aside} and rebuilt empty`,
        cause,
      );
    } catch (error) {
      this.#warn(
        `the cold cache ${this.#file} was damaged and cannot be rebuilt; continuing without it`,
        error,
      );
    }
  }
}
