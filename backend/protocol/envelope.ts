/**
 * The wire envelope shared by both transports (WebSocket, Electron IPC).
 *
 * Client → server: requests. Server → client: responses (one per request) and
 * events (a stream). Every inbound message is validated here at runtime; the
 * payload of a request is then validated by its method's own schema.
 */
import { z } from 'zod';

/** Largest inbound message accepted; a terminal paste or a steer message fits easily, a runaway client does not. */
export const MAX_INBOUND_MESSAGE_BYTES = 1024 * 1024;

export const RequestEnvelope = z.strictObject({
  type: z.literal('request'),
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(100),
  params: z.unknown().optional(),
});
export type RequestEnvelope = z.infer<typeof RequestEnvelope>;

/** Why a request failed, machine-readable; `message` says it for a person. */
export const ERROR_CODES = [
  'bad_json',
  'bad_message',
  'too_large',
  'unknown_method',
  'invalid_params',
  'not_found',
  'conflict',
  'limit_reached',
  'failed',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ProtocolErrorBody {
  code: ErrorCode;
  message: string;
}

export type ResponseEnvelope =
  | { type: 'response'; id: number; ok: true; result: unknown }
  /** `id` is null when the request was too broken to carry one. */
  | { type: 'response'; id: number | null; ok: false; error: ProtocolErrorBody };

export interface EventEnvelope {
  type: 'event';
  event: string;
  data: unknown;
}

export type ServerMessage = ResponseEnvelope | EventEnvelope;

/** Thrown by a handler to answer with a specific error code. */
export class ProtocolError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
  }
}
