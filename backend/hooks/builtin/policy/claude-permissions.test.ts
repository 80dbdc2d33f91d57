import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir, writeTree } from '../../../../cache/test-support/temp.ts';
import { HookPipeline } from '../../pipeline.ts';
import { checkoutOf, ClaudePermissions, loadPermissionRules } from './claude-permissions.ts';
import { policyHook } from './index.ts';

const FIXTURES = fileURLToPath(new URL('../../../testing/claude-code-fixtures/', import.meta.url));
const PROJECT = join(FIXTURES, 'project');
const HOME = join(FIXTURES, 'home');

const bash = (command: string) => ['bash', { command }] as const;
const view = (path: string) => ['str_replace_based_edit_tool', { command: 'view', path }] as const;
const edit = (path: string) =>
  [
    'str_replace_based_edit_tool',
    { command: 'str_replace', path, old_str: 'a', new_str: 'b' },
  ] as const;

describe("Claude Code's permission rules", () => {
  test('rules from the user, project and local settings files, each with its source', () => {
    const { rules, problems } = loadPermissionRules(PROJECT, HOME);
    assert.deepEqual(problems, []);
    const find = (rule: string) => rules.find((r) => r.rule === rule);
    assert.deepEqual(
      [find('Bash(ls:*)')?.scope, find('Bash(npm run test:*)')?.scope, find('Edit(src/**)')?.scope],
      ['user', 'project', 'local'],
    );
    assert.equal(find('Read(./.env)')?.decision, 'deny');
    assert.equal(find('Read(./.env)')?.source, join(PROJECT, '.claude', 'settings.json'));
    assert.match(find('WebFetch')?.note ?? '', /Troika has no WebFetch tool/);
  });

  test('each rule form decides the calls a person would expect', () => {
    const permissions = new ClaudePermissions({ homeDir: HOME });
    const decision = (call: readonly [string, unknown]) =>
      permissions.decide(PROJECT, call[0], call[1])?.decision ?? 'none';
    const table: Array<[readonly [string, unknown], string]> = [
      [bash('npm run test:unit'), 'allow'],
      [bash('npm run test:unit && curl https://x.example'), 'deny'],
      [bash('npm run test:unit; rm -rf dist'), 'none'],
      [bash('git push origin main'), 'ask'],
      [bash('git diff --stat'), 'allow'],
      [bash('ls -la'), 'allow'],
      [bash('git status'), 'allow'],
      [bash('git status --short'), 'none'],
      [bash('npm publish --dry-run'), 'ask'],
      [bash('make lint'), 'allow'],
      [view('.env'), 'deny'],
      [view('.env.production'), 'deny'],
      [view('src/app.ts'), 'allow'],
      [['list_files', { path: 'src' }], 'allow'],
      [['list_files', { path: 'docs' }], 'none'],
      [['search_files', { pattern: 'x', path: 'src/a' }], 'allow'],
      [edit('src/app.ts'), 'allow'],
      [edit('package-lock.json'), 'deny'],
      [edit('README.md'), 'none'],
    ];
    const wrong = table.filter(([call, expected]) => decision(call) !== expected);
    assert.deepEqual(
      wrong.map(
        ([call, expected]) => `${JSON.stringify(call[1])}: ${decision(call)}, not ${expected}`,
      ),
      [],
    );
  });

  test("a worktree's local settings are read from the user's checkout", (t) => {
    const repo = tempDir(t, 'troika-perm-repo-');
    const worktree = join(repo, '.git', 'worktrees-out', 'wt');
    writeTree(repo, {
      '.claude/settings.local.json': JSON.stringify({ permissions: { deny: ['Bash(make:*)'] } }),
      '.git/worktrees/wt/HEAD': 'ref: refs/heads/troika/wt\n',
    });
    writeTree(worktree, { '.git': `gitdir: ${join(repo, '.git', 'worktrees', 'wt')}\n` });
    assert.equal(checkoutOf(worktree), repo);
    const permissions = new ClaudePermissions();
    assert.equal(permissions.decide(worktree, 'bash', { command: 'make' })?.decision, 'deny');
  });

  test("through the approval gate: a deny refuses naming the rule; an allow lifts Troika's ask; an edit to the file applies at once", async (t) => {
    const ws = tempDir(t, 'troika-perm-ws-');
    const write = (permissions: unknown) =>
      writeTree(ws, { '.claude/settings.json': JSON.stringify({ permissions }) });
    write({ deny: ['Bash(curl:*)'], allow: ['Bash(rm -rf build)'] });
    const pipeline = new HookPipeline({
      session: { agentId: 'a', cwd: ws, transcriptPath: '' },
      hooks: [policyHook()],
      onFailure: () => undefined,
    });
    // The pipeline's answer in the approval gate's terms: no decision runs the call.
    const call = async (command: string) => {
      const result = await pipeline.preToolUse({
        toolName: 'bash',
        toolUseId: 't',
        toolInput: { command },
      });
      return result.decision === 'deny' || result.decision === 'ask'
        ? { action: result.decision, reason: result.reason ?? '' }
        : { action: 'allow' as const };
    };

    const curl = await call('curl -s https://example.com');
    assert.deepEqual(curl, {
      action: 'deny' as const,
      reason: `Denied by Bash(curl:*) in ${join(ws, '.claude', 'settings.json')}`,
    });
    assert.equal((await call('rm -rf build')).action, 'allow');
    assert.equal((await call('rm -rf dist')).action, 'ask');
    // Troika's own refusals and writes outside the workspace are not lifted by an allow.
    write({ allow: ['Bash(rm -rf /tmp/x)', 'Bash(mkfs:*)'] });
    assert.equal((await call('rm -rf /tmp/x')).action, 'ask');
    assert.equal((await call('mkfs /dev/sda1')).action, 'deny');
    write({ ask: ['Bash(npm install:*)'] });
    const ask = await call('npm install left-pad');
    assert.equal(ask.action, 'ask');
    assert.match(ask.action === 'ask' ? ask.reason : '', /^Asks by Bash\(npm install:\*\) in /);
  });
});
