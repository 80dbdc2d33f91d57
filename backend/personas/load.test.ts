import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tempDir, writeTree } from '../../cache/test-support/temp.ts';
import { BUILTIN_PERSONAS_DIR, loadPersonas, MAX_PERSONA_FILE_BYTES } from './load.ts';
import { PersonaError } from './parse.ts';

const BUILTIN_NAMES = [
  'architect',
  'backend',
  'docs',
  'frontend',
  'performance',
  'qa',
  'refactorer',
  'reviewer',
  'security',
];

function personaFile(name: string, body = 'Do the work.'): string {
  return `---\nname: ${name}\ndescription: The ${name} role.\n---\n${body}\n`;
}

describe('loadPersonas', () => {
  test('loads the nine built-ins, valid and sorted by name', async () => {
    const { personas, errors } = await loadPersonas();
    assert.deepEqual(
      personas.map((p) => p.name),
      BUILTIN_NAMES,
    );
    assert.deepEqual(errors, []);
    assert.ok(
      personas.every((p) => p.origin === 'builtin' && p.source.startsWith(BUILTIN_PERSONAS_DIR)),
    );
  });

  test('every built-in has triggers and a substantial prompt', async () => {
    const { personas } = await loadPersonas();
    for (const persona of personas) {
      assert.ok(persona.triggers.keywords.length >= 5, `${persona.name} keywords`);
      assert.ok(persona.prompt.length >= 400, `${persona.name} prompt`);
    }
  });

  test('a user persona adds to the built-ins', async (t) => {
    const userDir = tempDir(t, 'troika-personas-');
    writeTree(userDir, { 'translator.md': personaFile('translator') });
    const { personas } = await loadPersonas({ userDir });
    assert.equal(personas.find((p) => p.name === 'translator')?.origin, 'user');
    assert.equal(personas.length, BUILTIN_NAMES.length + 1);
  });

  test('a user persona with a built-in name replaces it and is reported as overriding', async (t) => {
    const userDir = tempDir(t, 'troika-personas-');
    writeTree(userDir, { 'my-qa.md': personaFile('qa', 'Our own QA rules.') });
    const { personas, overridden } = await loadPersonas({ userDir });
    const qa = personas.filter((p) => p.name === 'qa');
    assert.equal(qa.length, 1);
    assert.equal(qa[0]?.prompt, 'Our own QA rules.');
    assert.deepEqual(overridden, ['qa']);
  });

  test('a broken user file is reported with its name and the rest still load', async (t) => {
    const userDir = tempDir(t, 'troika-personas-');
    writeTree(userDir, { 'good.md': personaFile('good'), 'bad.md': '---\nname: bad\n---\nbody\n' });
    const { personas, errors } = await loadPersonas({ userDir });
    assert.ok(personas.some((p) => p.name === 'good'));
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof PersonaError);
    assert.match(errors[0].message, /bad\.md: description: /);
  });

  test('two user files with the same name: the second is an error naming the first', async (t) => {
    const userDir = tempDir(t, 'troika-personas-');
    writeTree(userDir, { 'a.md': personaFile('twin'), 'b.md': personaFile('twin') });
    const { errors } = await loadPersonas({ userDir });
    assert.match(errors[0]?.message ?? '', /b\.md: name "twin" is already used by .*a\.md/);
  });

  test('a file over the size limit is refused', async (t) => {
    const userDir = tempDir(t, 'troika-personas-');
    writeTree(userDir, { 'huge.md': personaFile('huge', 'x'.repeat(MAX_PERSONA_FILE_BYTES)) });
    const { errors } = await loadPersonas({ userDir });
    assert.match(errors[0]?.message ?? '', /huge\.md: is \d+ bytes/);
  });

  test('files that are not Markdown are ignored', async (t) => {
    const userDir = tempDir(t, 'troika-personas-');
    writeTree(userDir, { 'notes.txt': 'not a persona' });
    const { personas, errors } = await loadPersonas({ userDir });
    assert.equal(personas.length, BUILTIN_NAMES.length);
    assert.deepEqual(errors, []);
  });

  test('a user folder that does not exist yet is not an error', async (t) => {
    const { errors } = await loadPersonas({ userDir: `${tempDir(t)}/missing` });
    assert.deepEqual(errors, []);
  });

  test('a broken built-in throws, and is read again once mended', async (t) => {
    const builtinDir = tempDir(t, 'troika-personas-');
    writeTree(builtinDir, { 'x.md': 'no front matter' });
    await assert.rejects(loadPersonas({ builtinDir }), PersonaError);
    writeTree(builtinDir, { 'x.md': personaFile('x') });
    const { personas } = await loadPersonas({ builtinDir });
    assert.deepEqual(
      personas.map((p) => p.name),
      ['x'],
    );
  });

  test('built-ins are read once per process; each load gets its own list to add to', async (t) => {
    const builtinDir = tempDir(t, 'troika-personas-');
    writeTree(builtinDir, { 'a.md': personaFile('a') });
    const userDir = tempDir(t, 'troika-personas-');
    writeTree(userDir, { 'b.md': personaFile('b') });
    const first = await loadPersonas({ builtinDir, userDir });
    // Built-ins ship with the app: a change on disk is not looked for while it runs.
    writeTree(builtinDir, { 'c.md': personaFile('c') });
    const second = await loadPersonas({ builtinDir });
    assert.deepEqual(
      first.personas.map((p) => p.name),
      ['a', 'b'],
    );
    assert.deepEqual(
      second.personas.map((p) => p.name),
      ['a'],
      "the first load's own persona did not leak into the next",
    );
  });
});
