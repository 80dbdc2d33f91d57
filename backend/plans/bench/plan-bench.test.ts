import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPlanBench } from './plan-bench.ts';

// Not the benchmark (no timings are checked): one round at a tiny scale, through the real
// backend, checking that every issue's key is there and that the figures hold together.
test('the plan bench runs its plan through the product with one and three slots and reports every key', async () => {
  const result = await runPlanBench({ responseMs: 2, gateMs: 0, rounds: 1 });
  for (const key of [
    'speedup',
    'ideal_speedup',
    'overhead_per_task_ms',
    'gate_first_pass_rate',
    'cost_per_merged_task_usd',
    'review_rounds_per_task',
    'questions_answered_by_planner',
    'cost_by_role',
    'cost_by_model',
    'load',
  ]) {
    assert.ok(key in result, key);
  }
  // Both runs finished with every task merged.
  assert.deepEqual(result.states, ['done', 'done']);
  assert.equal(result.merged_tasks, result.tasks);
  // One task of nine fails its first gate; one is reviewed twice; the planner answers one question.
  assert.equal(result.gate_first_pass_rate, 0.889);
  assert.equal(result.review_rounds_per_task, 0.222);
  assert.equal(result.questions_answered_by_planner, 1);
  assert.equal(result.questions_to_user, 0);
  // The storm moved one builder to the OpenAI-compatible provider: models of both providers cost.
  const models = Object.keys(result.cost_by_model);
  assert.ok(
    models.some((m) => m.startsWith('claude-')),
    models.join(),
  );
  assert.ok(
    models.some((m) => m.startsWith('openai:')),
    models.join(),
  );
  assert.ok(Object.values(result.cost_by_model).every((usd) => usd > 0));
  assert.ok(result.cost_by_role.builder > 0 && result.cost_by_role.reviewer > 0);
  assert.ok(result.cost_by_role.planner > 0);
  // What the plan recorded as spent is what the servers' usage costs.
  assert.ok(Math.abs(result.cost_recorded_usd - result.cost_served_usd) < 1e-5);
  // The first task merged onto an unmoved plan branch: the same tree, its gates not run twice.
  assert.ok(result.integration_gates_reused >= 1);
  assert.ok(result.ideal_speedup > 1 && result.ideal_speedup <= 3);
  assert.ok(result.overhead_per_task_ms.p50 <= result.overhead_per_task_ms.p95);
});
