/**
 * What a plan's agents said to each other about a task, as the plan view
 * shows it: each review (its verdict, findings and risks) and each hop of a
 * builder's question (to the planner, back, or on to the user). zod/mini
 * only: the browser loads this file (see events.ts).
 */
import * as z from 'zod/mini';

export const REVIEW_VERDICTS = ['approve', 'request_changes'] as const;
export type ReviewVerdictKind = (typeof REVIEW_VERDICTS)[number];

export const FINDING_SEVERITIES = ['blocker', 'major', 'minor', 'nit'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

export const ReviewFindingSchema = z.object({
  file: z.string(),
  startLine: z.number(),
  endLine: z.number(),
  severity: z.enum(FINDING_SEVERITIES),
  claim: z.string(),
  evidence: z.string(),
  suggestedFix: z.string(),
});
export type ReviewFinding = z.infer<typeof ReviewFindingSchema>;

/** One reviewer pass over one version of a task's work. */
export const TaskReviewSchema = z.object({
  taskId: z.string(),
  /** Which version of the builder's work: 1 for the first reviewed, +1 after each request for changes. */
  round: z.number(),
  /** The pass within the round (an XL task gets a second pass). */
  pass: z.number(),
  /** Null when the reviewer gave no verdict (it failed or never called submit_review). */
  verdict: z.nullable(z.enum(REVIEW_VERDICTS)),
  summary: z.string(),
  findings: z.array(ReviewFindingSchema),
  risks: z.array(z.string()),
  model: z.string(),
  costUsd: z.number(),
  at: z.number(),
});
export type TaskReview = z.infer<typeof TaskReviewSchema>;

export const QUESTION_PARTIES = ['builder', 'planner', 'user'] as const;
export type QuestionParty = (typeof QUESTION_PARTIES)[number];

/** One hop of a question: from the builder to the planner, the planner's answer back, or on to the user. */
export const QuestionHopSchema = z.object({
  taskId: z.string(),
  /** 1 for the task's first question, +1 for each later one. */
  question: z.number(),
  from: z.enum(QUESTION_PARTIES),
  to: z.enum(QUESTION_PARTIES),
  /** The question as asked (on hops towards an answerer), or the answer (on hops back to the builder). */
  text: z.string(),
  /** Why it went where it went: the planner could not answer, the hop or time limit, … */
  reason: z.nullable(z.string()),
  at: z.number(),
});
export type QuestionHop = z.infer<typeof QuestionHopSchema>;

/** How a plan's agents talk: which tasks are reviewed, how many rounds, how far a question goes. */
export const PlanTalkSettingsSchema = z.object({
  /** Reviewer passes per task size: 0 none, 1 one, 2 a second pass after the first approves. */
  reviewPasses: z.object({
    XS: z.number(),
    S: z.number(),
    M: z.number(),
    L: z.number(),
    XL: z.number(),
  }),
  /** Tasks reviewed (one pass at least) whatever their size. */
  reviewTasks: z.array(z.string()),
  /** Requests for changes sent back to the builder before the task needs the user. */
  reviewRounds: z.number(),
  /** Questions of one task the planner takes before the next goes straight to the user. */
  questionHops: z.number(),
  /** How long the planner may take over a question before it goes to the user. */
  questionTimeoutSeconds: z.number(),
  reviewerModel: z.string(),
  plannerModel: z.string(),
});
export type PlanTalkSettings = z.infer<typeof PlanTalkSettingsSchema>;

/** The reviews, question hops and settings of a plan, beside its detail. */
export const PlanTalkSchema = z.object({
  settings: PlanTalkSettingsSchema,
  reviews: z.array(TaskReviewSchema),
  questions: z.array(QuestionHopSchema),
});
export type PlanTalk = z.infer<typeof PlanTalkSchema>;
