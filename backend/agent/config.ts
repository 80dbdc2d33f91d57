/**
 * The agent runtime's settings: defaults with a one-line why each, and the
 * few a user may override from the environment.
 */
import type { AgentLimits } from './agent-deps.ts';
import { DEFAULT_MAX_RETRIES } from '../provider/client.ts';

/** Enough for a long file and its explanation in one reply; the models allow far more, which a runaway turn would spend. */
export const DEFAULT_MAX_TOKENS = 16_384;
/** Builds and test suites take minutes; longer than this is usually a hung or interactive command. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 5 * 60_000;
/** A dropped stream is tried three times in all: a blip passes, an outage surfaces within seconds. */
export const DEFAULT_STREAM_ATTEMPTS = 3;
/** First wait before trying a dropped stream again; doubled each time (1 s, 2 s). */
export const DEFAULT_RETRY_BASE_DELAY_MS = 1_000;
/** A default cap per agent, so a forgotten agent cannot run up a large bill. */
export const DEFAULT_AGENT_BUDGET_USD = 10;
/** A default cap over all agents in one session. */
export const DEFAULT_GLOBAL_BUDGET_USD = 50;

export const DEFAULT_AGENT_LIMITS: AgentLimits = {
  maxTokens: DEFAULT_MAX_TOKENS,
  commandTimeoutMs: DEFAULT_COMMAND_TIMEOUT_MS,
  maxOutputChars: 30_000,
  maxStreamAttempts: DEFAULT_STREAM_ATTEMPTS,
  retryBaseDelayMs: DEFAULT_RETRY_BASE_DELAY_MS,
  sdkAttempts: DEFAULT_MAX_RETRIES + 1,
};

export interface AgentRuntimeConfig {
  defaultBudgetUsd: number | null;
  globalBudgetUsd: number | null;
  /** Load the user's shell rc file in agent terminals (their PATH, aliases). */
  sourceUserRc: boolean;
  /** Run that rc once and give shells its snapshot (shell-snapshot.ts) rather than running it in each. */
  shellSnapshot: boolean;
}

function budget(raw: string | undefined, fallback: number, name: string): number | null {
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'none') return null;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number of USD, or "none"; got "${raw}"`);
  return value;
}

/**
 * Reads `TROIKA_AGENT_BUDGET_USD`, `TROIKA_GLOBAL_BUDGET_USD` ("none" lifts a
 * cap), `TROIKA_AGENT_SOURCE_RC` ("0" skips the user's rc) and
 * `TROIKA_SHELL_SNAPSHOT` ("0": every shell runs the rc itself).
 */
export function readAgentRuntimeConfig(env: NodeJS.ProcessEnv = process.env): AgentRuntimeConfig {
  return {
    defaultBudgetUsd: budget(
      env['TROIKA_AGENT_BUDGET_USD'],
      DEFAULT_AGENT_BUDGET_USD,
      'TROIKA_AGENT_BUDGET_USD',
    ),
    globalBudgetUsd: budget(
      env['TROIKA_GLOBAL_BUDGET_USD'],
      DEFAULT_GLOBAL_BUDGET_USD,
      'TROIKA_GLOBAL_BUDGET_USD',
    ),
    sourceUserRc: env['TROIKA_AGENT_SOURCE_RC'] !== '0',
    shellSnapshot: env['TROIKA_SHELL_SNAPSHOT'] !== '0',
  };
}
