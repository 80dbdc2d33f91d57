import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CACHE_LOOKBACK_BLOCKS, CACHE_TTL_MS, PromptCacheEmulator } from './cache-emulation.ts';
import { promptBlocks } from './prompt-blocks.ts';
import type { CacheControl, ContentBlock, InputMessage, PromptRequest } from './types.ts';

const MARK: CacheControl = { type: 'ephemeral' };
/** 4,000 bytes: 1,000 tokens by the estimator. */
const SYSTEM_TEXT = 's'.repeat(4000);

function text(content: string, marked = false): ContentBlock {
  return marked
    ? { type: 'text', text: content, cache_control: MARK }
    : { type: 'text', text: content };
}

function request(messages: InputMessage[], systemMarked = true): PromptRequest {
  return { model: 'claude-sonnet-4-6', system: [text(SYSTEM_TEXT, systemMarked)], messages };
}

function cacheWithClock(minTokens = 500): { cache: PromptCacheEmulator; clock: { now: number } } {
  const clock = { now: 1_000_000 };
  return { cache: new PromptCacheEmulator({ minTokens, now: () => clock.now }), clock };
}

test('the first request writes the marked prefix, the second reads it', () => {
  const { cache } = cacheWithClock();
  const body = request([{ role: 'user', content: 'question one' }]);
  const first = cache.account(body.model, promptBlocks(body));
  assert.deepEqual(
    [first.cacheCreationInputTokens, first.cacheReadInputTokens, first.inputTokens],
    [1000, 0, 3],
  );
  first.commit();
  const second = cache.account(
    body.model,
    promptBlocks(request([{ role: 'user', content: 'another question' }])),
  );
  assert.deepEqual(
    [second.cacheCreationInputTokens, second.cacheReadInputTokens, second.inputTokens],
    [0, 1000, 4],
  );
  assert.equal(
    second.totalInputTokens,
    second.inputTokens + second.cacheReadInputTokens + second.cacheCreationInputTokens,
  );
});

test('an entry exists only once its response has begun (commit)', () => {
  const { cache } = cacheWithClock();
  const blocks = promptBlocks(request([{ role: 'user', content: 'q' }]));
  cache.account('claude-sonnet-4-6', blocks);
  assert.equal(cache.account('claude-sonnet-4-6', blocks).cacheReadInputTokens, 0);
});

test('a prefix below the minimum is processed uncached, without error', () => {
  const { cache } = cacheWithClock(2000);
  const blocks = promptBlocks(request([{ role: 'user', content: 'q' }]));
  const first = cache.account('claude-sonnet-4-6', blocks);
  first.commit();
  const second = cache.account('claude-sonnet-4-6', blocks);
  assert.deepEqual([second.cacheCreationInputTokens, second.cacheReadInputTokens], [0, 0]);
  assert.equal(second.inputTokens, second.totalInputTokens);
});

test('a breakpoint that moved to the newest turn still reads what the previous turn wrote', () => {
  const { cache } = cacheWithClock();
  const turn1: InputMessage[] = [{ role: 'user', content: [text('u'.repeat(400), true)] }];
  const first = cache.account('claude-sonnet-4-6', promptBlocks(request(turn1, false)));
  first.commit();
  const turn2: InputMessage[] = [
    { role: 'user', content: [text('u'.repeat(400))] },
    { role: 'assistant', content: [text('a'.repeat(400))] },
    { role: 'user', content: [text('v'.repeat(400), true)] },
  ];
  const second = cache.account('claude-sonnet-4-6', promptBlocks(request(turn2, false)));
  assert.equal(second.cacheReadInputTokens, 1100);
  assert.equal(second.cacheCreationInputTokens, 200);
  assert.equal(second.inputTokens, 0);
});

