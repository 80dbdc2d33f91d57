/**
 * The user's hands on one task of a running plan: retry, skip, edit it, take
 * it over in its worktree, hand it back to the gates when done, or give it
 * back to the agent. Each is one step the scheduler saves with its evidence
 * (`control`); take-over.ts does the git work in the task's worktree.
 */
import {
  PlanTaskSchema,
  TAKEN_OVER_REASON,
  type PlanProblem,
  type PlanTask,
  type TaskState,
} from '../protocol/payloads/plans.ts';
import { taskText } from './agent-build.ts';
import type { TaskProgress } from './plan-store.ts';
import type { BuildResult } from './ports.ts';
import { FINISHED, HOLDS_FILES } from './run-order.ts';
import { validatePlan } from './validate.ts';

/** What runs after the user's step: the task's gates (its work done by the user), and its edited text. */
export interface UserNext {
  gates?: boolean;
  edited?: PlanTask;
}

/** The scheduler as the user's controls see it (scheduler.ts). */
export interface TaskHands {
  progress(taskId: string): TaskProgress;
  /** An agent works on the task now. */
  busy(taskId: string): boolean;
  userStep(p: TaskProgress, data: Record<string, unknown>, then?: UserNext): void;
}

/** The reason a task taken over by the user carries (it needs them until they hand it back). */
export const TAKEN_OVER = TAKEN_OVER_REASON;

export function takenOver(p: TaskProgress): boolean {
  return p.state === 'needs_user' && p.reason === TAKEN_OVER;
}

/** The fields the user may change; dependencies only while the plan stays valid. */
export const EDITABLE_FIELDS = [
  'title',
  'description',
  'details',
  'acceptanceCriteria',
  'testStrategy',
  'files',
  'size',
  'model',
  'dependencies',
] as const;
export type TaskChanges = Partial<Pick<PlanTask, (typeof EDITABLE_FIELDS)[number]>>;

/** States a task can be edited in: no agent on it and nothing of it merged or queued. */
const EDITABLE: ReadonlySet<TaskState> = new Set(['waiting', 'failed', 'needs_user']);

/** An edit that would make the plan invalid: the validator's problems, named. */
export class TaskEditError extends Error {
  readonly problems: PlanProblem[];
  constructor(problems: PlanProblem[]) {
    super(`The edit makes the plan invalid: ${problems.map((p) => p.message).join('; ')}`);
    this.name = 'TaskEditError';
    this.problems = problems;
  }
}

/** The user sends a task that needs them back for one more attempt (at the stronger model, if any). */
export function retryTask(hands: TaskHands, taskId: string): void {
  const p = hands.progress(taskId);
  if (p.state !== 'needs_user' && p.state !== 'failed') {
    throw new Error(`Task "${taskId}" is ${p.state}; only a task that needs you can be retried`);
  }
  if (hands.busy(taskId))
    throw new Error(`Task "${taskId}" waits for your answer in its agent's panel`);
  // Its worktree may hold the user's uncommitted work: Give back commits it first.
  if (takenOver(p))
    throw new Error(`Task "${taskId}" is taken over by you: use Give back, or Done, run the gates`);
  hands.userStep(
    { ...p, state: 'waiting', level: 'user', levelAttempts: 0, reason: null },
    {
      event: 'retry',
    },
  );
}

/** The user decides a task is not needed: its dependents may start. */
export function skipTask(hands: TaskHands, taskId: string): void {
  const p = hands.progress(taskId);
  if (hands.busy(taskId) || FINISHED.has(p.state) || HOLDS_FILES.has(p.state)) {
    throw new Error(`Task "${taskId}" is ${p.state}; it cannot be skipped now`);
  }
  hands.userStep({ ...p, state: 'skipped', reason: 'Skipped by the user' }, { event: 'skip' });
}

/**
 * Changes a task that no agent works on and that is not merged. The whole
 * plan is validated again (a cycle or an unknown dependency is refused with
 * its named problem). A task already tried is told, on its next attempt,
 * that it was edited and what it now reads. Returns the plan's new tasks,
 * which the caller saves.
 */
