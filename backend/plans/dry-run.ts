/**
 * A plan's dry run, without calling a model: the waves the scheduler would
 * run (dependency order, at most three tasks at once, two tasks whose
 * declared files overlap never together), every task held back with its
 * reason, and a cost estimate from each task's size.
 */
import { DEFAULT_MODEL, costUsd } from '../provider/models.ts';
import type {
  DryRun,
  Hold,
  PlanTask,
  TaskEstimate,
  TaskPriority,
  TaskSize,
} from '../protocol/payloads/plans.ts';
import { firstOverlap } from './file-overlap.ts';
import { topologicalOrder } from './validate.ts';

/** Three agent panels: three tasks at once. */
export const MAX_PARALLEL = 3;

const PRIORITY_RANK: Record<TaskPriority, number> = { high: 0, medium: 1, low: 2 };

/**
 * Typical tokens an agent spends on a task of each size (prompt tokens summed
 * over its model requests, and its output), from the token bench's runs:
 * rough on purpose, the estimate says so.
 */
export const SIZE_TOKENS: Record<TaskSize, { input: number; output: number }> = {
  XS: { input: 30_000, output: 3_000 },
  S: { input: 80_000, output: 8_000 },
  M: { input: 200_000, output: 20_000 },
  L: { input: 500_000, output: 45_000 },
  XL: { input: 1_200_000, output: 100_000 },
};

export interface WavePlan {
  waves: string[][];
  holds: Hold[];
}

/**
 * Simulates the scheduler wave by wave: a task is ready once every
 * dependency ran in an earlier wave; ready tasks are taken by priority, then
 * in the plan's order, until the wave holds `maxParallel` tasks; a ready task
 * whose files overlap one already taken waits for the next wave.
 * Assumes a valid plan (no cycle, no unknown dependency).
 */
export function planWaves(tasks: readonly PlanTask[], maxParallel = MAX_PARALLEL): WavePlan {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const order = topologicalOrder(tasks);
  // Ties go to the plan's own order: the task listed first runs first.
  const position = new Map(tasks.map((t, i) => [t.id, i]));
  const done = new Set<string>();
  const waves: string[][] = [];
  const holds: Hold[] = [];
  let remaining = order.map((id) => byId.get(id) as PlanTask);
  while (remaining.length > 0) {
    const wave = waves.length;
    const ready = remaining
      .filter((t) => t.dependencies.every((d) => done.has(d)))
      .sort(
        (a, b) =>
          PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
          (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0),
      );
    const taken: PlanTask[] = [];
    for (const task of ready) {
      if (taken.length >= maxParallel) {
        holds.push({
          taskId: task.id,
          wave,
          kind: 'capacity',
          withTaskId: null,
          reason: `"${task.id}" waits: wave ${wave + 1} already runs ${maxParallel} tasks (${taken.map((t) => t.id).join(', ')})`,
        });
        continue;
      }
      const clash = taken
        .map((other) => ({ other, overlap: firstOverlap(task.files, other.files) }))
        .find((c) => c.overlap !== null);
      if (clash?.overlap) {
        const { mine, theirs } = clash.overlap;
        holds.push({
          taskId: task.id,
          wave,
          kind: 'overlap',
          withTaskId: clash.other.id,
          reason: `"${task.id}" is held apart from "${clash.other.id}": its files "${mine}" overlap "${theirs}"`,
        });
        continue;
      }
      taken.push(task);
    }
    // Unreachable with a valid plan (some task is always ready); guards against looping forever on a bad one.
    if (taken.length === 0) throw new Error('No task can start: validate the plan first');
    waves.push(taken.map((t) => t.id));
    for (const t of taken) done.add(t.id);
    remaining = remaining.filter((t) => !done.has(t.id));
  }
  return { waves, holds };
}

/** Each task's expected tokens and cost at its model (its own, else the plan's). */
export function estimateCost(
  tasks: readonly PlanTask[],
  planModel = DEFAULT_MODEL,
): DryRun['estimate'] {
  const estimates: TaskEstimate[] = tasks.map((task) => {
    const model = task.model ?? planModel;
    const tokens = SIZE_TOKENS[task.size];
    return {
      taskId: task.id,
      size: task.size,
      model,
      inputTokens: tokens.input,
      outputTokens: tokens.output,
      costUsd: costUsd(model, {
        inputTokens: tokens.input,
        outputTokens: tokens.output,
        cacheCreationInputTokens: 0,
        cacheReadInputTokens: 0,
      }),
    };
  });
  return {
    tasks: estimates,
    totalUsd: estimates.reduce((sum, e) => sum + e.costUsd, 0),
    basis:
      'Typical tokens for each size (XS to XL) at the model’s list price, without prompt caching; one attempt per task',
  };
}

export function dryRun(tasks: readonly PlanTask[], planModel = DEFAULT_MODEL): DryRun {
  return { ...planWaves(tasks), estimate: estimateCost(tasks, planModel) };
}
