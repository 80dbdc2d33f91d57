/**
 * The HTTP side: listening, routing, authentication, recording, and choosing
 * each request's answer from the script. `respond.ts` writes the answers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { PromptCacheEmulator } from './cache-emulation.ts';
import { applyContextEditing, type ContextEditingSettings } from './context-editing.ts';
import { errorBody, type ApiErrorSpec } from './errors.ts';
import { newRequestId } from './ids.ts';
import { promptBlocks, promptTokens } from './prompt-blocks.ts';
import { buildMessage } from './reply.ts';
import {
  answerWithJson,
  answerWithStream,
  pause,
  sendError,
  sendJson,
  type Answer,
  type Exchange,
} from './respond.ts';
import { isReplyTurn, TurnScript } from './script.ts';
import type { RecordedRequest, ReplyTurn, Totals, Turn, TurnHandler } from './types.ts';
import { validateCountTokensRequest, validateMessagesRequest } from './validate.ts';

/** The documented request size limit of the Messages and token counting endpoints. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** A key shaped like a real one, so code that checks the `sk-ant-` prefix is satisfied. */
export const DEFAULT_API_KEY = 'sk-ant-api03-messages-server-test-key';

/** Models `GET /v1/models` lists when the options name none. */
const DEFAULT_MODELS = ['claude-sonnet-4-6', 'claude-opus-4-6', 'claude-haiku-4-5'] as const;

/** `anthropic-version` values are dates; the installed SDK sends one newer than the docs' 2023-06-01. */
const VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Headers whose values are secrets and are never recorded. */
const SECRET_HEADERS: ReadonlySet<string> = new Set(['x-api-key', 'authorization']);

export interface MessagesServerOptions {
  /** The key clients must send (`x-api-key`, or `Authorization: Bearer`). */
  readonly apiKey?: string;
  /** Turns to queue, a handler, or both. */
  readonly script?:
    | readonly Turn[]
    | TurnHandler
    | { readonly turns?: readonly Turn[]; readonly handler?: TurnHandler };
  /** Minimum cacheable prefix in tokens (default 1,024). */
  readonly cacheMinTokens?: number;
  readonly contextEditing?: ContextEditingSettings; // the API's clearing, before caching (context-editing.ts)
  /** Clock for cache lifetimes, in milliseconds. */
  readonly now?: () => number;
  /** When set, any other model gets 404 `not_found_error`, and `GET /v1/models` lists these. */
  readonly models?: readonly string[];
  readonly maxBodyBytes?: number;
}

export interface MessagesServer {
  /** Base URL for `new Anthropic({ baseURL })`, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly apiKey: string;
  /** Every request received, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Only the `POST /v1/messages` requests. */
  readonly messageRequests: readonly RecordedRequest[];
  readonly totals: Readonly<Totals>;
  readonly cache: PromptCacheEmulator;
  /** Scripted turns not yet served (repeats counted). */
  readonly pendingTurns: number;
  enqueue(...turns: Turn[]): void;
  setHandler(handler: TurnHandler | undefined): void;
  /** Stops listening, ends every open response and destroys every socket. */
  close(): Promise<void>;
}

function scriptFrom(option: MessagesServerOptions['script']): TurnScript {
  if (option === undefined) return new TurnScript();
  if (typeof option === 'function') return new TurnScript([], option);
  if (Array.isArray(option)) return new TurnScript(option as readonly Turn[]);
  const { turns, handler } = option as {
    readonly turns?: readonly Turn[];
    readonly handler?: TurnHandler;
  };
  return new TurnScript(turns ?? [], handler);
}

function recordedHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[name] = SECRET_HEADERS.has(name)
      ? '[redacted]'
      : Array.isArray(value)
        ? value.join(', ')
        : value;
  }
  return headers;
}

function presentedKey(request: IncomingMessage): string | undefined {
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return apiKey;
  const authorization = request.headers['authorization'];
  const match = typeof authorization === 'string' ? /^Bearer\s+(.+)$/i.exec(authorization) : null;
  return match?.[1];
}

