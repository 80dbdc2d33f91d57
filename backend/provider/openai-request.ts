/**
 * Translates an agent's request (Messages API shapes, as Troika stores the
 * conversation) into a streaming Chat Completions request:
 *
 * - system prompt and persona → one `system` message;
 * - a user turn's `tool_result` blocks → `tool` messages (they must directly
 *   follow the assistant message that called them), its text and images → a
 *   `user` message after them;
 * - an assistant turn's text → `content`, its `tool_use` blocks →
 *   `tool_calls` with the input as a JSON string; thinking blocks are
 *   Anthropic's alone and are left out;
 * - custom tools → `function` tools, Anthropic's client tools (bash, the
 *   text editor) too with their documented schemas; server tools (web
 *   search, …) have no counterpart and are left out.
 *
 * No `cache_control` anywhere: prompt caching is simply absent here (OpenAI
 * caches long prefixes on its own and reports it as `cached_tokens`).
 */
import type {
  ContentBlockParam,
  MessageParam,
  ToolChoice,
  ToolResultBlockParam,
  ToolUnion,
} from '@anthropic-ai/sdk/resources/messages';
import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import { anthropicToolSpec } from './anthropic-tool-schemas.ts';
import type { ModelRequestSpec } from './request-builder.ts';

function blocksOf(message: MessageParam): ContentBlockParam[] {
  return typeof message.content === 'string'
    ? [{ type: 'text', text: message.content }]
    : message.content;
}

/** A tool result's content as text; images in a result cannot go in a `tool` message and are named instead. */
function toolResultText(block: ToolResultBlockParam): string {
  const content = block.content;
  let text: string;
  if (content === undefined) text = '';
  else if (typeof content === 'string') text = content;
  else
    text = content
      .map((part) => (part.type === 'text' ? part.text : `[${part.type} omitted]`))
      .join('\n');
  return block.is_error ? `Error: ${text}` : text;
}

function userParts(blocks: ContentBlockParam[]): ChatCompletionContentPart[] {
  const parts: ChatCompletionContentPart[] = [];
  for (const block of blocks) {
    if (block.type === 'text') parts.push({ type: 'text', text: block.text });
    else if (block.type === 'image' && block.source.type === 'base64')
      parts.push({
        type: 'image_url',
        image_url: { url: `data:${block.source.media_type};base64,${block.source.data}` },
      });
    else if (block.type === 'image' && block.source.type === 'url')
      parts.push({ type: 'image_url', image_url: { url: block.source.url } });
  }
  return parts;
}

function userMessages(blocks: ContentBlockParam[]): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [];
  for (const block of blocks) {
    if (block.type === 'tool_result')
      messages.push({
        role: 'tool',
        tool_call_id: block.tool_use_id,
        content: toolResultText(block),
      });
  }
  const parts = userParts(blocks);
  if (parts.length > 0) {
    // Plain text as a string: the form every compatible server accepts.
    const onlyText = parts.every((p) => p.type === 'text');
    messages.push({
      role: 'user',
      content: onlyText ? parts.map((p) => (p as { text: string }).text).join('\n\n') : parts,
    });
  }
  return messages;
}

function assistantMessage(blocks: ContentBlockParam[]): ChatCompletionMessageParam | undefined {
  const text = blocks
    .flatMap((b) => (b.type === 'text' ? [b.text] : []))
    .join('')
    .trim();
  const toolCalls: ChatCompletionMessageToolCall[] = blocks.flatMap((b) =>
    b.type === 'tool_use'
      ? [
          {
            id: b.id,
            type: 'function' as const,
            function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) },
          },
        ]
      : [],
  );
  if (text === '' && toolCalls.length === 0) return undefined;
  return {
    role: 'assistant',
    content: text === '' ? null : text,
    ...(toolCalls.length > 0 && { tool_calls: toolCalls }),
  };
}

function functionTools(tools: ToolUnion[]): ChatCompletionTool[] {
  return tools.flatMap((tool): ChatCompletionTool[] => {
    if ('input_schema' in tool)
      return [
        {
          type: 'function',
          function: {
            name: tool.name,
            ...(tool.description !== undefined && { description: tool.description }),
            parameters: tool.input_schema as Record<string, unknown>,
          },
        },
      ];
    const known = 'type' in tool && tool.type ? anthropicToolSpec(tool.type) : undefined;
    return known && 'name' in tool
      ? [{ type: 'function', function: { name: tool.name, ...known } }]
      : [];
  });
}

function toolChoice(choice: ToolChoice): ChatCompletionToolChoiceOption {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { type: 'function', function: { name: choice.name } };
  }
}

export function buildChatRequest(
  spec: ModelRequestSpec,
  model: string,
): ChatCompletionCreateParamsStreaming {
  const system = [spec.system, spec.persona].filter(Boolean).join('\n\n');
  const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: system }];
  const context = (spec.hookContext ?? []).filter((text) => text.length > 0);
  spec.messages.forEach((message, index) => {
    const blocks = [...blocksOf(message)];
    // Per-call hook context rides on the newest user turn, as in the Messages request.
    if (index === spec.messages.length - 1 && message.role === 'user')
      for (const text of context) blocks.push({ type: 'text', text });
    if (message.role === 'user') messages.push(...userMessages(blocks));
    else {
      const assistant = assistantMessage(blocks);
      if (assistant) messages.push(assistant);
    }
  });
  const tools = functionTools(spec.tools);
  return {
    model,
    // `max_tokens` is deprecated and refused by reasoning models; compatible servers accept this one.
    max_completion_tokens: spec.maxTokens,
    messages,
    ...(tools.length > 0 && { tools }),
    ...(tools.length > 0 &&
      spec.toolChoice !== undefined && { tool_choice: toolChoice(spec.toolChoice) }),
    stream: true,
    stream_options: { include_usage: true },
  };
}
