import assert from 'node:assert/strict';
import test from 'node:test';
import { tempDir, writeTree } from '../test-support/temp.ts';
import { IgnoreRules } from './ignore-rules.ts';

function rulesFor(root: string, folders: string[]): IgnoreRules {
  const rules = new IgnoreRules(root);
  for (const folder of folders) rules.loadFolder(folder);
  return rules;
}

test('.git and node_modules are skipped at any depth without any rules file', (t) => {
  const rules = rulesFor(tempDir(t), ['']);
  assert.equal(rules.isIgnored('.git', true), true);
  assert.equal(rules.isIgnored('packages/x/node_modules/y/index.js', false), true);
  assert.equal(rules.isIgnored('src/index.ts', false), false);
});

test('a folder-only pattern ignores the folder but not a file of that name', (t) => {
  const root = tempDir(t);
  writeTree(root, { '.gitignore': 'build/\n' });
  const rules = rulesFor(root, ['']);
  assert.equal(rules.isIgnored('build', true), true);
  assert.equal(rules.isIgnored('build', false), false);
  assert.equal(rules.isIgnored('build', undefined), true, 'unknown kind answers cautiously');
});

test('a nested .gitignore can re-include what a parent rule excluded', (t) => {
  const root = tempDir(t);
  writeTree(root, { '.gitignore': '*.log\n', 'keep/.gitignore': '!important.log\n' });
  const rules = rulesFor(root, ['', 'keep']);
  assert.equal(rules.isIgnored('other.log', false), true);
  assert.equal(rules.isIgnored('keep/important.log', false), false);
  assert.equal(rules.isIgnored('keep/other.log', false), true);
});

test('nothing below an ignored folder comes back', (t) => {
  const root = tempDir(t);
  writeTree(root, { '.gitignore': 'dist/\n!dist/keep.js\n' });
  const rules = rulesFor(root, ['']);
  assert.equal(rules.isIgnored('dist/keep.js', false), true);
});

test('.git/info/exclude applies at the root', (t) => {
  const root = tempDir(t);
  writeTree(root, { '.git/info/exclude': 'secret.txt\n' });
  const rules = rulesFor(root, ['']);
  assert.equal(rules.isIgnored('secret.txt', false), true);
});