test(`the lookback stops after ${CACHE_LOOKBACK_BLOCKS} positions`, () => {
  const { cache } = cacheWithClock();
  const base: InputMessage = { role: 'user', content: [text('u'.repeat(400), true)] };
  cache.account('claude-sonnet-4-6', promptBlocks(request([base], false))).commit();
  const filler = Array.from({ length: CACHE_LOOKBACK_BLOCKS }, (_, index) =>
    text(`filler ${index}`),
  );
  const far: InputMessage[] = [
    { role: 'user', content: [text('u'.repeat(400))] },
    {
      role: 'assistant',
      content: [...filler.slice(0, -1), { ...filler.at(-1)!, cache_control: MARK }],
    },
  ];
  assert.equal(
    cache.account('claude-sonnet-4-6', promptBlocks(request(far, false))).cacheReadInputTokens,
    0,
  );
});

test('entries expire after 5 minutes unless read, and reading refreshes them', () => {
  const { cache, clock } = cacheWithClock();
  const blocks = promptBlocks(request([{ role: 'user', content: 'q' }]));
  cache.account('claude-sonnet-4-6', blocks).commit();
  clock.now += CACHE_TTL_MS['5m'] - 1;
  const read = cache.account('claude-sonnet-4-6', blocks);
  assert.equal(read.cacheReadInputTokens, 1000);
  read.commit();
  clock.now += CACHE_TTL_MS['5m'] - 1;
  assert.equal(cache.account('claude-sonnet-4-6', blocks).cacheReadInputTokens, 1000);
  clock.now += CACHE_TTL_MS['5m'];
  assert.equal(cache.account('claude-sonnet-4-6', blocks).cacheReadInputTokens, 0);
});

test('caches are per model and per exact prefix', () => {
  const { cache } = cacheWithClock();
  const blocks = promptBlocks(request([{ role: 'user', content: 'q' }]));
  cache.account('claude-sonnet-4-6', blocks).commit();
  assert.equal(cache.account('claude-opus-4-6', blocks).cacheReadInputTokens, 0);
  const edited = promptBlocks({
    ...request([{ role: 'user', content: 'q' }]),
    system: [text(`${SYSTEM_TEXT}!`, true)],
  });
  assert.equal(cache.account('claude-sonnet-4-6', edited).cacheReadInputTokens, 0);
});

test('changing tool_choice invalidates the messages cache but not the system cache', () => {
  const { cache } = cacheWithClock();
  const messages: InputMessage[] = [{ role: 'user', content: [text('u'.repeat(400), true)] }];
  cache.account('claude-sonnet-4-6', promptBlocks(request(messages))).commit();
  const other = cache.account(
    'claude-sonnet-4-6',
    promptBlocks({ ...request(messages), tool_choice: { type: 'any' } }),
  );
  assert.equal(other.cacheReadInputTokens, 1000);
  assert.equal(other.cacheCreationInputTokens, 100);
});

test('1-hour and 5-minute writes are split at the last 1-hour breakpoint', () => {
  const { cache } = cacheWithClock();
  const body: PromptRequest = {
    model: 'claude-sonnet-4-6',
    system: [{ type: 'text', text: SYSTEM_TEXT, cache_control: { type: 'ephemeral', ttl: '1h' } }],
    messages: [{ role: 'user', content: [text('u'.repeat(400), true)] }],
  };
  const accounting = cache.account(body.model, promptBlocks(body));
  assert.equal(accounting.ephemeral1hInputTokens, 1000);
  assert.equal(accounting.ephemeral5mInputTokens, 100);
  assert.equal(accounting.cacheCreationInputTokens, 1100);
});

test('top-level cache_control marks the last cacheable block', () => {
  const { cache } = cacheWithClock();
  const body: PromptRequest = {
    ...request([{ role: 'user', content: 'q' }], false),
    cache_control: MARK,
  };
  const blocks = promptBlocks(body);
  assert.deepEqual(blocks.at(-1)?.cacheControl, MARK);
  assert.equal(cache.account(body.model, blocks).cacheCreationInputTokens, 1001);
});
