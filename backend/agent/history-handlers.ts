/** The `history.scrollback` and `usage.summary` protocol methods. */
import type { AgentUsage } from '../protocol/agent.ts';
import { addCacheUsage, NO_CACHE_USAGE } from './cache-usage.ts';
import type { Router } from '../bus/router.ts';
import type { AgentManager } from './agent-manager.ts';
import type { ScrollbackRecorder } from './scrollback.ts';

/** Runs summed when the caller gives no limit: enough for a chart, cheap to total. */
const DEFAULT_USAGE_RUNS = 100;

const ZERO: AgentUsage = {
  requests: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheCreationInputTokens: 0,
  cacheReadInputTokens: 0,
  costUsd: 0,
};

export function registerHistoryHandlers(
  router: Router,
  agents: AgentManager,
  scrollback: ScrollbackRecorder,
): void {
  router.handle('history.scrollback', ({ id }) => {
    // agent.get throws not_found for an unknown id, so only a real agent's file is read.
    return scrollback.read(agents.get(id).id);
  });
  router.handle('usage.summary', ({ limit }) => {
    const runs = agents.history(limit ?? DEFAULT_USAGE_RUNS).map((a) => ({
      id: a.id,
      task: a.task,
      state: a.state,
      model: a.model,
      createdAt: a.createdAt,
      updatedAt: a.updatedAt,
      usage: a.usage,
      cache: a.cache,
    }));
    const total = runs.reduce<AgentUsage>(
      (sum, run) => ({
        requests: sum.requests + run.usage.requests,
        inputTokens: sum.inputTokens + run.usage.inputTokens,
        outputTokens: sum.outputTokens + run.usage.outputTokens,
        cacheCreationInputTokens: sum.cacheCreationInputTokens + run.usage.cacheCreationInputTokens,
        cacheReadInputTokens: sum.cacheReadInputTokens + run.usage.cacheReadInputTokens,
        costUsd: sum.costUsd + run.usage.costUsd,
      }),
      ZERO,
    );
    const tokenCache = runs.reduce((sum, run) => addCacheUsage(sum, run.cache), NO_CACHE_USAGE);
    return { runs, total, tokenCache };
  });
}
