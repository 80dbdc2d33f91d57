/**
 * Request validation the way the Messages API does it: field errors in its
 * `path: message` style, then the conversation rules (first turn is `user`,
 * every `tool_use` answered by a `tool_result` in the next turn), then the
 * prompt caching rules (at most 4 breakpoints, 1-hour entries before 5-minute
 * ones). The first problem found is reported, as a 400 `invalid_request_error`.
 *
 * Consecutive turns with the same role are accepted: the API documents that
 * they are combined into one turn, and the pairing rules apply to the combined turns.
 */
import { invalidRequest, type ApiErrorSpec } from './errors.ts';
import { cacheBreakpointProblem, conversationProblem } from './request-rules.ts';
import type {
  CacheControl,
  ContentBlock,
  InputMessage,
  JsonObject,
  MessageRole,
  MessagesRequest,
  PromptRequest,
  ToolDefinition,
} from './types.ts';

export type Validation<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiErrorSpec };

/** Body fields of `MessageCreateParams` in the installed SDK, plus sampling fields older clients send. */
const MESSAGES_FIELDS: ReadonlySet<string> = new Set([
  'model',
  'max_tokens',
  'messages',
  'cache_control',
  'container',
  'diagnostics',
  'inference_geo',
  'metadata',
  'output_config',
  'service_tier',
  'speed',
  'stop_sequences',
  'stream',
  'system',
  'temperature',
  'thinking',
  'tool_choice',
  'tools',
  'top_k',
  'top_p',
]);

/** Body fields of `MessageCountTokensParams` in the installed SDK. */
const COUNT_TOKENS_FIELDS: ReadonlySet<string> = new Set([
  'model',
  'messages',
  'cache_control',
  'output_config',
  'speed',
  'system',
  'thinking',
  'tool_choice',
  'tools',
]);

/** Content block types of the SDK's `ContentBlockParam`. */
const CONTENT_BLOCK_TYPES: ReadonlySet<string> = new Set([
  'text',
  'image',
  'document',
  'search_result',
  'thinking',
  'redacted_thinking',
  'tool_use',
  'tool_result',
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'tool_search_tool_result',
  'container_upload',
]);

/** Names the API requires for Anthropic-defined tools (tool docs). */
const ANTHROPIC_TOOL_NAMES: Readonly<Record<string, string>> = {
  bash_20241022: 'bash',
  bash_20250124: 'bash',
  text_editor_20241022: 'str_replace_editor',
  text_editor_20250124: 'str_replace_editor',
  text_editor_20250429: 'str_replace_based_edit_tool',
  text_editor_20250728: 'str_replace_based_edit_tool',
  memory_20250818: 'memory',
  web_search_20250305: 'web_search',
  web_fetch_20250910: 'web_fetch',
  code_execution_20250522: 'code_execution',
  code_execution_20250825: 'code_execution',
};

/** Anthropic-defined tool types are versioned by date: `name_YYYYMMDD`. */
const VERSIONED_TOOL_TYPE = /^[a-z][a-z0-9_]*_\d{8}$/;

/** Custom tool names (tool use docs). */
const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,128}$/;

const IMAGE_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
]);

/** Thrown inside the validator and turned into the 400; never escapes this module. */
class Invalid extends Error {}

function fail(message: string): never {
  throw new Invalid(message);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ValidationOptions {
  /**
   * Reject body fields the SDK does not define ("Extra inputs are not
   * permitted"). Off for beta requests, whose parameters are a moving target.
   */
  readonly rejectUnknownFields: boolean;
}

export function validateMessagesRequest(
  body: unknown,
  options: ValidationOptions,
): Validation<MessagesRequest> {
  return run(() => {
    const object = requireBody(body, options.rejectUnknownFields ? MESSAGES_FIELDS : undefined);
    const maxTokens = requireMaxTokens(object['max_tokens']);
    const prompt = checkPrompt(object);
    const stream = object['stream'];
    if (stream !== undefined && typeof stream !== 'boolean')
      fail('stream: Input should be a valid boolean');
    const stopSequences = checkStopSequences(object['stop_sequences']);
    checkThinkingBudget(object['thinking'], maxTokens);
    return {
      ...prompt,
      max_tokens: maxTokens,
      stream: stream === true,
      ...(stopSequences ? { stop_sequences: stopSequences } : {}),
      raw: object,
    };
  });
}

export function validateCountTokensRequest(
  body: unknown,
  options: ValidationOptions,
): Validation<PromptRequest> {
  return run(() =>
    checkPrompt(requireBody(body, options.rejectUnknownFields ? COUNT_TOKENS_FIELDS : undefined)),
  );
}

function run<T>(check: () => T): Validation<T> {
  try {
    return { ok: true, value: check() };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: invalidRequest(error.message) };
    throw error;
  }
}

