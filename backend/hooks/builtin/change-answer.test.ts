import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyChangeAnswer, changeAnswer } from './change-answer.ts';

const view = (texts: string[]) =>
  texts.map((t, i) => `${String(i + 1).padStart(6)}\t${t}`).join('\n');
const FILE = Array.from({ length: 200 }, (_, i) => `const v${i} = ${i};`);

test('an insertion is answered with the new lines only, and the answer rebuilds the file exactly', () => {
  const after = [...FILE.slice(0, 50), 'const inserted = true;', ...FILE.slice(50)];
  const answer = changeAnswer('toolu_1', 'view a.ts', view(FILE), view(after));
  assert.ok(answer !== undefined);
  assert.match(
    answer,
    /^\[Changed since tool_use_id toolu_1 \(view a\.ts\): lines 51-50 .* 1 line below/,
  );
  assert.ok(answer.length < view(after).length / 10);
  assert.equal(applyChangeAnswer(answer, view(FILE)), view(after));
});

test('edits at both ends make one hunk; deletions and a rewrite round-trip too', () => {
  const cases = [
    ['changed first', ...FILE.slice(1, 199), 'changed last'],
    FILE.slice(0, 120),
    [...FILE.slice(0, 10), ...FILE.slice(30)],
  ];
  for (const after of cases) {
    const answer = changeAnswer('toolu_2', 'view a.ts', view(FILE), view(after));
    if (answer !== undefined) assert.equal(applyChangeAnswer(answer, view(FILE)), view(after));
  }
  assert.equal(
    changeAnswer(
      'toolu_2',
      'view a.ts',
      view(FILE),
      view(['changed first', ...FILE.slice(1, 199), 'x']),
    ),
    undefined,
    'a hunk spanning the file is no smaller: the full result is sent',
  );
});

test('nothing changed, or not a change answer: undefined', () => {
  assert.equal(changeAnswer('toolu_3', 'view a.ts', view(FILE), view(FILE)), undefined);
  assert.equal(applyChangeAnswer('[Unchanged: …]', view(FILE)), undefined);
});
