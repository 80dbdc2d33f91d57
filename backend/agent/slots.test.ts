import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProtocolError } from '../protocol/envelope.ts';
import { slotHolders } from '../protocol/slots.ts';
import { requireFreeSlot } from './slots.ts';

test('a free slot lets the start through', () => {
  requireFreeSlot(3, [{ task: 'a', state: 'waiting_approval' }], 1);
});

test('full slots are refused naming each holder by what it does, and what would free one', () => {
  assert.throws(
    () =>
      requireFreeSlot(
        3,
        [
          { task: 'Fix the login form\nmore detail', state: 'running' },
          { task: 'Clean the build', state: 'waiting_approval' },
          { task: 'Write docs', state: 'paused' },
        ],
        0,
      ),
    (error: unknown) => {
      assert.ok(error instanceof ProtocolError);
      assert.equal(error.code, 'limit_reached');
      assert.equal(
        error.message,
        'All 3 agent slots are taken: "Fix the login form" (running), "Clean the build" (waiting for your approval), "Write docs" (paused). ' +
          'To free one: stop one or wait for it to finish; approve or deny, or stop it; stop a paused one. A finished, stopped or failed agent does not hold a slot.',
      );
      assert.doesNotMatch(error.message, /3 are running/);
      return true;
    },
  );
});

test('an agent still starting counts, and is said as such', () => {
  assert.throws(
    () => requireFreeSlot(3, [{ task: 'a', state: 'running' }], 2),
    /"a" \(running\), 2 starting/,
  );
});

test("an agent in another's slot counts with it while that one is active, alone once it is not", () => {
  const agents = [
    { id: 'builder', active: true },
    { id: 'planner', slotOf: 'builder', active: true },
    { id: 'other', active: true },
    { id: 'done', active: false },
  ];
  assert.deepEqual(
    slotHolders(agents, (a) => a.active).map((a) => a.id),
    ['builder', 'other'],
  );
  const builderStopped = agents.map((a) => (a.id === 'builder' ? { ...a, active: false } : a));
  assert.deepEqual(
    slotHolders(builderStopped, (a) => a.active).map((a) => a.id),
    ['planner', 'other'],
  );
});
