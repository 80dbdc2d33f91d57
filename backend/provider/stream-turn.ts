/**
 * One streaming model request: sends the params, reports deltas as they
 * arrive, and assembles the assistant message exactly as it must be sent
 * back on the next turn (thinking blocks and their signatures included).
 */
import { APIUserAbortError, type Anthropic } from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  MessageCreateParamsStreaming,
  RawMessageStreamEvent,
  StopReason,
  Usage,
} from '@anthropic-ai/sdk/resources/messages';
import type { UsageCounts } from './models.ts';

export interface StreamObserver {
  /** A piece of assistant text, as generated. */
  onTextDelta?(delta: string): void;
  /** A tool call, once its input is complete. */
  onToolUse?(toolUse: AssistantToolUse): void;
}

export interface AssistantToolUse {
  id: string;
  name: string;
  /** The parsed input; `{}` when it could not be parsed (see `inputError`). */
  input: Record<string, unknown>;
  /** Why the model's input JSON was unusable, when it was. */
  inputError?: string | undefined;
}

export interface TurnResult {
  /** The assistant message's content, ready to store and resend. */
  content: ContentBlockParam[];
  toolUses: AssistantToolUse[];
  stopReason: StopReason | null;
  usage: UsageCounts;
  model: string;
}

/** The response stream closed cleanly but before `message_stop`: the reply is incomplete. */
export class StreamEndedEarlyError extends Error {
  constructor() {
    super('The response stream ended before the message was complete');
    this.name = 'StreamEndedEarlyError';
  }
}

/** Thrown when a turn fails; says whether the stream had begun and what it had cost so far. */
export class TurnFailure extends Error {
  readonly streamStarted: boolean;
  readonly partialUsage: UsageCounts | undefined;
  constructor(cause: unknown, streamStarted: boolean, partialUsage: UsageCounts | undefined) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'TurnFailure';
    this.streamStarted = streamStarted;
    this.partialUsage = partialUsage;
  }
}

type Block =
  | { kind: 'text'; text: string }
  | { kind: 'tool_use'; id: string; name: string; json: string }
  | { kind: 'thinking'; thinking: string; signature: string }
  | { kind: 'verbatim'; block: ContentBlockParam };

function usageCounts(usage: Partial<Usage> | undefined, previous?: UsageCounts): UsageCounts {
  return {
    inputTokens: usage?.input_tokens ?? previous?.inputTokens ?? 0,
    outputTokens: usage?.output_tokens ?? previous?.outputTokens ?? 0,
    cacheCreationInputTokens:
      usage?.cache_creation_input_tokens ?? previous?.cacheCreationInputTokens ?? 0,
    cacheReadInputTokens: usage?.cache_read_input_tokens ?? previous?.cacheReadInputTokens ?? 0,
    cacheCreation1hInputTokens:
      usage?.cache_creation?.ephemeral_1h_input_tokens ?? previous?.cacheCreation1hInputTokens ?? 0,
  };
}

/** The tool input JSON as an object, or `{}` and why it was unusable. */
export function parseToolInput(json: string): {
  input: Record<string, unknown>;
  inputError?: string;
} {
  if (json.trim() === '') return { input: {} };
  try {
    const value: unknown = JSON.parse(json);
    if (value && typeof value === 'object' && !Array.isArray(value))
      return { input: value as Record<string, unknown> };
    return { input: {}, inputError: 'the tool input must be a JSON object' };
  } catch (error) {
    return {
      input: {},
      inputError: `the tool input was not valid JSON (${(error as Error).message})`,
    };
  }
}

class TurnAssembler {
  readonly blocks: Block[] = [];
  readonly toolUses: AssistantToolUse[] = [];
  usage: UsageCounts | undefined;
  stopReason: StopReason | null = null;
  model = '';
  stopped = false;
  readonly #observer: StreamObserver;

  constructor(observer: StreamObserver) {
    this.#observer = observer;
  }

  apply(event: RawMessageStreamEvent): void {
    switch (event.type) {
      case 'message_start':
        this.model = event.message.model;
        this.usage = usageCounts(event.message.usage);
        break;
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text') this.blocks[event.index] = { kind: 'text', text: block.text };
        else if (block.type === 'tool_use')
          this.blocks[event.index] = { kind: 'tool_use', id: block.id, name: block.name, json: '' };
        else if (block.type === 'thinking')
          this.blocks[event.index] = {
            kind: 'thinking',
            thinking: block.thinking,
            signature: block.signature,
          };
        else
          this.blocks[event.index] = {
            kind: 'verbatim',
            block: block as unknown as ContentBlockParam,
          };
        break;
      }
      case 'content_block_delta': {
        const block = this.blocks[event.index];
        const delta = event.delta;
        if (delta.type === 'text_delta' && block?.kind === 'text') {
          block.text += delta.text;
          this.#observer.onTextDelta?.(delta.text);
        } else if (delta.type === 'input_json_delta' && block?.kind === 'tool_use')
          block.json += delta.partial_json;
        else if (delta.type === 'thinking_delta' && block?.kind === 'thinking')
          block.thinking += delta.thinking;
        else if (delta.type === 'signature_delta' && block?.kind === 'thinking')
          block.signature = delta.signature;
        break;
      }
      case 'content_block_stop': {
        const block = this.blocks[event.index];
        if (block?.kind === 'tool_use') {
          const toolUse: AssistantToolUse = {
            id: block.id,
            name: block.name,
            ...parseToolInput(block.json),
          };
          this.toolUses.push(toolUse);
          this.#observer.onToolUse?.(toolUse);
        }
        break;
      }
      case 'message_delta':
        this.stopReason = event.delta.stop_reason;
        this.usage = usageCounts(event.usage as Partial<Usage>, this.usage);
        break;
      case 'message_stop':
        this.stopped = true;
        break;
    }
  }

  content(): ContentBlockParam[] {
    const content: ContentBlockParam[] = [];
    for (const block of this.blocks) {
      if (!block) continue;
      if (block.kind === 'text') {
        // The API rejects empty text blocks when they are sent back.
        if (block.text.length > 0) content.push({ type: 'text', text: block.text });
      } else if (block.kind === 'tool_use') {
        const toolUse = this.toolUses.find((t) => t.id === block.id);
        content.push({
          type: 'tool_use',
          id: block.id,
          name: block.name,
          input: toolUse?.input ?? {},
        });
      } else if (block.kind === 'thinking') {
        content.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
      } else content.push(block.block);
    }
    return content;
  }
}

/** Runs one streaming request to completion; throws {@link TurnFailure} on any failure, abort included. */
export async function streamTurn(
  client: Anthropic,
  params: MessageCreateParamsStreaming,
  signal: AbortSignal,
  observer: StreamObserver = {},
): Promise<TurnResult> {
  const assembler = new TurnAssembler(observer);
  let started = false;
  try {
    const stream = await client.messages.create(params, { signal });
    for await (const event of stream) {
      started = true;
      assembler.apply(event);
    }
    if (!assembler.stopped) throw new StreamEndedEarlyError();
  } catch (error) {
    // An abort can surface as a cut stream; a cancel is a cancel whatever the transport said.
    const cause =
      signal.aborted && !(error instanceof APIUserAbortError) ? new APIUserAbortError() : error;
    throw new TurnFailure(cause, started, assembler.usage);
  }
  return {
    content: assembler.content(),
    toolUses: assembler.toolUses,
    stopReason: assembler.stopReason,
    usage: assembler.usage ?? usageCounts(undefined),
    model: assembler.model || params.model,
  };
}
