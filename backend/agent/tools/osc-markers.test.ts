import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MarkerParser } from './osc-markers.ts';

describe('shell-integration marker parser', () => {
  test('finds OSC 633 markers with an exit code between text', () => {
    const pieces = new MarkerParser().push('a\x1b]633;C\x07out\n\x1b]633;D;2\x07b');
    assert.deepEqual(pieces, [
      { kind: 'text', text: 'a' },
      { kind: 'marker', code: 'C' },
      { kind: 'text', text: 'out\n' },
      { kind: 'marker', code: 'D', exitCode: 2 },
      { kind: 'text', text: 'b' },
    ]);
  });

  test('understands OSC 133 with an ST terminator', () => {
    assert.deepEqual(new MarkerParser().push('\x1b]133;D;0\x1b\\'), [
      { kind: 'marker', code: 'D', exitCode: 0 },
    ]);
  });

  test('a marker split across chunks is found once complete', () => {
    const parser = new MarkerParser();
    assert.deepEqual(parser.push('x\x1b]63'), [{ kind: 'text', text: 'x' }]);
    assert.deepEqual(parser.push('3;D;1'), []);
    assert.deepEqual(parser.push('\x07y'), [
      { kind: 'marker', code: 'D', exitCode: 1 },
      { kind: 'text', text: 'y' },
    ]);
  });

  test('other escape sequences pass through as text', () => {
    assert.deepEqual(new MarkerParser().push('\x1b[31mred\x1b[0m'), [
      { kind: 'text', text: '\x1b[31mred\x1b[0m' },
    ]);
  });

  test('a D marker without a code has no exit code', () => {
    assert.deepEqual(new MarkerParser().push('\x1b]633;D\x07'), [{ kind: 'marker', code: 'D' }]);
  });
});
