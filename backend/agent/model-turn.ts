/**
 * One model turn with the runtime's own retry: the SDK has already retried
 * what fails before a stream starts; a stream that breaks off (an `error`
 * event, a cut connection, silence) is tried again here a bounded number of
 * times with backoff. When the model is out of tries on a transient failure
 * and its chain (an alias's) has a next model, the turn moves there, on
 * whichever provider; otherwise the agent fails with a clear message.
 */
import { AgentFailure, AgentStopped, sleep } from './control.ts';
import type { ModelFault } from '../provider/faults.ts';
import type { UsageCounts } from '../provider/models.ts';
import { usageModelId } from '../provider/provider.ts';
import type { ModelRequestSpec } from '../provider/request-builder.ts';
import { asRouter, RoutingError, type ModelClient, type ModelSwitch } from '../provider/router.ts';
import { TurnFailure, type AssistantToolUse, type TurnResult } from '../provider/stream-turn.ts';

export interface ModelTurnOptions {
  client: ModelClient;
  spec: ModelRequestSpec;
  signal: AbortSignal;
  /** Attempts at a turn whose stream broke off, the first included. */
  maxAttempts: number;
  /** Delay before retry number `attempt` (1-based). */
  retryDelayMs: (attempt: number) => number;
  /** Attempts the SDK makes per request (its retries + 1), for messages. */
  sdkAttempts: number;
  onTextDelta(text: string): void;
  onToolUse(toolUse: AssistantToolUse): void;
  /** A failed attempt's partial reply is void. */
  onDiscard(reason: string): void;
  onRetry(fault: ModelFault, attempt: number): void;
  /** The turn moved to the next model of its chain. */
  onSwitch?(change: ModelSwitch): void;
  /** Called for every response that reported usage, a broken one included: its tokens are billed. */
  recordUsage(usage: UsageCounts, model: string): void;
}

export async function runModelTurn(options: ModelTurnOptions): Promise<TurnResult> {
  const router = asRouter(options.client, options.sdkAttempts);
  for (let attempt = 1; ; attempt++) {
    let route;
    try {
      route = router.route(options.spec.model);
    } catch (error) {
      if (error instanceof RoutingError) throw new AgentFailure('invalid_request', error.message);
      throw error;
    }
    const { target, provider } = route;
    try {
      const result = await provider.streamTurn(
        { ...options.spec, model: target.model },
        options.signal,
        { onTextDelta: options.onTextDelta, onToolUse: options.onToolUse },
      );
      options.recordUsage(result.usage, result.model);
      return result;
    } catch (error) {
      const failure =
        error instanceof TurnFailure ? error : new TurnFailure(error, false, undefined);
      if (failure.partialUsage)
        options.recordUsage(failure.partialUsage, usageModelId(target.provider, target.model));
      const fault = provider.classifyFault(failure.cause, failure.streamStarted);
      if (fault.kind === 'aborted' || options.signal.aborted) throw new AgentStopped('Stopped');
      if (failure.streamStarted) options.onDiscard(fault.message);
      if (fault.retryable && attempt < options.maxAttempts) {
        options.onRetry(fault, attempt);
        await sleep(options.retryDelayMs(attempt), options.signal);
        continue;
      }
      const change = route.fallback(fault);
      if (change) {
        options.onSwitch?.(change);
        attempt = 0;
        continue;
      }
      if (!fault.retryable) throw new AgentFailure(fault.kind, fault.message);
      throw new AgentFailure(
        fault.kind,
        `${fault.message}. Gave up after ${attempt} attempts; resume to try again.`,
      );
    }
  }
}
