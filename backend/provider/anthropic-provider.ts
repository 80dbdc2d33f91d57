/** The Anthropic Messages API behind the {@link ModelProvider} interface: prompt caching, thinking blocks and all. */
import type Anthropic from '@anthropic-ai/sdk';
import { classifyFault } from './faults.ts';
import type { ModelProvider } from './provider.ts';
import { buildMessagesRequest } from './request-builder.ts';
import { streamTurn } from './stream-turn.ts';

/** `sdkAttempts` defaults to what the client is set to make. */
export function anthropicProvider(
  client: Anthropic,
  sdkAttempts = client.maxRetries + 1,
): ModelProvider {
  return {
    id: 'anthropic',
    sdkAttempts,
    streamTurn: (spec, signal, observer) =>
      streamTurn(client, buildMessagesRequest(spec), signal, observer),
    classifyFault: (error, streamStarted) => classifyFault(error, streamStarted, sdkAttempts),
  };
}
