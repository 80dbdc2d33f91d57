import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { forkUtilityBackend, type UtilityFork } from './utility-backend.ts';

/** Stands in for Electron's UtilityProcess: an emitter with postMessage and kill. */
class FakeUtilityProcess extends EventEmitter {
  readonly posted: unknown[] = [];
  kills = 0;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  kill(): boolean {
    this.kills++;
    this.emit('exit', 0);
    return true;
  }
}

function start() {
  const child = new FakeUtilityProcess();
  const forks: Array<{ entry: string; options: unknown }> = [];
  const fork = ((entry: string, _args: string[], options: unknown) => {
    forks.push({ entry, options });
    return child;
  }) as unknown as UtilityFork;
  const handle = forkUtilityBackend(fork, '/app/backend/host/main.js', { A: '1' });
  return { child, forks, handle };
}

test('the backend entry is forked as a named utility process with the given environment', () => {
  const { forks } = start();
  assert.equal(forks.length, 1);
  assert.equal(forks[0]?.entry, '/app/backend/host/main.js');
  assert.deepEqual(forks[0]?.options, {
    serviceName: 'Troika backend',
    stdio: 'inherit',
    env: { A: '1' },
  });
});

test('messages pass both ways until the process exits, and exit is reported once known', () => {
  const { child, handle } = start();
  const received: unknown[] = [];
  const stop = handle.onMessage((message) => received.push(message));
  handle.postMessage({ type: 'connect', connection: 1 });
  child.emit('message', { type: 'send', connection: 1, message: '{}' });
  stop();
  child.emit('message', 'after unsubscribing');
  assert.deepEqual(child.posted, [{ type: 'connect', connection: 1 }]);
  assert.deepEqual(received, [{ type: 'send', connection: 1, message: '{}' }]);

  const codes: Array<number | null> = [];
  handle.onExit((code) => codes.push(code));
  child.emit('exit', 3);
  handle.onExit((code) => codes.push(code));
  handle.postMessage('to no one');
  handle.kill();
  assert.deepEqual(codes, [3, 3]);
  assert.equal(child.posted.length, 1, 'nothing is posted to an exited process');
  assert.equal(child.kills, 0, 'an exited process is not killed again');
});
