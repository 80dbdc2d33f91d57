/**
 * The plan's planner answering a builder's question: an agent of the
 * console (role-agent.ts) on the `architect` alias with the architect
 * persona, in the plan's workspace with read-only tools, told the plan
 * (goal, every task), the asking task and its earlier answers. It runs in
 * the asking builder's slot (the builder waits for it) and answers through
 * `answer_question`: an answer, or `cannot_answer` with why, when only the
 * user can decide.
 */
import { z } from 'zod';
import { ANSWER_QUESTION_TOOL_NAME } from '../protocol/tool-names.ts';
import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import type { AgentManager } from '../agent/agent-manager.ts';
import type { EventBus } from '../bus/events.ts';
import type { PlanTask } from '../protocol/payloads/plans.ts';
import { taskText } from './agent-build.ts';
import type { PlanRecord } from './plan-store.ts';
import { runRoleAgent, type RoleAgentRequest } from './role-agent.ts';
import { inputSchema } from './tool-schema.ts';

export const ANSWER_QUESTION_TOOL = ANSWER_QUESTION_TOOL_NAME;
export const ANSWERING_PERSONA = 'architect';

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

const PLANNER_BRIEF =
  'You are the planner of a plan that several coding agents carry out. A builder working on one of its tasks asks you a question. ' +
  "Answer it from the plan and the repository (your folder is the plan's workspace; your tools read it, you cannot change anything). " +
  "Decide what the plan already implies; say cannot_answer only for a decision that is the user's to make. Call answer_question exactly once.";

export interface QuestionRequest {
  plan: PlanRecord;
  task: PlanTask;
  question: string;
  /** Earlier questions of the task and their answers, oldest first. */
  earlier: Array<{ question: string; answer: string }>;
  /** The plan's integration branch, where the merged tasks are. */
  branch: string;
  model: string;
  /** The builder asking: the planner runs in its slot. */
  askerId: string;
}

export interface QuestionOutcome {
  answer: PlannerAnswer | null;
  failure: string | null;
  costUsd: number;
  model: string;
}

export async function answerQuestion(
  deps: { agents: AgentManager; events: EventBus; log?: RoleAgentRequest<unknown>['log'] },
  request: QuestionRequest,
  signal: AbortSignal,
): Promise<QuestionOutcome> {
  const { plan } = request;
  const tasks = plan.tasks
    .map(
      (t) =>
        `- ${t.id}: ${t.title}${t.dependencies.length ? ` (after ${t.dependencies.join(', ')})` : ''}: ${t.description}`,
    )
    .join('\n');
  const earlier = request.earlier.map((e) => `Q: ${e.question}\nA: ${e.answer}`).join('\n\n');
  const task = [
    `The plan "${plan.name}" asks its planner: task ${request.task.id} "${request.task.title}" has a question.`,
    PLANNER_BRIEF,
    `The plan${plan.goal ? `'s goal: ${plan.goal}` : ''}. Its tasks (merged ones are on the branch ${request.branch}):\n${tasks}`,
    `The task asking (${request.task.id}):\n\n${taskText(request.task)}`,
    earlier && `Its earlier questions and their answers:\n\n${earlier}`,
    `The builder's question:\n\n${request.question}`,
  ]
    .filter(Boolean)
    .join('\n\n');
  const result = await runRoleAgent({
    ...deps,
    task,
    workDir: plan.workspace,
    model: request.model,
    persona: ANSWERING_PERSONA,
    answer: {
      definition: answerQuestionTool,
      schema: AnswerInput,
      summary: (a) => a.answer ?? `Cannot answer: ${a.cannot_answer ?? ''}`,
    },
    slotOf: request.askerId,
    signal,
  });
  return {
    answer: result.value,
    failure: result.failure,
    costUsd: result.costUsd,
    model: result.model,
  };
}
