import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Persona } from '../../personas/persona.ts';
import { renderPersonaBlock } from '../../personas/prompt-block.ts';
import { UnknownPersonaError } from '../../personas/select.ts';
import { HookPipeline } from '../pipeline.ts';
import { PersonaSelection, personaHook, type PersonaChange } from './persona-hook.ts';

function persona(
  name: string,
  keywords: string[],
  tools?: Persona['tools'],
  globs: string[] = [],
): Persona {
  return {
    name,
    description: name,
    triggers: { keywords, globs, tools: [] },
    priority: 0,
    prompt: `Be ${name}.`,
    source: '',
    origin: 'builtin',
    ...(tools && { tools }),
  };
}

const QA = persona('qa', ['test']);
const DOCS = persona('docs', ['readme'], undefined, ['**/*.md']);
const REVIEWER = persona('reviewer', ['review'], { deny: ['bash', 'Write'] });
const READER = persona('reader', ['read'], { allow: ['Read', 'search_files'] });
const ALL = [QA, DOCS, REVIEWER, READER];

function setup(options: { pinned?: string } = {}) {
  const changes: PersonaChange[] = [];
  const selection = new PersonaSelection(ALL, { ...options, onChange: (c) => changes.push(c) });
  const pipeline = new HookPipeline({
    session: { agentId: 'a', cwd: '/w', transcriptPath: '' },
    hooks: [personaHook(selection)],
    onFailure: () => undefined,
  });
  return { selection, pipeline, changes };
}

describe('persona hook', () => {
  test('the task chooses the persona and the change is announced with its reason', async () => {
    const { pipeline, changes } = setup();
    await pipeline.userPromptSubmit({ prompt: 'Write a test for the parser' });
    assert.deepEqual(changes, [
      {
        name: 'qa',
        previous: null,
        reason: 'matched keywords test (score 1)',
        matched: { keywords: ['test'], globs: [], tools: [] },
        pinned: false,
      },
    ]);
  });

  test('every model request carries the same persona block, byte for byte', async () => {
    const { pipeline } = setup();
    await pipeline.userPromptSubmit({ prompt: 'Write a test' });
    const first = await pipeline.modelRequest({ persona: undefined });
    const second = await pipeline.modelRequest({ persona: undefined });
    assert.equal(first.persona, renderPersonaBlock(QA));
    assert.equal(second.persona, first.persona);
  });

  test('a later message does not switch an active persona', async () => {
    const { pipeline, changes } = setup();
    await pipeline.userPromptSubmit({ prompt: 'Write a test' });
    await pipeline.userPromptSubmit({ prompt: 'now update the readme' });
    assert.equal(changes.length, 1);
  });

  test('with no match, the request keeps what the runtime put there', async () => {
    const { pipeline, changes } = setup();
    await pipeline.userPromptSubmit({ prompt: 'hello' });
    assert.deepEqual(changes, []);
    assert.deepEqual(await pipeline.modelRequest({ persona: 'runtime text' }), {
      persona: 'runtime text',
    });
  });

  test('files touched before a match count as evidence for a later message', async () => {
    const { pipeline, changes } = setup();
    await pipeline.userPromptSubmit({ prompt: 'hello' });
    await pipeline.preToolUse({
      toolName: 'str_replace_based_edit_tool',
      toolUseId: 't',
      toolInput: { command: 'view', path: 'guide/intro.md' },
    });
    await pipeline.userPromptSubmit({ prompt: 'continue' });
    assert.equal(changes[0]?.name, 'docs');
    assert.deepEqual(changes[0]?.matched?.globs, ['**/*.md']);
  });

  test('a pinned persona is active from the start, whatever the task says', async () => {
    const { pipeline, changes } = setup({ pinned: 'docs' });
    await pipeline.userPromptSubmit({ prompt: 'Write a test' });
    assert.deepEqual(
      changes.map((c) => [c.name, c.pinned, c.reason]),
      [['docs', true, 'pinned by the user']],
    );
  });

  test('pinning another persona later is a deliberate, announced change', async () => {
    const { pipeline, selection, changes } = setup();
    await pipeline.userPromptSubmit({ prompt: 'Write a test' });
    selection.pin('docs');
    assert.deepEqual(changes.at(-1), {
      name: 'docs',
      previous: 'qa',
      reason: 'pinned by the user',
      pinned: true,
    });
    assert.equal(
      (await pipeline.modelRequest({ persona: undefined })).persona,
      renderPersonaBlock(DOCS),
    );
  });

  test('pinning an unknown persona throws', () => {
    assert.throws(() => setup({ pinned: 'nope' }), UnknownPersonaError);
  });

  test('a tool the persona denies is denied, in either vocabulary', async () => {
    const { pipeline } = setup({ pinned: 'reviewer' });
    const bash = await pipeline.preToolUse({
      toolName: 'bash',
      toolUseId: 't1',
      toolInput: { command: 'ls' },
    });
    const write = await pipeline.preToolUse({
      toolName: 'str_replace_based_edit_tool',
      toolUseId: 't2',
      toolInput: { command: 'create', path: 'a', file_text: '' },
    });
    const view = await pipeline.preToolUse({
      toolName: 'str_replace_based_edit_tool',
      toolUseId: 't3',
      toolInput: { command: 'view', path: 'a' },
    });
    assert.equal(bash.decision, 'deny');
    assert.match(bash.reason ?? '', /The reviewer persona does not use bash/);
    assert.equal(write.decision, 'deny');
    assert.equal(view.decision, 'allow');
  });

  test("a tool outside the persona's allow list is denied", async () => {
    const { pipeline } = setup({ pinned: 'reader' });
    assert.equal(
      (await pipeline.preToolUse({ toolName: 'list_files', toolUseId: 't', toolInput: {} }))
        .decision,
      'deny',
    );
    assert.equal(
      (
        await pipeline.preToolUse({
          toolName: 'search_files',
          toolUseId: 't',
          toolInput: { pattern: 'x' },
        })
      ).decision,
      'allow',
    );
  });
});
