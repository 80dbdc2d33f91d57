/**
 * Turns a scripted reply into the Message the API would return: content
 * blocks, stop reason, usage. `max_tokens` is enforced the way the API does:
 * output stops at the budget with `stop_reason: "max_tokens"`.
 */
import type { CacheAccounting } from './cache-emulation.ts';
import { newMessageId, newToolUseId } from './ids.ts';
import { estimateTextTokens } from './tokens.ts';
import type { JsonObject, MessagesRequest, ReplyTurn, StopReason, Usage } from './types.ts';

export interface TextOutputBlock {
  readonly type: 'text';
  readonly text: string;
  readonly citations: null;
}

export interface ToolUseOutputBlock {
  readonly type: 'tool_use';
  readonly id: string;
  readonly name: string;
  readonly input: JsonObject;
  readonly caller: { readonly type: 'direct' };
}

export type OutputBlock = TextOutputBlock | ToolUseOutputBlock;

/** A scripted tool use's raw input JSON (kept beside the block so it never reaches a JSON reply). */
export const rawInputJson = new WeakMap<ToolUseOutputBlock, string>();

/** A Message as `POST /v1/messages` returns it (fields of the SDK's `Message`). */
export interface ApiMessage {
  readonly id: string;
  readonly type: 'message';
  readonly role: 'assistant';
  readonly model: string;
  readonly content: readonly OutputBlock[];
  readonly stop_reason: StopReason;
  readonly stop_sequence: string | null;
  readonly stop_details: null;
  readonly container: null;
  readonly diagnostics: null;
  readonly usage: Usage;
}

interface GeneratedContent {
  readonly content: OutputBlock[];
  readonly stopReason: StopReason;
  readonly estimatedTokens: number;
}

function toolUseTokens(name: string, input: JsonObject): number {
  return estimateTextTokens(name + JSON.stringify(input));
}

/** The longest prefix of `text`, in whole code points, within `tokens` tokens. */
function truncateToTokens(text: string, tokens: number): string {
  let out = '';
  for (const codePoint of text) {
    if (estimateTextTokens(out + codePoint) > tokens) break;
    out += codePoint;
  }
  return out;
}

function generate(reply: ReplyTurn, maxTokens: number): GeneratedContent {
  const content: OutputBlock[] = [];
  const toolUses = reply.toolUses ?? [];
  let stopReason: StopReason = reply.stopReason ?? (toolUses.length > 0 ? 'tool_use' : 'end_turn');
  let used = 0;

  if (reply.text !== undefined && reply.text !== '') {
    const cost = estimateTextTokens(reply.text);
    if (used + cost > maxTokens) {
      const text = truncateToTokens(reply.text, maxTokens - used);
      if (text !== '') content.push({ type: 'text', text, citations: null });
      return { content, stopReason: 'max_tokens', estimatedTokens: maxTokens };
    }
    content.push({ type: 'text', text: reply.text, citations: null });
    used += cost;
  }

  for (const toolUse of toolUses) {
    const cost = toolUseTokens(toolUse.name, toolUse.input);
    if (used + cost > maxTokens) {
      // The API would stop mid-JSON; an unusable partial call is left out instead.
      stopReason = 'max_tokens';
      break;
    }
    const block: ToolUseOutputBlock = {
      type: 'tool_use',
      id: toolUse.id ?? newToolUseId(),
      name: toolUse.name,
      input: toolUse.input,
      caller: { type: 'direct' },
    };
    if (toolUse.rawInputJson !== undefined) rawInputJson.set(block, toolUse.rawInputJson);
    content.push(block);
    used += cost;
  }
  return { content, stopReason, estimatedTokens: used };
}

export function buildUsage(accounting: CacheAccounting, outputTokens: number): Usage {
  return {
    input_tokens: accounting.inputTokens,
    cache_creation_input_tokens: accounting.cacheCreationInputTokens,
    cache_read_input_tokens: accounting.cacheReadInputTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: accounting.ephemeral5mInputTokens,
      ephemeral_1h_input_tokens: accounting.ephemeral1hInputTokens,
    },
    output_tokens: outputTokens,
    service_tier: 'standard',
    server_tool_use: null,
    output_tokens_details: null,
    inference_geo: null,
    speed: null,
  };
}

export function buildMessage(
  request: MessagesRequest,
  reply: ReplyTurn,
  accounting: CacheAccounting,
): ApiMessage {
  // max_tokens 0 pre-warms the cache: empty content, stop_reason max_tokens, nothing billed.
  if (request.max_tokens === 0) {
    return envelope(request, [], 'max_tokens', null, buildUsage(accounting, 0));
  }
  const generated = generate(reply, request.max_tokens);
  // "output_tokens will be non-zero, even for an empty string response" (Message.usage docs).
  const outputTokens = reply.outputTokens ?? Math.max(1, generated.estimatedTokens);
  const stopSequence =
    generated.stopReason === 'stop_sequence'
      ? (reply.stopSequence ?? request.stop_sequences?.[0] ?? null)
      : null;
  return envelope(
    request,
    generated.content,
    generated.stopReason,
    stopSequence,
    buildUsage(accounting, outputTokens),
  );
}

function envelope(
  request: MessagesRequest,
  content: OutputBlock[],
  stopReason: StopReason,
  stopSequence: string | null,
  usage: Usage,
): ApiMessage {
  return {
    id: newMessageId(),
    type: 'message',
    role: 'assistant',
    model: request.model,
    content,
    stop_reason: stopReason,
    stop_sequence: stopSequence,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage,
  };
}
