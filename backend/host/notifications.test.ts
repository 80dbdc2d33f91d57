import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AgentState, AgentSummary } from '../protocol/agent.ts';
import { notificationFor, planNotificationFor } from './notifications.ts';

function event(state: AgentState, extra: Partial<AgentSummary> = {}, reason: string | null = null) {
  const agent = {
    id: 'a1',
    task: 'Fix the flaky login test\nmore detail',
    pendingApproval: null,
    pendingQuestion: null,
    ...extra,
  } as AgentSummary;
  return { agentId: 'a1', state, reason, agent };
}

test('an approval request notifies urgently with the command to approve', () => {
  const n = notificationFor(
    event('waiting_approval', {
      pendingApproval: {
        toolUseId: 't',
        tool: 'bash',
        input: {},
        reason: 'recursive forced delete',
        preview: 'rm -rf build',
      },
    }),
  );
  assert.deepEqual(n, { title: 'An agent asks for approval', body: 'rm -rf build', urgent: true });
});

test('a question notifies with the question', () => {
  assert.equal(
    notificationFor(
      event('waiting_answer', { pendingQuestion: { toolUseId: 't', question: 'Which database?' } }),
    )?.body,
    'Which database?',
  );
});

test('a finished agent is named by the first line of its task', () => {
  assert.equal(notificationFor(event('done'))?.body, 'Fix the flaky login test');
});

test('running and paused are not news, nor a stop the user asked for', () => {
  assert.equal(notificationFor(event('running')), undefined);
  assert.equal(notificationFor(event('paused')), undefined);
  assert.equal(notificationFor(event('stopped', {}, 'Stopped by the user')), undefined);
  assert.match(
    notificationFor(event('stopped', {}, 'Agent budget of $1.00 reached: spent $1.02'))?.body ?? '',
    /budget/,
  );
});

test('a plan task escalated to the user notifies urgently with its plan, task and reason', () => {
  assert.deepEqual(
    planNotificationFor({
      planId: 'p1',
      planName: 'Users API',
      taskId: '3',
      title: 'Users page',
      reason: 'Merge conflict in src/users.ts',
      attempts: 4,
      agentId: null,
    }),
    {
      title: 'A plan task needs you',
      body: 'Users API · Users page: Merge conflict in src/users.ts',
      urgent: true,
    },
  );
});
