/**
 * Opens Troika's database (`<dataDir>/troika.db`) in WAL mode and migrates it.
 * One connection per process; the repositories share it.
 */
import { join } from 'node:path';
import { openDatabase, type Database, type Statement } from '../../native/sqlite.ts';
import { migrate } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';

export const DATABASE_FILE = 'troika.db';

/** How long a write waits for another connection's lock before failing; a second process (tests, a tool) may read the file. */
const BUSY_TIMEOUT_MS = 5000;
/**
 * In WAL mode, NORMAL syncs at checkpoints instead of on every commit: a
 * process crash loses nothing and nothing can corrupt; only a power loss may
 * drop the last commits. FULL's fsync per commit cost 0.35 ms typically and
 * up to 4 ms per event appended (measured here), on the agent loop's thread,
 * several times per tool call.
 */
const WAL_SYNCHRONOUS = 'NORMAL';

/** Opens and migrates the database at `file` (`:memory:` for a throwaway one). */
export function openTroikaDatabase(file: string): Database {
  const db = openDatabase(file);
  try {
    if (file !== ':memory:') {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${WAL_SYNCHRONOUS}`);
    }
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    migrate(db, MIGRATIONS);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

const statements = new WeakMap<Database, Map<string, Statement>>();

/**
 * The statement for `sql` on `db`, compiled once: repositories run the same
 * few statements thousands of times in a plan, and compiling one each time
 * cost more than running it.
 */
export function prepared(db: Database, sql: string): Statement {
  let known = statements.get(db);
  if (known === undefined) {
    known = new Map();
    statements.set(db, known);
  }
  let statement = known.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    known.set(sql, statement);
  }
  return statement;
}
