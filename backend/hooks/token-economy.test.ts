import assert from 'node:assert/strict';
import { test } from 'node:test';
import { economyFromEnv, resolveEconomy, TOKEN_ECONOMY_ON } from './token-economy.ts';

test('every switch is on unless a layer turns it off', () => {
  assert.deepEqual(resolveEconomy(), TOKEN_ECONOMY_ON);
  assert.deepEqual(resolveEconomy(undefined, { clearing: false }), {
    tokenCache: true,
    references: true,
    clearing: false,
  });
});

test('the most specific layer wins, switch by switch', () => {
  const agent = { clearing: true };
  const settings = { clearing: false, references: false };
  const env = economyFromEnv({ TROIKA_TOKEN_CACHE: 'off', TROIKA_REFERENCES: '1' });
  assert.deepEqual(resolveEconomy(agent, settings, env), {
    tokenCache: false,
    references: false,
    clearing: true,
  });
});

test('the environment takes the usual spellings and refuses anything else by name', () => {
  assert.deepEqual(economyFromEnv({ TROIKA_CLEARING: ' No ', TROIKA_REFERENCES: 'TRUE' }), {
    references: true,
    clearing: false,
  });
  assert.deepEqual(economyFromEnv({ TROIKA_CLEARING: '' }), {});
  assert.throws(() => economyFromEnv({ TROIKA_CLEARING: 'maybe' }), /TROIKA_CLEARING="maybe"/);
});
