/**
 * `plans/bench/`: the plan benchmark, `npm run bench:plan`. Runs the scripted plan of
 * plan-bench.ts with one agent slot and with three through the real
 * scheduler and prints one JSON line: speedup against the ideal one (total
 * work over the critical path, capped at three), the scheduler's overhead
 * per task, the gates' first-pass rate and the cost per merged task.
 * Goal: speedup ≥ 0.85 × ideal_speedup; overhead p95 < 250 ms.
 * `TROIKA_PLAN_BENCH_UNIT_MS` sets the time of one work unit (default 50).
 */
import { runPlanBench } from './plan-bench.ts';

const unitMs = Number(process.env['TROIKA_PLAN_BENCH_UNIT_MS'] ?? 50);
const result = await runPlanBench(unitMs);
console.log(
  JSON.stringify({
    ...result,
    goal_met:
      result.speedup >= 0.85 * result.ideal_speedup && result.overhead_per_task_ms.p95 < 250,
  }),
);
