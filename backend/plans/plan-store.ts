/**
 * The plan tables (migration 003): a plan and its tasks as data, each task's
 * progress, and the append-only evidence. Every step the scheduler takes is
 * one call here, a task's new progress and its evidence written in one
 * transaction, so a restart finds either both or neither.
 */
import type { Database } from '../../native/sqlite.ts';
import {
  PlanTasksSchema,
  type EscalationLevel,
  type PlanState,
  type PlanTask,
  type TaskState,
} from '../protocol/payloads/plans.ts';
import { prepared } from '../persistence/database.ts';

export interface PlanRecord {
  id: string;
  /** Names the integration branch `troika/plan-<slug>`; unique. */
  slug: string;
  name: string;
  goal: string;
  /** The repository the plan works in. */
  workspace: string;
  /** The model a task uses when it names none. */
  model: string;
  /** The escalation's second level; null skips straight to the user. */
  strongerModel: string | null;
  /** Attempts at the first level before escalating (three by default). */
  maxAttempts: number;
  budgetUsd: number | null;
  tasks: PlanTask[];
  state: PlanState;
  stateReason: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface TaskProgress {
  taskId: string;
  state: TaskState;
  level: EscalationLevel;
  /** Every attempt so far, at any level. */
  attempts: number;
  /** Attempts at the current level. */
  levelAttempts: number;
  spentUsd: number;
  /** The task's branch once an agent built on it. */
  branch: string | null;
  mergedCommit: string | null;
  /** What the next attempt is told: the failing gate's output or the conflict. */
  feedback: string | null;
  reason: string | null;
}

export type EvidenceKind =
  | 'attempt'
  | 'gate'
  | 'merge'
  | 'escalation'
  | 'control'
  /** Live worktrees of two running tasks conflict (live-overlap.ts). */
  | 'overlap'
  | 'review'
  | 'question';

export interface Evidence {
  id: number;
  taskId: string | null;
  kind: EvidenceKind;
  data: Record<string, unknown>;
  createdAt: number;
}

interface PlanRow {
  id: string;
  slug: string;
  name: string;
  goal: string;
  workspace: string;
  model: string;
  stronger_model: string | null;
  max_attempts: number;
  budget_usd: number | null;
  tasks: string;
  state: string;
  state_reason: string | null;
  created_at: number;
  updated_at: number;
}

interface ProgressRow {
  task_id: string;
  state: string;
  level: string;
  attempts: number;
  level_attempts: number;
  spent_usd: number;
  branch: string | null;
  merged_commit: string | null;
  feedback: string | null;
  reason: string | null;
}

export function initialProgress(taskId: string): TaskProgress {
  return {
    taskId,
    state: 'waiting',
    level: 'retry',
    attempts: 0,
    levelAttempts: 0,
    spentUsd: 0,
    branch: null,
    mergedCommit: null,
    feedback: null,
    reason: null,
  };
}

export class PlanStore {
  readonly #db: Database;
  readonly #now: () => number;

