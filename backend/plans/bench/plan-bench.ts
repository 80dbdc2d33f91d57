/**
 * The plan benchmark's measurement (plan.bench.ts prints it): one scripted
 * plan run by the real scheduler and plan store (SQLite in memory) with one
 * agent slot and with three. Each task's work takes a known time (a timer
 * stands in for the agent); gates and merges are instant, one task's first
 * gate fails, so what remains of the time is the scheduler's own.
 *
 * Skeleton: the ports are in-process timers, not agents, landing's merges
 * and real gates; the figures measure the scheduler's waves and overhead,
 * not a model. The e2e plan with real agents waits for landing/.
 */
import { performance } from 'node:perf_hooks';
import { openTroikaDatabase } from '../../persistence/database.ts';
import type { PlanTask } from '../../protocol/payloads/plans.ts';
import { createPlan } from '../new-plan.ts';
import { PlanStore } from '../plan-store.ts';
import type { PlanPorts } from '../ports.ts';
import { PlanRunner } from '../scheduler.ts';
import { task } from '../testing/fixtures.ts';

/** Work units per task (× unitMs): nine tasks in three dependency levels, no declared overlap. */
const WORK: Record<string, { units: number; deps: string[] }> = {
  t1: { units: 4, deps: [] },
  t2: { units: 2, deps: [] },
  t3: { units: 3, deps: [] },
  t4: { units: 4, deps: ['t1'] },
  t5: { units: 2, deps: ['t1', 't2'] },
  t6: { units: 3, deps: ['t3'] },
  t7: { units: 2, deps: ['t4'] },
  t8: { units: 4, deps: ['t5', 't6'] },
  t9: { units: 1, deps: ['t6'] },
};
/** The task whose first gate fails (its retry does the work again). */
const FLAKY = 't5';
const COST_PER_ATTEMPT_USD = 0.05;

export interface PlanBenchResult {
  tasks: number;
  unit_ms: number;
  one_agent_ms: number;
  three_agents_ms: number;
  speedup: number;
  ideal_speedup: number;
  overhead_per_task_ms: { p50: number; p95: number };
  gate_first_pass_rate: number;
  cost_per_merged_task_usd: number;
}

interface RunFigures {
  wallMs: number;
  /** Per task, in the one-slot run: the scheduler's time around its work (see runOnce). */
  overheadMs: number[];
  firstPass: number;
  costUsd: number;
  merged: number;
}

export async function runPlanBench(unitMs = 50): Promise<PlanBenchResult> {
  const tasks = Object.entries(WORK).map(([id, w]) => task(id, { dependencies: w.deps }));
  const one = await runOnce(tasks, 1, unitMs);
  const three = await runOnce(tasks, 3, unitMs);
  // Total work (the flaky task's retry included) over the critical path, capped at the three slots.
  const work = (id: string) => (WORK[id]?.units ?? 0) * (id === FLAKY ? 2 : 1);
  const total = Object.keys(WORK).reduce((sum, id) => sum + work(id), 0);
  const ideal = Math.min(3, total / criticalPath(work));
  const sorted = [...one.overheadMs].sort((a, b) => a - b);
  return {
    tasks: tasks.length,
    unit_ms: unitMs,
    one_agent_ms: round(one.wallMs),
    three_agents_ms: round(three.wallMs),
    speedup: round(one.wallMs / three.wallMs),
    ideal_speedup: round(ideal),
    overhead_per_task_ms: { p50: round(quantile(sorted, 0.5)), p95: round(quantile(sorted, 0.95)) },
    gate_first_pass_rate: round(three.firstPass / tasks.length),
    cost_per_merged_task_usd: round(three.costUsd / three.merged),
  };
}

async function runOnce(tasks: PlanTask[], slots: number, unitMs: number): Promise<RunFigures> {
  const store = new PlanStore(openTroikaDatabase(':memory:'));
  const plan = createPlan(store, { name: `bench ${slots}`, workspace: '/bench', tasks });
  const workMs = new Map<string, number>();
  const gateSeen = new Set<string>();
  let firstPass = 0;
  let costUsd = 0;
  let commit = 0;
  const ports: PlanPorts = {
    prepare: async () => {},
    build: async ({ task: t }) => {
      const ms = (WORK[t.id]?.units ?? 0) * unitMs;
      workMs.set(t.id, (workMs.get(t.id) ?? 0) + ms);
      await new Promise((resolve) => setTimeout(resolve, ms));
      costUsd += COST_PER_ATTEMPT_USD;
      return { ok: true, branch: `task-${t.id}`, costUsd: COST_PER_ATTEMPT_USD, summary: 'done' };
    },
    gates: async ({ taskId, where }) => {
      if (where === 'integration') return { passed: true, output: '' };
      const first = !gateSeen.has(taskId);
      gateSeen.add(taskId);
      const passed = !(first && taskId === FLAKY);
      if (first && passed) firstPass++;
      return { passed, output: passed ? 'ok' : 'test failed' };
    },
    merge: async () => ({ status: 'clean', commit: `c${++commit}` }),
    advance: async () => {},
    isMerged: async () => false,
  };
  const mergedAt = new Map<string, number>();
  const started = performance.now();
  const runner = new PlanRunner({
    store,
    ports,
    planId: plan.id,
    maxParallel: slots,
    onChange: () => {
      for (const t of tasks) {
        if (!mergedAt.has(t.id) && runner.progress(t.id).state === 'merged')
          mergedAt.set(t.id, performance.now());
      }
    },
  });
  await runner.start();
  const state = await runner.settled();
  const wallMs = performance.now() - started;
  if (state !== 'done') throw new Error(`The bench plan ended ${state}, not done`);
  // One task after another (the one-slot run): each task's cycle, from the previous merge to its own, less its work.
  const order = [...mergedAt.entries()].sort((a, b) => a[1] - b[1]);
  const overheadMs = order.map(([id, at], i) => {
    const previous = i === 0 ? started : (order[i - 1]?.[1] ?? started);
    return Math.max(0, at - previous - (workMs.get(id) ?? 0));
  });
  return { wallMs, overheadMs, firstPass, costUsd, merged: mergedAt.size };
}

function criticalPath(work: (id: string) => number): number {
  const longest = new Map<string, number>();
  for (const [id, w] of Object.entries(WORK)) {
    longest.set(id, work(id) + Math.max(0, ...w.deps.map((d) => longest.get(d) ?? 0)));
  }
  return Math.max(...longest.values());
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
