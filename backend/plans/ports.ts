/**
 * What the scheduler needs from the layers below, as ports: an agent that
 * builds a task in its own worktree, the repository's gates, and a merge
 * into the plan's integration branch computed before any ref moves. The
 * product's implementations come from the agent runtime and landing/; tests
 * plug in in-process ones doing real git work on a temporary repository.
 */
import type { GateCheck } from '../protocol/payloads/plan-task-view.ts';
import type { EscalationLevel, PlanTask } from '../protocol/payloads/plans.ts';
import type { ReviewVerdict } from './review-verdict.ts';

export interface BuildRequest {
  planId: string;
  task: PlanTask;
  /** 1-based over every level. */
  attempt: number;
  level: EscalationLevel;
  model: string;
  /** Where the task starts: the integration branch, so it sees its dependencies' work. */
  base: string;
  /** The failing gate's output or the merge conflict from the last attempt, for the same agent. */
  feedback: string | null;
  /** The branch of the task's last attempt (its work so far), when it had one. */
  branch?: string | null;
  /** What the attempt may spend; null: no cap. */
  budgetUsd: number | null;
}

export interface BuildResult {
  /** The agent finished its work (it may still fail the gates). */
  ok: boolean;
  /** The branch holding the task's work. */
  branch: string;
  costUsd: number;
  /** Tokens the attempt used (prompt, cache reads and writes included, and output), when known. */
  tokens?: { input: number; output: number };
  summary: string;
}

export interface GateRequest {
  planId: string;
  taskId: string;
  /** The task's branch, or the merge commit to be when `where` is `integration`. */
  ref: string;
  where: 'task' | 'integration';
  /**
   * The integration branch the work goes into. The gates are those it
   * names (a merge's: those of the commit it is made onto), as landing
   * reads them from the target branch: a task cannot change the checks it
   * is held to by editing them.
   */
  into: string;
}

/** Recorded as it is in the task's `gate` evidence (with where it ran): keep it small and plain. */
export interface GateResult {
  passed: boolean;
  /** What the gates printed, handed back to the agent on a failure. */
  output: string;
  /** Each command run (status, time, the end of its output), when the port knows them: the plan view shows them. */
  checks?: GateCheck[];
  /** How long the gate commands ran, setup and worktree excluded (kept as evidence). */
  durationMs?: number;
}

export interface MergeRequest {
  planId: string;
  taskId: string;
  branch: string;
  into: string;
  /**
   * Merge onto this commit instead of `into`'s tip: the merge ahead in the
   * queue, still being gated (a merge train). Its result holds only if that
   * merge lands as this very commit.
   */
  onto?: string;
}

export type MergeResult =
  /** The merge commit, not yet on `into`: gates run on it first. */
  { status: 'clean'; commit: string } | { status: 'conflict'; files: string[]; output: string };

export interface ReviewRequest {
  planId: string;
  task: PlanTask;
  /** The task's branch, its gates passed. */
  branch: string;
  /** The integration branch: the diff under review is the branch's work since it forked. */
  base: string;
  /** The reviewer's model (an alias, `reviewer` by default). */
  model: string;
  round: number;
  pass: number;
}

export interface ReviewOutcome {
  /** Null when the reviewer gave none (see `failure`). */
  verdict: ReviewVerdict | null;
  failure: string | null;
  /** The reviewer was stopped (from its panel) before its verdict. */
  stopped?: boolean | undefined;
  costUsd: number;
  model: string;
}

export interface PlanPorts {
  /** Makes sure the integration branch exists (from the workspace's current commit). */
  prepare(plan: { id: string; workspace: string; integrationBranch: string }): Promise<void>;
  build(request: BuildRequest, signal: AbortSignal): Promise<BuildResult>;
  gates(request: GateRequest, signal: AbortSignal): Promise<GateResult>;
  merge(request: MergeRequest): Promise<MergeResult>;
  /** Moves `into` to a merge commit whose gates passed. */
  advance(into: string, commit: string): Promise<void>;
  /** Whether `branch` is already part of `into` (a merge that landed just before a restart). */
  isMerged(branch: string, into: string): Promise<boolean>;
  /** The worktree a task's agent works in now, when there is one (live-overlap.ts compares them). */
  worktreeOf?(taskId: string): string | null;
  /** A reviewer's verdict on a task's work; without it, no task is reviewed. */
  review?(request: ReviewRequest, signal: AbortSignal): Promise<ReviewOutcome>;
}

export function integrationBranch(slug: string): string {
  return `troika/plan-${slug}`;
}
