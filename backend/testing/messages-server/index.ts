/**
 * `testing/messages-server/` (all of `testing/`) owns the local Messages API
 * server the tests use.
 *
 * # Messages server: a local stand-in for the Anthropic Messages API
 *
 * Test support only: the one stand-in this project allows. The real
 * `@anthropic-ai/sdk` talks to it through `baseURL`, and it answers in the
 * documented wire format, so whatever the SDK accepts here it accepts from the
 * API. It is never the product's default provider.
 *
 * ```ts
 * const server = await startMessagesServer({ script: [{ text: 'Hello!' }] });
 * const client = new Anthropic({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 0 });
 * const message = await client.messages.stream({ model, max_tokens: 1024, messages }).finalMessage();
 * server.enqueue(faults.rateLimited({ retryAfterSeconds: 0 }), { toolUses: [{ name: 'bash', input: { command: 'ls' } }] });
 * await server.close(); // destroys open sockets: no test hangs on a stalled stream
 * ```
 *
 * ## Endpoints
 * - `POST /v1/messages`: JSON (`stream` absent or false) or SSE (`stream: true`).
 * - `POST /v1/messages/count_tokens`: `{ input_tokens }` with the same estimator.
 * - `GET /v1/models`: a minimal list.
 * Every endpoint checks the key (`x-api-key`, or `Authorization: Bearer`, which
 * is what SDK 1.12 sends for `apiKey`) and requires an `anthropic-version`
 * date header; unknown paths answer 404 `not_found_error`.
 *
 * ## Validation (400 `invalid_request_error`, API-style `path: message`)
 * `model`, `max_tokens` (integer ≥ 0; 0 pre-warms the cache) and `messages`
 * required; unknown top-level fields rejected (not on `?beta=true`); first turn
 * `user`; content block shapes (text non-empty, image sources, tool_use,
 * tool_result); every `tool_use` answered by leading `tool_result` blocks of the
 * next turn and every `tool_result` answering one; system as a string or text
 * blocks; custom tools need `name` and an object `input_schema`, Anthropic tools
 * (`bash_20250124` → `bash`, `text_editor_20250728` → `str_replace_based_edit_tool`, …)
 * need their fixed name; `cache_control` must be `{type:'ephemeral', ttl?}`,
 * at most 4 breakpoints (the top-level one included), 1-hour before 5-minute.
 * Consecutive same-role turns are accepted: the API combines them.
 *
 * ## Scripted turns
 * A queue of {@link Turn}s, then an optional handler `(request, context) => Turn`.
 * A reply is `{ text?, toolUses?, stopReason?, delay? }`; faults are built with
 * {@link faults}: HTTP errors (429 with `retry-after`, 529, 500, 401, 403, 400
 * credit balance, 413, …), an `event: error` mid-stream, a connection cut after
 * N events (0 = before any byte), a stall. `repeat: n` serves a fault n times
 * before the queue moves on. A request with nothing scripted gets a 500 with
 * `x-should-retry: false`, so a missing turn fails fast instead of being retried.
 *
 * ## Token estimator (also what benchmarks report as "input tokens sent")
 * Each part of the prompt costs `ceil(utf8Bytes / 4)`; see `tokens.ts` for the
 * parts (tool JSON, system text, message text, `name + JSON(input)` of tool
 * uses, tool result content, a flat 1,600 per image). `totals.inputTokens` sums
 * that over every valid `/v1/messages` body, before cache accounting.
 *
 * ## Prompt caching
 * Emulated per the prompt caching docs (see `cache-emulation.ts`): prefix in the
 * order tools → system → messages, writes at breakpoints of at least
 * `cacheMinTokens` (default 1,024), reads of the longest cached prefix within
 * 20 blocks of a breakpoint, 5-minute / 1-hour lifetimes refreshed on read, an
 * entry usable only once a response has begun. `input_tokens` excludes both
 * cache fields; their sum is the whole prompt.
 *
 * ## Docs and sources followed
 * - Streaming: https://docs.claude.com/en/docs/build-with-claude/streaming
 * - Errors: https://docs.claude.com/en/api/errors
 * - Prompt caching: https://docs.claude.com/en/docs/build-with-claude/prompt-caching
 * - Messages API reference: https://docs.claude.com/en/api/messages
 * - Tool use (tool_result placement): https://docs.claude.com/en/docs/agents-and-tools/tool-use/implement-tool-use
 * - Vision (image token cost): https://docs.claude.com/en/docs/build-with-claude/vision
 * - The installed SDK: node_modules/@anthropic-ai/sdk/src/core/streaming.ts (SSE parser,
 *   `event: error` → APIError), src/lib/MessageStream.ts (accumulation), src/client.ts
 *   (`shouldRetry`, `retry-after-ms` / `retry-after`, timeout covering headers only).
 */
export { startMessagesServer, DEFAULT_API_KEY, MAX_BODY_BYTES } from './server.ts';
export type { MessagesServer, MessagesServerOptions } from './server.ts';
export * as faults from './faults.ts';
export {
  PromptCacheEmulator,
  DEFAULT_CACHE_MIN_TOKENS,
  CACHE_LOOKBACK_BLOCKS,
  CACHE_TTL_MS,
} from './cache-emulation.ts';
export type { CacheAccounting } from './cache-emulation.ts';
export { BYTES_PER_TOKEN, IMAGE_TOKENS, estimateTextTokens } from './tokens.ts';
export { promptBlocks, promptTokens } from './prompt-blocks.ts';
export { MAX_CACHE_BREAKPOINTS } from './request-rules.ts';
export type { ApiMessage, OutputBlock } from './reply.ts';
export type {
  ApiErrorType,
  ContentBlock,
  CutFault,
  Delay,
  FaultTurn,
  HttpErrorFault,
  MessagesRequest,
  PromptRequest,
  RecordedRequest,
  ReplyTurn,
  RequestOutcome,
  ScriptedToolUse,
  StallFault,
  StopReason,
  StreamErrorFault,
  Totals,
  Turn,
  TurnContext,
  TurnHandler,
  Usage,
} from './types.ts';
export {
  applyContextEditing,
  CONTEXT_EDITING_DEFAULTS,
  CONTEXT_EDITING_PLACEHOLDER,
} from './context-editing.ts';
export type { ContextEditingSettings } from './context-editing.ts';
