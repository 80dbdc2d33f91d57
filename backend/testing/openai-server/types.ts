/** What a test scripts for the OpenAI-compatible server, and what the server records. */

export type JsonObject = { readonly [key: string]: unknown };

export interface Delay {
  /** Wait before the status line and headers (the SDK's `timeout` covers only this part). */
  readonly firstByteMs?: number;
  /** Wait between SSE chunks. */
  readonly betweenChunksMs?: number;
}

export interface ScriptedToolCall {
  readonly name: string;
  /** An object is sent as its JSON; a string is sent as is (to script malformed arguments). */
  readonly arguments: JsonObject | string;
  /** Defaults to a fresh `call_…` id. */
  readonly id?: string;
}

/** A successful reply: the text first, then one tool call after another, each's arguments in pieces. */
export interface ReplyTurn {
  readonly kind?: 'reply';
  readonly text?: string;
  readonly toolCalls?: readonly ScriptedToolCall[];
  /** Defaults to `tool_calls` when there are tool calls, else `stop`. */
  readonly finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  /** Overrides the estimated completion tokens. */
  readonly completionTokens?: number;
  /** Reported as `prompt_tokens_details.cached_tokens`. */
  readonly cachedTokens?: number;
  /** The model id the chunks name (defaults to the request's). */
  readonly model?: string;
  readonly delay?: Delay;
}

interface FaultBase {
  /** Serve this fault to this many requests before the next turn. Default 1. */
  readonly repeat?: number;
  readonly delay?: Delay;
}

/** An HTTP error with OpenAI's error body `{ error: { message, type, param, code } }`. */
export interface HttpErrorFault extends FaultBase {
  readonly kind: 'http-error';
  readonly status: number;
  readonly type: string;
  readonly code: string | null;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A 200 stream that sends `data: {"error": …}` after `afterChunks` chunks. */
export interface StreamErrorFault extends FaultBase {
  readonly kind: 'stream-error';
  readonly afterChunks: number;
  readonly message: string;
  readonly reply: ReplyTurn;
}

/** The socket is destroyed after `afterChunks` chunks (0: before any byte). */
export interface CutFault extends FaultBase {
  readonly kind: 'cut';
  readonly afterChunks: number;
  readonly reply: ReplyTurn;
}

/** The stream goes silent after `afterChunks` chunks until the client gives up. */
export interface StallFault extends FaultBase {
  readonly kind: 'stall';
  readonly afterChunks: number;
  readonly reply: ReplyTurn;
}

export type FaultTurn = HttpErrorFault | StreamErrorFault | CutFault | StallFault;
export type Turn = ReplyTurn | FaultTurn;

/** `usage` of a chunk, as documented. */
export interface ChatUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
  readonly prompt_tokens_details: { readonly cached_tokens: number };
  readonly completion_tokens_details: { readonly reasoning_tokens: number };
}

export type RequestOutcome =
  | 'pending'
  | 'completed'
  | 'rejected'
  | 'http-error'
  | 'stream-error'
  | 'cut'
  | 'stalled'
  | 'client-closed';

export interface RecordedRequest {
  readonly index: number;
  readonly method: string;
  readonly path: string;
  /** Lower-cased names; the `authorization` value is redacted. */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body, or undefined when it was not JSON. */
  readonly body: unknown;
  status: number | undefined;
  usage: ChatUsage | undefined;
  outcome: RequestOutcome;
}

export type TurnHandler = (request: RecordedRequest) => Turn | undefined;
