/** better-sqlite3, loaded through {@link loadNative} so a broken install names its fix. */
import type BetterSqlite3 from 'better-sqlite3';
import { loadNative } from './load.ts';

export type Database = BetterSqlite3.Database;
export type Statement<
  P extends unknown[] | object = unknown[],
  R = unknown,
> = BetterSqlite3.Statement<P, R>;
type DatabaseConstructor = typeof BetterSqlite3;

let cached: DatabaseConstructor | undefined;

/** Open (creating if needed) a SQLite database file; `:memory:` for an in-memory one. */
export function openDatabase(file: string, options?: BetterSqlite3.Options): Database {
  cached ??= loadNative<DatabaseConstructor>('better-sqlite3');
  return new cached(file, options);
}
