import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuitFlow } from './quit-flow.ts';

function flow(busy: number, answer: boolean) {
  const calls: string[] = [];
  const quit = new QuitFlow({
    busyAgents: () => busy,
    confirm: async (n) => {
      calls.push(`confirm ${n}`);
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
});

test('a yes shuts down once, even when quit is requested twice', async () => {
  const { quit, calls } = flow(1, true);
  const [a, b] = await Promise.all([quit.request(), quit.request()]);
  assert.deepEqual([a, b], ['quit', 'quit']);
  assert.equal(calls.filter((c) => c === 'shutdown').length, 1);
});
