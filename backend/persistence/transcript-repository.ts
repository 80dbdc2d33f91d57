/**
 * The `transcript_messages` table: the conversation exactly as sent to the
 * model, one row per message, content as JSON. Enough to resume a run.
 */
import type { Database } from '../../native/sqlite.ts';
import { prepared } from './database.ts';

export interface TranscriptRow {
  seq: number;
  role: 'user' | 'assistant';
  /** The message's content blocks, as the Messages API takes them. */
  content: unknown[];
  createdAt: number;
}

export class TranscriptRepository {
  readonly #db: Database;
  readonly #listeners = new Set<(agentId: string, row: TranscriptRow) => void>();

  constructor(db: Database) {
    this.#db = db;
  }

  /** Writes message `seq`, replacing it if present (a user turn may gain blocks before it is sent). */
  put(agentId: string, row: TranscriptRow): void {
    prepared(
      this.#db,
      `INSERT INTO transcript_messages (agent_id, seq, role, content, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (agent_id, seq) DO UPDATE SET role = excluded.role, content = excluded.content`,
    ).run(agentId, row.seq, row.role, JSON.stringify(row.content), row.createdAt);
    for (const listener of this.#listeners) listener(agentId, row);
  }

  /** Hear every message stored, after it is (the hooks' transcript file); returns the unsubscribe. */
  observe(listener: (agentId: string, row: TranscriptRow) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  list(agentId: string): TranscriptRow[] {
    const rows = prepared(
      this.#db,
      'SELECT seq, role, content, created_at FROM transcript_messages WHERE agent_id = ? ORDER BY seq',
    ).all(agentId) as Array<{
      seq: number;
      role: 'user' | 'assistant';
      content: string;
      created_at: number;
    }>;
    return rows.map((r) => ({
      seq: r.seq,
      role: r.role,
      content: JSON.parse(r.content) as unknown[],
      createdAt: r.created_at,
    }));
  }
}
