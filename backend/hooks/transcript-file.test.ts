import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { tempDir } from '../../cache/test-support/temp.ts';
import { TranscriptFiles, type TranscriptMessageRow } from './transcript-file.ts';

const META = { cwd: '/work/repo', gitBranch: 'troika/a1', model: 'claude-sonnet-5-5' };

function lines(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function setup(dir: string, stored: TranscriptMessageRow[] = []) {
  return new TranscriptFiles({ dir, rows: () => stored, meta: () => META });
}

describe("the transcript file in Claude Code's JSONL shape", () => {
  test('each message is a line chained by parentUuid, with the session fields Claude Code writes', (t) => {
    const files = setup(tempDir(t, 'troika-transcripts-'));
    files.put('a1', {
      seq: 0,
      role: 'user',
      content: [{ type: 'text', text: 'task' }],
      createdAt: 0,
    });
    files.put('a1', {
      seq: 1,
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'tu1', name: 'bash', input: { command: 'ls' } }],
      createdAt: 1000,
    });
    const [user, assistant] = lines(files.path('a1'));
    assert.equal(user?.['parentUuid'], null);
    assert.equal(assistant?.['parentUuid'], user?.['uuid']);
    assert.deepEqual(
      [
        user?.['type'],
        user?.['sessionId'],
        user?.['cwd'],
        user?.['gitBranch'],
        user?.['isSidechain'],
      ],
      ['user', 'a1', '/work/repo', 'troika/a1', false],
    );
    assert.equal(assistant?.['timestamp'], '1970-01-01T00:00:01.000Z');
    const message = assistant?.['message'] as Record<string, unknown>;
    assert.deepEqual(
      [message['role'], message['type'], message['model']],
      ['assistant', 'message', 'claude-sonnet-5-5'],
    );
    assert.match(String(message['id']), /^msg_/);
    // Tool calls carry Claude Code's names and inputs, as a script reading the transcript expects.
    assert.deepEqual(message['content'], [
      { type: 'tool_use', id: 'tu1', name: 'Bash', input: { command: 'ls' } },
    ]);
  });

  test('a message stored again replaces its line; an older one rewrites the file', (t) => {
    const stored: TranscriptMessageRow[] = [];
    const files = setup(tempDir(t, 'troika-transcripts-'), stored);
    const put = (row: TranscriptMessageRow) => {
      stored[row.seq] = row;
      files.put('a1', row);
    };
    put({ seq: 0, role: 'user', content: [{ type: 'text', text: 'a' }], createdAt: 0 });
    put({ seq: 1, role: 'user', content: [{ type: 'text', text: 'b' }], createdAt: 0 });
    put({
      seq: 1,
      role: 'user',
      content: [
        { type: 'text', text: 'b' },
        { type: 'text', text: 'c' },
      ],
      createdAt: 0,
    });
    assert.equal(lines(files.path('a1')).length, 2);
    assert.equal(
      (lines(files.path('a1'))[1]?.['message'] as { content: unknown[] }).content.length,
      2,
    );
    put({ seq: 0, role: 'user', content: [{ type: 'text', text: 'A' }], createdAt: 0 });
    const text = readFileSync(files.path('a1'), 'utf8');
    assert.match(text, /"text":"A"/);
    assert.equal(lines(files.path('a1')).length, 2);
  });

  test('a resumed agent: the first put writes every stored message', (t) => {
    const stored: TranscriptMessageRow[] = [
      { seq: 0, role: 'user', content: [{ type: 'text', text: 'old task' }], createdAt: 0 },
      { seq: 1, role: 'assistant', content: [{ type: 'text', text: 'old answer' }], createdAt: 0 },
      { seq: 2, role: 'user', content: [{ type: 'text', text: 'new' }], createdAt: 0 },
    ];
    const files = setup(tempDir(t, 'troika-transcripts-'), stored);
    files.put('a1', stored[2] as TranscriptMessageRow);
    assert.equal(lines(files.path('a1')).length, 3);
  });

  test('an unknown agent gets no file; a write failure is reported once, never thrown', (t) => {
    const errors: string[] = [];
    // A file where the folder should be: every write fails.
    const blocker = join(tempDir(t, 'troika-transcripts-'), 'a-file');
    writeFileSync(blocker, '');
    const files = new TranscriptFiles({
      dir: join(blocker, 'transcripts'),
      rows: () => [],
      meta: (id) => (id === 'known' ? META : undefined),
      onError: (_id, error) => errors.push(error.message),
    });
    files.put('unknown', { seq: 0, role: 'user', content: [], createdAt: 0 });
    assert.deepEqual(errors, []);
    files.put('known', { seq: 0, role: 'user', content: [], createdAt: 0 });
    files.put('known', { seq: 1, role: 'user', content: [], createdAt: 0 });
    assert.equal(errors.length, 1);
  });
});