function requireBody(body: unknown, allowed: ReadonlySet<string> | undefined): JsonObject {
  if (!isObject(body)) fail('Input should be a valid dictionary');
  if (allowed) {
    for (const key of Object.keys(body)) {
      if (!allowed.has(key)) fail(`${key}: Extra inputs are not permitted`);
    }
  }
  return body;
}

function requireMaxTokens(value: unknown): number {
  if (value === undefined) fail('max_tokens: Field required');
  if (typeof value !== 'number' || !Number.isInteger(value))
    fail('max_tokens: Input should be a valid integer');
  // 0 is allowed: it pre-warms the cache without generating anything.
  if (value < 0) fail('max_tokens: Input should be greater than or equal to 0');
  return value;
}

/** Everything both endpoints share: model, messages, system, tools and the cache rules. */
function checkPrompt(object: JsonObject): PromptRequest {
  const model = object['model'];
  if (model === undefined) fail('model: Field required');
  if (typeof model !== 'string') fail('model: Input should be a valid string');
  if (model === '') fail('model: String should have at least 1 character');

  const messages = checkMessages(object['messages']);
  const system = checkSystem(object['system']);
  const tools = checkTools(object['tools']);
  checkToolChoice(object['tool_choice']);
  checkThinking(object['thinking']);
  if (object['metadata'] !== undefined && !isObject(object['metadata']))
    fail('metadata: Input should be a valid dictionary');
  const topLevelCache =
    object['cache_control'] === undefined || object['cache_control'] === null
      ? undefined
      : checkCacheControl(object['cache_control'], 'cache_control');

  const problem =
    conversationProblem(messages) ?? cacheBreakpointProblem(tools, system, messages, topLevelCache);
  if (problem) fail(problem);

  return {
    model,
    messages,
    ...(system !== undefined ? { system } : {}),
    ...(tools !== undefined ? { tools } : {}),
    ...(object['tool_choice'] !== undefined ? { tool_choice: object['tool_choice'] } : {}),
    ...(object['thinking'] !== undefined ? { thinking: object['thinking'] } : {}),
    ...(topLevelCache ? { cache_control: topLevelCache } : {}),
  };
}

function checkMessages(value: unknown): InputMessage[] {
  if (value === undefined) fail('messages: Field required');
  if (!Array.isArray(value)) fail('messages: Input should be a valid list');
  if (value.length === 0) fail('messages: at least one message is required');
  const messages = value.map((message: unknown, index) =>
    checkMessage(message, index, index === value.length - 1),
  );
  if (messages[0]?.role !== 'user') fail('messages: first message must use the "user" role');
  return messages;
}

function checkMessage(message: unknown, index: number, isLast: boolean): InputMessage {
  const path = `messages.${index}`;
  if (!isObject(message)) fail(`${path}: Input should be a valid dictionary`);
  const role = message['role'];
  if (role === undefined) fail(`${path}.role: Field required`);
  if (role !== 'user' && role !== 'assistant' && role !== 'system') {
    fail(`${path}.role: Input should be 'user', 'assistant' or 'system'`);
  }
  const content = message['content'];
  if (content === undefined) fail(`${path}.content: Field required`);
  let blocks: readonly ContentBlock[] | string;
  if (typeof content === 'string') {
    blocks = content;
  } else if (Array.isArray(content)) {
    blocks = content.map((block: unknown, blockIndex) =>
      checkContentBlock(block, `${path}.content.${blockIndex}`, role),
    );
  } else {
    fail(`${path}.content: Input should be a valid string or list`);
  }
  const empty = blocks.length === 0;
  // Prefill: only a final assistant turn may be empty.
  if (empty && !(isLast && role === 'assistant')) {
    fail(
      `${path}: all messages must have non-empty content except for the optional final assistant message`,
    );
  }
  return { role, content: blocks };
}

