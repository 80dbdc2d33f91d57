/**
 * The cold database's schema: numbered migrations, the one source of truth.
 * `PRAGMA user_version` holds the number of migrations applied.
 */
import type { Database } from '../../native/sqlite.ts';

/**
 * Each migration runs once, in order, inside a transaction. Append only: a
 * shipped migration never changes.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: entries with their dependencies; totals kept by triggers so every
  // process sharing the file sees the same size without scanning.
  `
  CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
  INSERT INTO meta(name, value) VALUES ('bytes', 0), ('entries', 0);

  CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    value TEXT NOT NULL,
    encoding INTEGER NOT NULL,      -- 0 string, 1 JSON
    tokens INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    deps TEXT NOT NULL,             -- JSON [[path, kind, hash], ...], read with the value in one lookup
    expires_at INTEGER NOT NULL,    -- epoch ms
    last_used INTEGER NOT NULL      -- epoch ms, for least-recently-used eviction
  );
  CREATE INDEX entries_last_used ON entries(last_used);
  CREATE INDEX entries_expires_at ON entries(expires_at);

  -- The on-disk dependency index: path -> entries, for invalidation and revalidation.
  CREATE TABLE deps (entry_id INTEGER NOT NULL, path TEXT NOT NULL, hash TEXT NOT NULL);
  CREATE INDEX deps_path ON deps(path, hash);
  CREATE INDEX deps_entry ON deps(entry_id);

  CREATE TRIGGER entries_inserted AFTER INSERT ON entries BEGIN
    UPDATE meta SET value = value + NEW.bytes WHERE name = 'bytes';
    UPDATE meta SET value = value + 1 WHERE name = 'entries';
  END;
  CREATE TRIGGER entries_deleted AFTER DELETE ON entries BEGIN
    DELETE FROM deps WHERE entry_id = OLD.id;
    UPDATE meta SET value = value - OLD.bytes WHERE name = 'bytes';
    UPDATE meta SET value = value - 1 WHERE name = 'entries';
  END;
  CREATE TRIGGER entries_resized AFTER UPDATE OF bytes ON entries BEGIN
    UPDATE meta SET value = value + NEW.bytes - OLD.bytes WHERE name = 'bytes';
  END;
  `,
];

/** Thrown when the file was written by a newer Troika: it is set aside, not downgraded. */
export class SchemaTooNewError extends Error {
  constructor(found: number) {
    super(
      `cold cache schema version ${found} is newer than this build knows (${MIGRATIONS.length})`,
    );
    this.name = 'SchemaTooNewError';
  }
}

/** Bring a database up to the latest schema. Safe when another process migrates at the same time. */
export function migrate(db: Database): void {
  // IMMEDIATE takes the write lock first, so two processes cannot both apply migration 1.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) throw new SchemaTooNewError(version);
    for (let index = version; index < MIGRATIONS.length; index++) db.exec(MIGRATIONS[index]!);
    if (version !== MIGRATIONS.length) db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
