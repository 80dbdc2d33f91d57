/** A saved plan as the protocol shows it: its summary, and its tasks with their progress and dry run. */
import type { PlanDetail, PlanSummary } from '../protocol/payloads/plans.ts';
import { dryRun } from './dry-run.ts';
import type { PlanRecord, PlanStore, TaskProgress } from './plan-store.ts';
import { planTalk } from './plan-talk.ts';
import { integrationBranch } from './ports.ts';

export function planSummary(plan: PlanRecord, progress: readonly TaskProgress[]): PlanSummary {
  return {
    id: plan.id,
    slug: plan.slug,
    name: plan.name,
    goal: plan.goal,
    state: plan.state,
    stateReason: plan.stateReason,
    integrationBranch: integrationBranch(plan.slug),
    budgetUsd: plan.budgetUsd,
    spentUsd: progress.reduce((sum, p) => sum + p.spentUsd, 0),
    taskCount: plan.tasks.length,
    mergedCount: progress.filter((p) => p.state === 'merged').length,
    createdAt: plan.createdAt,
  };
}

export function planDetail(store: PlanStore, plan: PlanRecord): PlanDetail {
  const progress = store.progress(plan.id);
  // The agent of a task's latest attempt: the plan view opens its panel.
  const agentOf = new Map<string, string>();
  for (const e of store.evidence(plan.id)) {
    if (e.kind === 'attempt' && e.taskId && typeof e.data['agentId'] === 'string')
      agentOf.set(e.taskId, e.data['agentId']);
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
      branch: p.branch,
      mergedCommit: p.mergedCommit,
      reason: p.reason,
      agentId: agentOf.get(p.taskId) ?? null,
    })),
    dryRun: dryRun(plan.tasks, plan.model),
    talk: planTalk(store, plan.id),
  };
}
