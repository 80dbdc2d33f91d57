/** The `usage_records` table: tokens and cost of every model request. */
import type { Database } from '../../native/sqlite.ts';
import { prepared } from './database.ts';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
}

export interface UsageTotals extends TokenUsage {
  requests: number;
  costUsd: number;
}

interface TotalsRow {
  requests: number;
  input: number | null;
  output: number | null;
  cache_write: number | null;
  cache_read: number | null;
  cost: number | null;
}

const TOTALS_SELECT = `SELECT COUNT(*) AS requests, SUM(input_tokens) AS input, SUM(output_tokens) AS output,
  SUM(cache_creation_input_tokens) AS cache_write, SUM(cache_read_input_tokens) AS cache_read, SUM(cost_usd) AS cost
  FROM usage_records`;

function toTotals(row: TotalsRow): UsageTotals {
  return {
    requests: row.requests,
    inputTokens: row.input ?? 0,
    outputTokens: row.output ?? 0,
    cacheCreationInputTokens: row.cache_write ?? 0,
    cacheReadInputTokens: row.cache_read ?? 0,
    costUsd: row.cost ?? 0,
  };
}

export class UsageRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  record(agentId: string, model: string, usage: TokenUsage, costUsd: number, now: number): void {
    prepared(
      this.#db,
      `INSERT INTO usage_records (agent_id, model, input_tokens, output_tokens, cache_creation_input_tokens, cache_read_input_tokens, cost_usd, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      agentId,
      model,
      usage.inputTokens,
      usage.outputTokens,
      usage.cacheCreationInputTokens,
      usage.cacheReadInputTokens,
      costUsd,
      now,
    );
  }

  totalsFor(agentId: string): UsageTotals {
    return toTotals(
      prepared(this.#db, `${TOTALS_SELECT} WHERE agent_id = ?`).get(agentId) as TotalsRow,
    );
  }

  /** The agent's requests and cost per model that answered, in order of first use. */
  byModel(agentId: string): { model: string; requests: number; costUsd: number }[] {
    const rows = prepared(
      this.#db,
      `SELECT model, COUNT(*) AS requests, SUM(cost_usd) AS cost FROM usage_records
         WHERE agent_id = ? GROUP BY model ORDER BY MIN(id)`,
    ).all(agentId) as { model: string; requests: number; cost: number | null }[];
    return rows.map((r) => ({ model: r.model, requests: r.requests, costUsd: r.cost ?? 0 }));
  }

  /** Totals over every agent since `since` (ms epoch). */
  totalsSince(since: number): UsageTotals {
    return toTotals(
      prepared(this.#db, `${TOTALS_SELECT} WHERE created_at >= ?`).get(since) as TotalsRow,
    );
  }
}
