import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  claudeToolName,
  fromClaudeInput,
  toClaudeResponse,
  toClaudeTool,
  toolNames,
} from './claude-tools.ts';

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
        file_path: '/work/repo/src/a.ts',
        old_string: 'a',
        new_string: 'b',
        replace_all: false,
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

  test('Read, Write and Edit carry no `command` key; a view range is offset and limit', () => {
    const read = toClaudeTool(
      'str_replace_based_edit_tool',
      { command: 'view', path: 'a.ts', view_range: [10, 19] },
      CWD,
    );
    assert.deepEqual(read.toolInput, { file_path: '/work/repo/a.ts', offset: 10, limit: 10 });
    const write = toClaudeTool(
      'str_replace_based_edit_tool',
      { command: 'create', path: 'b.ts', file_text: 'x' },
      CWD,
    );
    assert.deepEqual(write.toolInput, { file_path: '/work/repo/b.ts', content: 'x' });
    assert.deepEqual(
      fromClaudeInput(
        'str_replace_based_edit_tool',
        { command: 'view', path: 'a.ts' },
        { file_path: '/work/repo/a.ts', offset: 5, limit: 2 },
      ),
      { path: '/work/repo/a.ts', view_range: [5, 6], command: 'view' },
    );
  });

  test('search_files is Grep with -i, head_limit and output_mode; list_files is LS with an absolute path', () => {
    assert.deepEqual(
      toClaudeTool('search_files', { pattern: 'TODO', max_results: 5 }, CWD).toolInput,
      {
        pattern: 'TODO',
        head_limit: 5,
        path: '/work/repo',
        '-i': true,
        output_mode: 'content',
        '-n': true,
      },
    );
    assert.deepEqual(
      fromClaudeInput(
        'search_files',
        { pattern: 'a' },
        { pattern: 'b', '-i': false, head_limit: 3 },
      ),
      { pattern: 'b', max_results: 3, case_sensitive: true },
    );
    assert.deepEqual(toClaudeTool('list_files', {}, CWD).toolInput, { path: '/work/repo' });
  });

  test('tool_response has Claude Code fields per tool, beside content and is_error', () => {
    assert.deepEqual(
      toClaudeResponse(
        'str_replace_based_edit_tool',
        { command: 'create', path: 'b.ts', file_text: 'x' },
        { content: 'Created b.ts', isError: false },
        CWD,
      ),
      {
        type: 'create',
        filePath: '/work/repo/b.ts',
        content: 'Created b.ts',
        structuredPatch: [],
        is_error: false,
        success: true,
      },
    );
    const grep = toClaudeResponse(
      'search_files',
      { pattern: 'x' },
      { content: 'src/a.ts:3: x\nsrc/a.ts:9: x\nb.ts:1: x', isError: false },
      CWD,
    );
    assert.deepEqual(grep['filenames'], ['/work/repo/src/a.ts', '/work/repo/b.ts']);
    assert.equal(grep['numFiles'], 2);
    const bash = toClaudeResponse(
      'bash',
      { command: 'ls' },
      { content: 'a\nb', isError: false },
      CWD,
    );
    assert.equal(bash['stdout'], 'a\nb');
    const read = toClaudeResponse(
      'str_replace_based_edit_tool',
      { command: 'view', path: 'a.ts' },
      { content: '1\tx', isError: false },
      CWD,
    );
    assert.deepEqual(read['file'], {
      filePath: '/work/repo/a.ts',
      content: '1\tx',
      numLines: 1,
      startLine: 1,
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
