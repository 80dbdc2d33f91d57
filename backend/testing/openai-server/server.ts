/**
 * The OpenAI-compatible server's HTTP side: routing, the bearer key, body
 * limits, the script queue, and answers as JSON, as an SSE stream, or as a
 * scripted fault (HTTP error, error chunk, cut socket, stall).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { completion, estimateTokens, newId, resolveReply, streamChunks } from './chunks.ts';
import type {
  FaultTurn,
  HttpErrorFault,
  RecordedRequest,
  ReplyTurn,
  Turn,
  TurnHandler,
} from './types.ts';
import { RequestError, validateChatRequest, type ChatRequest } from './validate.ts';

/** Shaped like an OpenAI project key. */
export const DEFAULT_OPENAI_TEST_KEY = 'sk-proj-openai-server-test-key-0000';
/** OpenAI's documented limit is far higher; this keeps a runaway test from filling memory. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface OpenAIServerOptions {
  readonly apiKey?: string;
  readonly script?: readonly Turn[];
  readonly handler?: TurnHandler;
  /** When set, other models get 404 `model_not_found`, and `GET /v1/models` lists these. */
  readonly models?: readonly string[];
}

export interface OpenAIServer {
  /** Base URL for `new OpenAI({ baseURL })`, with the `/v1` the SDK expects, e.g. `http://127.0.0.1:40123/v1`. */
  readonly url: string;
  readonly apiKey: string;
  readonly requests: readonly RecordedRequest[];
  /** Only the `POST /v1/chat/completions` requests. */
  readonly chatRequests: readonly RecordedRequest[];
  readonly pendingTurns: number;
  enqueue(...turns: Turn[]): void;
  setHandler(handler: TurnHandler | undefined): void;
  /** Stops listening and destroys every socket: no test hangs on a stalled stream. */
  close(): Promise<void>;
}

function isReply(turn: Turn): turn is ReplyTurn {
  return turn.kind === undefined || turn.kind === 'reply';
}

interface Queued {
  turn: Turn;
  remaining: number;
}

function errorBody(
  type: string,
  code: string | null,
  message: string,
  param: string | null = null,
) {
  return JSON.stringify({ error: { message, type, param, code } });
}

function send(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'x-request-id': newId('req_'),
    ...headers,
  });
  response.end(body);
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function wait(ms: number | undefined, signal: AbortSignal): Promise<void> {
  if (ms) await sleep(ms, undefined, { signal }).catch(() => undefined);
}

