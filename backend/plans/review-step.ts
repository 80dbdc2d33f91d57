/**
 * The review between a task's gates and the merge queue: as many reviewer
 * passes as the task's size asks (plan-talk.ts), each a verdict through
 * `submit_review`. An approval moves on; a request for changes goes back
 * to the task's builder with the findings, for a bounded number of rounds,
 * after which (or when the reviewer gives no verdict) the task needs the
 * user. A reviewer stopped from its panel leaves the task to the user with
 * its work kept on its branch; a retry goes back to the same builder, then
 * to review. Every pass is kept as evidence on the task, findings included.
 */
import type { PlanTask } from '../protocol/payloads/plans.ts';
import { changeRounds, reviewPasses, talkSettings } from './plan-talk.ts';
import type { EvidenceKind, PlanRecord, PlanStore, TaskProgress } from './plan-store.ts';
import type { PlanPorts } from './ports.ts';
import { findingsText } from './review-verdict.ts';

/** How a task's reason starts while a reviewer is at work on it. */
export const IN_REVIEW = 'In review';

export interface ReviewStepContext {
  store: PlanStore;
  plan: PlanRecord;
  ports: PlanPorts;
  task: PlanTask;
  /** The task after its gates passed, its branch set. */
  progress: TaskProgress;
  /** The plan's integration branch: the diff is the task's branch against it. */
  base: string;
  signal: AbortSignal;
  save(p: TaskProgress, kind?: EvidenceKind, data?: Record<string, unknown>): void;
}

/**
 * Reviews the task's work; resolves to the progress to queue for merging,
 * or null when the task went back to its builder or to the user (saved).
 */
export async function reviewStep(ctx: ReviewStepContext): Promise<TaskProgress | null> {
  const { store, plan, task, signal } = ctx;
  const evidence = store.evidence(plan.id);
  const settings = talkSettings(evidence);
  const passes = reviewPasses(task, settings);
  const review = ctx.ports.review?.bind(ctx.ports);
  if (passes === 0 || !review) return ctx.progress;
  const round = changeRounds(evidence, task.id) + 1;
  let p = ctx.progress;
  for (let pass = 1; pass <= passes; pass++) {
    p = { ...p, reason: `${IN_REVIEW}: round ${round}, pass ${pass} of ${passes}` };
    ctx.save(p);
    const out = await review(
      {
        planId: plan.id,
        task,
        branch: p.branch as string,
        base: ctx.base,
        model: settings.reviewerModel,
        round,
        pass,
      },
      signal,
    );
    signal.throwIfAborted();
    p = { ...p, spentUsd: p.spentUsd + out.costUsd };
    const verdict = out.verdict;
    const data = {
      round,
      pass,
      verdict: verdict?.verdict ?? null,
      summary: verdict?.summary ?? out.failure ?? 'No verdict',
      findings: verdict?.findings ?? [],
      risks: verdict?.risks ?? [],
      model: out.model,
      costUsd: out.costUsd,
    };
    if (!verdict) {
      const next = out.stopped
        ? // Nothing is lost: the work stays on its branch, and a retry takes it back to the same builder, then to review again.
          needsUser(
            p,
            `The reviewer was stopped before its verdict (${data.summary}); the work is kept on ${p.branch}: retry the task to have it reviewed again, or skip it`,
            p.feedback ?? STOPPED_REVIEW_FEEDBACK,
          )
        : needsUser(p, `The reviewer gave no verdict: ${data.summary}`, p.feedback);
      ctx.save(next, 'review', data);
      return null;
    }
    if (verdict.verdict === 'request_changes') {
      const feedback = findingsText(verdict);
      const next =
        round > settings.reviewRounds
          ? needsUser(
              p,
              `The reviewer still requests changes after ${settings.reviewRounds} round(s)`,
              feedback,
            )
          : {
              ...p,
              state: 'waiting' as const,
              feedback,
              reason: `The reviewer requested changes (round ${round} of ${settings.reviewRounds})`,
            };
      ctx.save(next, 'review', data);
      return null;
    }
    p = { ...p, reason: null };
    ctx.save(p, 'review', data);
  }
  return p;
}

/** What the builder is told when the user retries a task whose review was stopped. */
const STOPPED_REVIEW_FEEDBACK =
  'Your work passed the gates but its review was stopped. Check it once more against the acceptance criteria, commit, and finish.';

function needsUser(p: TaskProgress, reason: string, feedback: string | null): TaskProgress {
  return { ...p, state: 'needs_user', level: 'user', levelAttempts: 0, feedback, reason };
}
