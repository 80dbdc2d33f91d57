/**
 * The streaming wire format (streaming docs): each event is
 * `event: <name>\ndata: <json>\n\n`, in the order
 * `message_start` → per block (`content_block_start`, deltas, `content_block_stop`)
 * → `message_delta` → `message_stop`, with a `ping` after the first block starts,
 * as in the documented examples. Tool input arrives as `input_json_delta`
 * chunks, the first one empty, exactly like the documented tool-use stream.
 */
import type { ApiErrorType, JsonObject } from './types.ts';
import { rawInputJson, type ApiMessage, type OutputBlock } from './reply.ts';

export interface SseEvent {
  readonly event: string;
  readonly data: JsonObject;
}

/** Text deltas carry at most this many code points: a few tokens, like the real stream. */
export const TEXT_DELTA_MAX_CHARS = 12;

/** Partial JSON chunks carry at most this many code points, so any input spans several deltas. */
export const JSON_DELTA_MAX_CHARS = 10;

/** Every payload is split into at least this many deltas when it has that many code points. */
const MIN_DELTAS = 3;

export function formatSseEvent(event: SseEvent): string {
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** Splits on code points (never inside a surrogate pair) into chunks of at most `max`. */
export function splitIntoChunks(text: string, max: number): string[] {
  const codePoints = Array.from(text);
  const size = Math.max(1, Math.min(max, Math.ceil(codePoints.length / MIN_DELTAS)));
  const chunks: string[] = [];
  for (let start = 0; start < codePoints.length; start += size) {
    chunks.push(codePoints.slice(start, start + size).join(''));
  }
  return chunks;
}

function blockStart(block: OutputBlock): JsonObject {
  if (block.type === 'text') return { type: 'text', text: '', citations: null };
  return { type: 'tool_use', id: block.id, name: block.name, input: {}, caller: block.caller };
}

function blockDeltas(block: OutputBlock): JsonObject[] {
  if (block.type === 'text') {
    return splitIntoChunks(block.text, TEXT_DELTA_MAX_CHARS).map((text) => ({
      type: 'text_delta',
      text,
    }));
  }
  const json = rawInputJson.get(block) ?? JSON.stringify(block.input);
  return ['', ...splitIntoChunks(json, JSON_DELTA_MAX_CHARS)].map((partial) => ({
    type: 'input_json_delta',
    partial_json: partial,
  }));
}

/** The full event sequence for a finished message. */
export function messageStreamEvents(message: ApiMessage): SseEvent[] {
  const { usage } = message;
  const events: SseEvent[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: {
          ...message,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          // The real stream reports a token or so here; the final count comes in message_delta.
          usage: { ...usage, output_tokens: Math.min(1, usage.output_tokens) },
        },
      },
    },
  ];
  message.content.forEach((block, index) => {
    events.push({
      event: 'content_block_start',
      data: { type: 'content_block_start', index, content_block: blockStart(block) },
    });
    if (index === 0) events.push(ping());
    for (const delta of blockDeltas(block)) {
      events.push({
        event: 'content_block_delta',
        data: { type: 'content_block_delta', index, delta },
      });
    }
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  });
  if (message.content.length === 0) events.push(ping());
  events.push({
    event: 'message_delta',
    data: {
      type: 'message_delta',
      delta: {
        stop_reason: message.stop_reason,
        stop_sequence: message.stop_sequence,
        stop_details: null,
        container: null,
      },
      // Cumulative totals, as the docs' web search example shows.
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: usage.output_tokens,
        server_tool_use: null,
        output_tokens_details: null,
      },
    },
  });
  events.push({ event: 'message_stop', data: { type: 'message_stop' } });
  return events;
}

function ping(): SseEvent {
  return { event: 'ping', data: { type: 'ping' } };
}

/** The documented in-stream error: `event: error` with the error object (no request_id). */
export function errorEvent(type: ApiErrorType, message: string): SseEvent {
  return { event: 'error', data: { type: 'error', error: { type, message } } };
}
