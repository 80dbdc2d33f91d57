import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePersona, PersonaError } from './parse.ts';

const FILE = '/personas/reviewer.md';

function persona(front: string, body = 'Review carefully.'): string {
  return `---\n${front}\n---\n${body}\n`;
}

function parseError(text: string): string {
  try {
    parsePersona(text, FILE, 'user');
  } catch (error) {
    assert.ok(error instanceof PersonaError);
    return error.message;
  }
  assert.fail('expected a PersonaError');
}

describe('parsePersona', () => {
  test('reads every front matter field and the body', () => {
    const parsed = parsePersona(
      persona(
        'name: reviewer\ndescription: Reviews code.\ntriggers:\n  keywords: [review]\n  globs: ["**/*.ts"]\n  tools: [bash]\npriority: 5\ntools:\n  deny: [bash]',
        '\nBe thorough.\n\n',
      ),
      FILE,
      'user',
    );
    assert.deepEqual(parsed, {
      name: 'reviewer',
      description: 'Reviews code.',
      triggers: { keywords: ['review'], globs: ['**/*.ts'], tools: ['bash'] },
      priority: 5,
      tools: { deny: ['bash'] },
      summary: 'Reviews code.',
      prompt: 'Be thorough.',
      source: FILE,
      origin: 'user',
    });
  });

  test('triggers, priority and tools are optional', () => {
    const parsed = parsePersona(
      persona('name: reviewer\ndescription: Reviews code.'),
      FILE,
      'user',
    );
    assert.deepEqual(parsed.triggers, { keywords: [], globs: [], tools: [] });
    assert.equal(parsed.priority, 0);
    assert.equal(parsed.tools, undefined);
  });

  test('CRLF line ends and a byte-order mark give the same persona as LF', () => {
    const lf = persona('name: reviewer\ndescription: Reviews code.', 'Line one.\nLine two.');
    const crlf = '\uFEFF' + lf.replace(/\n/g, '\r\n');
    assert.deepEqual(parsePersona(crlf, FILE, 'user'), parsePersona(lf, FILE, 'user'));
  });

  test('a file without front matter is refused, naming the file', () => {
    assert.match(
      parseError('Just a prompt.'),
      /^\/personas\/reviewer\.md: must start with YAML front matter/,
    );
  });

  test('front matter that is neither YAML nor key lines is refused with its line in the file', () => {
    assert.match(
      parseError(persona('  - [unclosed\nname: reviewer')),
      /reviewer\.md: front matter is not valid YAML \(line \d+\)/,
    );
  });

  test('a missing required field is named', () => {
    assert.match(parseError(persona('name: reviewer')), /reviewer\.md: description: /);
  });

  test('a wrong type deep in the triggers is named by its path', () => {
    assert.match(
      parseError(persona('name: reviewer\ndescription: d\ntriggers:\n  keywords: [ok, 3]')),
      /triggers\.keywords\[1\]: /,
    );
  });

  test('an unknown key that is a typo of a known one is refused and named', () => {
    assert.match(
      parseError(persona('name: reviewer\ndescription: d\ntrigger:\n  keywords: [x]')),
      /front matter: "trigger" looks like a misspelt "triggers"/,
    );
  });

  test('a name with capitals or spaces is refused', () => {
    assert.match(
      parseError(persona('name: Code Reviewer\ndescription: d')),
      /name: must be lower-case letters/,
    );
  });

  test('a non-integer priority is refused', () => {
    assert.match(
      parseError(persona('name: reviewer\ndescription: d\npriority: high')),
      /priority: /,
    );
  });

  test('an empty body is refused', () => {
    assert.match(parseError('---\nname: reviewer\ndescription: d\n---\n\n'), /has no role prompt/);
  });
});
