/**
 * Which of a plan's tasks were just escalated to the user, so each
 * escalation is announced once (`plans.escalated`, a desktop notification)
 * the moment it happens; a task retried and escalated again is new again.
 */
import type { PlanNeedsYou } from '../protocol/payloads/plans.ts';
import type { PlanStore } from './plan-store.ts';

export class EscalationNotices {
  /** Task id → the attempt count it was announced at. */
  readonly #announced = new Map<string, number>();

  /** The plan's tasks that need the user and were not announced at their current attempt. */
  newly(store: PlanStore, planId: string): PlanNeedsYou[] {
    const plan = store.get(planId);
    if (!plan) return [];
    const fresh: PlanNeedsYou[] = [];
    for (const p of store.progress(planId)) {
      if (p.state !== 'needs_user') {
        this.#announced.delete(p.taskId);
        continue;
      }
      if (this.#announced.get(p.taskId) === p.attempts) continue;
      this.#announced.set(p.taskId, p.attempts);
      fresh.push({
        planId,
        planName: plan.name,
        taskId: p.taskId,
        title: plan.tasks.find((t) => t.id === p.taskId)?.title ?? p.taskId,
        reason: p.reason,
        attempts: p.attempts,
        agentId: null,
      });
    }
    return fresh;
  }
}
