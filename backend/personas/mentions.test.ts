import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mentionedPaths } from './mentions.ts';

describe('mentionedPaths', () => {
  test('finds paths with a folder or an extension, trailing punctuation stripped', () => {
    assert.deepEqual(mentionedPaths('Fix ./src/app/button.ts, then update README.md.'), [
      'src/app/button.ts',
      'README.md',
    ]);
  });

  test('ignores URLs, version numbers and flags', () => {
    assert.deepEqual(mentionedPaths('see https://x.dev/a.html for v1.2 and run with --out=a'), []);
  });

  test('finds a path in backticks once', () => {
    assert.deepEqual(mentionedPaths('edit `cache/key.ts` (cache/key.ts)'), ['cache/key.ts']);
  });
});
