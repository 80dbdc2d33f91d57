/**
 * A scripted reply as OpenAI streams it: a first chunk with the role, the
 * text in pieces, each tool call as a chunk with its id, type and name and
 * then its arguments in pieces (by `index`), a chunk with `finish_reason`
 * and an empty delta, and — with `stream_options.include_usage` — a final
 * chunk with no choices and the usage (every earlier chunk says
 * `usage: null`). Also the same reply as one non-streaming completion.
 */
import { randomBytes } from 'node:crypto';
import type { ChatUsage, JsonObject, ReplyTurn } from './types.ts';

/** Tokens as the Messages server estimates them: a quarter of the UTF-8 bytes, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / 4);
}

export function newId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

interface ResolvedCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ResolvedReply {
  model: string;
  text: string;
  calls: ResolvedCall[];
  finishReason: string;
  usage: ChatUsage;
}

export function resolveReply(turn: ReplyTurn, model: string, promptTokens: number): ResolvedReply {
  const calls = (turn.toolCalls ?? []).map((call) => ({
    id: call.id ?? newId('call_'),
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
  }));
  const text = turn.text ?? '';
  const completion =
    turn.completionTokens ??
    estimateTokens(text) + calls.reduce((sum, c) => sum + estimateTokens(c.name + c.arguments), 0);
  const cached = Math.min(turn.cachedTokens ?? 0, promptTokens);
  return {
    model: turn.model ?? model,
    text,
    calls,
    finishReason: turn.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop'),
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completion,
      total_tokens: promptTokens + completion,
      prompt_tokens_details: { cached_tokens: cached },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
  };
}

export function streamChunks(reply: ResolvedReply, includeUsage: boolean): JsonObject[] {
  const id = newId('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: JsonObject, finish: string | null = null): JsonObject => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model: reply.model,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage && { usage: null }),
  });
  const chunks: JsonObject[] = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const piece of pieces(reply.text, 12)) chunks.push(chunk({ content: piece }));
  reply.calls.forEach((call, index) => {
    chunks.push(
      chunk({
        tool_calls: [
          { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
        ],
      }),
    );
    for (const piece of pieces(call.arguments, 10))
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  chunks.push(chunk({}, reply.finishReason));
  if (includeUsage)
    chunks.push({
      id,
      object: 'chat.completion.chunk',
      created,
      model: reply.model,
      system_fingerprint: null,
      choices: [],
      usage: reply.usage,
    });
  return chunks;
}

export function completion(reply: ResolvedReply): JsonObject {
  return {
    id: newId('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: reply.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.text === '' ? null : reply.text,
          refusal: null,
          ...(reply.calls.length > 0 && {
            tool_calls: reply.calls.map((c) => ({
              id: c.id,
              type: 'function',
              function: { name: c.name, arguments: c.arguments },
            })),
          }),
        },
        logprobs: null,
        finish_reason: reply.finishReason,
      },
    ],
    usage: reply.usage,
  };
}
