/**
 * What the server sends a client: responses (one per request) and events (a
 * stream), as schemas the renderer checks every inbound message against.
 * The types are inferred from them. zod/mini only: see events.ts.
 */
import * as z from 'zod/mini';

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

const ProtocolErrorBodySchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });
export type ProtocolErrorBody = z.infer<typeof ProtocolErrorBodySchema>;

const RequestId = z.number().check(z.int(), z.nonnegative());

export const ResponseEnvelopeSchema = z.discriminatedUnion('ok', [
  z.object({
    type: z.literal('response'),
    id: RequestId,
    ok: z.literal(true),
    result: z.unknown(),
  }),
  /** `id` is null when the request was too broken to carry one. */
  z.object({
    type: z.literal('response'),
    id: z.nullable(RequestId),
    ok: z.literal(false),
    error: ProtocolErrorBodySchema,
  }),
]);
export type ResponseEnvelope = z.infer<typeof ResponseEnvelopeSchema>;

/** An event's envelope; its payload is checked by the event's own schema (events.ts). */
export const EventEnvelopeSchema = z.object({
  type: z.literal('event'),
  event: z.string(),
  data: z.unknown(),
});
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;

export const ServerMessageSchema = z.discriminatedUnion('type', [
  ResponseEnvelopeSchema,
  EventEnvelopeSchema,
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
