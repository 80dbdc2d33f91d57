import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Router } from '../bus/router.ts';
import { registerSystemHandlers } from './handlers.ts';

const info = { host: 'electron' as const, version: '0', maxAgents: 3, apiKeyConfigured: false };
const context = { connectionId: 'c' };

test('a host folder picker answers with the chosen folder, or null when cancelled', async () => {
  const answers = ['/home/dev/project', undefined];
  const router = new Router();
  registerSystemHandlers(router, info, { pickFolder: async () => answers.shift() });
  assert.deepEqual(await router.dispatch('system.pickFolder', {}, context), {
    supported: true,
    path: '/home/dev/project',
  });
  assert.deepEqual(await router.dispatch('system.pickFolder', {}, context), {
    supported: true,
    path: null,
  });
});

test('hello never carries the API key, only whether one is configured', async () => {
  const router = new Router();
  registerSystemHandlers(router, { ...info, apiKeyConfigured: true });
  const hello = await router.dispatch('system.hello', {}, context);
  assert.equal((hello as { apiKeyConfigured: boolean }).apiKeyConfigured, true);
  assert.doesNotMatch(JSON.stringify(hello), /sk-ant/);
});
