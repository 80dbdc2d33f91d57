import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FaultKind, ModelFault } from './faults.ts';
import type { ModelProvider, ProviderId } from './provider.ts';
import { ModelRouter, RoutingError } from './router.ts';
import {
  defaultAliasForRole,
  effectiveAliasTable,
  resolveChain,
  type AliasTable,
} from './routing.ts';

/** Routing only reads a provider's id; turns are never run here. */
function provider(id: ProviderId): ModelProvider {
  return {
    id,
    sdkAttempts: 3,
    streamTurn: () => Promise.reject(new Error('not used')),
    classifyFault: () => fault('unknown'),
  };
}

function fault(kind: FaultKind): ModelFault {
  return { kind, message: `${kind} happened`, retryable: false };
}

const TABLE: AliasTable = effectiveAliasTable(
  {
    coder: [
      { provider: 'anthropic', model: 'claude-sonnet-5-5' },
      { provider: 'anthropic', model: 'claude-opus-5-5' },
      { provider: 'openai', model: 'gpt-4.1' },
    ],
  },
  undefined,
);

function router(providers: ProviderId[] = ['anthropic', 'openai']): ModelRouter {
  return new ModelRouter({
    providers: Object.fromEntries(providers.map((id) => [id, provider(id)])),
    aliases: () => TABLE,
  });
}

describe('model routing', () => {
  test('a concrete model is one target; the openai: prefix names the second provider', () => {
    assert.deepEqual(resolveChain('claude-haiku-5-5', TABLE), [
      { provider: 'anthropic', model: 'claude-haiku-5-5' },
    ]);
    assert.deepEqual(resolveChain('openai:gpt-4.1-mini', TABLE), [
      { provider: 'openai', model: 'gpt-4.1-mini' },
    ]);
  });

  test('default chains end on the OpenAI-compatible fallback when one is configured', () => {
    const table = effectiveAliasTable(null, 'gpt-4.1');
    assert.deepEqual(table.architect.at(-1), { provider: 'openai', model: 'gpt-4.1' });
    assert.equal(table.architect[0]?.model, 'claude-opus-5-5');
    assert.ok(effectiveAliasTable(null, undefined).coder.every((t) => t.provider === 'anthropic'));
  });

  test('roles start on their alias; a small task builds on the fast one', () => {
    assert.equal(defaultAliasForRole('planner'), 'architect');
    assert.equal(defaultAliasForRole('reviewer'), 'reviewer');
    assert.equal(defaultAliasForRole('builder', 'M'), 'coder');
    assert.equal(defaultAliasForRole('builder', 'S'), 'fast');
  });

  test('transient failures walk the chain, across providers, and the switch sticks', () => {
    const r = router();
    const first = r.route('coder');
    assert.equal(first.target.model, 'claude-sonnet-5-5');
    const change = first.fallback(fault('overloaded'));
    assert.deepEqual(change, {
      alias: 'coder',
      from: { provider: 'anthropic', model: 'claude-sonnet-5-5' },
      to: { provider: 'anthropic', model: 'claude-opus-5-5' },
      reason: 'overloaded happened',
      faultKind: 'overloaded',
    });
    const second = r.route('coder');
    assert.equal(second.target.model, 'claude-opus-5-5');
    assert.equal(second.fallback(fault('stream_interrupted'))?.to.provider, 'openai');
    const third = r.route('coder');
    assert.equal(third.provider.id, 'openai');
    assert.equal(third.fallback(fault('rate_limited')), undefined, 'the chain is spent');
  });

  test('a bad key, a bad request or a billing problem never switch', () => {
    const r = router();
    for (const kind of ['auth', 'invalid_request', 'billing', 'permission'] as const)
      assert.equal(r.route('coder').fallback(fault(kind)), undefined, kind);
    assert.equal(r.route('coder').target.model, 'claude-sonnet-5-5');
  });

  test('a concrete model has no fallback', () => {
    assert.equal(router().route('claude-sonnet-5-5').fallback(fault('overloaded')), undefined);
  });

  test('targets of unconfigured providers are skipped; none left is a clear error', () => {
    assert.equal(router(['openai']).route('coder').target.model, 'gpt-4.1');
    assert.throws(
      () => router(['anthropic']).route('openai:gpt-4.1'),
      (error: unknown) =>
        error instanceof RoutingError &&
        /configure the OpenAI-compatible provider/.test(error.message),
    );
  });
});
