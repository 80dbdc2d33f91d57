/**
 * The host channel: every message between the desktop app's main process and
 * the backend process, defined once with runtime validation. Each side checks
 * what it receives (see endpoint.ts), so a bug on one side shows up as a
 * clear error on the other, not as a silent misroute.
 *
 * Two kinds of traffic share the port:
 * - the typed protocol, relayed per renderer connection: `connect`,
 *   `receive` and `disconnect` go to the backend; `send` (a server message's
 *   JSON) and `output` (terminal output as bytes) come back;
 * - host requests, each answered by one `reply`: what the main process asks of
 *   the backend (start, busy agents, shutdown) and what the backend needs of
 *   the main process (the folder picker, the keychain), plus `notify`.
 */
import { z } from 'zod';
import { MAX_INBOUND_MESSAGE_BYTES } from '../protocol/envelope.ts';

/** Longest backend-side busy loop a test may ask for: long enough to measure, short enough not to hang a run. */
export const MAX_TEST_BLOCK_MS = 30_000;

/** A renderer, by the main process's id for it (its WebContents id). */
const ConnectionId = z.number().int().nonnegative();
const Empty = z.strictObject({});

export interface RequestSpec<P extends z.ZodType, R extends z.ZodType> {
  readonly params: P;
  readonly result: R;
}
export type RequestTable = Record<string, RequestSpec<z.ZodType, z.ZodType>>;

const spec = <P extends z.ZodType, R extends z.ZodType>(
  params: P,
  result: R,
): RequestSpec<P, R> => ({
  params,
  result,
});

/** Whose key: Anthropic's (the default) or the OpenAI-compatible provider's. */
const KeyProvider = z.enum(['anthropic', 'openai']);

/** What the main process asks of the backend process. */
export const backendRequests = {
  /** Starts the backend; the first request, answered when it is ready. */
  start: spec(
    z.strictObject({
      dataDir: z.string().min(1),
      /** The key from the keychain (or the environment); it is never logged or stored by the backend. */
      apiKey: z.string().min(1).max(512).nullable(),
      /** The OpenAI-compatible provider's key, kept the same way. */
      openaiApiKey: z.string().min(1).max(512).nullable().optional(),
      /** Whether `apiKey.set` / `apiKey.clear` may be asked of the main process. */
      keychain: z.boolean(),
      /** Whether `pickFolder` may be asked of the main process. */
      folderPicker: z.boolean(),
    }),
    Empty,
  ),
  /** Agents running or waiting for the user: what a quit must ask about. */
  busyAgents: spec(Empty, z.strictObject({ count: z.number().int().nonnegative() })),
  /** Branches holding work not landed anywhere, one line each with where: what a quit should say. */
  unlandedWork: spec(Empty, z.strictObject({ lines: z.array(z.string().max(8192)).max(1000) })),
  /** Stops agents, ends PTYs and closes the database; answered once all of it is done. */
  shutdown: spec(Empty, Empty),
  /**
   * Test hook: answers, then keeps the backend's event loop busy for `ms`,
   * as a stalled PTY read or a runaway regex would. Refused unless the
   * backend process runs with `TROIKA_TEST_HOOKS=1`.
   */
  'test.block': spec(
    z.strictObject({ ms: z.number().int().positive().max(MAX_TEST_BLOCK_MS) }),
    Empty,
  ),
} satisfies RequestTable;

/** What the backend process asks of the main process. */
export const mainRequests = {
  /** The native folder picker; `path` is null when the user cancels. */
  pickFolder: spec(
    z.strictObject({ title: z.string().max(200).optional() }),
    z.strictObject({ path: z.string().nullable() }),
  ),
  /** Stores the key in the OS keychain; fails with a message for the user. */
  'apiKey.set': spec(
    z.strictObject({ key: z.string().min(1).max(512), provider: KeyProvider.optional() }),
    Empty,
  ),
  'apiKey.clear': spec(z.strictObject({ provider: KeyProvider.optional() }), Empty),
} satisfies RequestTable;

export type BackendRequests = typeof backendRequests;
export type MainRequests = typeof mainRequests;
export type ParamsOf<T extends RequestTable, M extends keyof T> = z.input<T[M]['params']>;
export type ResultOf<T extends RequestTable, M extends keyof T> = z.output<T[M]['result']>;

const requestOf = (methods: RequestTable) =>
  z.strictObject({
    type: z.literal('request'),
    id: z.number().int().nonnegative(),
    method: z.enum(Object.keys(methods) as [string, ...string[]]),
    params: z.unknown(),
  });

const Reply = z.discriminatedUnion('ok', [
  z.strictObject({
    type: z.literal('reply'),
    id: z.number().int().nonnegative(),
    ok: z.literal(true),
    result: z.unknown(),
  }),
  z.strictObject({
    type: z.literal('reply'),
    id: z.number().int().nonnegative(),
    ok: z.literal(false),
    error: z.string(),
  }),
]);
export type Reply = z.infer<typeof Reply>;

/** Terminal output for one renderer, as the process wrote it. */
const OutputFrame = z.strictObject({
  id: z.string().min(1).max(255),
  seq: z.number().int().nonnegative(),
  bytes: z.instanceof(Uint8Array),
});

/** A desktop notification the backend asks for (see notifications.ts for which). */
export const Notify = z.strictObject({
  type: z.literal('notify'),
  title: z.string().max(200),
  body: z.string().max(400),
  urgent: z.boolean(),
});

/** Everything the backend process accepts. */
export const ToBackend = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('connect'), connection: ConnectionId }),
  z.strictObject({
    type: z.literal('receive'),
    connection: ConnectionId,
    // The protocol's own limit is enforced (with an error reply) by the backend's Connection; this bounds the port.
    message: z.string().max(4 * MAX_INBOUND_MESSAGE_BYTES),
  }),
  z.strictObject({ type: z.literal('disconnect'), connection: ConnectionId }),
  requestOf(backendRequests),
  Reply,
]);
export type ToBackend = z.infer<typeof ToBackend>;

/** Everything the main process accepts from the backend process. */
export const ToMain = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('send'), connection: ConnectionId, message: z.string() }),
  z.strictObject({ type: z.literal('output'), connection: ConnectionId, frame: OutputFrame }),
  Notify,
  requestOf(mainRequests),
  Reply,
]);
export type ToMain = z.infer<typeof ToMain>;
