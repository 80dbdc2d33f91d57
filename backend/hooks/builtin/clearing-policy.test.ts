import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheAwareBatch, rereadChance, type Candidate } from './clearing-policy.ts';

const result = (id: string, start: number, freed: number, superseded = false): Candidate => ({
  id,
  start,
  freed,
  superseded,
});

test('early in a session a clearing costs more in rewrites than it saves in reads', () => {
  const decision = cacheAwareBatch({
    candidates: [result('a', 1_000, 5_000), result('b', 6_000, 5_000)],
    promptTokens: 40_000,
    requests: 3,
    rereadChance: 0.5,
  });
  assert.equal(decision, undefined);
});

test('later, large results pay for the rewrite, and go in one batch from the earliest', () => {
  const decision = cacheAwareBatch({
    candidates: [result('a', 1_000, 8_000), result('b', 9_000, 6_000), result('c', 15_000, 50)],
    promptTokens: 20_000,
    requests: 30,
    rereadChance: 0.2,
  });
  assert.deepEqual(decision?.ids, ['a', 'b', 'c']);
  assert.equal(decision?.freed, 14_050);
  assert.ok((decision?.margin ?? 0) > 0);
});

test('the rewrite counts from the cache entry the clearing reads up to, not from the first result', () => {
  const input = {
    candidates: [result('a', 10_000, 8_000)],
    promptTokens: 20_000,
    requests: 20,
    rereadChance: 0.1,
  };
  assert.deepEqual(cacheAwareBatch(input)?.ids, ['a']);
  assert.equal(cacheAwareBatch({ ...input, readTo: () => 0 }), undefined);
});

test('a result likely to be read again is kept; a superseded one never is', () => {
  const input = {
    candidates: [result('old', 1_000, 6_000, true), result('live', 7_000, 6_000)],
    promptTokens: 9_000,
    requests: 12,
    rereadChance: 0.9,
  };
  assert.deepEqual(cacheAwareBatch(input)?.ids, ['old']);
});

test('the re-read chance starts at one half and learns from what happened', () => {
  assert.equal(rereadChance(0, 0), 0.5);
  assert.equal(rereadChance(0, 8), 0.1);
  assert.equal(rereadChance(4, 4), 5 / 6);
});