export function editTask(
  hands: TaskHands,
  tasks: readonly PlanTask[],
  taskId: string,
  changes: TaskChanges,
): PlanTask[] {
  const p = hands.progress(taskId);
  if (!EDITABLE.has(p.state) || takenOver(p) || hands.busy(taskId)) {
    const now = takenOver(p) ? 'taken over by you' : p.state;
    throw new Error(
      `Task "${taskId}" is ${now}; only a waiting, failed or needing-you task can be edited`,
    );
  }
  const before = tasks.find((t) => t.id === taskId);
  if (!before) throw new Error(`No task "${taskId}"`);
  const changed = EDITABLE_FIELDS.filter(
    (k) => changes[k] !== undefined && JSON.stringify(changes[k]) !== JSON.stringify(before[k]),
  );
  if (changed.length === 0) throw new Error('The edit changes nothing');
  const edited = PlanTaskSchema.parse({
    ...before,
    ...Object.fromEntries(changed.map((k) => [k, changes[k]])),
  });
  const next = tasks.map((t) => (t.id === taskId ? edited : t));
  const problems = validatePlan(next);
  if (problems.length > 0) throw new TaskEditError(problems);
  const feedback =
    p.attempts === 0
      ? p.feedback
      : [
          `The user edited this task; it now reads:\n\n${taskText(edited)}`,
          ...(p.feedback ? [`Why the last attempt did not pass:\n\n${p.feedback}`] : []),
        ].join('\n\n');
  hands.userStep(
    { ...p, feedback },
    {
      event: 'edit',
      changed,
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: Object.fromEntries(changed.map((k) => [k, edited[k]])),
    },
    { edited },
  );
  return next;
}

/** The task, taken over by the user, goes back to an agent (their work stays on its branch). */
export function giveBack(hands: TaskHands, taskId: string, commit: string | null): void {
  const p = hands.progress(taskId);
  if (!takenOver(p)) throw new Error(`Task "${taskId}" is not taken over by you`);
  const note = `The user worked on this task's branch and gave it back to you: continue from their work.`;
  hands.userStep(
    {
      ...p,
      state: 'waiting',
      level: 'user',
      levelAttempts: 0,
      reason: null,
      feedback: p.feedback ? `${note}\n\n${p.feedback}` : note,
    },
    { event: 'give_back', commit },
  );
}

/** The user is done with a task taken over: its gates run on the branch as they left it, then review and merge. */
export function handBack(hands: TaskHands, taskId: string, commit: string | null): void {
  const p = hands.progress(taskId);
  if (!takenOver(p)) throw new Error(`Task "${taskId}" is not taken over by you`);
  if (!p.branch) throw new Error(`Task "${taskId}" has no branch to check`);
  hands.userStep(
    { ...p, level: 'user', levelAttempts: 0, reason: null, feedback: null },
    { event: 'hand_back', commit },
    { gates: true },
  );
}

/**
 * The user takes a task that needs them (or failed) over: `open` gives the
 * worktree holding its branch (take-over.ts); the task needs them until
 * they hand it back or give it back. Asked again, it gives the same worktree.
 */
export async function takeOver(
  hands: TaskHands,
  taskId: string,
  newBranch: string,
  open: (branch: string) => Promise<string>,
): Promise<{ branch: string; worktree: string }> {
  const p = hands.progress(taskId);
  // Taken over already: its worktree again (the user's terminal was closed), no new step.
  if (takenOver(p) && p.branch) return { branch: p.branch, worktree: await open(p.branch) };
  if ((p.state !== 'needs_user' && p.state !== 'failed') || hands.busy(taskId)) {
    throw new Error(`Task "${taskId}" is ${p.state}; only a task that needs you can be taken over`);
  }
  const branch = p.branch ?? newBranch;
  const worktree = await open(branch);
  hands.userStep(
    { ...p, state: 'needs_user', branch, reason: TAKEN_OVER },
    { event: 'take_over', branch, worktree },
  );
  return { branch, worktree };
}

/** The build step of a task the user did themselves: their work is on its branch, at no cost. */
export function doneByUser(branch: string | null): BuildResult {
  return { ok: true, branch: branch ?? '', costUsd: 0, summary: 'Done by you' };
}
