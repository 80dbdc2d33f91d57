/**
 * Plans as data: a Troika task, a plan, the problems a plan can have, its dry
 * run and its state, as schemas (the one definition of these shapes). The
 * backend parses imported plans with them; the renderer checks what plan
 * methods and events return against them. zod/mini only: the browser loads
 * this file (see events.ts).
 */
import * as z from 'zod/mini';
import { PlanTalkSchema } from './plan-talk.ts';

export const TASK_SIZES = ['XS', 'S', 'M', 'L', 'XL'] as const;
export type TaskSize = (typeof TASK_SIZES)[number];

export const TASK_PRIORITIES = ['high', 'medium', 'low'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/** Builders change code, reviewers read it, planners split a goal; gates are commands, not roles. */
export const TASK_ROLES = ['builder', 'reviewer', 'planner'] as const;
export type TaskRole = (typeof TASK_ROLES)[number];

export const MAX_TASKS = 500;
const MAX_TEXT = 20_000;

const TaskId = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.maxLength(64),
    z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-"'),
  );
const Text = z.string().check(z.maxLength(MAX_TEXT));
const ModelId = z
  .string()
  .check(
    z.regex(/^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,99}$/, 'must be a model id such as claude-sonnet-5-5'),
  );
/** A path or glob relative to the repository root, `/`-separated. */
const FileGlob = z.string().check(
  z.minLength(1),
  z.maxLength(1024),
  z.refine(
    (p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p),
    'must be relative to the repository',
  ),
);

/** One task of a plan, Troika's fields; a missing optional field takes its default. */
export const PlanTaskSchema = z.object({
  id: TaskId,
  title: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(300)),
  /** What to do; validation names a task without one (an agent cannot start from a title alone). */
  description: z._default(Text, ''),
  /** How to do it: implementation notes (Task Master's `details`). */
  details: z._default(Text, ''),
  acceptanceCriteria: z._default(z.array(Text).check(z.maxLength(100)), []),
  testStrategy: z._default(Text, ''),
  dependencies: z._default(z.array(TaskId).check(z.maxLength(MAX_TASKS)), []),
  priority: z._default(z.enum(TASK_PRIORITIES), 'medium'),
  size: z._default(z.enum(TASK_SIZES), 'M'),
  role: z._default(z.enum(TASK_ROLES), 'builder'),
  /** Null: the plan's model. */
  model: z._default(z.nullable(ModelId), null),
  /** The files or globs the task expects to touch: two tasks that overlap never run at once. */
  files: z._default(z.array(FileGlob).check(z.maxLength(200)), []),
  /** Task Master's status (pending, in-progress, done, …), kept for export. */
  status: z._default(z.string().check(z.maxLength(64)), 'pending'),
  /** Fields another tool wrote that Troika does not use (subtasks, its metadata), kept so an export gives them back. */
  external: z._default(z.record(z.string(), z.unknown()), {}),
});
export type PlanTask = z.output<typeof PlanTaskSchema>;
export type PlanTaskInput = z.input<typeof PlanTaskSchema>;

export const PlanTasksSchema = z.array(PlanTaskSchema).check(z.maxLength(MAX_TASKS));

export const PLAN_PROBLEM_KINDS = [
  'invalid_json',
  'invalid_shape',
  'no_tasks',
  'duplicate_id',
  'unknown_dependency',
  'cycle',
  'no_description',
] as const;
export type PlanProblemKind = (typeof PLAN_PROBLEM_KINDS)[number];

/** One thing wrong with a plan, for a person (`message`) and for the UI (`kind`, `taskIds`). */
export const PlanProblemSchema = z.object({
  kind: z.enum(PLAN_PROBLEM_KINDS),
  /** The tasks concerned; for a cycle, in the cycle's order. */
  taskIds: z.array(z.string()),
  message: z.string(),
});
export type PlanProblem = z.infer<typeof PlanProblemSchema>;

/** Why a ready task waits for a later wave. */
export const HoldSchema = z.object({
  taskId: z.string(),
  /** The wave it was held out of (0-based). */
  wave: z.number(),
  kind: z.enum(['overlap', 'capacity']),
  /** The task it overlaps, for `overlap`. */
  withTaskId: z.nullable(z.string()),
  reason: z.string(),
});
export type Hold = z.infer<typeof HoldSchema>;

