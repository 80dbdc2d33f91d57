import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { installSafetyNet } from './safety-net.ts';

const SECRET = 'troika-test-secret-0123456789abcdef';

describe('the process safety net', () => {
  test('logs an uncaught exception and an unhandled rejection, redacted, until taken away', () => {
    const target = new EventEmitter();
    const logged: string[] = [];
    const uninstall = installSafetyNet({
      target,
      log: (message) => logged.push(message),
      redact: (text) => text.replaceAll(SECRET, '[hidden]'),
    });
    target.emit('uncaughtException', new Error(`boom near ${SECRET}`));
    target.emit('unhandledRejection', 'a plain reason');
    assert.equal(logged.length, 2);
    assert.match(
      logged[0] ?? '',
      /^Uncaught exception, still serving: Error: boom near \[hidden\]/,
    );
    assert.doesNotMatch(logged[0] ?? '', new RegExp(SECRET));
    assert.equal(logged[1], 'Unhandled promise rejection, still serving: a plain reason');
    uninstall();
    assert.equal(target.listenerCount('uncaughtException'), 0);
    assert.equal(target.listenerCount('unhandledRejection'), 0);
  });

  test('a log that throws does not turn the net into a crash', () => {
    const target = new EventEmitter();
    installSafetyNet({
      target,
      log: () => {
        throw new Error('stderr is gone');
      },
      redact: (text) => text,
    });
    assert.doesNotThrow(() => target.emit('uncaughtException', new Error('boom')));
  });

  test('a real process with the net survives a throw in a timer and a rejected promise', async () => {
    const module = new URL('./safety-net.ts', import.meta.url).href;
    const redaction = new URL('../redaction/redact.ts', import.meta.url).href;
    const script = `
      import { installSafetyNet } from ${JSON.stringify(module)};
      import { Redactor } from ${JSON.stringify(redaction)};
      const redactor = new Redactor();
      redactor.addSecret(${JSON.stringify(SECRET)});
      installSafetyNet({ log: (m) => console.log(m), redact: (t) => redactor.redact(t) });
      setTimeout(() => { throw new Error('timer threw with ${SECRET}'); }, 0);
      void Promise.reject(new Error('nobody handled this'));
      setTimeout(() => console.log('still alive'), 50);
    `;
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--input-type=module',
      '--eval',
      script,
    ]);
    assert.match(stdout, /Unhandled promise rejection, still serving: Error: nobody handled this/);
    assert.match(stdout, /Uncaught exception, still serving: Error: timer threw with \[REDACTED/);
    assert.doesNotMatch(stdout, new RegExp(SECRET));
    assert.match(stdout, /still alive\n$/);
  });
});
