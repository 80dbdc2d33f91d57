/**
 * Planning: from a goal and a workspace, `plans.propose` starts the planner
 * agent (architect persona, read-only tools), which explores the repository
 * and submits a plan; the plan is kept as a draft the user edits and
 * approves, which saves it as a plan ready to start (plans.ts). Each change
 * of a draft is announced as `plans.draftChanged`.
 */
import { z } from 'zod';
import { method } from './define.ts';
import type { PlanDraft } from './payloads/plan-drafts.ts';
import { PlanTasksSchema, type PlanDetail } from './payloads/plans.ts';

const DraftId = z.string().min(1).max(64);
const AbsolutePath = z
  .string()
  .trim()
  .min(1)
  .max(4096)
  .refine((p) => /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(p), 'must be an absolute path');

export type { PlanDraft };

export const planDraftMethods = {
  /** Starts the planner agent on the goal; answers at once with the draft in state `proposing`. */
  'plans.propose': method(
    z.strictObject({
      goal: z.string().trim().min(1, 'say what the plan is for').max(20_000),
      workspace: AbsolutePath,
      name: z.string().trim().min(1).max(200).optional(),
    }),
  ).returns<PlanDraft>(),
  /** Drafts, newest first (approved ones included, with their plan's id). */
  'plans.drafts': method(z.strictObject({})).returns<{ drafts: PlanDraft[] }>(),
  'plans.draft': method(z.strictObject({ id: DraftId })).returns<PlanDraft>(),
  /** Replaces the draft's tasks (the user's edits); problems are named in the answer, not refused. */
  'plans.editDraft': method(
    z.strictObject({
      id: DraftId,
      tasks: PlanTasksSchema,
      name: z.string().trim().min(1).max(200).optional(),
    }),
  ).returns<PlanDraft>(),
  /** Saves a valid draft as a plan ready to start; a draft with problems is refused with them named. */
  'plans.approve': method(z.strictObject({ id: DraftId })).returns<PlanDetail>(),
  /** Stops the planner if it is still at work and forgets the draft. */
  'plans.discardDraft': method(z.strictObject({ id: DraftId })).returns<{ discarded: true }>(),
};
