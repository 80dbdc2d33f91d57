/** A saved plan as the protocol shows it: its summary, and its tasks with their progress and dry run. */
import type { PlanDetail, PlanNeedsYou, PlanSummary } from '../protocol/payloads/plans.ts';
import { dryRun } from './dry-run.ts';
import type { PlanRecord, PlanStore, TaskProgress } from './plan-store.ts';
import { LIVE_TASK_STATES } from './live-overlap.ts';
import { planTalk } from './plan-talk.ts';
import { integrationBranch } from './ports.ts';
import { IN_REVIEW } from './review-step.ts';
import { budgetShares } from './run-order.ts';

export function planSummary(plan: PlanRecord, progress: readonly TaskProgress[]): PlanSummary {
  const spentUsd = progress.reduce((sum, p) => sum + p.spentUsd, 0);
  return {
    id: plan.id,
    slug: plan.slug,
    name: plan.name,
    goal: plan.goal,
    state: plan.state,
    stateReason: plan.stateReason,
    integrationBranch: integrationBranch(plan.slug),
    budgetUsd: plan.budgetUsd,
    spentUsd,
    remainingUsd: plan.budgetUsd === null ? null : Math.max(0, plan.budgetUsd - spentUsd),
    taskCount: plan.tasks.length,
    mergedCount: progress.filter((p) => p.state === 'merged').length,
    createdAt: plan.createdAt,
  };
}

/** How many plans the "needs you" list looks through, newest first. */
const NEEDS_YOU_PLANS = 200;

/** Every task escalated to the user, in plans that can still go on (not draft or done), oldest plan first. */
export function needsYou(store: PlanStore): PlanNeedsYou[] {
  const found: PlanNeedsYou[] = [];
  for (const plan of store.list(NEEDS_YOU_PLANS).reverse()) {
    if (plan.state === 'draft' || plan.state === 'done') continue;
    const waiting = store.progress(plan.id).filter((p) => p.state === 'needs_user');
    if (waiting.length === 0) continue;
    const detail = planDetail(store, plan);
    for (const p of waiting) {
      found.push({
        planId: plan.id,
        planName: plan.name,
        taskId: p.taskId,
        title: plan.tasks.find((t) => t.id === p.taskId)?.title ?? p.taskId,
        reason: p.reason,
        attempts: p.attempts,
        agentId: detail.status.find((s) => s.taskId === p.taskId)?.agentId ?? null,
      });
    }
  }
  return found;
}

export function planDetail(store: PlanStore, plan: PlanRecord): PlanDetail {
  const progress = store.progress(plan.id);
  const shares = budgetShares(plan);
  // The agent of a task's latest attempt: the plan view opens its panel.
  const agentOf = new Map<string, string>();
  // The agent reviewing a task, while its review lasts.
  const reviewerOf = new Map<string, string>();
  // Each task's live overlaps, by the other task: the latest record of a pair wins (cleared drops it).
  const overlaps = new Map<string, Map<string, string[]>>();
  for (const e of store.evidence(plan.id)) {
    if (e.kind === 'attempt' && e.taskId && typeof e.data['agentId'] === 'string')
      agentOf.set(e.taskId, e.data['agentId']);
    if (
      e.kind === 'control' &&
      e.taskId &&
      e.data['event'] === 'reviewer' &&
      typeof e.data['agentId'] === 'string'
    )
      reviewerOf.set(e.taskId, e.data['agentId']);
    if (e.kind === 'overlap' && e.taskId && typeof e.data['withTaskId'] === 'string') {
      const mine = overlaps.get(e.taskId) ?? new Map<string, string[]>();
      const files = Array.isArray(e.data['files']) ? (e.data['files'] as string[]) : [];
      if (files.length === 0) mine.delete(e.data['withTaskId']);
      else mine.set(e.data['withTaskId'], files);
      overlaps.set(e.taskId, mine);
    }
  }
  return {
    plan: planSummary(plan, progress),
    tasks: plan.tasks,
    // The feedback (gate output) stays in the evidence; the status carries what a list shows.
    status: progress.map((p) => ({
      taskId: p.taskId,
      state: p.state,
      level: p.level,
      attempts: p.attempts,
      spentUsd: p.spentUsd,
      budgetUsd: shares.get(p.taskId) ?? null,
      remainingUsd: shares.has(p.taskId) ? (shares.get(p.taskId) ?? 0) - p.spentUsd : null,
      branch: p.branch,
      mergedCommit: p.mergedCommit,
      reason: p.reason,
      agentId:
        (p.reason?.startsWith(IN_REVIEW) ? reviewerOf.get(p.taskId) : undefined) ??
        agentOf.get(p.taskId) ??
        null,
      // Only while the task still holds unmerged work: a merged task's old overlap is history.
      overlaps: LIVE_TASK_STATES.has(p.state)
        ? [...(overlaps.get(p.taskId) ?? [])].map(([withTaskId, files]) => ({ withTaskId, files }))
        : [],
    })),
    dryRun: dryRun(plan.tasks, plan.model),
    talk: planTalk(store, plan.id),
  };
}
