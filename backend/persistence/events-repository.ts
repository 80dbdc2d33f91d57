/** The `agent_events` table: an append-only log of everything an agent did (the schema refuses updates and deletes). */
import type { Database } from '../../native/sqlite.ts';

export interface StoredEvent {
  id: number;
  agentId: string;
  type: string;
  data: unknown;
  createdAt: number;
}

export class EventsRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  append(agentId: string, type: string, data: unknown, now: number): number {
    const result = this.#db
      .prepare('INSERT INTO agent_events (agent_id, type, data, created_at) VALUES (?, ?, ?, ?)')
      .run(agentId, type, JSON.stringify(data), now);
    return Number(result.lastInsertRowid);
  }

  /** The newest event of `type` for the agent, or undefined when it has none. */
  latest(agentId: string, type: string): StoredEvent | undefined {
    const row = this.#db
      .prepare('SELECT id, agent_id, type, data, created_at FROM agent_events WHERE agent_id = ? AND type = ? ORDER BY id DESC LIMIT 1')
      .get(agentId, type) as { id: number; agent_id: string; type: string; data: string; created_at: number } | undefined;
    return row && { id: row.id, agentId: row.agent_id, type: row.type, data: JSON.parse(row.data) as unknown, createdAt: row.created_at };
  }

  /** Oldest first; `afterId` pages on. */
  list(agentId: string, options: { afterId?: number; limit?: number } = {}): StoredEvent[] {
    const rows = this.#db
      .prepare('SELECT id, agent_id, type, data, created_at FROM agent_events WHERE agent_id = ? AND id > ? ORDER BY id LIMIT ?')
      .all(agentId, options.afterId ?? 0, options.limit ?? -1) as Array<{
      id: number;
      agent_id: string;
      type: string;
      data: string;
      created_at: number;
    }>;
    return rows.map((r) => ({ id: r.id, agentId: r.agent_id, type: r.type, data: JSON.parse(r.data) as unknown, createdAt: r.created_at }));
  }
}
