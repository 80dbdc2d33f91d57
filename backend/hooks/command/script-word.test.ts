import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findScriptWord } from './script-word.ts';

function script(command: string): [string, string] | undefined {
  const word = findScriptWord(command);
  return word && [word.path, command.slice(word.start, word.end)];
}

test('a path as the first word is the script', () => {
  assert.deepEqual(script('./x.sh'), ['x.sh', './x.sh']);
  assert.deepEqual(script('scripts/check.sh --strict'), ['scripts/check.sh', 'scripts/check.sh']);
  assert.deepEqual(script('/opt/hooks/x.sh'), ['/opt/hooks/x.sh', '/opt/hooks/x.sh']);
  assert.deepEqual(script('./x.sh; echo done'), ['x.sh', './x.sh']);
});

test("$CLAUDE_PROJECT_DIR is the project folder, quoted or not, as Claude Code's docs write it", () => {
  for (const command of [
    '$CLAUDE_PROJECT_DIR/.claude/hooks/x.sh',
    '"$CLAUDE_PROJECT_DIR"/.claude/hooks/x.sh',
    '"$CLAUDE_PROJECT_DIR/.claude/hooks/x.sh" arg',
    '${CLAUDE_PROJECT_DIR}/.claude/hooks/x.sh',
  ]) {
    const [path, written] = script(command) ?? [];
    assert.equal(path, '.claude/hooks/x.sh', command);
    assert.ok(command.startsWith(written ?? '-'), command);
  }
});

test('the first operand of an interpreter is the script', () => {
  assert.deepEqual(script('bash ./x.sh'), ['x.sh', './x.sh']);
  assert.deepEqual(script('python3 scripts/h.py'), ['scripts/h.py', 'scripts/h.py']);
  assert.deepEqual(script('python3 -u scripts/h.py --fast'), ['scripts/h.py', 'scripts/h.py']);
  assert.deepEqual(script('/usr/bin/env node hooks/h.mjs'), ['hooks/h.mjs', 'hooks/h.mjs']);
  assert.deepEqual(script('"/usr/local/bin/node" "/tmp/a b/h.mjs"'), [
    '/tmp/a b/h.mjs',
    '"/tmp/a b/h.mjs"',
  ]);
  assert.deepEqual(script("sh '$CLAUDE_PROJECT_DIR/x.sh'")?.[0], '$CLAUDE_PROJECT_DIR/x.sh');
});

test('inline code, commands from the PATH and other expansions name no script', () => {
  for (const command of [
    "bash -c 'echo hi'",
    'python3 -m mypkg.hook',
    'node -e "process.exit(2)"',
    'jq .tool_input',
    '$HOME/hooks/x.sh',
    'bash ~/x.sh',
    'FOO=1 ./x.sh',
    './x*.sh',
    'bash',
    '',
  ])
    assert.equal(findScriptWord(command), undefined, command);
});
