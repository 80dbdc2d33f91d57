import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Redactor } from './redact.ts';
import { MAX_HELD_CHARS, MAX_HELD_KEY_CHARS, RedactingStream } from './stream.ts';

const GITHUB_TOKEN = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
const PEM = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmU=',
  'QUFBQUMzTnphQzFsWkRJMU5URTVBQUFBSU',
  '-----END OPENSSH PRIVATE KEY-----',
].join('\n');

/** Feeds `chunks` through a fresh stream and returns everything it released. */
function stream(
  chunks: readonly string[],
  redactor = new Redactor(),
): { out: string; released: string[] } {
  const s = new RedactingStream(redactor);
  const released = chunks.map((chunk) => s.push(chunk));
  released.push(s.flush());
  return { out: released.join(''), released };
}

describe('RedactingStream', () => {
  test('a token split across two chunks is still hidden', () => {
    const half = GITHUB_TOKEN.length / 2;
    const { out } = stream([
      `token: ${GITHUB_TOKEN.slice(0, half)}`,
      `${GITHUB_TOKEN.slice(half)}\nnext line\n`,
    ]);
    assert.equal(out, 'token: [REDACTED:github-token]\nnext line\n');
  });

  test('a registered value split at every character is still hidden', () => {
    const redactor = new Redactor();
    redactor.addSecret('the-configured-key-42');
    const { out } = stream([...'use the-configured-key-42 now\n'], redactor);
    assert.equal(out, 'use [REDACTED:configured-secret] now\n');
  });

  test('complete lines are released at once; the unfinished line waits', () => {
    const { released } = stream(['one\ntw', 'o\n']);
    assert.deepEqual(released, ['one\n', 'two\n', '']);
  });

  test('a private key block split across chunks and lines becomes one marker', () => {
    const lines = PEM.split('\n');
    const { out } = stream([
      'before\n',
      `${lines[0]}\n${lines[1]}\n`,
      `${lines[2]}\n`,
      `${lines[3]}\nafter\n`,
    ]);
    assert.equal(out, 'before\n[REDACTED:private-key]\nafter\n');
  });

  test('nothing of a key block is released before its END line arrives', () => {
    const lines = PEM.split('\n');
    const { released } = stream([`${lines[0]}\n${lines[1]}\n`, `${lines[2]}\n`, `${lines[3]}\n`]);
    assert.deepEqual(released.slice(0, 2), ['', '']);
  });

  test('a key block that never ends is hidden and the rest of it swallowed', () => {
    const s = new RedactingStream(new Redactor());
    const body = 'QUFB'.repeat(MAX_HELD_KEY_CHARS / 4);
    const first = s.push(`-----BEGIN PRIVATE KEY-----\n${body}\n`);
    const more = s.push('QUFBQUFB\n');
    const after = s.push('-----END PRIVATE KEY-----\nvisible\n');
    assert.equal(first, '[REDACTED:private-key]');
    assert.equal(more, '');
    assert.equal(after + s.flush(), '\nvisible\n');
  });

  test('a line longer than the hold limit is released in parts, cut at whitespace', () => {
    const s = new RedactingStream(new Redactor());
    const word = 'abcdefghi ';
    const released = s.push(word.repeat(Math.ceil(MAX_HELD_CHARS / word.length) + 200));
    assert.ok(released.length > 0);
    assert.ok(released.endsWith(' '));
  });
});

describe('RedactingStream over terminal output', () => {
  test('a numbered, coloured secret split mid-value across PTY chunks is hidden whole', () => {
    const secret = 'Rt5' + 'vQ8nX2pL7kW4';
    const s = new RedactingStream(new Redactor(), { terminal: true });
    const line = `     3\t\x1b[32mSECRET_TOKEN\x1b[m=${secret}\r\n$ `;
    const cuts = [9, 20, 30];
    let out = '';
    let at = 0;
    for (const cut of [...cuts, line.length]) {
      out += s.push(line.slice(at, cut));
      at = cut;
    }
    out += s.flush();
    assert.equal(out.includes(secret.slice(0, 6)), false, JSON.stringify(out));
    assert.equal(out.includes(secret.slice(6)), false, JSON.stringify(out));
    assert.equal(out, '     3\t\x1b[32mSECRET_TOKEN\x1b[m=[REDACTED:env-secret]\r\n$ ');
  });
});
