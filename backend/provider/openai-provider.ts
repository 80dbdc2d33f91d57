/** An OpenAI-compatible Chat Completions server behind the {@link ModelProvider} interface. */
import type OpenAI from 'openai';
import { classifyOpenAIFault } from './openai-faults.ts';
import { streamChatTurn } from './openai-stream.ts';
import { usageModelId, type ModelProvider } from './provider.ts';

export function openAIProvider(client: OpenAI): ModelProvider {
  const sdkAttempts = client.maxRetries + 1;
  return {
    id: 'openai',
    sdkAttempts,
    async streamTurn(spec, signal, observer) {
      const result = await streamChatTurn(client, spec, signal, observer);
      return { ...result, model: usageModelId('openai', result.model) };
    },
    classifyFault: (error, streamStarted) => classifyOpenAIFault(error, streamStarted, sdkAttempts),
  };
}
