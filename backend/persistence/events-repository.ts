/** The `agent_events` table: an append-only log of everything an agent did (the schema refuses updates and deletes). */
import type { Database } from '../../native/sqlite.ts';
import { prepared } from './database.ts';

export interface StoredEvent {
  id: number;
  agentId: string;
  type: string;
  data: unknown;
  createdAt: number;
}

const INSERT = 'INSERT INTO agent_events (agent_id, type, data, created_at) VALUES (?, ?, ?, ?)';

export class EventsRepository {
  readonly #db: Database;
  /** Events of {@link appendSoon} not written yet, oldest first. */
  #pending: Array<[agentId: string, type: string, data: string, createdAt: number]> = [];
  #flushing: NodeJS.Immediate | undefined;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Writes an event now (after any waiting ones, so the log keeps its order); returns its id. */
  append(agentId: string, type: string, data: unknown, now: number): number {
    this.flush();
    const result = prepared(this.#db, INSERT).run(agentId, type, JSON.stringify(data), now);
    return Number(result.lastInsertRowid);
  }

  /**
   * Queues an event, written with the others queued in this turn of the
   * event loop in one transaction: the agent loop emits several events per
   * step, and a commit each (with its share of WAL checkpoints) would stall
   * it. Reads, {@link append} and {@link flush} write the queue first.
   */
  appendSoon(agentId: string, type: string, data: unknown, now: number): void {
    this.#pending.push([agentId, type, JSON.stringify(data), now]);
    this.#flushing ??= setImmediate(() => this.flush());
  }

  /** Writes the queued events. After the database was closed they cannot be: that is reported, not thrown. */
  flush(): void {
    if (this.#flushing) clearImmediate(this.#flushing);
    this.#flushing = undefined;
    const rows = this.#pending;
    if (rows.length === 0) return;
    this.#pending = [];
    if (!this.#db.open) {
      process.emitWarning(
        `${rows.length} agent event(s) arrived after the database was closed and were not stored`,
      );
      return;
    }
    const insert = prepared(this.#db, INSERT);
    this.#db.transaction(() => {
      for (const row of rows) insert.run(...row);
    })();
  }

  /** The newest event of `type` for the agent, or undefined when it has none. */
  latest(agentId: string, type: string): StoredEvent | undefined {
    this.flush();
    const row = prepared(
      this.#db,
      'SELECT id, agent_id, type, data, created_at FROM agent_events WHERE agent_id = ? AND type = ? ORDER BY id DESC LIMIT 1',
    ).get(agentId, type) as
      { id: number; agent_id: string; type: string; data: string; created_at: number } | undefined;
    return (
      row && {
        id: row.id,
        agentId: row.agent_id,
        type: row.type,
        data: JSON.parse(row.data) as unknown,
        createdAt: row.created_at,
      }
    );
  }

  /** Oldest first; `afterId` pages on. */
  list(agentId: string, options: { afterId?: number; limit?: number } = {}): StoredEvent[] {
    this.flush();
    const rows = prepared(
      this.#db,
      'SELECT id, agent_id, type, data, created_at FROM agent_events WHERE agent_id = ? AND id > ? ORDER BY id LIMIT ?',
    ).all(agentId, options.afterId ?? 0, options.limit ?? -1) as Array<{
      id: number;
      agent_id: string;
      type: string;
      data: string;
      created_at: number;
    }>;
    return rows.map((r) => ({
      id: r.id,
      agentId: r.agent_id,
      type: r.type,
      data: JSON.parse(r.data) as unknown,
      createdAt: r.created_at,
    }));
  }
}
