/**
 * Spending caps: one per agent, one over all agents of this session. The
 * usage table is the only record of spend, so a cap holds across restarts for
 * an agent and cannot drift from what the UI shows.
 */
import type { UsageRepository } from '../persistence/usage-repository.ts';

export function formatUsd(amount: number): string {
  return `$${amount.toFixed(amount < 1 ? 4 : 2)}`;
}

export class BudgetGuard {
  readonly #usage: UsageRepository;
  readonly #globalBudgetUsd: number | null;
  readonly #since: number;

  /** `since`: the start of the session the global cap covers (ms epoch). */
  constructor(usage: UsageRepository, globalBudgetUsd: number | null, since: number) {
    this.#usage = usage;
    this.#globalBudgetUsd = globalBudgetUsd;
    this.#since = since;
  }

  get globalBudgetUsd(): number | null {
    return this.#globalBudgetUsd;
  }

  globalSpentUsd(): number {
    return this.#usage.totalsSince(this.#since).costUsd;
  }

  /** Says which cap is reached and how much was spent, or undefined while both have room. */
  exceeded(agentId: string, agentBudgetUsd: number | null): string | undefined {
    if (agentBudgetUsd !== null) {
      const spent = this.#usage.totalsFor(agentId).costUsd;
      if (spent >= agentBudgetUsd) {
        return `Stopped: this agent's budget of ${formatUsd(agentBudgetUsd)} is reached (it spent ${formatUsd(spent)}). Resume with a higher budget to continue.`;
      }
    }
    if (this.#globalBudgetUsd !== null) {
      const spent = this.globalSpentUsd();
      if (spent >= this.#globalBudgetUsd) {
        return `Stopped: the global budget of ${formatUsd(this.#globalBudgetUsd)} for all agents is reached (${formatUsd(spent)} spent this session).`;
      }
    }
    return undefined;
  }
}
