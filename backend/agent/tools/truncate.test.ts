import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { terminalToText } from './terminal-text.ts';
import { truncateForModel } from './truncate.ts';

describe('truncation for the model', () => {
  test('short output is unchanged', () => {
    assert.deepEqual(truncateForModel('hello', 100), { text: 'hello', cutChars: 0, cutLines: 0 });
  });

  test('long output keeps head and tail and says how much was cut', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
    const result = truncateForModel(lines, 200);
    assert.ok(result.text.startsWith('line 0\n'));
    assert.ok(result.text.endsWith('line 999'));
    assert.equal(result.cutChars, lines.length - 200);
    assert.match(
      result.text,
      new RegExp(`${result.cutChars} characters \\(${result.cutLines} lines\\) cut`),
    );
  });
});

describe('terminal output to text', () => {
  test('colours are removed and CRLF becomes LF', () => {
    assert.equal(terminalToText('\x1b[1;31merror\x1b[0m\r\nok\r\n'), 'error\nok\n');
  });

  test('a line redrawn with carriage returns keeps what it finally showed', () => {
    assert.equal(terminalToText('10%\r50%\r100%\r\ndone'), '100%\ndone');
  });
});
