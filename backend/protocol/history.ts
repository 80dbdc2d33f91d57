/**
 * Past runs beyond their transcript: the agent terminal's recorded output
 * (read-only scrollback) and usage with prompt-cache figures over runs.
 */
import { z } from 'zod';
import type { AgentCacheUsage, AgentState, AgentUsage } from './agent.ts';
import { method } from './define.ts';

export interface Scrollback {
  /** The terminal's output (escape sequences included), the most recent part when it was long. */
  data: string;
  /** Older output was dropped to stay within the limit. */
  truncated: boolean;
}

export interface RunUsage {
  id: string;
  task: string;
  state: AgentState;
  model: string;
  createdAt: number;
  updatedAt: number;
  usage: AgentUsage;
  /** What the token cache saved this run (tool results not sent again). */
  cache: AgentCacheUsage;
}

export interface UsageSummary {
  /** Recent runs, newest first. */
  runs: RunUsage[];
  /** Over every run listed. */
  total: AgentUsage;
  /** The token cache over every run listed. */
  tokenCache: AgentCacheUsage;
}

export const historyMethods = {
  'history.scrollback': method(
    z.strictObject({ id: z.string().min(1).max(64) }),
  ).returns<Scrollback>(),
  'usage.summary': method(
    z.strictObject({ limit: z.number().int().min(1).max(1000).optional() }),
  ).returns<UsageSummary>(),
};
