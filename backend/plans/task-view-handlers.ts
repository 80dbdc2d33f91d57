/**
 * What the plan view shows of one task when it is clicked, beside its
 * agent's panel: its diff (task-diff.ts) and every gate run of every
 * attempt (task-gates.ts). Both only read: git commits and the evidence.
 */
import type { Router } from '../bus/router.ts';
import { ProtocolError } from '../protocol/envelope.ts';
import type { PlanRecord, PlanStore, TaskProgress } from './plan-store.ts';
import { integrationBranch } from './ports.ts';
import { taskDiff } from './task-diff.ts';
import { attemptGates } from './task-gates.ts';

export function registerTaskViewHandlers(router: Router, store: PlanStore): void {
  router.handle('plans.taskDiff', async ({ id, taskId }) => {
    const { plan, progress } = found(store, id, taskId);
    try {
      return await taskDiff({
        repo: plan.workspace,
        planId: plan.id,
        integration: integrationBranch(plan.slug),
        progress,
      });
    } catch (error) {
      throw new ProtocolError(
        'failed',
        `The diff of task ${taskId} could not be read: ${(error as Error).message}`,
      );
    }
  });

  router.handle('plans.taskGates', ({ id, taskId }) => {
    const { plan } = found(store, id, taskId);
    return { planId: plan.id, taskId, attempts: attemptGates(store.evidence(plan.id, taskId)) };
  });
}

function found(
  store: PlanStore,
  id: string,
  taskId: string,
): { plan: PlanRecord; progress: TaskProgress } {
  const plan = store.get(id);
  if (!plan) throw new ProtocolError('not_found', `No plan "${id}"`);
  const progress = store.progress(id).find((p) => p.taskId === taskId);
  if (!progress) throw new ProtocolError('not_found', `No task "${taskId}" in plan "${plan.name}"`);
  return { plan, progress };
}
