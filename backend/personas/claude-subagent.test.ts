import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir, writeTree } from '../../cache/test-support/temp.ts';
import { mapClaudeModel, mapClaudeTools } from './claude-subagent.ts';
import { loadPersonas } from './load.ts';
import { parsePersona } from './parse.ts';

const FIXTURES = fileURLToPath(new URL('../testing/claude-code-fixtures/', import.meta.url));
const PROJECT = join(FIXTURES, 'project');
const HOME = join(FIXTURES, 'home');

describe('Claude Code subagent files as personas', () => {
  test('every fixture subagent loads as it is, from nested folders too', async () => {
    const { personas, errors } = await loadPersonas({ homeDir: HOME, workspaceDir: PROJECT });
    assert.deepEqual(errors, []);
    const names = personas.filter((p) => p.origin !== 'builtin').map((p) => p.name);
    assert.deepEqual(names, [
      'agent-creator',
      'code-reviewer',
      'commit-writer',
      'data-scientist',
      'debugger',
      'deployment-engineer',
      'i18n-translator',
      'sql-pro',
      'typescript-pro',
    ]);
  });

  test('a one-line description with <example> blocks (not valid YAML) loads whole, with a note', async () => {
    const { personas } = await loadPersonas({ workspaceDir: PROJECT });
    const creator = personas.find((p) => p.name === 'agent-creator');
    assert.ok(creator !== undefined);
    assert.match(creator.description, /<example>.*I need an agent that generates unit tests/s);
    assert.ok(creator.description.length > 300);
    assert.match(creator.summary ?? '', /^Use this agent when the user asks to "create an agent"/);
    assert.doesNotMatch(creator.summary ?? '', /<example>/);
    assert.ok(creator.notes?.some((note) => /read line by line/.test(note)));
    assert.deepEqual(creator.tools, { allow: ['Write', 'Read', 'finish', 'ask_user'] });
    assert.deepEqual(creator.extra, { color: 'magenta' });
  });

  test('tools as a comma string, a YAML list and a block list all become the allow list', async () => {
    const { personas } = await loadPersonas({ workspaceDir: PROJECT });
    const allow = (name: string) => personas.find((p) => p.name === name)?.tools?.allow;
    assert.deepEqual(allow('code-reviewer'), [
      'Read',
      'Grep',
      'Glob',
      'Bash',
      'finish',
      'ask_user',
    ]);
    assert.deepEqual(allow('deployment-engineer'), [
      'Read',
      'Write',
      'Edit',
      'Bash',
      'finish',
      'ask_user',
    ]);
    // No tools field: every tool, as in Claude Code.
    assert.equal(allow('typescript-pro'), undefined);
  });

  test('a tool Troika lacks is left out with a note; model ids and aliases map', async () => {
    const { personas } = await loadPersonas({ workspaceDir: PROJECT });
    const i18n = personas.find((p) => p.name === 'i18n-translator');
    assert.deepEqual(i18n?.tools?.allow, ['Read', 'Edit', 'Grep', 'Glob', 'finish', 'ask_user']);
    assert.ok(
      i18n?.notes?.some((n) => n === 'tools: Troika has no tool for WebFetch, TodoWrite; left out'),
    );
    assert.equal(i18n?.model, 'claude-haiku-4-5');
    assert.match(personas.find((p) => p.name === 'typescript-pro')?.model ?? '', /^claude-opus-/);
    assert.equal(personas.find((p) => p.name === 'code-reviewer')?.model, undefined);
  });

  test('precedence: built-in < ~/.claude/agents < Troika folder < workspace .claude/agents', async (t) => {
    const userDir = tempDir(t, 'troika-personas-');
    writeTree(userDir, {
      'sql-pro.md': '---\nname: sql-pro\ndescription: Troika folder version.\n---\nMine.\n',
      'qa.md': '---\nname: qa\ndescription: Our QA.\n---\nOur rules.\n',
    });
    const { personas, overridden } = await loadPersonas({
      homeDir: HOME,
      userDir,
      workspaceDir: PROJECT,
    });
    const byName = (name: string) => personas.find((p) => p.name === name);
    assert.equal(byName('sql-pro')?.origin, 'user');
    assert.equal(byName('qa')?.origin, 'user');
    // The home folder has its own code-reviewer; the project's replaces it.
    assert.equal(byName('code-reviewer')?.origin, 'project');
    assert.match(byName('code-reviewer')?.prompt ?? '', /senior code reviewer/);
    assert.deepEqual(overridden, ['code-reviewer', 'qa', 'sql-pro']);
  });

  test('a file that fails to load keeps its name in `failed`, so pinning it can be refused', async (t) => {
    const workspace = tempDir(t, 'troika-ws-');
    writeTree(workspace, {
      '.claude/agents/broken.md': '---\nname: broken\n---\nno description\n',
    });
    const { failed, errors } = await loadPersonas({ workspaceDir: workspace });
    assert.equal(errors.length, 1);
    assert.match(failed.get('broken')?.message ?? '', /broken\.md: description: /);
  });

  test('a misspelt Troika key is still refused; an unknown one is kept with a note', () => {
    const persona = parsePersona(
      '---\nname: a\ndescription: d\ncolor: red\nhooks: {}\n---\nBody.\n',
      '/x/a.md',
      'project',
    );
    assert.deepEqual(persona.extra, { color: 'red', hooks: {} });
    assert.deepEqual(persona.notes, ['color, hooks: not used by Troika; kept and ignored']);
    assert.throws(
      () => parsePersona('---\nname: a\ndescription: d\npriorty: 3\n---\nB\n', '/x/a.md', 'user'),
      /"priorty" looks like a misspelt "priority"/,
    );
  });
});

describe('Claude Code tool and model names', () => {
  test('MultiEdit is Edit, Bash(git:*) is Bash, Troika names pass, the control tools are kept', () => {
    assert.deepEqual(mapClaudeTools(['MultiEdit', 'Bash(git:*)', 'list_files', 'Task']), {
      allow: ['Edit', 'Bash', 'list_files', 'finish', 'ask_user'],
      unknown: ['Task'],
    });
  });

  test('inherit keeps the agent model; an unknown word is noted', () => {
    assert.deepEqual(mapClaudeModel('inherit'), { model: undefined });
    assert.match(mapClaudeModel('gpt-5').note ?? '', /not a model Troika knows/);
  });
});