  constructor(db: Database, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /** Saves a new plan with every task waiting. */
  insert(plan: Omit<PlanRecord, 'createdAt' | 'updatedAt' | 'state' | 'stateReason'>): PlanRecord {
    const now = this.#now();
    const record: PlanRecord = {
      ...plan,
      state: 'draft',
      stateReason: null,
      createdAt: now,
      updatedAt: now,
    };
    this.#db.transaction(() => {
      prepared(
        this.#db,
        `INSERT INTO plans (id, slug, name, goal, workspace, model, stronger_model, max_attempts,
             budget_usd, tasks, state, state_reason, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        record.id,
        record.slug,
        record.name,
        record.goal,
        record.workspace,
        record.model,
        record.strongerModel,
        record.maxAttempts,
        record.budgetUsd,
        JSON.stringify(record.tasks),
        record.state,
        null,
        now,
        now,
      );
      for (const task of record.tasks)
        this.#writeProgress(record.id, initialProgress(task.id), now);
    })();
    return record;
  }

  get(id: string): PlanRecord | undefined {
    const row = prepared(this.#db, `SELECT * FROM plans WHERE id = ?`).get(id) as
      PlanRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  slugTaken(slug: string): boolean {
    return prepared(this.#db, `SELECT 1 FROM plans WHERE slug = ?`).get(slug) !== undefined;
  }

  /** Newest first. */
  list(limit = 100): PlanRecord[] {
    const rows = prepared(
      this.#db,
      `SELECT * FROM plans ORDER BY created_at DESC, id DESC LIMIT ?`,
    ).all(limit) as PlanRow[];
    return rows.map(toRecord);
  }

  setState(
    id: string,
    state: PlanState,
    reason: string | null,
    evidence?: Record<string, unknown>,
  ): void {
    const now = this.#now();
    this.#db.transaction(() => {
      prepared(
        this.#db,
        `UPDATE plans SET state = ?, state_reason = ?, updated_at = ? WHERE id = ?`,
      ).run(state, reason, now, id);
      if (evidence) this.#appendEvidence(id, null, 'control', evidence, now);
    })();
  }

  /** The plan's tasks as the user edited them (task-control.ts checked them first). */
  setTasks(planId: string, tasks: readonly PlanTask[]): void {
    prepared(this.#db, `UPDATE plans SET tasks = ?, updated_at = ? WHERE id = ?`).run(
      JSON.stringify(tasks),
      this.#now(),
      planId,
    );
  }

  /** Plan-level evidence that changes no state (a change of its settings). */
  appendControl(planId: string, data: Record<string, unknown>): void {
    this.#appendEvidence(planId, null, 'control', data, this.#now());
  }

  progress(planId: string): TaskProgress[] {
    const rows = prepared(
      this.#db,
      `SELECT * FROM plan_tasks WHERE plan_id = ? ORDER BY rowid`,
    ).all(planId) as ProgressRow[];
    return rows.map((row) => ({
      taskId: row.task_id,
      state: row.state as TaskState,
      level: row.level as EscalationLevel,
      attempts: row.attempts,
      levelAttempts: row.level_attempts,
      spentUsd: row.spent_usd,
      branch: row.branch,
      mergedCommit: row.merged_commit,
      feedback: row.feedback,
      reason: row.reason,
    }));
  }

  /** One step of a task: its new progress and, when given, what happened, together. */
  saveStep(
    planId: string,
    progress: TaskProgress,
    evidence?: { kind: EvidenceKind; data: Record<string, unknown> },
  ): void {
    const now = this.#now();
    this.#db.transaction(() => {
      this.#writeProgress(planId, progress, now);
      if (evidence)
        this.#appendEvidence(planId, progress.taskId, evidence.kind, evidence.data, now);
    })();
  }

  evidence(planId: string, taskId?: string): Evidence[] {
    const rows = (
      taskId === undefined
        ? prepared(this.#db, `SELECT * FROM plan_evidence WHERE plan_id = ? ORDER BY id`).all(
            planId,
          )
        : prepared(
            this.#db,
            `SELECT * FROM plan_evidence WHERE plan_id = ? AND task_id = ? ORDER BY id`,
          ).all(planId, taskId)
    ) as Array<{
      id: number;
      task_id: string | null;
      kind: string;
      data: string;
      created_at: number;
    }>;
    return rows.map((row) => ({
      id: row.id,
      taskId: row.task_id,
      kind: row.kind as EvidenceKind,
      data: JSON.parse(row.data) as Record<string, unknown>,
      createdAt: row.created_at,
    }));
  }

  #writeProgress(planId: string, p: TaskProgress, now: number): void {
    prepared(
      this.#db,
      `INSERT INTO plan_tasks (plan_id, task_id, state, level, attempts, level_attempts, spent_usd,
           branch, merged_commit, feedback, reason, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (plan_id, task_id) DO UPDATE SET state = excluded.state, level = excluded.level,
           attempts = excluded.attempts, level_attempts = excluded.level_attempts,
           spent_usd = excluded.spent_usd, branch = excluded.branch,
           merged_commit = excluded.merged_commit, feedback = excluded.feedback,
           reason = excluded.reason, updated_at = excluded.updated_at`,
    ).run(
      planId,
      p.taskId,
      p.state,
      p.level,
      p.attempts,
      p.levelAttempts,
      p.spentUsd,
      p.branch,
      p.mergedCommit,
      p.feedback,
      p.reason,
      now,
    );
  }

  #appendEvidence(
    planId: string,
    taskId: string | null,
    kind: EvidenceKind,
    data: Record<string, unknown>,
    now: number,
  ): void {
    prepared(
      this.#db,
      `INSERT INTO plan_evidence (plan_id, task_id, kind, data, created_at) VALUES (?, ?, ?, ?, ?)`,
    ).run(planId, taskId, kind, JSON.stringify(data), now);
  }
}

function toRecord(row: PlanRow): PlanRecord {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    goal: row.goal,
    workspace: row.workspace,
    model: row.model,
    strongerModel: row.stronger_model,
    maxAttempts: row.max_attempts,
    budgetUsd: row.budget_usd,
    // Parsed again on the way out: a row edited by hand cannot hand the scheduler a malformed task.
    tasks: PlanTasksSchema.parse(JSON.parse(row.tasks)),
    state: row.state as PlanState,
    stateReason: row.state_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
