/**
 * `plans/bench/`: the plan benchmark, `npm run bench:plan`. Runs the scripted
 * plan (plan-script.ts) through the product's real path with one task slot
 * and with three (plan-run.ts), TROIKA_PLAN_BENCH_ROUNDS times (default 3),
 * and prints one JSON line of medians: the speed-up against the ideal one
 * (total task time over the critical path, capped at three), the overhead
 * per task (time not spent in the model, tools or gates; plan-figures.ts
 * says how each is measured) and where it goes, the gates' first-pass rate,
 * the cost per merged task, by role and by model, review rounds and the
 * questions the planner answered, and the load it ran under.
 * Goal: speedup ≥ 0.85 × ideal_speedup; overhead p95 < 250 ms.
 * TROIKA_PLAN_BENCH_RESPONSE_MS sets each model response's delay (default
 * 250), TROIKA_PLAN_BENCH_GATE_MS the gate's run (default 200).
 */
import { runPlanBench } from './plan-bench.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const result = await runPlanBench({
  rounds: env('TROIKA_PLAN_BENCH_ROUNDS', 3),
  responseMs: env('TROIKA_PLAN_BENCH_RESPONSE_MS', 250),
  gateMs: env('TROIKA_PLAN_BENCH_GATE_MS', 200),
});
console.log(
  JSON.stringify({
    ...result,
    goal_met:
      result.speedup >= 0.85 * result.ideal_speedup && result.overhead_per_task_ms.p95 < 250,
  }),
);
