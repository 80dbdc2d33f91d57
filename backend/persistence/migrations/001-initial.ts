/**
 * The first schema: agents, their transcripts, an append-only event log, and
 * usage per model request. Later changes go in new numbered files; this one is
 * never edited once released.
 */
import type { Migration } from '../migrate.ts';

export const migration001: Migration = {
  version: 1,
  name: 'initial',
  sql: `
    CREATE TABLE agents (
      id            TEXT PRIMARY KEY,
      task          TEXT NOT NULL,
      model         TEXT NOT NULL,
      workspace     TEXT NOT NULL,
      work_dir      TEXT NOT NULL,
      branch        TEXT,
      persona       TEXT,
      budget_usd    REAL,
      state         TEXT NOT NULL,
      state_reason  TEXT,
      created_at    INTEGER NOT NULL,
      updated_at    INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX agents_by_created ON agents (created_at);

    CREATE TABLE transcript_messages (
      agent_id    TEXT NOT NULL REFERENCES agents (id),
      seq         INTEGER NOT NULL,
      role        TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
      content     TEXT NOT NULL,
      created_at  INTEGER NOT NULL,
      PRIMARY KEY (agent_id, seq)
    ) STRICT;

    CREATE TABLE agent_events (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      agent_id    TEXT NOT NULL REFERENCES agents (id),
      type        TEXT NOT NULL,
      data        TEXT NOT NULL,
      created_at  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX agent_events_by_agent ON agent_events (agent_id, id);
    CREATE TRIGGER agent_events_no_update BEFORE UPDATE ON agent_events
      BEGIN SELECT RAISE(ABORT, 'agent_events is append-only'); END;
    CREATE TRIGGER agent_events_no_delete BEFORE DELETE ON agent_events
      BEGIN SELECT RAISE(ABORT, 'agent_events is append-only'); END;

    CREATE TABLE usage_records (
      id                           INTEGER PRIMARY KEY AUTOINCREMENT,
      agent_id                     TEXT NOT NULL REFERENCES agents (id),
      model                        TEXT NOT NULL,
      input_tokens                 INTEGER NOT NULL,
      output_tokens                INTEGER NOT NULL,
      cache_creation_input_tokens  INTEGER NOT NULL,
      cache_read_input_tokens      INTEGER NOT NULL,
      cost_usd                     REAL NOT NULL,
      created_at                   INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX usage_records_by_agent ON usage_records (agent_id);
    CREATE INDEX usage_records_by_time ON usage_records (created_at);
  `,
};
