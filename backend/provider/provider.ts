/**
 * `provider/`: the model providers (Anthropic, OpenAI-compatible), their
 * routing and fallback, streaming, faults and prices.
 *
 * The one thing the agent asks of a model provider: run one streaming turn
 * (text as it arrives, tool calls once complete, usage, stop reason) and say
 * what a failure means. The conversation stays in the Messages API's shapes
 * (that is what Troika stores); an adapter for another API translates both
 * ways inside `streamTurn`. Adding a provider means passing
 * `conformance.test.ts`.
 */
import type { ModelFault } from './faults.ts';
import type { ModelRequestSpec } from './request-builder.ts';
import type { StreamObserver, TurnResult } from './stream-turn.ts';

import type { ProviderId } from '../protocol/routing.ts';

export { PROVIDER_IDS, type ProviderId } from '../protocol/routing.ts';

export interface ModelProvider {
  readonly id: ProviderId;
  /** Attempts its SDK makes per request (its retries + 1), for messages. */
  readonly sdkAttempts: number;
  /**
   * Runs one turn on `model` (the provider's own id). Throws `TurnFailure`
   * on any failure, cancellation included. `TurnResult.model` is the id usage
   * is recorded and priced under (see {@link usageModelId}).
   */
  streamTurn(
    spec: ModelRequestSpec,
    signal: AbortSignal,
    observer?: StreamObserver,
  ): Promise<TurnResult>;
  /** What a failure thrown by `streamTurn` means (`streamStarted`: whether any event had arrived). */
  classifyFault(error: unknown, streamStarted: boolean): ModelFault;
}

/**
 * The id usage is stored and priced under: Anthropic's ids as they are (the
 * stored history has always used them), other providers' prefixed with the
 * provider, so `gpt-4.1` from an OpenAI-compatible server never collides
 * with a same-named model elsewhere and cost by model names the provider.
 */
export function usageModelId(provider: ProviderId, model: string): string {
  return provider === 'anthropic' ? model : `${provider}:${model}`;
}
