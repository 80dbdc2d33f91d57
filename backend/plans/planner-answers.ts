/**
 * The plan's planner answering a builder's question: a model conversation
 * (consult.ts) on the `architect` alias with the architect persona, the
 * plan (goal, every task) in its prompt and read-only tools over the
 * integration branch. It answers through `answer_question`: an answer, or
 * `cannot_answer` with why, when only the user can decide.
 */
import { z } from 'zod';
import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import { resolveCommit } from '../landing/git.ts';
import type { PlanTask } from '../protocol/payloads/plans.ts';
import type { ModelClient } from '../provider/router.ts';
import { taskText } from './agent-build.ts';
import { consult } from './consult.ts';
import type { PlanRecord } from './plan-store.ts';
import { builtinPersonaBlock } from './plan-reviewer.ts';
import { repoTools } from './repo-tools.ts';
import { inputSchema } from './tool-schema.ts';

export const ANSWER_QUESTION_TOOL = 'answer_question';

const Text = z.string().trim().min(1).max(8_000);

export const AnswerInput = z
  .object({
    answer: Text.optional().describe('The answer for the builder, self-contained.'),
    cannot_answer: Text.optional().describe(
      'Instead of an answer: why neither the plan nor the repository settles it, so the user must.',
    ),
  })
  .refine((a) => (a.answer === undefined) !== (a.cannot_answer === undefined), {
    message: 'give exactly one of answer and cannot_answer',
  });
export type PlannerAnswer = z.output<typeof AnswerInput>;

export const answerQuestionTool: Tool = {
  name: ANSWER_QUESTION_TOOL,
  description:
    'Answer the builder\'s question once: "answer" when the plan or the repository settles it, "cannot_answer" (with why) when only the user can decide.',
  input_schema: inputSchema(AnswerInput),
};

const PLANNER_SYSTEM =
  'You are the planner of a plan that several coding agents carry out. A builder working on one of its tasks asks you a question. ' +
  "Answer it from the plan and the repository (your tools read the plan's integration branch; you cannot change anything). " +
  "Decide what the plan already implies; say cannot_answer only for a decision that is the user's to make. Call answer_question exactly once.";

export interface QuestionRequest {
  plan: PlanRecord;
  task: PlanTask;
  question: string;
  /** Earlier questions of the task and their answers, oldest first. */
  earlier: Array<{ question: string; answer: string }>;
  /** The plan's integration branch. */
  branch: string;
  model: string;
}

export interface QuestionOutcome {
  answer: PlannerAnswer | null;
  failure: string | null;
  costUsd: number;
  model: string;
}

export async function answerQuestion(
  client: ModelClient,
  request: QuestionRequest,
  signal: AbortSignal,
): Promise<QuestionOutcome> {
  const { plan } = request;
  const commit = await resolveCommit(plan.workspace, `refs/heads/${request.branch}`);
  if (!commit)
    return {
      answer: null,
      failure: `No branch ${request.branch}`,
      costUsd: 0,
      model: request.model,
    };
  const tasks = plan.tasks
    .map(
      (t) =>
        `- ${t.id}: ${t.title}${t.dependencies.length ? ` (after ${t.dependencies.join(', ')})` : ''}: ${t.description}`,
    )
    .join('\n');
  const earlier = request.earlier.map((e) => `Q: ${e.question}\nA: ${e.answer}`).join('\n\n');
  const prompt = [
    `The plan "${plan.name}"${plan.goal ? `, whose goal is: ${plan.goal}` : ''}. Its tasks:\n${tasks}`,
    `The task asking (${request.task.id}):\n\n${taskText(request.task)}`,
    earlier && `Its earlier questions and their answers:\n\n${earlier}`,
    `The builder's question:\n\n${request.question}`,
  ]
    .filter(Boolean)
    .join('\n\n');
  const result = await consult({
    client,
    model: request.model,
    system: PLANNER_SYSTEM,
    persona: await builtinPersonaBlock('architect'),
    prompt,
    tools: repoTools(plan.workspace, commit),
    answer: { definition: answerQuestionTool, schema: AnswerInput },
    signal,
  });
  return {
    answer: result.value,
    failure: result.failure,
    costUsd: result.costUsd,
    model: result.model,
  };
}
