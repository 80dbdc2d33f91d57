/**
 * How the pipeline combines hooks' answers (see pipeline.ts): what every
 * event collects ({@link Common}), and the PreToolUse decision
 * ({@link combineDecisions}): a deny beats an ask beats an allow, except that
 * a hook's allow lifts asks that are not firm, as Claude Code's
 * `permissionDecision: "allow"` skips its own permission prompt but not a
 * permission rule's ask.
 */
import type { HookMessage, HookStop, PermissionDecision } from './types.ts';

const RANK: Record<PermissionDecision, number> = { allow: 0, ask: 1, deny: 2 };

/** Collects what every event's result has in common. */
export class Common {
  stop: HookStop | undefined;
  readonly systemMessages: HookMessage[] = [];
  readonly additionalContext: string[] = [];

  take(
    hook: string,
    outcome: { stop?: string; systemMessage?: string; additionalContext?: string },
  ): void {
    if (outcome.stop !== undefined && this.stop === undefined)
      this.stop = { hook, reason: outcome.stop };
    if (outcome.systemMessage) this.systemMessages.push({ hook, text: outcome.systemMessage });
    if (outcome.additionalContext) this.additionalContext.push(outcome.additionalContext);
  }

  result(): {
    stop: HookStop | undefined;
    systemMessages: HookMessage[];
    additionalContext: string[];
  } {
    return {
      stop: this.stop,
      systemMessages: this.systemMessages,
      additionalContext: this.additionalContext,
    };
  }
}

/** One hook's PreToolUse decision. */
export interface HookDecision {
  readonly hook: string;
  readonly decision: PermissionDecision;
  readonly reason: string | undefined;
  /** An ask another hook's allow cannot lift. */
  readonly firm?: boolean;
}

export interface CombinedDecision {
  readonly decision: PermissionDecision;
  readonly reason: string | undefined;
  readonly decidedBy: string[];
  /** The asks a hook's allow lifted, joined. */
  readonly liftedAsk?: string;
}

function joined(decisions: readonly HookDecision[]): string | undefined {
  const reasons = decisions.flatMap((d) => (d.reason ? [d.reason] : []));
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

/** The combined decision of `decisions` (no decision is an allow). */
export function combineDecisions(decisions: readonly HookDecision[]): CombinedDecision {
  const decision = decisions.reduce<PermissionDecision>(
    (worst, d) => (RANK[d.decision] > RANK[worst] ? d.decision : worst),
    'allow',
  );
  const asks = decisions.filter((d) => d.decision === 'ask');
  const allows = decisions.filter((d) => d.decision === 'allow');
  if (decision === 'ask' && allows.length > 0 && asks.every((d) => d.firm !== true)) {
    return {
      decision: 'allow',
      reason: joined(allows),
      decidedBy: allows.map((d) => d.hook),
      liftedAsk: joined(asks) ?? 'approval',
    };
  }
  const winners = decisions.filter((d) => d.decision === decision);
  return { decision, reason: joined(winners), decidedBy: winners.map((d) => d.hook) };
}
