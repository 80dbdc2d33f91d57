/** Plans for tests: Task Master documents and Troika tasks built with defaults. */
import {
  PlanTaskSchema,
  type PlanTask,
  type PlanTaskInput,
} from '../../protocol/payloads/plans.ts';

/** A Troika task with every default filled; `description` defaults to one naming the task. */
export function task(id: string, fields: Partial<PlanTaskInput> = {}): PlanTask {
  return PlanTaskSchema.parse({ id, title: `Task ${id}`, description: `Do ${id}`, ...fields });
}

/** A Task Master file (legacy form) the way Task Master writes one: numeric ids, status, subtasks. */
export function taskMasterFile(tasks: Array<Record<string, unknown>>): string {
  return JSON.stringify({ tasks }, null, 2);
}
