import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadPersonas } from './load.ts';
import type { Persona } from './persona.ts';
import {
  choosePersona,
  GLOB_SCORE,
  KEYWORD_SCORE,
  scorePersona,
  UnknownPersonaError,
} from './select.ts';

function persona(name: string, triggers: Partial<Persona['triggers']>, priority = 0): Persona {
  return {
    name,
    description: name,
    triggers: { keywords: [], globs: [], tools: [], ...triggers },
    priority,
    prompt: `Be ${name}.`,
    source: `/p/${name}.md`,
    origin: 'user',
  };
}

describe('scorePersona', () => {
  test('keywords match whole words in any case, with simple inflections', () => {
    const p = persona('qa', { keywords: ['test', 'flaky'] });
    assert.deepEqual(scorePersona(p, { task: 'Fix the FLAKY Testing setup' }).matched.keywords, [
      'test',
      'flaky',
    ]);
  });

  test('a keyword inside another word does not match', () => {
    const p = persona('qa', { keywords: ['test'] });
    assert.equal(scorePersona(p, { task: 'update the latest contest results' }).score, 0);
  });

  test('a phrase matches across any whitespace', () => {
    const p = persona('security', { keywords: ['sql injection'] });
    assert.equal(scorePersona(p, { task: 'check for SQL\n injection' }).score, KEYWORD_SCORE);
  });

  test('phrases, punctuation and unicode words match as the whole-word rule says', () => {
    const p = persona('mixed', {
      keywords: ['unit test', 'c++', 'node.js', 'café', 'sql injection'],
    });
    const matched = (task: string) => scorePersona(p, { task }).matched.keywords;
    assert.deepEqual(matched('Add UNIT   tests for the C++ and Node.js parts'), [
      'unit test',
      'c++',
      'node.js',
    ]);
    // A phrase's words must be next to each other, with only whitespace between.
    assert.deepEqual(matched('a unit, test; sql-injection'), []);
    assert.deepEqual(matched('the Café menu; cafés'), ['café']);
    // Inside another word, or with a letter after it, a keyword does not count.
    assert.deepEqual(matched('subunit test node.jsx cafébar'), []);
  });

  test('each glob counts once however many files it matches', () => {
    const p = persona('frontend', { globs: ['**/*.css', '**/*.tsx'] });
    const { score, matched } = scorePersona(p, {
      task: '',
      files: ['a.css', 'src/b.css', 'src/c.ts'],
    });
    assert.equal(score, GLOB_SCORE);
    assert.deepEqual(matched.globs, ['**/*.css']);
  });

  test('trigger tools match the tools used, in any case', () => {
    const p = persona('ops', { tools: ['Bash'] });
    assert.deepEqual(scorePersona(p, { task: '', tools: ['bash'] }).matched.tools, ['Bash']);
  });
});

describe('choosePersona', () => {
  const qa = persona('qa', { keywords: ['test'], globs: ['**/*.test.ts'] }, 50);
  const docs = persona('docs', { keywords: ['readme', 'docs'] }, 20);
  const security = persona('security', { keywords: ['auth'] }, 70);

  test('the highest score wins', () => {
    const choice = choosePersona({ task: 'update the readme and the docs for the test' }, [
      qa,
      docs,
      security,
    ]);
    assert.equal(choice?.persona.name, 'docs');
    assert.equal(choice?.score, 2 * KEYWORD_SCORE);
  });

  test('a matching file outweighs a single keyword', () => {
    const choice = choosePersona({ task: 'update the docs', files: ['src/a.test.ts'] }, [qa, docs]);
    assert.equal(choice?.persona.name, 'qa');
  });

  test('a tie goes to the higher priority', () => {
    const choice = choosePersona({ task: 'test the auth flow' }, [qa, security]);
    assert.equal(choice?.persona.name, 'security');
  });

  test('a tie in score and priority goes to the name first in the alphabet, whatever the order given', () => {
    const b = persona('beta', { keywords: ['x'] });
    const a = persona('alpha', { keywords: ['x'] });
    assert.equal(choosePersona({ task: 'x' }, [b, a])?.persona.name, 'alpha');
    assert.equal(choosePersona({ task: 'x' }, [a, b])?.persona.name, 'alpha');
  });

  test('no match means no persona', () => {
    assert.equal(choosePersona({ task: 'hello there' }, [qa, docs, security]), undefined);
  });

  test('a pinned persona wins over any trigger', () => {
    const choice = choosePersona({ task: 'update the readme docs' }, [qa, docs], 'qa');
    assert.equal(choice?.persona.name, 'qa');
    assert.equal(choice?.pinned, true);
  });

  test('pinning an unknown name throws, listing the available ones', () => {
    assert.throws(
      () => choosePersona({ task: '' }, [qa, docs], 'nope'),
      (error: unknown) => {
        assert.ok(error instanceof UnknownPersonaError);
        assert.match(error.message, /"nope".*qa, docs/);
        return true;
      },
    );
  });

  test('the reason names the triggers that matched', () => {
    const choice = choosePersona({ task: 'write a test', files: ['x.test.ts'] }, [qa]);
    assert.equal(choice?.reason, 'matched keywords test; files matching **/*.test.ts (score 3)');
  });

  test('with the built-ins, the choice carries the triggers that made it', async () => {
    const { personas } = await loadPersonas();
    const choice = choosePersona(
      { task: 'Audit the logging calls in src/ for leaked tokens' },
      personas,
    );
    assert.equal(choice?.persona.name, 'security');
    assert.deepEqual(choice?.matched.keywords, ['audit', 'leak', 'leaked token']);
    assert.match(choice?.reason ?? '', /^matched keywords audit, leak, leaked token \(score 3\)$/);
  });

  test('with the built-ins, typical tasks get the expected persona', async () => {
    const { personas } = await loadPersonas();
    const cases: Array<[string, string[], string | undefined]> = [
      ['Fix the XSS vulnerability in the login form', [], 'security'],
      ['The build is slow; profile it and optimize the hot path', [], 'performance'],
      ['Add unit tests for the parser and fix the flaky one', [], 'qa'],
      ['Refactor this module: extract functions, remove dead code', [], 'refactorer'],
      ['Update the README with install steps', ['README.md'], 'docs'],
      ['Make the settings dialog responsive', ['frontend/src/settings.component.scss'], 'frontend'],
      ['Add a REST endpoint that stores orders in the database', [], 'backend'],
      ['Propose the module boundaries for the new plugin system', [], 'architect'],
      ['hello', [], undefined],
      // A leaked token is a secret's problem, not a memory leak's.
      ['Audit the logging calls in src/ for leaked tokens', [], 'security'],
      ['Find the memory leak in the websocket server', [], 'performance'],
      ['Do a code review of the payment module', [], 'reviewer'],
      // The read-only reviewer is chosen by its triggers, never guessed: a builder told to fix
      // points before its work merges must keep its tools.
      ['Before this merges, fix the following: the file holds a draft', ['parts/a.txt'], undefined],
    ];
    for (const [task, files, expected] of cases) {
      assert.equal(choosePersona({ task, files }, personas)?.persona.name, expected, task);
    }
  });
});