function checkContentBlock(block: unknown, path: string, role: MessageRole): ContentBlock {
  if (!isObject(block)) fail(`${path}: Input should be a valid dictionary`);
  const type = block['type'];
  if (type === undefined) fail(`${path}.type: Field required`);
  if (typeof type !== 'string' || !CONTENT_BLOCK_TYPES.has(type)) {
    fail(
      `${path}: Input tag '${String(type)}' found using 'type' does not match any of the expected tags`,
    );
  }
  if (role === 'system' && type !== 'text') fail(`${path}.type: Input should be 'text'`);
  switch (type) {
    case 'text':
      checkText(block, path);
      break;
    case 'image':
      checkImage(block, path);
      break;
    case 'tool_use':
      requireString(block, 'id', path);
      requireString(block, 'name', path);
      if (!isObject(block['input'])) fail(`${path}.input: Input should be a valid dictionary`);
      break;
    case 'tool_result':
      checkToolResult(block, path);
      break;
    case 'thinking':
      requireString(block, 'thinking', path);
      requireString(block, 'signature', path);
      break;
    case 'redacted_thinking':
      requireString(block, 'data', path);
      break;
    default:
      break;
  }
  if (block['cache_control'] !== undefined && block['cache_control'] !== null) {
    checkCacheControl(block['cache_control'], `${path}.cache_control`);
  }
  return block as ContentBlock;
}

function requireString(block: JsonObject, field: string, path: string): string {
  const value = block[field];
  if (value === undefined) fail(`${path}.${field}: Field required`);
  if (typeof value !== 'string') fail(`${path}.${field}: Input should be a valid string`);
  return value;
}

function checkText(block: JsonObject, path: string): void {
  const text = requireString(block, 'text', path);
  if (text === '') fail('messages: text content blocks must be non-empty');
  if (text.trim() === '') fail('messages: text content blocks must contain non-whitespace text');
}

function checkImage(block: JsonObject, path: string): void {
  const source = block['source'];
  if (!isObject(source)) fail(`${path}.source: Field required`);
  switch (source['type']) {
    case 'base64': {
      const mediaType = source['media_type'];
      if (typeof mediaType !== 'string' || !IMAGE_MEDIA_TYPES.has(mediaType)) {
        fail(
          `${path}.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`,
        );
      }
      requireString(source, 'data', `${path}.source.base64`);
      return;
    }
    case 'url':
      requireString(source, 'url', `${path}.source.url`);
      return;
    case 'file':
      requireString(source, 'file_id', `${path}.source.file`);
      return;
    default:
      fail(
        `${path}.source: Input tag '${String(source['type'])}' found using 'type' does not match any of the expected tags`,
      );
  }
}

function checkToolResult(block: JsonObject, path: string): void {
  requireString(block, 'tool_use_id', path);
  const content = block['content'];
  if (Array.isArray(content)) {
    content.forEach((nested: unknown, index) => {
      const nestedPath = `${path}.content.${index}`;
      const nestedBlock = checkContentBlock(nested, nestedPath, 'user');
      if (nestedBlock.type === 'tool_use' || nestedBlock.type === 'tool_result') {
        fail(
          `${nestedPath}: Input tag '${nestedBlock.type}' found using 'type' does not match any of the expected tags`,
        );
      }
    });
  } else if (content !== undefined && typeof content !== 'string') {
    fail(`${path}.content: Input should be a valid string or list`);
  }
  if (block['is_error'] !== undefined && typeof block['is_error'] !== 'boolean') {
    fail(`${path}.is_error: Input should be a valid boolean`);
  }
}

function checkCacheControl(value: unknown, path: string): CacheControl {
  if (!isObject(value)) fail(`${path}: Input should be a valid dictionary`);
  if (value['type'] !== 'ephemeral') fail(`${path}.type: Input should be 'ephemeral'`);
  const ttl = value['ttl'];
  if (ttl !== undefined && ttl !== '5m' && ttl !== '1h')
    fail(`${path}.ttl: Input should be '5m' or '1h'`);
  return value as unknown as CacheControl;
}

