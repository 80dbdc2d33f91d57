/**
 * Writes one answer to the wire: a JSON Message, an SSE stream, an error body,
 * or a fault (an in-stream error, a cut, a stall), honouring the scripted delays
 * and stopping as soon as the client or the server gives up.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorBody, STATUS_FOR_ERROR_TYPE, type ApiErrorSpec } from './errors.ts';
import type { ApiMessage } from './reply.ts';
import { errorEvent, formatSseEvent, messageStreamEvents } from './sse.ts';
import type {
  CutFault,
  Delay,
  RecordedRequest,
  RequestOutcome,
  StallFault,
  StreamErrorFault,
} from './types.ts';

/** One request/response pair, and the signal that ends it early (client gone, server closing). */
export interface Exchange {
  readonly record: RecordedRequest;
  readonly response: ServerResponse;
  readonly requestId: string;
  readonly signal: AbortSignal;
}

export type MidStreamFault = StreamErrorFault | CutFault | StallFault;

export interface Answer {
  readonly message: ApiMessage;
  readonly delay: Delay;
  readonly fault: MidStreamFault | undefined;
  /** The response has begun (status sent): cache writes and input usage count from here. */
  readonly onBegin: () => void;
  /** The message went out whole. */
  readonly onFinish: () => void;
}

function jsonHeaders(requestId: string): Record<string, string> {
  return { 'content-type': 'application/json', 'request-id': requestId };
}

export function sendJson(exchange: Exchange, status: number, value: unknown): void {
  exchange.record.status = status;
  exchange.response.writeHead(status, jsonHeaders(exchange.requestId)).end(JSON.stringify(value));
  if (exchange.record.outcome === 'pending') exchange.record.outcome = 'completed';
}

export function sendError(exchange: Exchange, spec: ApiErrorSpec, outcome: RequestOutcome): void {
  exchange.record.status = spec.status;
  exchange.record.outcome = outcome;
  exchange.response
    .writeHead(spec.status, { ...jsonHeaders(exchange.requestId), ...spec.headers })
    .end(JSON.stringify(errorBody(spec, exchange.requestId)));
}

/** `POST /v1/messages` without `stream`: one JSON body. */
export async function answerWithJson(exchange: Exchange, answer: Answer): Promise<void> {
  const { fault } = answer;
  if (!(await pause(answer.delay.firstByteMs, exchange.signal))) return;
  if (fault?.kind === 'stream-error') {
    // Without streaming, the same failure arrives as the HTTP status of its type.
    const spec = {
      status: STATUS_FOR_ERROR_TYPE[fault.errorType],
      type: fault.errorType,
      message: fault.message,
    };
    return sendError(exchange, spec, 'http-error');
  }
  if (fault && fault.afterEvents === 0) return breakOff(exchange, fault);
  const text = JSON.stringify(answer.message);
  if (fault) {
    // The status line and half the body, then nothing more.
    exchange.response.writeHead(200, jsonHeaders(exchange.requestId));
    await write(exchange, text.slice(0, Math.floor(text.length / 2)));
    return breakOff(exchange, fault);
  }
  answer.onBegin();
  sendJson(exchange, 200, answer.message);
  answer.onFinish();
}

/** `POST /v1/messages` with `stream: true`: the documented event sequence, or a fault partway. */
export async function answerWithStream(exchange: Exchange, answer: Answer): Promise<void> {
  const { fault, delay, signal } = { ...answer, signal: exchange.signal };
  if (!(await pause(delay.firstByteMs, signal))) return;
  const events = messageStreamEvents(answer.message);
  const stopAt = fault ? Math.min(fault.afterEvents, events.length) : events.length;
  if (fault && fault.kind !== 'stream-error' && stopAt === 0) return breakOff(exchange, fault);

  exchange.response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': exchange.requestId,
  });
  exchange.record.status = 200;
  answer.onBegin();
  for (let index = 0; index < stopAt; index++) {
    if (index > 0 && !(await pause(delay.betweenEventsMs, signal))) return;
    const event = events[index];
    if (!event || signal.aborted) return;
    await write(exchange, formatSseEvent(event));
  }
  if (!fault) {
    answer.onFinish();
    exchange.response.end();
    return;
  }
  if (fault.kind !== 'stream-error') return breakOff(exchange, fault);
  exchange.record.outcome = 'stream-error';
  await write(exchange, formatSseEvent(errorEvent(fault.errorType, fault.message)));
  exchange.response.end();
}

/** A cut destroys the socket now; a stall keeps it open and silent until someone gives up. */
async function breakOff(exchange: Exchange, fault: CutFault | StallFault): Promise<void> {
  if (fault.kind === 'cut') {
    exchange.record.outcome = 'cut';
    exchange.response.socket?.destroy();
    return;
  }
  exchange.record.outcome = 'stalled';
  await new Promise<void>((resolve) => {
    if (exchange.signal.aborted) resolve();
    else exchange.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  exchange.response.destroy();
}

/** Waits `ms` (if any); false when the exchange ended meanwhile. */
export async function pause(ms: number | undefined, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (!ms || ms <= 0) return true;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** Resolves once the chunk is handed to the socket (so a later cut never swallows it) or the exchange ends. */
function write(exchange: Exchange, chunk: string): Promise<void> {
  const { response, signal } = exchange;
  return new Promise((resolve) => {
    if (response.destroyed || signal.aborted) return resolve();
    const done = (): void => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    response.write(chunk, done);
  });
}
