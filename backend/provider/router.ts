/**
 * One agent's model routing: the providers it may use, and for each model
 * name it asks for (an alias or a concrete model) where in its fallback
 * chain it stands. A switch is sticky for the agent, so a storm on one
 * provider is paid once, not on every turn, and the prompt stays on one
 * model's cache.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { AliasTable, ModelTarget, ProviderId } from '../protocol/routing.ts';
import { anthropicProvider } from './anthropic-provider.ts';
import type { FaultKind, ModelFault } from './faults.ts';
import type { ModelProvider } from './provider.ts';
import { describeTarget, isModelAlias, isTransientFault, resolveChain } from './routing.ts';

/** A turn moved to the next model of its chain. */
export interface ModelSwitch {
  /** The alias whose chain it is, or null for a concrete model (which has no chain). */
  alias: string | null;
  from: ModelTarget;
  to: ModelTarget;
  /** The failure that caused it, as the user would have been told. */
  reason: string;
  faultKind: FaultKind;
}

/** The model name cannot be served: its providers are not configured. */
export class RoutingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoutingError';
  }
}

const PROVIDER_NAMES: Record<ProviderId, string> = {
  anthropic: 'Anthropic (set ANTHROPIC_API_KEY)',
  openai: 'the OpenAI-compatible provider (set its base URL in Settings)',
};

export interface RouterOptions {
  providers: Partial<Record<ProviderId, ModelProvider>>;
  /** Read on every turn, so a changed setting reaches a running agent's next turn. */
  aliases: () => AliasTable;
}

export interface Route {
  readonly target: ModelTarget;
  readonly provider: ModelProvider;
  /** After `fault`: the switch to the next usable model of the chain, or undefined when there is none or the fault is not transient. */
  fallback(fault: ModelFault): ModelSwitch | undefined;
}

export class ModelRouter {
  readonly #options: RouterOptions;
  /** Per model name, the index of the chain's model in use. */
  readonly #position = new Map<string, number>();

  constructor(options: RouterOptions) {
    this.#options = options;
  }

  /** A router over one provider, for a caller that has only a client. */
  static single(provider: ModelProvider): ModelRouter {
    return new ModelRouter({
      providers: { [provider.id]: provider },
      aliases: () => {
        throw new RoutingError('Model aliases need the app runtime');
      },
    });
  }

  route(model: string): Route {
    const chain = this.#usableChain(model);
    const index = Math.min(this.#position.get(model) ?? 0, chain.length - 1);
    const target = chain[index] as ModelTarget;
    const provider = this.#options.providers[target.provider] as ModelProvider;
    return {
      target,
      provider,
      fallback: (fault) => {
        const next = chain[index + 1];
        if (!next || !isTransientFault(fault)) return undefined;
        this.#position.set(model, index + 1);
        return {
          alias: isModelAlias(model) ? model : null,
          from: target,
          to: next,
          reason: fault.message,
          faultKind: fault.kind,
        };
      },
    };
  }

  #usableChain(model: string): ModelTarget[] {
    const full = isModelAlias(model)
      ? resolveChain(model, this.#options.aliases())
      : resolveChain(model, {} as AliasTable);
    const usable = full.filter((target) => this.#options.providers[target.provider]);
    if (usable.length === 0) {
      const needed = [...new Set(full.map((t) => PROVIDER_NAMES[t.provider]))].join(' or ');
      throw new RoutingError(
        `No configured provider can serve "${model}" (${full.map(describeTarget).join(', ')}): configure ${needed}.`,
      );
    }
    return usable;
  }
}

/** What an agent is given to reach a model: a router, or (older callers, tests) a bare Anthropic client. */
export type ModelClient = Anthropic | ModelRouter;

/** The router for `client`; a bare client is one provider with no aliases. `sdkAttempts` keeps the caller's count for messages. */
export function asRouter(client: ModelClient, sdkAttempts?: number): ModelRouter {
  return client instanceof ModelRouter
    ? client
    : ModelRouter.single(anthropicProvider(client, sdkAttempts));
}
