/**
 * What the backend says while it lands an agent's work: each step, the
 * output of the gates (the repository's checks) as it comes, and each gate's
 * end. zod/mini only: the browser loads this file (see events.ts).
 */
import * as z from 'zod/mini';

export const landingEventSchemas = {
  /** A step of a landing (or of a worktree setup): merge, gates, setup, land. */
  'landing.progress': z.object({
    runId: z.string(),
    agentId: z.string(),
    step: z.string(),
    message: z.string(),
  }),
  /** Output of a gate or setup command, as it comes. */
  'landing.output': z.object({
    runId: z.string(),
    agentId: z.string(),
    gate: z.string(),
    data: z.string(),
  }),
  /** A gate ended. */
  'landing.gate': z.object({
    runId: z.string(),
    agentId: z.string(),
    gate: z.string(),
    status: z.enum(['passed', 'failed', 'timed_out']),
    exitCode: z.nullable(z.number()),
    durationMs: z.number(),
  }),
  /** Work landed on a branch; also when a worktree or branch was cleaned up. */
  'landing.landed': z.object({ agentId: z.string(), target: z.string(), commit: z.string() }),
  'landing.worktrees': z.object({ count: z.number() }),
};
