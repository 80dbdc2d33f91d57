import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openDatabase } from '../../native/sqlite.ts';
import { openTroikaDatabase } from './database.ts';
import { migrate, schemaVersion, type Migration } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';

describe('database and migrations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'troika-db-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a new database is migrated to the latest version', () => {
    const db = openTroikaDatabase(join(dir, 'a.db'));
    try {
      assert.equal(schemaVersion(db), MIGRATIONS.length);
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .all() as Array<{ name: string }>;
      assert.deepEqual(
        tables.map((t) => t.name).filter((n) => !n.startsWith('sqlite_')),
        [
          'agent_events',
          'agents',
          'plan_evidence',
          'plan_tasks',
          'plans',
          'transcript_messages',
          'usage_records',
        ],
      );
    } finally {
      db.close();
    }
  });

  test('a file database uses WAL', () => {
    const db = openTroikaDatabase(join(dir, 'wal.db'));
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    } finally {
      db.close();
    }
  });

  test('reopening an up-to-date database applies nothing', () => {
    const file = join(dir, 'b.db');
    openTroikaDatabase(file).close();
    const db = openDatabase(file);
    try {
      assert.deepEqual(migrate(db, MIGRATIONS), { from: MIGRATIONS.length, to: MIGRATIONS.length });
    } finally {
      db.close();
    }
  });

  test('only the migrations past the stored version run', () => {
    const db = openDatabase(':memory:');
    const extra: Migration[] = [
      { version: 1, name: 'one', sql: 'CREATE TABLE one (x INTEGER)' },
      { version: 2, name: 'two', sql: 'CREATE TABLE two (x INTEGER)' },
    ];
    try {
      migrate(db, extra.slice(0, 1));
      assert.deepEqual(migrate(db, extra), { from: 1, to: 2 });
      assert.equal(schemaVersion(db), 2);
    } finally {
      db.close();
    }
  });

  test('a failing migration leaves the version where it was', () => {
    const db = openDatabase(':memory:');
    try {
      assert.throws(() =>
        migrate(db, [{ version: 1, name: 'bad', sql: 'CREATE TABLE t (x); NOT SQL' }]),
      );
      assert.equal(schemaVersion(db), 0);
      const row = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 't'").get() as {
        n: number;
      };
      assert.equal(row.n, 0, 'the half-applied table was rolled back');
    } finally {
      db.close();
    }
  });

  test('migrations out of order are refused', () => {
    const db = openDatabase(':memory:');
    try {
      assert.throws(() => migrate(db, [{ version: 2, name: 'gap', sql: '' }]), /expected 1/);
    } finally {
      db.close();
    }
  });

  test('a database newer than this build is refused', () => {
    const db = openDatabase(':memory:');
    try {
      db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
      assert.throws(() => migrate(db, MIGRATIONS), /newer than this Troika build/);
    } finally {
      db.close();
    }
  });
});
