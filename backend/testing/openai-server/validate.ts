/**
 * Checks a `POST /v1/chat/completions` body as OpenAI does, answering 400
 * with `param` naming the field: unknown top-level arguments, roles, the
 * pairing of `tool_calls` with `tool` messages (every call answered, in the
 * messages that directly follow it; no answer without a call), function tool
 * shapes, `stream_options` only with `stream`, and the token limits.
 */
import type { JsonObject } from './types.ts';

export class RequestError extends Error {
  readonly param: string | null;
  constructor(message: string, param: string | null) {
    super(message);
    this.param = param;
  }
}

/** The documented request fields (a subset would reject what real clients send). */
const KNOWN = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'n',
  'stop',
  'seed',
  'user',
  'response_format',
  'frequency_penalty',
  'presence_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'metadata',
  'store',
  'reasoning_effort',
  'service_tier',
  'modalities',
  'prediction',
  'audio',
  'web_search_options',
  'verbosity',
  'prompt_cache_key',
  'safety_identifier',
]);

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(message: string, param: string | null): never {
  throw new RequestError(message, param);
}

function checkTools(tools: unknown): void {
  if (!Array.isArray(tools)) fail("Invalid type for 'tools': expected an array.", 'tools');
  tools.forEach((tool: unknown, i) => {
    const fn = isObject(tool) ? tool['function'] : undefined;
    if (!isObject(tool) || tool['type'] !== 'function' || !isObject(fn))
      fail(`Invalid value for 'tools[${i}]': expected a function tool.`, `tools[${i}]`);
    if (typeof fn['name'] !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(fn['name']))
      fail(
        `Invalid 'tools[${i}].function.name': string does not match pattern.`,
        `tools[${i}].function.name`,
      );
    if (fn['parameters'] !== undefined && !isObject(fn['parameters']))
      fail(
        `Invalid type for 'tools[${i}].function.parameters': expected an object.`,
        `tools[${i}].function.parameters`,
      );
  });
}

function checkMessages(messages: unknown): void {
  if (!Array.isArray(messages) || messages.length === 0)
    fail("'messages' must contain at least one message.", 'messages');
  let open = new Set<string>();
  messages.forEach((message: unknown, i) => {
    const at = `messages[${i}]`;
    if (!isObject(message) || !ROLES.has(String(message['role'])))
      fail(`Invalid value for '${at}.role'.`, `${at}.role`);
    const role = message['role'];
    if (role === 'tool') {
      const id = message['tool_call_id'];
      if (typeof id !== 'string' || !open.has(id))
        fail(
          `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.`,
          `${at}.role`,
        );
      open.delete(id);
      if (typeof message['content'] !== 'string' && !Array.isArray(message['content']))
        fail(`Invalid type for '${at}.content'.`, `${at}.content`);
      return;
    }
    if (open.size > 0)
      fail(
        `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...open].join(', ')}`,
        'messages',
      );
    open = new Set();
    const content = message['content'];
    if (role === 'assistant') {
      const calls = message['tool_calls'];
      if (calls !== undefined) {
        if (!Array.isArray(calls)) fail(`Invalid type for '${at}.tool_calls'.`, `${at}.tool_calls`);
        calls.forEach((call: unknown, j) => {
          const fn = isObject(call) ? call['function'] : undefined;
          if (
            !isObject(call) ||
            typeof call['id'] !== 'string' ||
            call['type'] !== 'function' ||
            !isObject(fn) ||
            typeof fn['name'] !== 'string' ||
            typeof fn['arguments'] !== 'string'
          )
            fail(`Invalid value for '${at}.tool_calls[${j}]'.`, `${at}.tool_calls[${j}]`);
          open.add(call['id']);
        });
      }
      if ((content === undefined || content === null) && calls === undefined)
        fail(
          `Invalid value for '${at}.content': expected a string or an array when there are no tool_calls.`,
          `${at}.content`,
        );
    } else if (typeof content !== 'string' && !Array.isArray(content)) {
      fail(`Invalid type for '${at}.content': expected a string or an array.`, `${at}.content`);
    }
  });
  if (open.size > 0)
    fail(
      `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...open].join(', ')}`,
      'messages',
    );
}

export interface ChatRequest {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  raw: JsonObject;
}

export function validateChatRequest(body: unknown): ChatRequest {
  if (!isObject(body)) fail('The request body must be a JSON object.', null);
  for (const key of Object.keys(body))
    if (!KNOWN.has(key)) fail(`Unrecognized request argument supplied: ${key}`, key);
  if (typeof body['model'] !== 'string' || body['model'] === '')
    fail('you must provide a model parameter', 'model');
  checkMessages(body['messages']);
  if (body['tools'] !== undefined) checkTools(body['tools']);
  for (const key of ['max_tokens', 'max_completion_tokens']) {
    const value = body[key];
    if (value !== undefined && (!Number.isInteger(value) || (value as number) < 1))
      fail(`Invalid '${key}': integer below minimum value. Expected a value >= 1.`, key);
  }
  const stream = body['stream'] === true;
  const options = body['stream_options'];
  if (options !== undefined && options !== null && !stream)
    fail(
      "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      'stream_options',
    );
  return {
    model: body['model'],
    stream,
    includeUsage: isObject(options) && options['include_usage'] === true,
    raw: body,
  };
}
