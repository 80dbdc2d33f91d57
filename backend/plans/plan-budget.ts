/**
 * A plan's budget at run time: each task's share (in proportion to its
 * estimated cost), what an attempt may spend, and whether the cap is
 * reached. An attempt's allowance is reserved while its agent works, so
 * attempts running side by side can never together spend past the cap:
 * the plan stops at it, not some way beyond.
 */
import type { PlanRecord } from './plan-store.ts';
import { budgetShares } from './run-order.ts';

/** Below this an attempt could not pay for one model request: it is not started. */
export const MIN_ATTEMPT_USD = 0.01;

export class PlanBudget {
  readonly #cap: number | null;
  readonly #spent: () => number;
  readonly #shares: Map<string, number>;
  /** What each attempt under way may still spend. */
  readonly #reserved = new Map<string, number>();

  constructor(plan: PlanRecord, spent: () => number) {
    this.#cap = plan.budgetUsd;
    this.#spent = spent;
    this.#shares = budgetShares(plan);
  }

  /** No new attempt may start: what is spent and what running attempts may still spend leave too little. */
  exhausted(): boolean {
    return this.#cap !== null && this.#left() < MIN_ATTEMPT_USD;
  }

  /** What the next attempt of `taskId` may spend (its share, never more than is left), held until `release`. */
  reserve(taskId: string): number | null {
    if (this.#cap === null) return null;
    const left = this.#left();
    const allowance = Math.max(0, Math.min(left, this.#shares.get(taskId) ?? left));
    this.#reserved.set(taskId, allowance);
    return allowance;
  }

  /** The attempt's agent ended: what it spent is counted in the tasks' progress now. */
  release(taskId: string): void {
    this.#reserved.delete(taskId);
  }

  #left(): number {
    let reserved = 0;
    for (const r of this.#reserved.values()) reserved += r;
    return (this.#cap ?? Infinity) - this.#spent() - reserved;
  }
}
