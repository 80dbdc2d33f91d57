import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuitFlow } from './quit-flow.ts';

function flow(busy: number | undefined, answer: boolean, unlanded: string[] = []) {
  const calls: string[] = [];
  const quit = new QuitFlow({
    busyAgents: async () => busy,
    unlandedWork: async () => unlanded,
    confirm: async (n, left) => {
      calls.push(left.length > 0 ? `confirm ${n} ${left.join('; ')}` : `confirm ${n}`);
      return answer;
    },
    shutdown: async () => {
      calls.push('shutdown');
    },
  });
  return { quit, calls };
}

test('with no agent at work it shuts down without asking', async () => {
  const { quit, calls } = flow(0, false);
  assert.equal(await quit.request(), 'quit');
  assert.deepEqual(calls, ['shutdown']);
  assert.equal(quit.done, true);
});

test('with agents at work it asks, and a no keeps everything running', async () => {
  const { quit, calls } = flow(2, false);
  assert.equal(await quit.request(), 'cancelled');
  assert.deepEqual(calls, ['confirm 2']);
  assert.equal(quit.done, false);
  assert.equal(quit.quitting, false);
});

test('a backend that does not answer is asked about, not waited for', async () => {
  const { quit, calls } = flow(undefined, true);
  assert.equal(await quit.request(), 'quit');
  assert.deepEqual(calls, ['confirm undefined', 'shutdown']);
});

test('a yes shuts down once, and a second request asks no second question', async () => {
  const { quit, calls } = flow(1, true);
  const [a, b] = await Promise.all([quit.request(), quit.request()]);
  assert.deepEqual([a, b], ['quit', 'quit']);
  assert.deepEqual(calls, ['confirm 1', 'shutdown']);
});

test('with work not merged yet it says which branches and where, even with no agent at work', async () => {
  const { quit, calls } = flow(0, false, ['troika/fix-a1b2 (2 commits not in main) in /tmp/wt']);
  assert.equal(await quit.request(), 'cancelled');
  assert.deepEqual(calls, ['confirm 0 troika/fix-a1b2 (2 commits not in main) in /tmp/wt']);
});