async function readBody(
  request: IncomingMessage,
  limit: number,
): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Keep draining past the limit so the 413 reaches a client still sending.
    if (size <= limit) chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > limit };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export async function startMessagesServer(
  options: MessagesServerOptions = {},
): Promise<MessagesServer> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const script = scriptFrom(options.script);
  const cache = new PromptCacheEmulator({
    ...(options.cacheMinTokens !== undefined ? { minTokens: options.cacheMinTokens } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const requests: RecordedRequest[] = [];
  const totals: Totals = {
    requests: 0,
    inputTokens: 0,
    uncachedInputTokens: 0,
    cacheReadInputTokens: 0,
    cacheCreationInputTokens: 0,
    outputTokens: 0,
  };
  const sockets = new Set<Socket>();
  const shutdown = new AbortController();

  const http: Server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      // A bug here must fail the test loudly, not hang it.
      if (!response.headersSent) {
        const requestId = newRequestId();
        const spec = {
          status: 500,
          type: 'api_error' as const,
          message: `messages-server bug: ${String(error)}`,
        };
        response
          .writeHead(500, {
            'content-type': 'application/json',
            'request-id': requestId,
            'x-should-retry': 'false',
          })
          .end(JSON.stringify(errorBody(spec, requestId)));
      } else {
        response.destroy();
      }
    });
  });
  http.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(request, maxBodyBytes);
    const parsed = parseJson(body.text);
    const record: RecordedRequest = {
      index: requests.length,
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      headers: recordedHeaders(request),
      receivedAt: Date.now(),
      rawBody: body.text,
      body: parsed.ok ? parsed.value : undefined,
      params: undefined,
      inputTokens: undefined,
      status: undefined,
      usage: undefined,
      outcome: 'pending',
    };
    requests.push(record);
    const requestId = newRequestId();
    const closed = new AbortController();
    const signal = AbortSignal.any([closed.signal, shutdown.signal]);
    response.on('close', () => {
      if (record.outcome === 'pending') record.outcome = 'client-closed';
      closed.abort();
    });
    const exchange: Exchange = { record, response, requestId, signal };

    const isMessages = record.path === '/v1/messages';
    if (isMessages && record.method === 'POST') totals.requests += 1;
    if (body.tooLarge) {
      return reject(exchange, {
        status: 413,
        type: 'request_too_large',
        message: 'Request exceeds the maximum allowed number of bytes.',
      });
    }
    const known =
      isMessages || record.path === '/v1/messages/count_tokens' || record.path === '/v1/models';
    if (!known)
      return reject(exchange, { status: 404, type: 'not_found_error', message: 'Not Found' });

    const key = presentedKey(request);
    if (key === undefined) {
      return reject(exchange, {
        status: 401,
        type: 'authentication_error',
        message: 'x-api-key header is required',
      });
    }
    if (key !== apiKey)
      return reject(exchange, {
        status: 401,
        type: 'authentication_error',
        message: 'invalid x-api-key',
      });
    const version = request.headers['anthropic-version'];
    if (typeof version !== 'string' || version === '') {
      return reject(exchange, {
        status: 400,
        type: 'invalid_request_error',
        message: 'anthropic-version: header is required',
      });
    }
    if (!VERSION_PATTERN.test(version)) {
      return reject(exchange, {
        status: 400,
        type: 'invalid_request_error',
        message: `anthropic-version: "${version}" is not a valid version`,
      });
    }

    if (record.path === '/v1/models' && record.method === 'GET') return listModels(exchange);
    if (record.method !== 'POST')
      return reject(exchange, { status: 404, type: 'not_found_error', message: 'Not Found' });
    if (!parsed.ok) {
      return reject(exchange, {
        status: 400,
        type: 'invalid_request_error',
        message:
          'There was an error parsing the body of your request. Please ensure it is valid JSON.',
      });
    }
    // Beta parameters change faster than any allow-list; only the stable endpoint rejects extras.
    const rejectUnknownFields = url.searchParams.get('beta') !== 'true';
    if (record.path === '/v1/messages/count_tokens')
      return countTokens(exchange, parsed.value, rejectUnknownFields);
    return createMessage(exchange, parsed.value, rejectUnknownFields);
  }

  function modelNotFound(model: string): ApiErrorSpec | undefined {
    if (!options.models || options.models.includes(model)) return undefined;
    return { status: 404, type: 'not_found_error', message: `model: ${model}` };
  }

  function countTokens(exchange: Exchange, body: unknown, rejectUnknownFields: boolean): void {
    const validation = validateCountTokensRequest(body, { rejectUnknownFields });
    if (!validation.ok) return reject(exchange, validation.error);
    const missing = modelNotFound(validation.value.model);
    if (missing) return reject(exchange, missing);
    const tokens = promptTokens(promptBlocks(validation.value));
    exchange.record.inputTokens = tokens;
    sendJson(exchange, 200, { input_tokens: tokens });
  }

  function listModels(exchange: Exchange): void {
    const ids = options.models ?? DEFAULT_MODELS;
    const data = ids.map((id) => ({
      type: 'model',
      id,
      display_name: id,
      created_at: '2025-01-01T00:00:00Z',
    }));
    sendJson(exchange, 200, {
      data,
      has_more: false,
      first_id: ids[0] ?? null,
      last_id: ids.at(-1) ?? null,
    });
  }

  async function createMessage(
    exchange: Exchange,
    body: unknown,
    rejectUnknownFields: boolean,
  ): Promise<void> {
    const { record } = exchange;
    const validation = validateMessagesRequest(body, { rejectUnknownFields });
    if (!validation.ok) return reject(exchange, validation.error);
    const edits = options.contextEditing;
    const params = edits ? applyContextEditing(validation.value, edits) : validation.value;
    record.params = params;
    const missing = modelNotFound(params.model);
    if (missing) return reject(exchange, missing);

    const accounting = cache.account(params.model, promptBlocks(params));
    record.inputTokens = accounting.totalInputTokens;
    totals.inputTokens += accounting.totalInputTokens;

    // max_tokens 0 only warms the cache: no model turn, so the script is not consulted.
    const turn: Turn | undefined = params.max_tokens === 0 ? {} : await script.next(record);
    if (turn === undefined) {
      return reject(exchange, {
        status: 500,
        type: 'api_error',
        message: `messages-server: nothing scripted for request #${record.index} (queue empty, no handler)`,
        headers: { 'x-should-retry': 'false' },
      });
    }
    if (turn.kind === 'http-error') {
      if (!(await pause(turn.delay?.firstByteMs, exchange.signal))) return;
      const spec: ApiErrorSpec = {
        status: turn.status,
        type: turn.errorType,
        message: turn.message,
        ...(turn.headers ? { headers: turn.headers } : {}),
        ...(turn.details ? { details: turn.details } : {}),
      };
      return sendError(exchange, spec, 'http-error');
    }
    const reply: ReplyTurn = isReplyTurn(turn) ? turn : turn.reply;
    const message = buildMessage(params, reply, accounting);
    const answer: Answer = {
      message,
      fault: isReplyTurn(turn) ? undefined : turn,
      delay: turn.delay ?? {},
      onBegin: () => {
        // Cache entries exist from here, and the input side of usage has been reported.
        accounting.commit();
        record.usage = message.usage;
        totals.uncachedInputTokens += message.usage.input_tokens;
        totals.cacheReadInputTokens += message.usage.cache_read_input_tokens;
        totals.cacheCreationInputTokens += message.usage.cache_creation_input_tokens;
      },
      onFinish: () => {
        record.outcome = 'completed';
        totals.outputTokens += message.usage.output_tokens;
      },
    };
    return params.stream ? answerWithStream(exchange, answer) : answerWithJson(exchange, answer);
  }

  function reject(exchange: Exchange, spec: ApiErrorSpec): void {
    sendError(exchange, spec, 'rejected');
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    get messageRequests() {
      return requests.filter(
        (request) => request.path === '/v1/messages' && request.method === 'POST',
      );
    },
    totals,
    cache,
    get pendingTurns() {
      return script.pending;
    },
    enqueue: (...turns) => script.enqueue(...turns),
    setHandler: (handler) => script.setHandler(handler),
    close: async () => {
      shutdown.abort();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
