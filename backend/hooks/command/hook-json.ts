/**
 * The JSON a command hook may print on stdout, read as Claude Code documents
 * it, for every event: the common fields (`continue`, `stopReason`,
 * `suppressOutput`, `systemMessage`), the older top-level `decision` /
 * `reason`, and `hookSpecificOutput` with PreToolUse's `permissionDecision`
 * (allow / deny / ask / defer), `permissionDecisionReason` and
 * `updatedInput`, PermissionRequest's `decision` (`behavior` allow / deny,
 * `message`, `updatedInput`, `interrupt`), and `additionalContext`
 * (UserPromptSubmit, PostToolUse, SessionStart). Unknown fields pass, so a
 * script written for a newer Claude Code still loads; a known field of the
 * wrong type is an error naming it.
 *
 * `suppressOutput` hides a hook's stdout from Claude Code's transcript view;
 * Troika never shows a hook's stdout to the person (only `systemMessage`), so
 * it is accepted and has nothing more to hide.
 */
import { z } from 'zod';
import { HookError } from '../hook.ts';

const HookJsonSchema = z.looseObject({
  continue: z.boolean().optional(),
  stopReason: z.string().optional(),
  suppressOutput: z.boolean().optional(),
  systemMessage: z.string().optional(),
  decision: z.enum(['approve', 'block']).optional(),
  reason: z.string().optional(),
  hookSpecificOutput: z
    .looseObject({
      hookEventName: z.string().optional(),
      permissionDecision: z.enum(['allow', 'deny', 'ask', 'defer']).optional(),
      permissionDecisionReason: z.string().optional(),
      updatedInput: z.record(z.string(), z.unknown()).optional(),
      additionalContext: z.string().optional(),
      decision: z
        .looseObject({
          behavior: z.enum(['allow', 'deny']),
          message: z.string().optional(),
          updatedInput: z.record(z.string(), z.unknown()).optional(),
          interrupt: z.boolean().optional(),
        })
        .optional(),
    })
    .optional(),
});
export type HookJson = z.output<typeof HookJsonSchema>;

function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
    .join('')
    .replace(/^\./, '');
}

/**
 * Read `stdout` (an object, already trimmed) as a hook's answer to `event`.
 * @throws {HookError} `invalid-output` for text that is not JSON, a field of the wrong type, or an answer meant for another event.
 */
export function parseHookJson(stdout: string, event: string): HookJson {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch (error) {
    throw new HookError(
      'invalid-output',
      `printed invalid JSON on stdout (${(error as Error).message})`,
    );
  }
  const parsed = HookJsonSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HookError(
      'invalid-output',
      `printed JSON with a bad field: ${fieldPath(issue?.path ?? [])}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const named = parsed.data.hookSpecificOutput?.hookEventName;
  if (named !== undefined && named !== event) {
    throw new HookError(
      'invalid-output',
      `answered hookSpecificOutput for ${named} to a ${event} event`,
    );
  }
  return parsed.data;
}
