/**
 * The order hooks run in, the same for every event:
 *
 *   policy → the user's command hooks → redaction → persona → cache → clearing → audit
 *
 * Why this order:
 * - PreToolUse: the policy and the user's hooks decide and may rewrite the
 *   input; the persona's tool limits apply to the final input; the cache
 *   answers only a call nobody denied or changed after it; audit (an
 *   observer) records the combined decision.
 * - PostToolUse: the user's hooks see the tool's own result; redaction then
 *   hides secrets before the cache stores the result and audit sizes it.
 * - UserPromptSubmit: the user's hooks may refuse a message; redaction hides
 *   pasted secrets; the persona is chosen from what the model will read.
 * - Stop: the user's hooks, then audit.
 * - ModelRequest: the persona block, then clearing older tool results from
 *   what the request sends.
 */
import type { Hook } from './hook.ts';

export interface AgentHookSet {
  /** The approval policy (builtin/policy/). */
  readonly policy?: Hook;
  /** The user's command hooks, in settings order. */
  readonly commands?: readonly Hook[];
  readonly redaction?: Hook;
  readonly persona?: Hook;
  readonly cache?: Hook;
  readonly clearing?: Hook;
  readonly audit?: Hook;
}

/** The hooks of `set` in the documented order, absent ones left out. */
export function orderHooks(set: AgentHookSet): Hook[] {
  const ordered: Array<Hook | undefined> = [
    set.policy,
    ...(set.commands ?? []),
    set.redaction,
    set.persona,
    set.cache,
    set.clearing,
    set.audit,
  ];
  return ordered.filter((hook): hook is Hook => hook !== undefined);
}
