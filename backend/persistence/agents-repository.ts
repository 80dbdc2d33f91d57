/** The `agents` table: one row per run, its settings and its latest state. */
import type { Database } from '../../native/sqlite.ts';
import { prepared } from './database.ts';

export interface AgentRecord {
  id: string;
  task: string;
  model: string;
  /** The folder the user gave. */
  workspace: string;
  /** Where the agent works: its git worktree, or `workspace` itself. */
  workDir: string;
  /** The agent's git branch when it works in a worktree. */
  branch: string | null;
  persona: string | null;
  budgetUsd: number | null;
  state: string;
  stateReason: string | null;
  createdAt: number;
  updatedAt: number;
}

interface AgentRow {
  id: string;
  task: string;
  model: string;
  workspace: string;
  work_dir: string;
  branch: string | null;
  persona: string | null;
  budget_usd: number | null;
  state: string;
  state_reason: string | null;
  created_at: number;
  updated_at: number;
}

function toRecord(row: AgentRow): AgentRecord {
  return {
    id: row.id,
    task: row.task,
    model: row.model,
    workspace: row.workspace,
    workDir: row.work_dir,
    branch: row.branch,
    persona: row.persona,
    budgetUsd: row.budget_usd,
    state: row.state,
    stateReason: row.state_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class AgentsRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  insert(record: AgentRecord): void {
    prepared(
      this.#db,
      `INSERT INTO agents (id, task, model, workspace, work_dir, branch, persona, budget_usd, state, state_reason, created_at, updated_at)
         VALUES (@id, @task, @model, @workspace, @workDir, @branch, @persona, @budgetUsd, @state, @stateReason, @createdAt, @updatedAt)`,
    ).run(record);
  }

  updateState(id: string, state: string, reason: string | null, now: number): void {
    prepared(
      this.#db,
      'UPDATE agents SET state = ?, state_reason = ?, updated_at = ? WHERE id = ?',
    ).run(state, reason, now, id);
  }

  updateBudget(id: string, budgetUsd: number | null, now: number): void {
    prepared(this.#db, 'UPDATE agents SET budget_usd = ?, updated_at = ? WHERE id = ?').run(
      budgetUsd,
      now,
      id,
    );
  }

  get(id: string): AgentRecord | undefined {
    const row = prepared(this.#db, 'SELECT * FROM agents WHERE id = ?').get(id) as
      AgentRow | undefined;
    return row && toRecord(row);
  }

  /** Newest first. */
  list(limit: number): AgentRecord[] {
    const rows = prepared(
      this.#db,
      'SELECT * FROM agents ORDER BY created_at DESC, rowid DESC LIMIT ?',
    ).all(limit) as AgentRow[];
    return rows.map(toRecord);
  }

  listInStates(states: readonly string[]): AgentRecord[] {
    if (states.length === 0) return [];
    const marks = states.map(() => '?').join(', ');
    const rows = prepared(
      this.#db,
      `SELECT * FROM agents WHERE state IN (${marks}) ORDER BY created_at`,
    ).all(...states) as AgentRow[];
    return rows.map(toRecord);
  }
}
