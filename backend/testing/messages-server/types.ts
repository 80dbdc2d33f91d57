/**
 * Types shared by the messages server: the validated request as the server sees
 * it, the scripted turns a test plays, and what the server records.
 *
 * Request types are deliberately loose (`unknown` for everything the server
 * does not interpret) so that new SDK fields pass through untouched.
 */

/** A JSON object as parsed from a request body. */
export type JsonObject = { readonly [key: string]: unknown };

/** `cache_control` as documented: only `ephemeral`, with an optional TTL. */
export interface CacheControl {
  readonly type: 'ephemeral';
  readonly ttl?: '5m' | '1h';
}

/** One content block of a message, system prompt or tool result. */
export interface ContentBlock extends JsonObject {
  readonly type: string;
}

export type MessageRole = 'user' | 'assistant' | 'system';

export interface InputMessage {
  readonly role: MessageRole;
  readonly content: string | readonly ContentBlock[];
}

/** A tool definition: a custom tool or an Anthropic-defined one (`bash_20250124`, …). */
export interface ToolDefinition extends JsonObject {
  readonly name: string;
  readonly type?: string;
}

/** What both `/v1/messages` and `/v1/messages/count_tokens` read: the prompt. */
export interface PromptRequest {
  readonly model: string;
  readonly messages: readonly InputMessage[];
  readonly system?: string | readonly ContentBlock[];
  readonly tools?: readonly ToolDefinition[];
  readonly tool_choice?: unknown;
  readonly thinking?: unknown;
  /** Top-level ("automatic") caching: a breakpoint on the last cacheable block. */
  readonly cache_control?: CacheControl;
}

/** A validated `POST /v1/messages` body. Unknown-to-us fields stay in `raw`. */
export interface MessagesRequest extends PromptRequest {
  readonly max_tokens: number;
  readonly stream: boolean;
  readonly stop_sequences?: readonly string[];
  readonly raw: JsonObject;
}

export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

/** Error types from the errors page and the SDK's `ErrorType`, plus 413's. */
export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error'
  | 'timeout_error'
  | 'conflict_error';

/** Pacing of a reply, to exercise timeouts, aborts and slow streams. */
export interface Delay {
  /** Wait before the status line and headers (the SDK's `timeout` covers only this part). */
  readonly firstByteMs?: number;
  /** Wait between SSE events (a slow stream; the SDK has no idle timeout here). */
  readonly betweenEventsMs?: number;
}

export interface ScriptedToolUse {
  readonly name: string;
  readonly input: JsonObject;
  /** Defaults to a fresh `toolu_…` id. */
  readonly id?: string;
  /**
   * Streamed instead of `JSON.stringify(input)`: invalid JSON, as the API can
   * send with fine-grained tool streaming (streaming responses only).
   */
  readonly rawInputJson?: string;
}

/**
 * A successful model turn. Content is emitted as the model does: the text
 * block first (when `text` is given), then one `tool_use` block per tool use.
 */
export interface ReplyTurn {
  readonly kind?: 'reply';
  readonly text?: string;
  readonly toolUses?: readonly ScriptedToolUse[];
  /** Defaults to `tool_use` when there are tool uses, else `end_turn`. */
  readonly stopReason?: StopReason;
  readonly stopSequence?: string;
  /** Overrides the estimated output token count. */
  readonly outputTokens?: number;
  readonly delay?: Delay;
}

interface FaultBase {
  /** Serve this fault this many times (one request each) before the next turn. Default 1. */
  readonly repeat?: number;
  readonly delay?: Delay;
}

/** An HTTP error response with Anthropic's error body. */
export interface HttpErrorFault extends FaultBase {
  readonly kind: 'http-error';
  readonly status: number;
  readonly errorType: ApiErrorType;
  readonly message: string;
  /** Extra response headers, e.g. `retry-after` or `x-should-retry`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** `error.details`, e.g. `{ error_code: 'enforced_spend_limit_reached' }`. */
  readonly details?: JsonObject;
}

/** A 200 SSE stream that sends an `event: error` after `afterEvents` events. */
export interface StreamErrorFault extends FaultBase {
  readonly kind: 'stream-error';
  readonly afterEvents: number;
  readonly errorType: ApiErrorType;
  readonly message: string;
  /** The reply whose events precede the error. */
  readonly reply: ReplyTurn;
}

/** The socket is destroyed after `afterEvents` SSE events (0: before any byte). */
export interface CutFault extends FaultBase {
  readonly kind: 'cut';
  readonly afterEvents: number;
  readonly reply: ReplyTurn;
}

/** The stream goes silent after `afterEvents` events until the client or server gives up. */
export interface StallFault extends FaultBase {
  readonly kind: 'stall';
  readonly afterEvents: number;
  readonly reply: ReplyTurn;
}

export type FaultTurn = HttpErrorFault | StreamErrorFault | CutFault | StallFault;
export type Turn = ReplyTurn | FaultTurn;

/** Token usage as the API reports it (`usage` of a Message). */
export interface Usage {
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cache_creation_input_tokens: number;
  readonly cache_read_input_tokens: number;
  readonly cache_creation: {
    readonly ephemeral_5m_input_tokens: number;
    readonly ephemeral_1h_input_tokens: number;
  };
  readonly service_tier: 'standard';
  readonly server_tool_use: null;
  readonly output_tokens_details: null;
  readonly inference_geo: null;
  readonly speed: null;
}

/** How a recorded request ended, from the server's side. */
export type RequestOutcome =
  | 'pending'
  | 'completed'
  | 'rejected'
  | 'http-error'
  | 'stream-error'
  | 'cut'
  | 'stalled'
  | 'client-closed';

/** One request as the server received it. Mutable fields fill in as it is answered. */
export interface RecordedRequest {
  /** 0-based position among all requests this server received. */
  readonly index: number;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: string;
  /** Lower-cased header names; `x-api-key` and `authorization` values are redacted. */
  readonly headers: Readonly<Record<string, string>>;
  /** `Date.now()` when the request arrived. */
  readonly receivedAt: number;
  readonly rawBody: string;
  /** The parsed JSON body, or `undefined` when it was not JSON. */
  readonly body: unknown;
  /** The validated body, when validation passed (`/v1/messages` only). */
  params: MessagesRequest | undefined;
  /** Input tokens estimated from the whole body, before cache accounting. */
  inputTokens: number | undefined;
  status: number | undefined;
  usage: Usage | undefined;
  outcome: RequestOutcome;
}

export interface TurnContext {
  /** 0-based count of `/v1/messages` requests that reached the script before this one. */
  readonly turnIndex: number;
}

/** Computes a turn for a request; `undefined` means "nothing scripted". */
export type TurnHandler = (
  request: RecordedRequest,
  context: TurnContext,
) => Turn | undefined | Promise<Turn | undefined>;

/** Running totals over every `/v1/messages` request. */
export interface Totals {
  /** `POST /v1/messages` requests received, whatever their outcome. */
  requests: number;
  /** Estimated input tokens of every valid request body, before cache accounting. */
  inputTokens: number;
  /** Sum of reported `usage.input_tokens` (uncached input) over answered requests. */
  uncachedInputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  outputTokens: number;
}
