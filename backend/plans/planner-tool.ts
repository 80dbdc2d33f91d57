/**
 * `submit_plan`: how the planner agent hands in its plan. The input's JSON
 * schema is made from the plan's own task schema (payloads/plans.ts), so the
 * model sees exactly the shape the plan store keeps. A submission with a
 * wrong shape or a graph problem (cycle, unknown dependency, duplicate id,
 * no description) is answered with the problems named, and the planner tries
 * again, a bounded number of times.
 */
import type { ToolUnion } from '@anthropic-ai/sdk/resources/messages';
import * as z from 'zod/mini';
import { SUBMIT_PLAN_TOOL_NAME } from '../protocol/tool-names.ts';
import { fail, ok, type AgentTool, type ToolResult } from '../agent/tools/tool.ts';
import { PlanTaskSchema, type PlanTask } from '../protocol/payloads/plans.ts';
import { dryRun } from './dry-run.ts';
import { inputSchema } from './tool-schema.ts';
import { validatePlan } from './validate.ts';

export { SUBMIT_PLAN_TOOL_NAME };
/** Submissions a planner may make before the draft is left to the user. */
export const MAX_SUBMISSIONS = 3;

/** The task as the planner writes it: the store's fields less those other tools wrote (status, external). */
const SubmittedTask = z.omit(PlanTaskSchema, { status: true, external: true });

export const SubmitPlanSchema = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  tasks: z.array(SubmittedTask).check(z.minLength(1), z.maxLength(100)),
});
export type SubmittedPlan = z.output<typeof SubmitPlanSchema>;

export interface SubmitPlanHooks {
  /** A valid plan: the draft takes it. */
  accepted(name: string, tasks: PlanTask[]): void;
  /** An invalid one: what the planner was told; `final` when no submission is left. */
  rejected(message: string, tasks: PlanTask[], final: boolean): void;
}

const DESCRIPTION =
  'Submit the plan for the goal: tasks that agents carry out in waves, up to three at once, in dependency order. ' +
  'Each task needs a description an agent can start from, acceptance criteria, a test strategy, its dependencies (ids of tasks that must land first), ' +
  'a size (XS–XL), and the files or globs it expects to touch (two tasks whose files overlap never run at the same time). ' +
  'The plan is checked: a cycle, an unknown dependency, a duplicate id or a missing description is named in the result, and you submit again. ' +
  'An accepted plan becomes a draft the user reviews; end your turn then.';

export function submitPlanTool(
  hooks: SubmitPlanHooks,
  maxSubmissions = MAX_SUBMISSIONS,
): AgentTool {
  let submissions = 0;
  let done = false;
  const definition: ToolUnion = {
    name: SUBMIT_PLAN_TOOL_NAME,
    description: DESCRIPTION,
    input_schema: inputSchema(SubmitPlanSchema),
  };
  return {
    name: SUBMIT_PLAN_TOOL_NAME,
    definition,
    run(input): Promise<ToolResult> {
      if (done)
        return Promise.resolve(
          fail('The plan was already handed over; no more submissions. End your turn.'),
        );
      submissions++;
      const left = maxSubmissions - submissions;
      const parsed = SubmitPlanSchema.safeParse(input);
      const tasks = parsed.success ? parsed.data.tasks.map(toTask) : [];
      const problems = parsed.success
        ? validatePlan(tasks).map((p) => p.message)
        : parsed.error.issues.map(
            (i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`,
          );
      if (parsed.success && problems.length === 0) {
        done = true;
        hooks.accepted(parsed.data.name, tasks);
        const waves = dryRun(tasks).waves.length;
        return Promise.resolve(
          ok(
            `Plan accepted: ${tasks.length} tasks in ${waves} waves, saved as a draft for the user to review. End your turn now.`,
          ),
        );
      }
      const message = `The plan was not accepted (submission ${submissions} of ${maxSubmissions}): ${problems.join('; ')}.`;
      const final = left <= 0;
      if (final) done = true;
      hooks.rejected(message, tasks, final);
      return Promise.resolve(
        fail(
          final
            ? `${message} No submissions are left: the user will fix the draft. End your turn now.`
            : `${message} Fix ${problems.length === 1 ? 'it' : 'them'} and call ${SUBMIT_PLAN_TOOL_NAME} again (${left} left).`,
        ),
      );
    },
  };
}

function toTask(task: z.output<typeof SubmittedTask>): PlanTask {
  return { ...task, status: 'pending', external: {} };
}
