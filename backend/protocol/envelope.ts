/**
 * The wire envelope shared by both transports (WebSocket, Electron IPC).
 *
 * Client → server: requests. Server → client: responses (one per request) and
 * events (a stream). Every message is validated at runtime by whoever
 * receives it: requests here (the payload of a request then by its method's
 * own schema), server messages by the renderer against
 * payloads/server-message.ts and payloads/events.ts.
 */
import { z } from 'zod';
import type { ErrorCode } from './payloads/server-message.ts';

/** Largest inbound message accepted; a terminal paste or a steer message fits easily, a runaway client does not. */
export const MAX_INBOUND_MESSAGE_BYTES = 1024 * 1024;

export const RequestEnvelope = z.strictObject({
  type: z.literal('request'),
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(100),
  params: z.unknown().optional(),
});
export type RequestEnvelope = z.infer<typeof RequestEnvelope>;

// What the server sends is defined as schemas the browser loads too (zod/mini).
export {
  ERROR_CODES,
  type ErrorCode,
  type EventEnvelope,
  type ProtocolErrorBody,
  type ResponseEnvelope,
  type ServerMessage,
} from './payloads/server-message.ts';
/** Thrown by a handler to answer with a specific error code. */
export class ProtocolError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
  }
}
