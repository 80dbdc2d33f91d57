import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { claudeToolName, fromClaudeInput, toClaudeTool, toolNames } from './claude-tools.ts';

const CWD = '/work/repo';

describe('Claude Code tool vocabulary', () => {
  test('bash is Bash with the same input', () => {
    assert.deepEqual(toClaudeTool('bash', { command: 'ls' }, CWD), {
      toolName: 'Bash',
      toolInput: { command: 'ls' },
    });
  });

  test('an editor str_replace is an Edit with absolute file_path, old_string and new_string', () => {
    const call = toClaudeTool(
      'str_replace_based_edit_tool',
      { command: 'str_replace', path: 'src/a.ts', old_str: 'a', new_str: 'b' },
      CWD,
    );
    assert.deepEqual(call, {
      toolName: 'Edit',
      toolInput: {
        command: 'str_replace',
        file_path: '/work/repo/src/a.ts',
        old_string: 'a',
        new_string: 'b',
      },
    });
  });

  test('editor view, create and insert are Read, Write and Edit', () => {
    assert.equal(
      claudeToolName('str_replace_based_edit_tool', { command: 'view', path: 'a' }),
      'Read',
    );
    assert.equal(
      claudeToolName('str_replace_based_edit_tool', {
        command: 'create',
        path: 'a',
        file_text: '',
      }),
      'Write',
    );
    assert.equal(
      claudeToolName('str_replace_based_edit_tool', {
        command: 'insert',
        path: 'a',
        insert_line: 0,
      }),
      'Edit',
    );
  });

  test('a tool without a counterpart keeps its name and input', () => {
    assert.deepEqual(toClaudeTool('ask_user', { question: 'q' }, CWD), {
      toolName: 'ask_user',
      toolInput: { question: 'q' },
    });
  });

  test('toolNames gives both vocabularies for matching', () => {
    assert.deepEqual(toolNames('list_files', {}), ['list_files', 'LS', 'Glob']);
    assert.deepEqual(toolNames('ask_user', {}), ['ask_user']);
  });

  test('an updatedInput in Claude Code shape maps back onto the Troika call', () => {
    const original = { command: 'str_replace', path: 'src/a.ts', old_str: 'a', new_str: 'b' };
    const updated = { file_path: '/work/repo/src/a.ts', old_string: 'a', new_string: 'c' };
    assert.deepEqual(fromClaudeInput('str_replace_based_edit_tool', original, updated), {
      path: '/work/repo/src/a.ts',
      old_str: 'a',
      new_str: 'c',
      command: 'str_replace',
    });
  });

  test('a hook cannot turn an editor view into a write by changing the command', () => {
    const back = fromClaudeInput(
      'str_replace_based_edit_tool',
      { command: 'view', path: 'a' },
      { command: 'create', file_path: 'a' },
    );
    assert.equal((back as { command: string }).command, 'view');
  });
});
