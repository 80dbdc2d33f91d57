/**
 * The pure parts of running a plan, apart from the scheduler's state: the
 * order tasks are considered in, each task's share of the budget, and what
 * a plan is once nothing more can run.
 */
import type { PlanState, PlanTask, TaskState } from '../protocol/payloads/plans.ts';
import { estimateCost } from './dry-run.ts';
import type { PlanRecord } from './plan-store.ts';
import { topologicalOrder } from './validate.ts';

const PRIORITY_RANK = { high: 0, medium: 1, low: 2 } as const;

/** The dry run's order: earlier waves (longest chain of dependencies) first, then priority, then the plan's order. */
export function schedulingOrder(tasks: readonly PlanTask[]): string[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const topo = topologicalOrder(tasks);
  const position = new Map(tasks.map((t, i) => [t.id, i]));
  const depths = new Map<string, number>();
  for (const id of topo) {
    const deps = byId.get(id)?.dependencies ?? [];
    depths.set(id, deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => depths.get(d) ?? 0)));
  }
  const at = (m: Map<string, number>, id: string) => m.get(id) ?? 0;
  const rank = (id: string) => PRIORITY_RANK[byId.get(id)?.priority ?? 'medium'];
  return [...topo].sort(
    (a, b) =>
      at(depths, a) - at(depths, b) || rank(a) - rank(b) || at(position, a) - at(position, b),
  );
}

/**
 * How much of the plan waits on each task: the longest chain of tasks that
 * depend on it, directly or not (0 for a task nothing depends on). The merge
 * queue takes the task with the longest chain first, as list schedulers put
 * the critical path first: merging a leaf before it only delays the rest.
 */
export function waitingOn(tasks: readonly PlanTask[]): Map<string, number> {
  const dependents = new Map<string, string[]>();
  for (const task of tasks)
    for (const dep of task.dependencies)
      dependents.set(dep, [...(dependents.get(dep) ?? []), task.id]);
  const chain = new Map<string, number>();
  for (const id of [...topologicalOrder(tasks)].reverse()) {
    const below = dependents.get(id) ?? [];
    chain.set(id, below.length === 0 ? 0 : 1 + Math.max(...below.map((d) => chain.get(d) ?? 0)));
  }
  return chain;
}

/** Each task's share of the budget, in proportion to its estimated cost. */
export function budgetShares(plan: PlanRecord): Map<string, number> {
  const shares = new Map<string, number>();
  if (plan.budgetUsd === null) return shares;
  const estimate = estimateCost(plan.tasks, plan.model);
  for (const t of estimate.tasks) {
    shares.set(
      t.taskId,
      estimate.totalUsd > 0 ? (plan.budgetUsd * t.costUsd) / estimate.totalUsd : plan.budgetUsd,
    );
  }
  return shares;
}

export const FINISHED: ReadonlySet<TaskState> = new Set(['merged', 'skipped']);

/** What a running plan becomes once nothing runs and nothing can start, with the reason a person reads. */
export function outcome(
  order: readonly string[],
  stateOf: (id: string) => TaskState,
  context: { branch: string; budgetUsd: number | null; budgetReached: boolean },
): { state: PlanState; reason: string; evidence: Record<string, unknown> } {
  const merged = order.filter((id) => FINISHED.has(stateOf(id)));
  const notMerged = order.filter((id) => !FINISHED.has(stateOf(id)));
  if (notMerged.length === 0) {
    return {
      state: 'done',
      reason: `Every task merged into ${context.branch}`,
      evidence: { event: 'done' },
    };
  }
  if (context.budgetReached) {
    return {
      state: 'stopped',
      reason: `Budget of $${context.budgetUsd} reached: merged ${merged.join(', ') || 'none'}; not merged ${notMerged.join(', ')}`,
      evidence: { event: 'budget', merged, notMerged },
    };
  }
  const needsYou = order.filter((id) => stateOf(id) === 'needs_user');
  return {
    state: 'blocked',
    reason:
      needsYou.length > 0
        ? `Needs you: ${needsYou.join(', ')}`
        : `No task can start: ${notMerged.join(', ')} wait`,
    evidence: { event: 'blocked', needsYou },
  };
}

/** States in which a task's files are taken: it has work not yet merged. */
export const HOLDS_FILES: ReadonlySet<TaskState> = new Set([
  'running',
  'gating',
  'merge_queue',
  'merging',
]);
/** States that take one of the three agent slots. */
export const TAKES_SLOT: ReadonlySet<TaskState> = new Set(['running', 'gating']);

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Plan states a resume starts again from. */
export const RESUMABLE: ReadonlySet<PlanState> = new Set(['paused', 'stopped', 'blocked']);
