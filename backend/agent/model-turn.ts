/**
 * One model turn with the runtime's own retry: the SDK has already retried
 * what fails before a stream starts; a stream that breaks off (an `error`
 * event, a cut connection, silence) is tried again here a bounded number of
 * times with backoff, then the agent fails with a clear message.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { AgentFailure, AgentStopped, sleep } from './control.ts';
import { classifyFault, type ModelFault } from '../provider/faults.ts';
import type { UsageCounts } from '../provider/models.ts';
import { buildMessagesRequest, type ModelRequestSpec } from '../provider/request-builder.ts';
import {
  streamTurn,
  TurnFailure,
  type AssistantToolUse,
  type TurnResult,
} from '../provider/stream-turn.ts';

export interface ModelTurnOptions {
  client: Anthropic;
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
  /** Called for every response that reported usage, a broken one included: its tokens are billed. */
  recordUsage(usage: UsageCounts, model: string): void;
}

export async function runModelTurn(options: ModelTurnOptions): Promise<TurnResult> {
  const params = buildMessagesRequest(options.spec);
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await streamTurn(options.client, params, options.signal, {
        onTextDelta: options.onTextDelta,
        onToolUse: options.onToolUse,
      });
      options.recordUsage(result.usage, result.model);
      return result;
    } catch (error) {
      const failure =
        error instanceof TurnFailure ? error : new TurnFailure(error, false, undefined);
      if (failure.partialUsage) options.recordUsage(failure.partialUsage, params.model);
      const fault = classifyFault(failure.cause, failure.streamStarted, options.sdkAttempts);
      if (fault.kind === 'aborted' || options.signal.aborted) throw new AgentStopped('Stopped');
      if (failure.streamStarted) options.onDiscard(fault.message);
      if (!fault.retryable) throw new AgentFailure(fault.kind, fault.message);
      if (attempt >= options.maxAttempts) {
        throw new AgentFailure(
          fault.kind,
          `${fault.message}. Gave up after ${attempt} attempts; resume to try again.`,
        );
      }
      options.onRetry(fault, attempt);
      await sleep(options.retryDelayMs(attempt), options.signal);
    }
  }
}
