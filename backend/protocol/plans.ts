/**
 * Plans: a goal as a graph of tasks. A `tasks.json` (Task Master's shape,
 * Troika's fields alongside) is checked (problems named, dry run shown),
 * saved, listed and exported. The shapes the answers carry are schemas in
 * payloads/plans.ts, which the renderer checks them against.
 *
 * Running a plan: start (or pick up again), pause, resume, stop, and for a
 * task that needs the user, retry or skip. Each step is announced as
 * `plans.changed`; `plans.get` gives the tasks' states and evidence.
 */
import { z } from 'zod';
import { method } from './define.ts';
import type {
  PlanCheck,
  PlanDetail,
  PlanExport,
  PlanNeedsYou,
  PlanSummary,
} from './payloads/plans.ts';
import type { TaskDiff, TaskGates } from './payloads/plan-task-view.ts';
import { TASK_SIZES } from './payloads/plans.ts';

/** Bytes of `tasks.json` text accepted (backend/plans/task-master.ts checks the same limit). */
const MAX_TEXT = 2 * 1024 * 1024;
const TasksText = z.string().min(1, 'paste or import a tasks.json').max(MAX_TEXT);
const PlanId = z.string().min(1).max(64);
const TaskIdParam = z.string().min(1).max(100);
const ModelId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,99}$/, 'must be a model id such as claude-sonnet-5-5');
const AbsolutePath = z
  .string()
  .trim()
  .min(1)
  .max(4096)
  .refine((p) => /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(p), 'must be an absolute path');

export type { PlanCheck, PlanDetail, PlanSummary };

const Passes = z.number().int().min(0).max(2);
/** A change of a plan's talk settings (payloads/plan-talk.ts); what is left out keeps its value. */
const TalkSettingsChange = z.strictObject({
  reviewPasses: z
    .strictObject({ XS: Passes, S: Passes, M: Passes, L: Passes, XL: Passes })
    .partial()
    .optional(),
  reviewTasks: z.array(TaskIdParam).max(500).optional(),
  reviewRounds: z.number().int().min(0).max(10).optional(),
  questionHops: z.number().int().min(0).max(10).optional(),
  questionTimeoutSeconds: z.number().int().min(10).max(3600).optional(),
  reviewerModel: ModelId.optional(),
  plannerModel: ModelId.optional(),
});

const LongText = z.string().max(20_000);
/** What the user may change in a task (plans.editTask); what is left out keeps its value. */
const TaskChanges = z.strictObject({
  title: z.string().trim().min(1, 'must not be empty').max(300).optional(),
  description: LongText.optional(),
  details: LongText.optional(),
  acceptanceCriteria: z.array(LongText).max(100).optional(),
  testStrategy: LongText.optional(),
  files: z.array(z.string().trim().min(1).max(1024)).max(200).optional(),
  size: z.enum(TASK_SIZES).optional(),
  model: ModelId.nullable().optional(),
  dependencies: z.array(TaskIdParam).max(500).optional(),
});

export const planMethods = {
  /** Reads a tasks.json without saving it: the tasks, every problem, and the dry run when valid. */
  'plans.check': method(
    z.strictObject({ text: TasksText, model: ModelId.optional() }),
  ).returns<PlanCheck>(),
  /** Saves a valid plan (an invalid one fails with its problems named); its tasks all wait. */
  'plans.create': method(
    z.strictObject({
      text: TasksText,
      name: z.string().trim().min(1).max(200),
      workspace: AbsolutePath,
      goal: z.string().max(20_000).optional(),
      model: ModelId.optional(),
      strongerModel: ModelId.optional(),
      maxAttempts: z.number().int().min(1).max(10).optional(),
      budgetUsd: z.number().positive().max(100_000).optional(),
      talk: TalkSettingsChange.optional(),
    }),
  ).returns<PlanDetail>(),
  /** Changes which tasks are reviewed and how questions are routed; applies from the next step. */
  'plans.configure': method(
    z.strictObject({ id: PlanId, talk: TalkSettingsChange }),
  ).returns<PlanDetail>(),
  'plans.list': method(
    z.strictObject({ limit: z.number().int().min(1).max(1000).optional() }),
  ).returns<{ plans: PlanSummary[] }>(),
  'plans.get': method(z.strictObject({ id: PlanId })).returns<PlanDetail>(),
  /** The plan as Task Master's tasks.json (tagged form), Troika's fields in each task's metadata.troika. */
  'plans.export': method(z.strictObject({ id: PlanId })).returns<PlanExport>(),
  /** A pull-request description in Markdown: the goal, each task's agent, model, attempts, gates, tokens, cost and provenance. */
  'plans.describe': method(z.strictObject({ id: PlanId })).returns<PlanExport>(),
  /** Every task of every plan escalated to the user (its plan not stopped for good), oldest plan first. */
  'plans.needsYou': method(z.strictObject({})).returns<{ tasks: PlanNeedsYou[] }>(),
  /** Runs the plan: up to three tasks at once (the console's agents count against the same three). */
  'plans.start': method(z.strictObject({ id: PlanId })).returns<PlanDetail>(),
  /** No new task or merge starts; the agents at work finish their step. */
  'plans.pause': method(z.strictObject({ id: PlanId })).returns<PlanDetail>(),
  'plans.resume': method(z.strictObject({ id: PlanId })).returns<PlanDetail>(),
  /** Stops the plan's agents; their work stays on their branches and their tasks wait. */
  'plans.stop': method(z.strictObject({ id: PlanId })).returns<PlanDetail>(),
  /** One more attempt for a task that failed or needs the user. */
  'plans.retryTask': method(
    z.strictObject({ id: PlanId, taskId: TaskIdParam }),
  ).returns<PlanDetail>(),
  /** The task is not needed: its dependents may start. */
  'plans.skipTask': method(
    z.strictObject({ id: PlanId, taskId: TaskIdParam }),
  ).returns<PlanDetail>(),
  /**
   * Changes a task no agent works on and not merged (waiting, failed, needs you). The plan is
   * validated again: an edit that makes it invalid (a cycle, an unknown dependency) fails with
   * the problem named. Recorded as evidence; a task already tried is told on its next attempt.
   */
  'plans.editTask': method(
    z.strictObject({ id: PlanId, taskId: TaskIdParam, changes: TaskChanges }),
  ).returns<PlanDetail>(),
  /**
   * The user takes over a task that needs them (or failed): the worktree holding its branch
   * (its last attempt's work) is given for their terminal; the task is theirs until handed back.
   */
  'plans.takeOver': method(z.strictObject({ id: PlanId, taskId: TaskIdParam })).returns<{
    branch: string;
    worktree: string;
  }>(),
  /** "Done, run the gates": what the user left uncommitted is committed, then gates, review and merge. */
  'plans.handBack': method(
    z.strictObject({ id: PlanId, taskId: TaskIdParam }),
  ).returns<PlanDetail>(),
  /** A task taken over goes back to its agent, the user's work kept on its branch. */
  'plans.giveBack': method(
    z.strictObject({ id: PlanId, taskId: TaskIdParam }),
  ).returns<PlanDetail>(),
  /** A task's work as a diff, file by file and cut to a bounded size; read-only git, its worktree untouched. */
  'plans.taskDiff': method(z.strictObject({ id: PlanId, taskId: TaskIdParam })).returns<TaskDiff>(),
  /** Every gate run of a task (in its worktree and on the integration branch), by attempt. */
  'plans.taskGates': method(
    z.strictObject({ id: PlanId, taskId: TaskIdParam }),
  ).returns<TaskGates>(),
};
