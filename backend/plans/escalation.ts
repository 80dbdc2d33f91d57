/**
 * What happens after a failed attempt (a failing gate, a merge conflict, an
 * agent that gave up): the same agent tries again with the output, up to
 * `maxAttempts`; then the plan's stronger model; then the user. The seed
 * plan's three levels, as one pure function the scheduler and its tests
 * share.
 */
import type { EscalationLevel, PlanTask } from '../protocol/payloads/plans.ts';
import type { TaskProgress } from './plan-store.ts';

export interface EscalationPolicy {
  maxAttempts: number;
  strongerModel: string | null;
  /** Attempts the stronger model gets before the user is asked. */
  strongerAttempts: number;
  /** Attempts after the user sends a task back. */
  userAttempts: number;
}

export const DEFAULT_MAX_ATTEMPTS = 3;

/** The progress after a failure; `escalatedTo` is set when the level changed. */
export function afterFailure(
  progress: TaskProgress,
  policy: EscalationPolicy,
  reason: string,
  feedback: string,
): { progress: TaskProgress; escalatedTo: EscalationLevel | null } {
  const retry = { ...progress, state: 'waiting' as const, feedback, reason };
  if (progress.levelAttempts < allowed(progress.level, policy)) {
    return { progress: retry, escalatedTo: null };
  }
  if (progress.level === 'retry' && policy.strongerModel !== null && policy.strongerAttempts > 0) {
    return { progress: { ...retry, level: 'stronger', levelAttempts: 0 }, escalatedTo: 'stronger' };
  }
  return {
    progress: {
      ...progress,
      state: 'needs_user',
      level: 'user',
      levelAttempts: 0,
      feedback,
      reason,
    },
    escalatedTo: progress.level === 'user' ? null : 'user',
  };
}

/** How many attempts a level gets; a task at the user's level runs only when the user sent it back. */
function allowed(level: EscalationLevel, policy: EscalationPolicy): number {
  if (level === 'retry') return policy.maxAttempts;
  if (level === 'stronger') return policy.strongerAttempts;
  return policy.userAttempts;
}

/** The model of the next attempt: the task's (or the plan's) first, the stronger one after escalating. */
export function modelFor(
  task: PlanTask,
  level: EscalationLevel,
  plan: { model: string; strongerModel: string | null },
): string {
  if (level === 'retry') return task.model ?? plan.model;
  return plan.strongerModel ?? task.model ?? plan.model;
}
