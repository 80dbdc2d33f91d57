/**
 * A plan proposed by the planner agent from a goal, before the user approves
 * it: the draft's state, the planner's agent (its panel shows each step), its
 * submissions, the tasks (editable), their problems and the dry run. Approved,
 * it becomes a saved plan (payloads/plans.ts). zod/mini: the browser loads it.
 */
import * as z from 'zod/mini';
import { DryRunSchema, PlanProblemSchema, PlanTaskSchema } from './plans.ts';

/** proposing: the planner explores; ready: a valid plan waits for review; failed: no valid plan (tasks may still be there to fix by hand); approved: saved as a plan. */
export const DRAFT_STATES = ['proposing', 'ready', 'failed', 'approved'] as const;
export type DraftState = (typeof DRAFT_STATES)[number];

export const PlanDraftSchema = z.object({
  id: z.string(),
  name: z.string(),
  goal: z.string(),
  workspace: z.string(),
  state: z.enum(DRAFT_STATES),
  stateReason: z.nullable(z.string()),
  /** The planner agent (its panel in the console), once started. */
  agentId: z.nullable(z.string()),
  /** The model the planner runs on (the `architect` alias by default). */
  model: z.string(),
  /** Plans the planner submitted, accepted or not, and how many it may. */
  submissions: z.number(),
  maxSubmissions: z.number(),
  /** What the last rejected submission was told (the named validation errors). */
  lastError: z.nullable(z.string()),
  tasks: z.array(PlanTaskSchema),
  problems: z.array(PlanProblemSchema),
  /** Null while the tasks have problems or there are none yet. */
  dryRun: z.nullable(DryRunSchema),
  /** The saved plan, once approved. */
  planId: z.nullable(z.string()),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type PlanDraft = z.infer<typeof PlanDraftSchema>;

export const PlanDraftListSchema = z.object({ drafts: z.array(PlanDraftSchema) });

export const planDraftEventSchemas = {
  /** A draft was proposed, changed state, or was edited. */
  'plans.draftChanged': z.object({ draftId: z.string() }),
};
