/** Prices a response's usage, stores it, and announces it with the spend against both caps. */
import type { AgentStore } from '../persistence/store.ts';
import type { AgentCacheUsage, AgentContextUsage } from '../protocol/agent.ts';
import type { EmitAgentEvent } from './agent-deps.ts';
import type { BudgetGuard } from './budget.ts';
import { costUsd, priceOf, type UsageCounts } from '../provider/models.ts';

export function recordUsage(
  deps: { store: AgentStore; budget: BudgetGuard; emit: EmitAgentEvent; now: () => number },
  agent: {
    id: string;
    budgetUsd: number | null;
    usageExtras(): { cache: AgentCacheUsage; context: AgentContextUsage | null };
  },
  usage: UsageCounts,
  model: string,
): void {
  const cost = costUsd(model, usage);
  deps.store.usage.record(agent.id, model, usage, cost, deps.now());
  deps.emit('agent.usage', {
    agentId: agent.id,
    turn: {
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cacheCreationInputTokens: usage.cacheCreationInputTokens,
      cacheReadInputTokens: usage.cacheReadInputTokens,
      costUsd: cost,
    },
    model,
    total: deps.store.usage.totalsFor(agent.id),
    byModel: deps.store.usage.byModel(agent.id),
    budgetUsd: agent.budgetUsd,
    globalSpentUsd: deps.budget.globalSpentUsd(),
    globalBudgetUsd: deps.budget.globalBudgetUsd,
    priceKnown: priceOf(model).known,
    ...agent.usageExtras(),
  });
}