export async function startOpenAIServer(options: OpenAIServerOptions = {}): Promise<OpenAIServer> {
  const apiKey = options.apiKey ?? DEFAULT_OPENAI_TEST_KEY;
  const requests: RecordedRequest[] = [];
  const queue: Queued[] = [];
  let handler = options.handler;
  const sockets = new Set<Socket>();
  const shutdown = new AbortController();

  const enqueue = (...turns: Turn[]): void => {
    for (const turn of turns) {
      const repeat = isReply(turn) ? 1 : (turn.repeat ?? 1);
      if (!Number.isInteger(repeat) || repeat < 1)
        throw new RangeError(`repeat must be a positive integer, got ${repeat}`);
      queue.push({ turn, remaining: repeat });
    }
  };
  enqueue(...(options.script ?? []));

  const nextTurn = (record: RecordedRequest): Turn | undefined => {
    const head = queue[0];
    if (!head) return handler?.(record);
    if (--head.remaining === 0) queue.shift();
    return head.turn;
  };

  async function stream(
    response: ServerResponse,
    record: RecordedRequest,
    turn: ReplyTurn,
    chat: ChatRequest,
    promptTokens: number,
    fault: FaultTurn | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    const reply = resolveReply(turn, chat.model, promptTokens);
    const chunks = streamChunks(reply, chat.includeUsage);
    const stopAt = fault && fault.kind !== 'http-error' ? fault.afterChunks : Infinity;
    if (fault?.kind === 'cut' && stopAt === 0) {
      record.outcome = 'cut';
      response.socket?.destroy();
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-request-id': newId('req_'),
    });
    response.flushHeaders();
    for (let i = 0; i < chunks.length; i++) {
      if (signal.aborted) return;
      if (i === stopAt && fault) {
        if (fault.kind === 'cut') {
          record.outcome = 'cut';
          response.socket?.destroy();
        } else if (fault.kind === 'stream-error') {
          record.outcome = 'stream-error';
          response.end(`data: ${errorBody('server_error', null, fault.message)}\n\n`);
        } else {
          record.outcome = 'stalled';
          await new Promise<void>((resolve) =>
            signal.addEventListener('abort', () => resolve(), { once: true }),
          );
        }
        return;
      }
      // Each chunk reaches the socket before the next step, so a cut after N chunks delivers N.
      await new Promise<void>((resolve) =>
        response.write(`data: ${JSON.stringify(chunks[i])}\n\n`, () => resolve()),
      );
      await wait(turn.delay?.betweenChunksMs, signal);
    }
    response.end('data: [DONE]\n\n');
    record.usage = chat.includeUsage ? reply.usage : undefined;
    record.outcome = 'completed';
  }

  async function chatCompletions(
    response: ServerResponse,
    record: RecordedRequest,
    signal: AbortSignal,
  ): Promise<void> {
    let chat: ChatRequest;
    try {
      chat = validateChatRequest(record.body);
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      record.outcome = 'rejected';
      return send(
        response,
        400,
        errorBody('invalid_request_error', null, error.message, error.param),
      );
    }
    if (options.models && !options.models.includes(chat.model)) {
      record.outcome = 'rejected';
      return send(
        response,
        404,
        errorBody(
          'invalid_request_error',
          'model_not_found',
          `The model \`${chat.model}\` does not exist or you do not have access to it.`,
        ),
      );
    }
    const turn = nextTurn(record);
    if (!turn) {
      record.outcome = 'http-error';
      // Nothing scripted: fail fast rather than have the SDK retry.
      return send(
        response,
        500,
        errorBody('server_error', null, 'Nothing is scripted for this request'),
        { 'x-should-retry': 'false' },
      );
    }
    await wait(turn.delay?.firstByteMs, signal);
    if (signal.aborted) return;
    if (turn.kind === 'http-error') return httpError(response, record, turn);
    const promptTokens = estimateTokens(
      JSON.stringify([
        (record.body as { messages?: unknown }).messages,
        (record.body as { tools?: unknown }).tools ?? [],
      ]),
    );
    const reply = isReply(turn) ? turn : turn.reply;
    const fault = isReply(turn) ? undefined : turn;
    if (!chat.stream) {
      if (fault)
        return httpError(response, record, {
          kind: 'http-error',
          status: 500,
          type: 'server_error',
          code: null,
          message: 'Scripted fault on a non-streaming request',
        });
      const resolved = resolveReply(reply, chat.model, promptTokens);
      record.usage = resolved.usage;
      record.outcome = 'completed';
      return send(response, 200, JSON.stringify(completion(resolved)));
    }
    await stream(response, record, reply, chat, promptTokens, fault, signal);
  }

  function httpError(
    response: ServerResponse,
    record: RecordedRequest,
    fault: HttpErrorFault,
  ): void {
    record.outcome = 'http-error';
    send(response, fault.status, errorBody(fault.type, fault.code, fault.message), {
      ...fault.headers,
    });
  }

  const http = createServer((request, response) => {
    const closed = new AbortController();
    const signal = AbortSignal.any([closed.signal, shutdown.signal]);
    void (async () => {
      const raw = await readBody(request);
      const url = new URL(request.url ?? '/', 'http://localhost');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers))
        headers[name] = name === 'authorization' ? '[redacted]' : String(value);
      let body: unknown;
      try {
        body = raw === undefined ? undefined : JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const record: RecordedRequest = {
        index: requests.length,
        method: request.method ?? '',
        path: url.pathname,
        headers,
        body,
        status: undefined,
        usage: undefined,
        outcome: 'pending',
      };
      requests.push(record);
      response.on('finish', () => (record.status = response.statusCode));
      response.on('close', () => {
        if (
          record.outcome === 'pending' ||
          (record.outcome === 'stalled' && !shutdown.signal.aborted)
        )
          record.outcome = 'client-closed';
        closed.abort();
      });
      if (raw === undefined)
        return send(response, 413, errorBody('invalid_request_error', null, 'Request too large'));
      if (request.headers.authorization !== `Bearer ${apiKey}`) {
        record.outcome = 'rejected';
        return send(
          response,
          401,
          errorBody('invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.'),
        );
      }
      if (request.method === 'GET' && url.pathname === '/v1/models') {
        const data = (options.models ?? ['gpt-4.1', 'gpt-4.1-mini']).map((id) => ({
          id,
          object: 'model',
          created: 0,
          owned_by: 'openai-server',
        }));
        return send(response, 200, JSON.stringify({ object: 'list', data }));
      }
      if (request.method === 'POST' && url.pathname === '/v1/chat/completions') {
        if (body === undefined) {
          record.outcome = 'rejected';
          return send(
            response,
            400,
            errorBody(
              'invalid_request_error',
              null,
              'We could not parse the JSON body of your request.',
            ),
          );
        }
        return chatCompletions(response, record, signal);
      }
      record.outcome = 'rejected';
      send(
        response,
        404,
        errorBody(
          'invalid_request_error',
          'unknown_url',
          `Unknown request URL: ${request.method} ${url.pathname}.`,
        ),
      );
    })().catch((error: unknown) => {
      if (!response.headersSent)
        send(response, 500, errorBody('server_error', null, String(error)));
      else response.destroy();
    });
  });
  http.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    get chatRequests() {
      return requests.filter((r) => r.path === '/v1/chat/completions');
    },
    get pendingTurns() {
      return queue.reduce((sum, q) => sum + q.remaining, 0);
    },
    enqueue,
    setHandler: (next) => (handler = next),
    close: async () => {
      shutdown.abort();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
