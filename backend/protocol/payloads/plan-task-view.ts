/**
 * What the plan view shows of one task beyond its card: its diff (the work
 * on its branch since it forked from the integration branch, or for a merged
 * task its merge's change there), cut to a bounded size, and every gate run
 * of every attempt as recorded in its evidence. zod/mini only: the browser
 * loads this file (see events.ts).
 */
import * as z from 'zod/mini';

export const TASK_DIFF_FILE_STATUSES = ['added', 'modified', 'deleted', 'renamed'] as const;

export const TaskDiffFileSchema = z.object({
  /** Relative to the repository root, `/`-separated. */
  path: z.string(),
  /** The path before, for a rename. */
  oldPath: z.nullable(z.string()),
  status: z.enum(TASK_DIFF_FILE_STATUSES),
  additions: z.number(),
  deletions: z.number(),
  binary: z.boolean(),
  /** The file's unified diff; empty when left out (see `truncated`) or for a binary file's content. */
  patch: z.string(),
  /** Some or all of the file's patch was left out at the size limit. */
  truncated: z.boolean(),
});
export type TaskDiffFile = z.infer<typeof TaskDiffFileSchema>;

export const TaskDiffSchema = z.object({
  planId: z.string(),
  taskId: z.string(),
  /** False when there is nothing to show yet or any more; `reason` says why. */
  available: z.boolean(),
  reason: z.nullable(z.string()),
  /** `branch`: the task's branch against where it forked; `merge`: its merge commit's change on the integration branch. */
  source: z.nullable(z.enum(['branch', 'merge'])),
  branch: z.nullable(z.string()),
  /** The two commits compared (abbreviated). */
  base: z.nullable(z.string()),
  head: z.nullable(z.string()),
  /** What the diff does not show (a running agent's uncommitted edits). */
  note: z.nullable(z.string()),
  files: z.array(TaskDiffFileSchema),
  /** The whole diff's figures, left-out files and patches included. */
  totals: z.object({ files: z.number(), additions: z.number(), deletions: z.number() }),
  /** What the size limits left out: files without their whole patch, and the patch bytes not sent. */
  omitted: z.object({ files: z.number(), bytes: z.number() }),
});
export type TaskDiff = z.infer<typeof TaskDiffSchema>;

export const GATE_CHECK_STATUSES = ['passed', 'failed', 'timed_out'] as const;

/** One command of a gate run. */
export const GateCheckSchema = z.object({
  name: z.string(),
  command: z.string(),
  status: z.enum(GATE_CHECK_STATUSES),
  exitCode: z.nullable(z.number()),
  /** Null when it was not recorded. */
  durationMs: z.nullable(z.number()),
  /** The end of what it printed. */
  output: z.string(),
});
export type GateCheck = z.infer<typeof GateCheckSchema>;

/** One run of the gates: in the task's worktree, or on the merge into the integration branch. */
export const GateRunSchema = z.object({
  where: z.enum(['task', 'integration']),
  passed: z.boolean(),
  at: z.number(),
  /** How long the commands ran together; null when not recorded. */
  durationMs: z.nullable(z.number()),
  /** Each command; empty when the run recorded only its combined output (then see `output`). */
  checks: z.array(GateCheckSchema),
  /** The run's combined output (what a failing run hands back to the agent). */
  output: z.string(),
});
export type GateRun = z.infer<typeof GateRunSchema>;

export const AttemptGatesSchema = z.object({
  /** 1-based over every level; 0 for gate runs recorded before any attempt. */
  attempt: z.number(),
  level: z.nullable(z.string()),
  model: z.nullable(z.string()),
  startedAt: z.nullable(z.number()),
  runs: z.array(GateRunSchema),
});
export type AttemptGates = z.infer<typeof AttemptGatesSchema>;

/** `plans.taskGates`'s answer: the task's attempts in order, each with its gate runs. */
export const TaskGatesSchema = z.object({
  planId: z.string(),
  taskId: z.string(),
  attempts: z.array(AttemptGatesSchema),
});
export type TaskGates = z.infer<typeof TaskGatesSchema>;
