/**
 * The plan benchmark's measurement (plan.bench.ts prints it): the scripted
 * plan of plan-script.ts run through the product's own path (plan-run.ts:
 * the composed backend's agents in real worktrees, the two scripted model
 * servers, the repository's real gate, real merges, the reviewer and the
 * planner) with one task slot and with three, `rounds` times; each figure
 * is the median over the rounds (plan-figures.ts says how time is split
 * into model, tool, gate and overhead).
 */
import { loadavg } from 'node:os';
import { roundFigures, type RoundFigures } from './plan-figures.ts';
import { runPlan, type PlanRun } from './plan-run.ts';

export interface PlanBenchOptions {
  /** Each model response's delay (its first byte). */
  responseMs?: number;
  /** How long the gate's check sleeps. */
  gateMs?: number;
  rounds?: number;
}

export type PlanBenchResult = RoundFigures & {
  rounds: number;
  response_ms: number;
  gate_ms: number;
  /** The one-minute load average when the benchmark started (two cores here). */
  load: number;
  /** Each round's plan state in the two runs: done when every task merged. */
  states: string[];
};

export async function runPlanBench(options: PlanBenchOptions = {}): Promise<PlanBenchResult> {
  const responseMs = options.responseMs ?? 250;
  const gateMs = options.gateMs ?? 200;
  const rounds = options.rounds ?? 3;
  const load = loadavg()[0] ?? 0;
  const figures: RoundFigures[] = [];
  const states: string[] = [];
  for (let i = 0; i < rounds; i++) {
    const one = await runPlan({ slots: 1, responseMs, gateMs });
    const three = await runPlan({ slots: 3, responseMs, gateMs });
    for (const run of [one, three]) {
      states.push(run.state);
      if (run.state !== 'done')
        throw new Error(`The bench plan ended ${run.state}: ${blocked(run)}`);
    }
    figures.push(roundFigures(one, three));
  }
  return {
    ...(medianOf(figures) as RoundFigures),
    rounds,
    response_ms: responseMs,
    gate_ms: gateMs,
    load: Math.round(load * 100) / 100,
    states,
  };
}

/** What stopped a run that did not finish: its tasks' states and reasons. */
function blocked(run: PlanRun): string {
  return JSON.stringify(run.progress.map((p) => [p.taskId, p.state, p.reason]));
}

/** The median of every number, key by key (nested objects included). */
function medianOf(values: unknown[]): unknown {
  const first = values[0];
  if (typeof first === 'number') {
    const sorted = (values as number[]).slice().sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    const m = sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
    return Math.round((m ?? 0) * 1e6) / 1e6;
  }
  if (first && typeof first === 'object') {
    const keys = new Set(values.flatMap((v) => Object.keys(v as object)));
    return Object.fromEntries(
      [...keys].map((k) => [
        k,
        medianOf(values.map((v) => (v as Record<string, unknown>)[k] ?? 0)),
      ]),
    );
  }
  return first;
}
