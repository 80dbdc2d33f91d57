/**
 * Turns an agent's model request into Messages API params with prompt-cache
 * breakpoints placed so the prefix stays byte-identical from turn to turn:
 *
 *   1. the last tool            (tools change only with the tool set)
 *   2. the last system block    (base prompt, then the persona block)
 *   3. the end of the previous user turn (a fallback when the newest turn
 *      adds more blocks than the cache's lookback covers)
 *   4. the end of the newest user turn, before any per-call hook context
 *
 * Per-call hook context goes after breakpoint 4, so it never enters the cached
 * prefix and may differ on every call. The API allows at most 4 breakpoints.
 * A breakpoint a hook already put in the messages counts against them, and
 * takes the place of breakpoint 3: tool-result clearing marks the end of the
 * latest cached prefix before its first cleared result, so that the request
 * which clears reads that prefix and writes only what follows.
 *
 * Tool-result clearing (hooks/builtin/tool-result-clearing.ts) agrees with
 * this: it rewrites older results in batches only, so between two clearings
 * each request is the previous one plus the new turns and breakpoints 3 and 4
 * keep hitting; a clearing changes the prefix from its first cleared result
 * on, which the next request writes to the cache once.
 */
import type {
  CacheControlEphemeral,
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  TextBlockParam,
  ToolChoice,
  ToolUnion,
} from '@anthropic-ai/sdk/resources/messages';

/** The API rejects a request with more breakpoints than this. */
export const MAX_CACHE_BREAKPOINTS = 4;

const EPHEMERAL: CacheControlEphemeral = { type: 'ephemeral' };

/** What an agent asks of the model, before breakpoints are placed. Hooks may rewrite it. */
export interface ModelRequestSpec {
  model: string;
  maxTokens: number;
  tools: ToolUnion[];
  /** The stable base system prompt. */
  system: string;
  /** A persona block, placed after the base prompt and inside the cached prefix. */
  persona?: string | undefined;
  /** The conversation, as stored (never mutated here). */
  messages: MessageParam[];
  /** Per-call text, appended to the newest user turn after its breakpoint; never cached, never stored. */
  hookContext?: string[] | undefined;
  /** `none` keeps the tools in the request (and so the cached prefix) while the model may not call them. */
  toolChoice?: ToolChoice | undefined;
}

/** Block types that accept `cache_control` in a user turn. */
const CACHEABLE = new Set(['text', 'tool_result', 'image', 'document', 'search_result']);

function blocksOf(message: MessageParam): ContentBlockParam[] {
  return typeof message.content === 'string'
    ? [{ type: 'text', text: message.content }]
    : [...message.content];
}

/** Copies `message` with a breakpoint on its last cacheable block; returns undefined when it has none. */
function withBreakpoint(message: MessageParam): MessageParam | undefined {
  const blocks = blocksOf(message);
  const last = blocks.length - 1;
  const block = blocks[last];
  if (!block || !CACHEABLE.has(block.type)) return undefined;
  blocks[last] = { ...block, cache_control: EPHEMERAL } as ContentBlockParam;
  return { ...message, content: blocks } as MessageParam;
}

function lastUserIndexes(messages: readonly MessageParam[]): number[] {
  const found: number[] = [];
  for (let i = messages.length - 1; i >= 0 && found.length < 2; i--) {
    if (messages[i]?.role === 'user') found.push(i);
  }
  return found;
}

export function buildMessagesRequest(spec: ModelRequestSpec): MessageCreateParamsStreaming {
  const tools = spec.tools.map((tool, i) =>
    i === spec.tools.length - 1 ? { ...tool, cache_control: EPHEMERAL } : tool,
  );

  const system: TextBlockParam[] = [{ type: 'text', text: spec.system }];
  if (spec.persona) system.push({ type: 'text', text: spec.persona });
  const lastSystem = system.length - 1;
  system[lastSystem] = { ...(system[lastSystem] as TextBlockParam), cache_control: EPHEMERAL };

  const messages = [...spec.messages];
  let breakpoints = (tools.length > 0 ? 1 : 0) + 1 + countIn(messages);
  // Newest user turn first, so that it always gets one of the remaining breakpoints.
  for (const index of lastUserIndexes(messages)) {
    if (breakpoints >= MAX_CACHE_BREAKPOINTS) break;
    const marked = withBreakpoint(messages[index] as MessageParam);
    if (marked) {
      messages[index] = marked;
      breakpoints++;
    }
  }

  const context = (spec.hookContext ?? []).filter((text) => text.length > 0);
  const tail = messages[messages.length - 1];
  if (context.length > 0 && tail?.role === 'user') {
    messages[messages.length - 1] = {
      ...tail,
      content: [
        ...blocksOf(tail),
        ...context.map((text): TextBlockParam => ({ type: 'text', text })),
      ],
    };
  }

  return {
    model: spec.model,
    max_tokens: spec.maxTokens,
    system,
    tools,
    messages,
    ...(spec.toolChoice !== undefined && { tool_choice: spec.toolChoice }),
    stream: true,
  };
}

/** Counts `cache_control` markers in built params; a guard for tests and for hooks that add their own. */
export function countBreakpoints(params: MessageCreateParamsStreaming): number {
  return countIn(params.tools) + countIn(params.system) + countIn(params.messages);
}

function countIn(value: unknown): number {
  let count = 0;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'cache_control' && inner) count++;
        else visit(inner);
      }
    }
  };
  visit(value);
  return count;
}
