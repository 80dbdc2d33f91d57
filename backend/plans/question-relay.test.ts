import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { EventBus } from '../bus/events.ts';
import type { EventMap } from '../protocol/index.ts';
import { questionHops, setTalkSettings } from './plan-talk.ts';
import type { QuestionOutcome, QuestionRequest } from './planner-answers.ts';
import { QuestionRelay } from './question-relay.ts';
import { task } from './testing/fixtures.ts';
import { planHarness, waitUntil, type Harness } from './testing/plan-harness.ts';

const harnesses: Harness[] = [];
const relays: QuestionRelay[] = [];
afterEach(() => {
  for (const r of relays.splice(0)) r.dispose();
  for (const h of harnesses.splice(0)) h.dispose();
});

type Ask = (request: QuestionRequest, signal: AbortSignal) => Promise<QuestionOutcome>;

/** A relay over a real plan store, its builder agent `agent-1` on task `t`. */
async function relayWith(ask: Ask) {
  const h = await planHarness([task('t')], {});
  harnesses.push(h);
  const events = new EventBus();
  const answers: string[] = [];
  const waiting: Array<string | null> = [];
  const relay = new QuestionRelay({
    planId: h.planId,
    store: h.store,
    events,
    agents: { answer: (_id: string, text: string) => void answers.push(text) } as never,
    branch: 'troika/plan-x',
    ask,
    record: (taskId, hop, change) => {
      if (change.waitingFor !== undefined) waiting.push(change.waitingFor);
      const p = h.store.progress(h.planId).find((q) => q.taskId === taskId);
      if (p) h.store.saveStep(h.planId, p, { kind: 'question', data: hop });
    },
  });
  relays.push(relay);
  relay.watch('t', 'agent-1');
  const asks = (question: string) =>
    events.publish('agent.question', {
      agentId: 'agent-1',
      question: { toolUseId: 'tu', question },
    } as EventMap['agent.question']);
  const hops = () => questionHops(h.store.evidence(h.planId), 't');
  return { h, events, answers, waiting, asks, hops };
}

describe('question relay', () => {
  test('a question the planner cannot answer goes to the user, with why', async () => {
    const askers: string[] = [];
    const r = await relayWith(async (request) => {
      askers.push(request.askerId);
      return {
        answer: { cannot_answer: 'Only the user knows the brand colour' },
        failure: null,
        costUsd: 0.1,
        model: 'm',
      };
    });
    r.asks('Which colour?');
    await waitUntil(() => r.hops().length === 2, 'two hops');
    assert.deepEqual(
      r.hops().map((x) => [x.from, x.to, x.text, x.reason]),
      [
        ['builder', 'planner', 'Which colour?', null],
        [
          'planner',
          'user',
          'Which colour?',
          'The planner cannot answer: Only the user knows the brand colour',
        ],
      ],
    );
    assert.deepEqual(r.answers, []);
    assert.deepEqual(r.waiting, ['Which colour?']);
    // The planner was asked on behalf of the builder, to run in its slot.
    assert.deepEqual(askers, ['agent-1']);
    // The user answers in the agent's panel: the agent runs again, and the hop is recorded.
    r.events.publish('agent.state', {
      agentId: 'agent-1',
      state: 'running',
    } as EventMap['agent.state']);
    assert.deepEqual(r.hops().at(-1)?.from, 'user');
    assert.deepEqual(r.waiting, ['Which colour?', null]);
  });

  test('a planner that does not answer within the time limit leaves the question to the user', async () => {
    const r = await relayWith(
      (_request, signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        ),
    );
    setTalkSettings(r.h.store, r.h.planId, { questionTimeoutSeconds: 10 });
    // The shortest limit the protocol allows; the planner here never answers, so the test waits it out.
    r.asks('Slow?');
    await waitUntil(() => r.hops().length === 2, 'the time limit', 30_000);
    assert.equal(r.hops()[1]?.to, 'user');
    assert.equal(r.hops()[1]?.reason, 'The planner gave no answer within 10 s');
  });
});
