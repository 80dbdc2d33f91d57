/** Shared by this folder's tests: a server per test, closed by the test, and the real SDK pointed at it. */
import type { TestContext } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { startMessagesServer, type MessagesServer, type MessagesServerOptions } from './index.ts';

export const MODEL = 'claude-sonnet-4-6';

/** The smallest valid request. */
export const HELLO: MessageCreateParamsNonStreaming = {
  model: MODEL,
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Hello' }],
};

/** Starts a server for test `t` and a client without retries unless `clientOptions` says otherwise. */
export async function serve(
  t: TestContext,
  options: MessagesServerOptions = {},
  clientOptions: { maxRetries?: number; timeout?: number; apiKey?: string } = {},
): Promise<{ server: MessagesServer; client: Anthropic }> {
  const server = await startMessagesServer(options);
  t.after(() => server.close());
  const client = new Anthropic({
    apiKey: server.apiKey,
    baseURL: server.url,
    maxRetries: 0,
    ...clientOptions,
  });
  return { server, client };
}
