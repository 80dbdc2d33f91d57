/**
 * What a model name means: a concrete model (`claude-sonnet-5-5`,
 * `openai:gpt-4.1`) or an alias (`coder`, …) standing for a chain of them;
 * the default chains and the alias each role starts on; and which failures
 * move a turn to the next model of its chain.
 */
import {
  MODEL_ALIASES,
  type AliasTable,
  type ModelAlias,
  type ModelTarget,
  type ProviderId,
} from '../protocol/routing.ts';
import type { FaultKind, ModelFault } from './faults.ts';

export { MODEL_ALIASES, type AliasTable, type ModelAlias, type ModelTarget };

const anthropic = (model: string): ModelTarget => ({ provider: 'anthropic', model });

/**
 * Built-in chains: the strongest model for planning and review, the balanced
 * one for building, the small one where speed or price matters; each falls
 * back to a neighbour of the same provider, then (when one is configured) to
 * the OpenAI-compatible provider's first model, which survives an outage of
 * the whole Anthropic API.
 */
const DEFAULT_CHAINS: Readonly<Record<ModelAlias, readonly ModelTarget[]>> = {
  architect: [anthropic('claude-opus-5-5'), anthropic('claude-sonnet-5-5')],
  coder: [anthropic('claude-sonnet-5-5'), anthropic('claude-opus-5-5')],
  reviewer: [anthropic('claude-opus-5-5'), anthropic('claude-sonnet-5-5')],
  fast: [anthropic('claude-haiku-5-5'), anthropic('claude-sonnet-5-5')],
  cheap: [anthropic('claude-haiku-5-5')],
};

/** The chains agents use: the user's where set, else the defaults with the OpenAI-compatible fallback appended. */
export function effectiveAliasTable(
  user: Partial<AliasTable> | null,
  openaiFallback: string | undefined,
): AliasTable {
  const table = {} as AliasTable;
  for (const alias of MODEL_ALIASES) {
    const chosen = user?.[alias];
    table[alias] = chosen
      ? [...chosen]
      : [
          ...DEFAULT_CHAINS[alias],
          ...(openaiFallback ? [{ provider: 'openai' as const, model: openaiFallback }] : []),
        ];
  }
  return table;
}

export type AgentRole = 'planner' | 'builder' | 'validator' | 'reviewer';
export type TaskSize = 'XS' | 'S' | 'M' | 'L' | 'XL';

/** The alias a role starts on: a small task's builder needs speed more than depth. */
export function defaultAliasForRole(role: AgentRole, size?: TaskSize): ModelAlias {
  switch (role) {
    case 'planner':
      return 'architect';
    case 'reviewer':
      return 'reviewer';
    case 'validator':
      return 'fast';
    case 'builder':
      return size === 'XS' || size === 'S' ? 'fast' : 'coder';
  }
}

export function isModelAlias(name: string): name is ModelAlias {
  return (MODEL_ALIASES as readonly string[]).includes(name);
}

const PREFIXED = /^(anthropic|openai):(.+)$/;

/** The chain `model` names: an alias's, or the one model a concrete id names (`openai:` prefix for the second provider). */
export function resolveChain(model: string, table: AliasTable): ModelTarget[] {
  if (isModelAlias(model)) return table[model];
  const prefixed = PREFIXED.exec(model);
  if (prefixed) return [{ provider: prefixed[1] as ProviderId, model: prefixed[2] as string }];
  return [anthropic(model)];
}

/**
 * Failures another model may not share: limits and overload (already retried
 * by the SDK, so repeated), server errors, timeouts, an unreachable host, a
 * stream that kept breaking. A bad key or a bad request would fail anywhere
 * the same way, or needs the user, so those never switch.
 */
const TRANSIENT: ReadonlySet<FaultKind> = new Set([
  'rate_limited',
  'overloaded',
  'server',
  'timeout',
  'connection',
  'stream_interrupted',
]);

export function isTransientFault(fault: ModelFault): boolean {
  return TRANSIENT.has(fault.kind);
}

export function describeTarget(target: ModelTarget): string {
  return `${target.provider}:${target.model}`;
}
