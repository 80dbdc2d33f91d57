/**
 * One call from a pasted or imported `tasks.json` to what the plan view
 * shows: the tasks, every problem named, and (when there is none) the dry
 * run's waves, holds and estimate.
 */
import type { PlanCheck } from '../protocol/payloads/plans.ts';
import { dryRun } from './dry-run.ts';
import { parseTasksFile } from './task-master.ts';
import { validatePlan } from './validate.ts';

export interface CheckedPlan extends PlanCheck {
  /** The goal the file's metadata gives, if any. */
  goal: string | null;
}

export function checkPlanText(text: string, planModel?: string): CheckedPlan {
  const parsed = parseTasksFile(text);
  // Graph problems only make sense once every task parsed; a shape problem is named first.
  const problems = parsed.problems.length > 0 ? parsed.problems : validatePlan(parsed.tasks);
  const valid = problems.length === 0;
  return {
    valid,
    problems,
    tasks: parsed.tasks,
    dryRun: valid ? dryRun(parsed.tasks, planModel) : null,
    format: parsed.format,
    goal: parsed.goal,
  };
}