export const TaskEstimateSchema = z.object({
  taskId: z.string(),
  size: z.enum(TASK_SIZES),
  model: z.string(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
});
export type TaskEstimate = z.infer<typeof TaskEstimateSchema>;

export const DryRunSchema = z.object({
  /** Task ids per wave, in order; the tasks of one wave run together (at most three). */
  waves: z.array(z.array(z.string())),
  holds: z.array(HoldSchema),
  estimate: z.object({
    tasks: z.array(TaskEstimateSchema),
    totalUsd: z.number(),
    /** The figures are sizes times typical token counts, not a model's answer. */
    basis: z.string(),
  }),
});
export type DryRun = z.infer<typeof DryRunSchema>;

/** What `plans.check` answers: the parsed tasks and, when valid, the dry run. */
export const PlanCheckSchema = z.object({
  valid: z.boolean(),
  problems: z.array(PlanProblemSchema),
  tasks: z.array(PlanTaskSchema),
  /** Null while the plan has problems. */
  dryRun: z.nullable(DryRunSchema),
  /** The format the text was read as. */
  format: z.enum(['taskmaster', 'taskmaster-tagged', 'troika']),
});
export type PlanCheck = z.infer<typeof PlanCheckSchema>;

export const PLAN_STATES = ['draft', 'running', 'paused', 'stopped', 'blocked', 'done'] as const;
export type PlanState = (typeof PLAN_STATES)[number];

export const TASK_STATES = [
  'waiting',
  'running',
  'gating',
  'merge_queue',
  'merging',
  'merged',
  'failed',
  'needs_user',
  'skipped',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** The reason a task taken over by the user carries while it is theirs (its state: needs_user). */
export const TAKEN_OVER_REASON = 'Taken over by you';

/** Who tries next after a failure: the same agent again, the plan's stronger model, then the user. */
export const ESCALATION_LEVELS = ['retry', 'stronger', 'user'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export const PlanTaskStatusSchema = z.object({
  taskId: z.string(),
  state: z.enum(TASK_STATES),
  level: z.enum(ESCALATION_LEVELS),
  attempts: z.number(),
  spentUsd: z.number(),
  /** The task's share of the plan's budget (null: no cap), and what is left of it (negative: over). */
  budgetUsd: z.nullable(z.number()),
  remainingUsd: z.nullable(z.number()),
  branch: z.nullable(z.string()),
  mergedCommit: z.nullable(z.string()),
  /** Why it stopped or what it waits for. */
  reason: z.nullable(z.string()),
  /** The agent of its latest attempt (its panel), once one started. */
  agentId: z.nullable(z.string()),
  /** Running tasks whose live worktrees conflict with this one's, and in which files. */
  overlaps: z.array(z.object({ withTaskId: z.string(), files: z.array(z.string()) })),
});
export type PlanTaskStatus = z.infer<typeof PlanTaskStatusSchema>;

export const PlanSummarySchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  goal: z.string(),
  state: z.enum(PLAN_STATES),
  stateReason: z.nullable(z.string()),
  /** `troika/plan-<slug>`: where the tasks are merged in order. */
  integrationBranch: z.string(),
  budgetUsd: z.nullable(z.number()),
  spentUsd: z.number(),
  /** What is left of the budget; null: no cap. */
  remainingUsd: z.nullable(z.number()),
  taskCount: z.number(),
  mergedCount: z.number(),
  createdAt: z.number(),
});
export type PlanSummary = z.infer<typeof PlanSummarySchema>;

export const PlanDetailSchema = z.object({
  plan: PlanSummarySchema,
  tasks: z.array(PlanTaskSchema),
  status: z.array(PlanTaskStatusSchema),
  dryRun: DryRunSchema,
  /** Reviews and question hops per task, and the settings they follow (plan-talk.ts). */
  talk: z.optional(PlanTalkSchema),
});
export type PlanDetail = z.infer<typeof PlanDetailSchema>;

/** A plan task escalated to the user, for the one "needs you" list. */
export const PlanNeedsYouSchema = z.object({
  planId: z.string(),
  planName: z.string(),
  taskId: z.string(),
  title: z.string(),
  /** Why it needs the user: the last failure. */
  reason: z.nullable(z.string()),
  attempts: z.number(),
  /** The agent of its latest attempt, whose panel shows what it did. */
  agentId: z.nullable(z.string()),
});
export type PlanNeedsYou = z.infer<typeof PlanNeedsYouSchema>;

export const planEventSchemas = {
  /** A plan was created or one of its tasks changed state. */
  'plans.changed': z.object({ planId: z.string() }),
  /** A task was just escalated to the user (the desktop app notifies at once). */
  'plans.escalated': PlanNeedsYouSchema,
  /** Two running tasks' worktrees conflict (or, `cleared`, no longer do), found before either merges. */
  'plans.overlap': z.object({
    planId: z.string(),
    taskIds: z.tuple([z.string(), z.string()]),
    files: z.array(z.string()),
    cleared: z.boolean(),
  }),
};

/** `plans.needsYou`'s answer. */
export const PlanNeedsYouListSchema = z.object({ tasks: z.array(PlanNeedsYouSchema) });

/** `plans.list`'s answer. */
export const PlanListSchema = z.object({ plans: z.array(PlanSummarySchema) });

/** `plans.export`'s answer: Task Master's tasks.json, and a file name for it. */
export const PlanExportSchema = z.object({ fileName: z.string(), text: z.string() });
export type PlanExport = z.infer<typeof PlanExportSchema>;
