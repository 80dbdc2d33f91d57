/**
 * One streaming Chat Completions request, assembled into the same
 * {@link TurnResult} the Anthropic stream gives: text as it arrives, tool
 * calls once their arguments are complete (the whole stream, since Chat
 * Completions interleaves them by `index`), usage from the final chunk
 * (`stream_options.include_usage`), and the stop reason in Messages API terms.
 */
import type { ContentBlockParam, StopReason } from '@anthropic-ai/sdk/resources/messages';
import { APIUserAbortError, type OpenAI } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { UsageCounts } from './models.ts';
import { buildChatRequest } from './openai-request.ts';
import type { ModelRequestSpec } from './request-builder.ts';
import {
  parseToolInput,
  StreamEndedEarlyError,
  TurnFailure,
  type AssistantToolUse,
  type StreamObserver,
  type TurnResult,
} from './stream-turn.ts';

const STOP_REASONS: Record<string, StopReason> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'refusal',
};

/** Cached prompt tokens are part of `prompt_tokens` here; in Messages terms they are cache reads. */
function usageCounts(usage: CompletionUsage): UsageCounts {
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    inputTokens: Math.max(0, usage.prompt_tokens - cached),
    outputTokens: usage.completion_tokens,
    cacheCreationInputTokens: 0,
    cacheReadInputTokens: cached,
  };
}

interface PendingCall {
  id: string;
  name: string;
  json: string;
}

class ChatAssembler {
  text = '';
  readonly calls: PendingCall[] = [];
  finishReason: string | null = null;
  usage: UsageCounts | undefined;
  model = '';
  readonly #observer: StreamObserver;

  constructor(observer: StreamObserver) {
    this.#observer = observer;
  }

  apply(chunk: ChatCompletionChunk): void {
    if (chunk.model) this.model = chunk.model;
    if (chunk.usage) this.usage = usageCounts(chunk.usage);
    for (const choice of chunk.choices) {
      if (choice.index !== 0) continue;
      const delta = choice.delta;
      if (delta.content) {
        this.text += delta.content;
        this.#observer.onTextDelta?.(delta.content);
      }
      for (const piece of delta.tool_calls ?? []) {
        const call = (this.calls[piece.index] ??= { id: '', name: '', json: '' });
        if (piece.id) call.id = piece.id;
        if (piece.function?.name) call.name += piece.function.name;
        if (piece.function?.arguments) call.json += piece.function.arguments;
      }
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
  }

  /**
   * Tool calls in order. Servers that send no id (some local ones) get one,
   * as the next request must name it; an id is kept to the characters the
   * Messages API accepts, so the conversation can move to Anthropic after a
   * fallback.
   */
  toolUses(): AssistantToolUse[] {
    return this.calls
      .filter((call) => call !== undefined)
      .map((call, i) => ({
        id: call.id ? call.id.replace(/[^a-zA-Z0-9_-]/g, '_') : `call_troika_${i}`,
        name: call.name,
        ...parseToolInput(call.json),
      }));
  }
}

/** Runs one streaming request to completion; throws {@link TurnFailure} on any failure, abort included. */
export async function streamChatTurn(
  client: OpenAI,
  spec: ModelRequestSpec,
  signal: AbortSignal,
  observer: StreamObserver = {},
): Promise<TurnResult & { toolUses: AssistantToolUse[] }> {
  const assembler = new ChatAssembler(observer);
  let started = false;
  try {
    const stream = await client.chat.completions.create(buildChatRequest(spec, spec.model), {
      signal,
    });
    for await (const chunk of stream) {
      started = true;
      assembler.apply(chunk);
    }
    // The SDK ends quietly on a stream closed before `[DONE]`; a reply without a finish reason is incomplete.
    if (assembler.finishReason === null) throw new StreamEndedEarlyError();
  } catch (error) {
    // The SDK ends an aborted stream quietly or with a transport error; either way it was a cancel.
    const cause =
      signal.aborted && !(error instanceof APIUserAbortError) ? new APIUserAbortError() : error;
    throw new TurnFailure(cause, started, assembler.usage);
  }
  const toolUses = assembler.toolUses();
  for (const toolUse of toolUses) observer.onToolUse?.(toolUse);
  const content: ContentBlockParam[] = [];
  if (assembler.text.length > 0) content.push({ type: 'text', text: assembler.text });
  for (const toolUse of toolUses)
    content.push({ type: 'tool_use', id: toolUse.id, name: toolUse.name, input: toolUse.input });
  return {
    content,
    toolUses,
    stopReason: STOP_REASONS[assembler.finishReason] ?? 'end_turn',
    usage: assembler.usage ?? {
      inputTokens: 0,
      outputTokens: 0,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
    },
    model: assembler.model || spec.model,
  };
}
