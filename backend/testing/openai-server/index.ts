/**
 * # OpenAI server: a local stand-in for an OpenAI-compatible Chat Completions API
 *
 * Test support only (`testing/openai-server/`), as the Messages server is for Anthropic. The real
 * `openai` SDK talks to it through `baseURL` (`server.url`, which ends in
 * `/v1`), and it answers in OpenAI's documented wire format, which is also
 * what Ollama, llama.cpp's server, LM Studio, vLLM and LiteLLM speak.
 *
 * ```ts
 * const server = await startOpenAIServer({ script: [{ text: 'Hello!' }] });
 * server.enqueue(faults.rateLimited({ retryAfterSeconds: 0 }), { toolCalls: [{ name: 'bash', arguments: { command: 'ls' } }] });
 * await server.close();
 * ```
 *
 * - `POST /v1/chat/completions`: JSON, or SSE with `stream: true`. Streaming
 *   sends `chat.completion.chunk` objects (`delta.content`, `delta.tool_calls`
 *   by `index` with the id and name first and the arguments in pieces, an
 *   empty delta with `finish_reason`), with `stream_options.include_usage` a
 *   last chunk with `choices: []` and `usage` (every other chunk `usage: null`),
 *   then `data: [DONE]`.
 * - `GET /v1/models`.
 * - `Authorization: Bearer <key>` on every request; 401 `invalid_api_key`.
 * - Errors as `{ error: { message, type, param, code } }`: see `faults.ts`
 *   (401, 429 `rate_limit_exceeded` with `retry-after`, 429
 *   `insufficient_quota`, 500, 503 overloaded, 400) plus an error chunk inside a
 *   stream, a cut socket, a stall. A request with nothing scripted gets a 500
 *   with `x-should-retry: false`.
 * - Validation (400 with `param`): see `validate.ts`.
 *
 * Docs followed: https://platform.openai.com/docs/api-reference/chat/create,
 * https://platform.openai.com/docs/api-reference/chat-streaming,
 * https://platform.openai.com/docs/guides/error-codes, and the installed SDK's
 * node_modules/openai/core/streaming.js (`data.error` in a chunk → APIError).
 */
export { startOpenAIServer, DEFAULT_OPENAI_TEST_KEY, MAX_BODY_BYTES } from './server.ts';
export type { OpenAIServer, OpenAIServerOptions } from './server.ts';
export * as openaiFaults from './faults.ts';
export type { ReplyTurn, RecordedRequest, ScriptedToolCall, Turn, TurnHandler } from './types.ts';