function checkSystem(value: unknown): string | ContentBlock[] | undefined {
  if (value === undefined || typeof value === 'string') return value;
  if (!Array.isArray(value)) fail('system: Input should be a valid string or list');
  return value.map((block: unknown, index) => {
    const path = `system.${index}`;
    if (!isObject(block)) fail(`${path}: Input should be a valid dictionary`);
    if (block['type'] !== 'text') fail(`${path}.type: Input should be 'text'`);
    const text = requireString(block, 'text', path);
    if (text === '') fail('system: text content blocks must be non-empty');
    if (block['cache_control'] !== undefined && block['cache_control'] !== null) {
      checkCacheControl(block['cache_control'], `${path}.cache_control`);
    }
    return block as ContentBlock;
  });
}

function checkTools(value: unknown): ToolDefinition[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) fail('tools: Input should be a valid list');
  const names = new Set<string>();
  const tools = value.map((tool: unknown, index) => {
    const checked = checkTool(tool, `tools.${index}`);
    if (names.has(checked.name)) fail('tools: Tool names must be unique.');
    names.add(checked.name);
    return checked;
  });
  return tools;
}

function checkTool(tool: unknown, path: string): ToolDefinition {
  if (!isObject(tool)) fail(`${path}: Input should be a valid dictionary`);
  const type = tool['type'];
  if (type === undefined || type === null || type === 'custom') {
    const name = requireString(tool, 'name', `${path}.custom`);
    if (!TOOL_NAME_PATTERN.test(name))
      fail(`${path}.custom.name: String should match pattern '${TOOL_NAME_PATTERN.source}'`);
    const schema = tool['input_schema'];
    if (schema === undefined) fail(`${path}.custom.input_schema: Field required`);
    if (!isObject(schema)) fail(`${path}.custom.input_schema: Input should be a valid dictionary`);
    if (schema['type'] !== 'object')
      fail(`${path}.custom.input_schema.type: Input should be 'object'`);
    if (tool['description'] !== undefined && typeof tool['description'] !== 'string') {
      fail(`${path}.custom.description: Input should be a valid string`);
    }
  } else {
    if (typeof type !== 'string' || !VERSIONED_TOOL_TYPE.test(type)) {
      fail(
        `${path}: Input tag '${String(type)}' found using 'type' does not match any of the expected tags`,
      );
    }
    const name = requireString(tool, 'name', `${path}.${type}`);
    const expected = ANTHROPIC_TOOL_NAMES[type];
    if (expected !== undefined && name !== expected)
      fail(`${path}.${type}.name: Input should be '${expected}'`);
  }
  if (tool['cache_control'] !== undefined && tool['cache_control'] !== null) {
    checkCacheControl(tool['cache_control'], `${path}.cache_control`);
  }
  return tool as ToolDefinition;
}

function checkToolChoice(value: unknown): void {
  if (value === undefined) return;
  if (!isObject(value)) fail('tool_choice: Input should be a valid dictionary');
  const type = value['type'];
  if (type !== 'auto' && type !== 'any' && type !== 'tool' && type !== 'none') {
    fail(
      `tool_choice: Input tag '${String(type)}' found using 'type' does not match any of the expected tags`,
    );
  }
  if (type === 'tool') requireString(value, 'name', 'tool_choice.tool');
}

function checkThinking(value: unknown): void {
  if (value === undefined) return;
  if (!isObject(value)) fail('thinking: Input should be a valid dictionary');
  const type = value['type'];
  if (type !== 'enabled' && type !== 'disabled' && type !== 'adaptive') {
    fail(
      `thinking: Input tag '${String(type)}' found using 'type' does not match any of the expected tags`,
    );
  }
}

/** Manual extended thinking needs a budget of at least 1,024 tokens, below `max_tokens`. */
function checkThinkingBudget(value: unknown, maxTokens: number): void {
  if (!isObject(value) || value['type'] !== 'enabled') return;
  const budget = value['budget_tokens'];
  if (typeof budget !== 'number' || !Number.isInteger(budget))
    fail('thinking.enabled.budget_tokens: Field required');
  if (budget < 1024)
    fail('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
  if (maxTokens <= budget) fail('`max_tokens` must be greater than `thinking.budget_tokens`');
}

function checkStopSequences(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    fail('stop_sequences: Input should be a valid list of strings');
  }
  return value;
}
