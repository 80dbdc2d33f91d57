/**
 * A plan's talk between agents, kept as its evidence (append-only, written
 * with the task's progress): its settings (the latest `settings` control
 * entry wins over the defaults), every review pass, and every hop of a
 * builder's question. The plan view reads them back from here.
 */
import type {
  PlanTalk,
  PlanTalkSettings,
  QuestionHop,
  TaskReview,
} from '../protocol/payloads/plan-talk.ts';
import type { PlanTask } from '../protocol/payloads/plans.ts';
import type { Evidence, PlanStore } from './plan-store.ts';

/** Issue 17's defaults: no review for XS/S, one pass for M/L, a second for XL; two rounds; two hops; five minutes. */
export const DEFAULT_TALK_SETTINGS: PlanTalkSettings = {
  reviewPasses: { XS: 0, S: 0, M: 1, L: 1, XL: 2 },
  reviewTasks: [],
  reviewRounds: 2,
  questionHops: 2,
  questionTimeoutSeconds: 300,
  reviewerModel: 'reviewer',
  plannerModel: 'architect',
};

export type TalkSettingsChange = Partial<Omit<PlanTalkSettings, 'reviewPasses'>> & {
  reviewPasses?: Partial<PlanTalkSettings['reviewPasses']>;
};

export function talkSettings(evidence: readonly Evidence[]): PlanTalkSettings {
  let settings = DEFAULT_TALK_SETTINGS;
  for (const e of evidence) {
    if (e.kind === 'control' && e.data['event'] === 'settings')
      settings = merged(settings, e.data['talk'] as TalkSettingsChange);
  }
  return settings;
}

function merged(base: PlanTalkSettings, change: TalkSettingsChange): PlanTalkSettings {
  return { ...base, ...change, reviewPasses: { ...base.reviewPasses, ...change.reviewPasses } };
}

/** Records a change of the plan's talk settings; returns the settings in force after it. */
export function setTalkSettings(
  store: PlanStore,
  planId: string,
  change: TalkSettingsChange,
): PlanTalkSettings {
  store.appendControl(planId, { event: 'settings', talk: change });
  return talkSettings(store.evidence(planId));
}

/** Reviewer passes `task` gets under `settings`. */
export function reviewPasses(task: PlanTask, settings: PlanTalkSettings): number {
  const bySize = settings.reviewPasses[task.size];
  return settings.reviewTasks.includes(task.id) ? Math.max(1, bySize) : bySize;
}

export function taskReviews(evidence: readonly Evidence[], taskId?: string): TaskReview[] {
  return evidence
    .filter((e) => e.kind === 'review' && e.taskId !== null && (!taskId || e.taskId === taskId))
    .map((e) => ({
      ...(e.data as Omit<TaskReview, 'taskId' | 'at'>),
      taskId: e.taskId as string,
      at: e.createdAt,
    }));
}

export function questionHops(evidence: readonly Evidence[], taskId?: string): QuestionHop[] {
  return evidence
    .filter((e) => e.kind === 'question' && e.taskId !== null && (!taskId || e.taskId === taskId))
    .map((e) => ({
      ...(e.data as Omit<QuestionHop, 'taskId' | 'at'>),
      taskId: e.taskId as string,
      at: e.createdAt,
    }));
}

/**
 * Requests for changes since the user last sent the task back: the rounds
 * the builder has had, bounded by the settings.
 */
export function changeRounds(evidence: readonly Evidence[], taskId: string): number {
  let rounds = 0;
  for (const e of evidence) {
    if (e.taskId !== taskId) continue;
    if (e.kind === 'control' && e.data['event'] === 'retry') rounds = 0;
    if (e.kind === 'review' && e.data['verdict'] === 'request_changes') rounds++;
  }
  return rounds;
}

export function planTalk(store: PlanStore, planId: string): PlanTalk {
  const evidence = store.evidence(planId);
  return {
    settings: talkSettings(evidence),
    reviews: taskReviews(evidence),
    questions: questionHops(evidence),
  };
}
