import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProtocolError } from '../protocol/envelope.ts';
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
