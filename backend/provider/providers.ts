/**
 * Builds one agent's providers from the keys and base URLs configured now:
 * Anthropic when it has a key, the OpenAI-compatible server when it has a
 * base URL. Each gets its own client, so retry notices name the right agent.
 */
import type { AliasTable } from '../protocol/routing.ts';
import { createAnthropicClient } from './client.ts';
import { anthropicProvider } from './anthropic-provider.ts';
import { createOpenAIClient } from './openai-client.ts';
import { openAIProvider } from './openai-provider.ts';
import type { ModelProvider, ProviderId } from './provider.ts';
import type { RetryNotice } from './retry-notice-fetch.ts';
import { ModelRouter } from './router.ts';

export interface ProviderSettings {
  anthropic: { apiKey: string | undefined; baseURL: string | undefined };
  openai: { apiKey: string | undefined; baseURL: string | undefined };
  aliases: () => AliasTable;
  /** Client options the tests shorten (timeouts, retries); both providers get them. */
  client?: { maxRetries?: number; requestTimeoutMs?: number; streamIdleMs?: number };
}

export function createModelRouter(
  settings: ProviderSettings,
  onRetry?: (notice: RetryNotice) => void,
): ModelRouter {
  const providers: Partial<Record<ProviderId, ModelProvider>> = {};
  const { anthropic, openai } = settings;
  if (anthropic.apiKey !== undefined)
    providers.anthropic = anthropicProvider(
      createAnthropicClient({ ...anthropic, ...settings.client, onRetry }),
    );
  if (openai.baseURL !== undefined)
    providers.openai = openAIProvider(
      createOpenAIClient({
        apiKey: openai.apiKey,
        baseURL: openai.baseURL,
        ...settings.client,
        onRetry,
      }),
    );
  return new ModelRouter({ providers, aliases: settings.aliases });
}
