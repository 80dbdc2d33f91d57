/** An agent's token-cache figures: none yet, and two periods added up (before and after a resume). */
import type { AgentCacheUsage } from '../protocol/agent.ts';

export const NO_CACHE_USAGE: AgentCacheUsage = {
  lookups: 0,
  hits: 0,
  misses: 0,
  references: 0,
  savedTokens: 0,
  servedTokens: 0,
};

export function addCacheUsage(a: AgentCacheUsage, b: AgentCacheUsage): AgentCacheUsage {
  return {
    lookups: a.lookups + b.lookups,
    hits: a.hits + b.hits,
    misses: a.misses + b.misses,
    references: a.references + b.references,
    savedTokens: a.savedTokens + b.savedTokens,
    servedTokens: a.servedTokens + b.servedTokens,
  };
}
