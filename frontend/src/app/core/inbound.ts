/**
 * The renderer's border check: every message from the backend is parsed and
 * checked against the protocol's own schemas (backend/protocol/payloads/,
 * zod/mini so the bundle stays small) before anything acts on it. A message
 * that fails is dropped with a warning naming its kind and what was wrong,
 * so a backend bug shows as a clear line in the console rather than as a
 * view that breaks later on an `undefined`.
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { eventSchemas } from '../../../../backend/protocol/payloads/events.ts';
import {
  ServerMessageSchema,
  type ServerMessage,
} from '../../../../backend/protocol/payloads/server-message.ts';

// The page's Content-Security-Policy allows no eval: zod must not even probe
// `new Function` (the caught probe still reports a CSP violation). English
// messages make the warnings readable (zod/mini loads no locale by itself).
z.config({ ...en(), jitless: true });

export type Warn = (message: string) => void;

/**
 * The checked message, or undefined when it was malformed (then `warn` was
 * told why). An event's `data` is its schema's output: fields its schema
 * does not know are left out.
 */
export function checkServerMessage(
  raw: string,
  warn: Warn = (message) => console.warn(message),
): ServerMessage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    warn(`Dropped a message from the backend: not JSON (${raw.slice(0, 80)})`);
    return undefined;
  }
  const envelope = ServerMessageSchema.safeParse(json);
  if (!envelope.success) {
    warn(`Dropped a malformed ${kindOf(json)} from the backend: ${describe(envelope.error)}`);
    return undefined;
  }
  const message = envelope.data;
  if (message.type !== 'event') return message;
  if (!Object.hasOwn(eventSchemas, message.event)) {
    warn(`Dropped event "${message.event}" from the backend: no such event`);
    return undefined;
  }
  const schema = eventSchemas[message.event as keyof typeof eventSchemas];
  const data = schema.safeParse(message.data);
  if (!data.success) {
    warn(`Dropped a malformed event "${message.event}" from the backend: ${describe(data.error)}`);
    return undefined;
  }
  return { ...message, data: data.data };
}

/** What the message says it is, for the warning: `event "agent.state"`, `response #4`, or `message`. */
function kindOf(json: unknown): string {
  if (typeof json !== 'object' || json === null) return 'message';
  const { type, event, id } = json as Record<string, unknown>;
  if (type === 'event' && typeof event === 'string') return `event "${event}"`;
  if (type === 'response') return typeof id === 'number' ? `response #${id}` : 'response';
  return 'message';
}

/** Each problem as `path: what was wrong`, the first few only. */
function describe(error: z.core.$ZodError): string {
  const issues = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.map(String).join('.');
    return `${path || '(root)'}: ${issue.message}`;
  });
  const more = error.issues.length - issues.length;
  return issues.join('; ') + (more > 0 ? ` (and ${more} more)` : '');
}

/**
 * A method's answer checked against its schema, for the views whose answers
 * have one (payloads/plans.ts): a malformed answer throws an error naming
 * the method and what was wrong, which the view shows, instead of breaking
 * later on a missing field.
 */
export function checkResult<S extends z.ZodMiniType>(
  method: string,
  schema: S,
  value: unknown,
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new Error(`The backend's answer to "${method}" was malformed: ${describe(result.error)}`);
  }
  return result.data;
}
