/**
 * What the backend says about terminal sessions (event payloads, and the
 * session info its answers carry), as schemas: the one definition of these
 * shapes, checked by the renderer on the way in. zod/mini only: the browser
 * loads this file (see events.ts).
 */
import * as z from 'zod/mini';

/** Who a session belongs to: a user's shell, or an agent's terminal. */
const PtyKindSchema = z.enum(['shell', 'agent']);
export type PtyKind = z.infer<typeof PtyKindSchema>;

/** What the backend tells about one session. */
export const PtySessionInfoSchema = z.object({
  id: z.string(),
  /** Display name, e.g. "Shell 2". */
  name: z.string(),
  kind: PtyKindSchema,
  pid: z.number(),
  /** The program the session started (the shell). */
  shell: z.string(),
  cwd: z.string(),
  cols: z.number(),
  rows: z.number(),
  /** The foreground process's name, where the OS tells it. */
  title: z.string(),
  alive: z.boolean(),
  /** Set once the process has exited. */
  exitCode: z.nullable(z.number()),
  /** The signal that ended the process, e.g. "SIGKILL", if one did. */
  signal: z.nullable(z.string()),
});
export type PtySessionInfo = z.infer<typeof PtySessionInfoSchema>;

export const ptyEventSchemas = {
  /** A session started (by a user or by an agent). */
  'pty.opened': PtySessionInfoSchema,
  /**
   * Output: `data` is the chunk's text (a character split across chunks
   * appears whole in the later one), `seq` the stream position in bytes after
   * the chunk. A transport that carries bytes sends the chunk's raw bytes.
   */
  'pty.data': z.object({ id: z.string(), data: z.string(), seq: z.number() }),
  /** The process ended; sent after its last output. */
  'pty.exit': z.object({ id: z.string(), exitCode: z.number(), signal: z.nullable(z.string()) }),
  /** The session was closed and forgotten. */
  'pty.closed': z.object({ id: z.string() }),
};

export type PtyEvents = {
  [E in keyof typeof ptyEventSchemas]: z.infer<(typeof ptyEventSchemas)[E]>;
};
