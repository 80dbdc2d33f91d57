/**
 * Applies numbered migrations, tracking the schema version in SQLite's own
 * `PRAGMA user_version` so there is no second place that could disagree.
 */
import type { Database } from '../../native/sqlite.ts';

export interface Migration {
  /** 1, 2, 3…: consecutive, never reused. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings `db` up to the last of `migrations`, each in its own transaction.
 * Throws when the list is not numbered 1..n or when the database is newer
 * than this build (opening it would risk corrupting a newer schema).
 */
export function migrate(
  db: Database,
  migrations: readonly Migration[],
): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`Migration "${m.name}" has version ${m.version}; expected ${i + 1}`);
  });
  const from = schemaVersion(db);
  const latest = migrations.length;
  if (from > latest) {
    throw new Error(
      `The database has schema version ${from}, newer than this Troika build knows (${latest}); update Troika`,
    );
  }
  for (const m of migrations.slice(from)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: latest };
}
