import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { costUsd, DEFAULT_MODEL, FALLBACK_PRICE, MODEL_PRICES, priceOf } from './models.ts';

describe('models and prices', () => {
  test('the default model has a known price', () => {
    assert.equal(priceOf(DEFAULT_MODEL).known, true);
  });

  test('the default model is not one the SDK warns about as deprecated', () => {
    assert.ok(!['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929'].includes(DEFAULT_MODEL));
  });

  test('cost adds input, output, cache writes and cache reads at their rates', () => {
    // Sonnet 5.5: $2 in, $10 out, $2.50 5m write, $0.20 read per million.
    const cost = costUsd('claude-sonnet-5-5', {
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
      cacheCreationInputTokens: 1_000_000,
      cacheReadInputTokens: 1_000_000,
    });
    assert.equal(cost.toFixed(6), (2 + 10 + 2.5 + 0.2).toFixed(6));
  });

  test('1-hour cache writes are billed at the 1-hour rate', () => {
    const cost = costUsd('claude-sonnet-5-5', {
      inputTokens: 0,
      outputTokens: 0,
      cacheCreationInputTokens: 1_000_000,
      cacheReadInputTokens: 0,
      cacheCreation1hInputTokens: 1_000_000,
    });
    assert.equal(cost.toFixed(6), (4).toFixed(6));
  });

  test('a long prompt on a tiered model is billed at the higher tier', () => {
    const short = costUsd('claude-haiku-5-5', {
      inputTokens: 100_000,
      outputTokens: 0,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
    });
    const long = costUsd('claude-haiku-5-5', {
      inputTokens: 100_001,
      outputTokens: 0,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
    });
    assert.ok(long > short * 4.9);
  });

  test('a dated snapshot id is priced like its alias', () => {
    assert.deepEqual(priceOf('claude-sonnet-5-5-20260928'), {
      price: MODEL_PRICES['claude-sonnet-5-5'],
      known: true,
    });
  });

  test('an unknown model is charged at the fallback rate and flagged', () => {
    assert.deepEqual(priceOf('some-proxy-model'), { price: FALLBACK_PRICE, known: false });
  });

  test('an OpenAI-compatible model is priced by its own id, cached input at the cached rate', () => {
    // gpt-4.1: $2 in, $0.50 cached in, $8 out per million.
    const cost = costUsd('openai:gpt-4.1', {
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 1_000_000,
    });
    assert.equal(cost.toFixed(6), (2 + 8 + 0.5).toFixed(6));
    assert.equal(priceOf('openai:gpt-4.1-2025-04-14').known, true);
  });

  test("a local server's model, or an Anthropic id under the openai prefix, is unknown", () => {
    assert.equal(priceOf('openai:llama3.1:8b').known, false);
    assert.equal(priceOf('openai:claude-sonnet-5-5').known, false);
    assert.equal(priceOf('gpt-4.1').known, false);
  });
});
