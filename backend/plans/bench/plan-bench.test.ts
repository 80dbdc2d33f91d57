import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPlanBench } from './plan-bench.ts';

// Not the benchmark (a 2 ms work unit): checks that it runs the plan both ways and reports every key.
test('the plan bench runs its plan with one and three slots and reports the issue’s keys', async () => {
  const result = await runPlanBench(2);
  for (const key of [
    'speedup',
    'ideal_speedup',
    'overhead_per_task_ms',
    'gate_first_pass_rate',
    'cost_per_merged_task_usd',
  ]) {
    assert.ok(key in result, key);
  }
  assert.equal(result.tasks, 9);
  assert.equal(result.gate_first_pass_rate, 0.889);
  assert.equal(result.cost_per_merged_task_usd, 0.056);
  assert.ok(result.ideal_speedup > 1 && result.ideal_speedup <= 3);
});
