/**
 * Plans: the plan as data (its tasks as one JSON document, edited as a
 * whole), each task's progress (one row, updated at every step so a restart
 * resumes where it stopped), and the evidence of every attempt, gate result
 * and merge (append-only, like agent_events).
 */
import type { Migration } from '../migrate.ts';

export const migration003: Migration = {
  version: 3,
  name: 'plans',
  sql: `
    CREATE TABLE plans (
      id              TEXT PRIMARY KEY,
      slug            TEXT NOT NULL UNIQUE,
      name            TEXT NOT NULL,
      goal            TEXT NOT NULL,
      workspace       TEXT NOT NULL,
      model           TEXT NOT NULL,
      stronger_model  TEXT,
      max_attempts    INTEGER NOT NULL,
      budget_usd      REAL,
      tasks           TEXT NOT NULL,
      state           TEXT NOT NULL,
      state_reason    TEXT,
      created_at      INTEGER NOT NULL,
      updated_at      INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX plans_by_created ON plans (created_at);

    CREATE TABLE plan_tasks (
      plan_id        TEXT NOT NULL REFERENCES plans (id),
      task_id        TEXT NOT NULL,
      state          TEXT NOT NULL,
      level          TEXT NOT NULL,
      attempts       INTEGER NOT NULL,
      level_attempts INTEGER NOT NULL,
      spent_usd      REAL NOT NULL,
      branch         TEXT,
      merged_commit  TEXT,
      feedback       TEXT,
      reason         TEXT,
      updated_at     INTEGER NOT NULL,
      PRIMARY KEY (plan_id, task_id)
    ) STRICT;

    CREATE TABLE plan_evidence (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      plan_id     TEXT NOT NULL REFERENCES plans (id),
      task_id     TEXT,
      kind        TEXT NOT NULL,
      data        TEXT NOT NULL,
      created_at  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX plan_evidence_by_task ON plan_evidence (plan_id, task_id, id);
    CREATE TRIGGER plan_evidence_no_update BEFORE UPDATE ON plan_evidence
      BEGIN SELECT RAISE(ABORT, 'plan_evidence is append-only'); END;
    CREATE TRIGGER plan_evidence_no_delete BEFORE DELETE ON plan_evidence
      BEGIN SELECT RAISE(ABORT, 'plan_evidence is append-only'); END;
  `,
};
