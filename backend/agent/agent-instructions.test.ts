/** An agent's system prompt carries the workspace's CLAUDE.md / AGENTS.md, in the cached prefix, and a mid-run edit is announced. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { tempDir, writeTree } from '../../cache/test-support/temp.ts';
import { Harness } from './testing/harness.ts';

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0).reverse()) await h.dispose();
});

function systemBlocks(h: Harness, index: number): Array<{ text: string; cache_control?: unknown }> {
  return h.body(index)['system'] as Array<{ text: string; cache_control?: unknown }>;
}

describe('project instructions in the system prompt', () => {
  test('CLAUDE.md and the home CLAUDE.md are in the cached base prompt; an edit mid-run changes it at the next turn', async (t) => {
    const home = tempDir(t, 'troika-home-');
    writeTree(home, { '.claude/CLAUDE.md': 'Be terse.\n' });
    const h = await Harness.start({
      server: {
        script: [
          {
            toolUses: [
              {
                name: 'str_replace_based_edit_tool',
                input: {
                  command: 'create',
                  path: 'CLAUDE.md',
                  file_text: 'Always answer in haiku.',
                },
              },
            ],
          },
          { text: 'done' },
        ],
      },
      manager: { homeDir: home },
    });
    harnesses.push(h);
    const ws = h.folder('ws');
    writeFileSync(join(ws, 'CLAUDE.md'), 'Run `make check` before finishing.\n');
    writeFileSync(join(ws, 'AGENTS.md'), 'Prefer small functions.\n');
    const { id } = await h.manager.start({ task: 'do it', workspace: ws });
    await h.waitForRequests(2);

    const first = systemBlocks(h, 0);
    assert.equal(first.length, 1, 'one system block: the base prompt with the instructions');
    assert.match(
      first[0]?.text ?? '',
      /Contents of .*ws\/CLAUDE\.md \(project instructions.*\n\nRun `make check`/s,
    );
    assert.match(first[0]?.text ?? '', /Prefer small functions/);
    assert.match(first[0]?.text ?? '', /Be terse/);
    assert.ok(first[0]?.cache_control !== undefined, 'inside the cached prefix');
    const second = systemBlocks(h, 1);
    assert.match(second[0]?.text ?? '', /Always answer in haiku/);
    assert.doesNotMatch(second[0]?.text ?? '', /make check/);

    const reports = h.eventsOf('agent.instructions', id);
    assert.equal(reports.length, 2);
    assert.deepEqual(
      reports[0]?.files.map((f) => [f.path.replace(home + '/', '').replace(h.root, ''), f.kind]),
      [
        ['.claude/CLAUDE.md', 'user'],
        ['/ws/CLAUDE.md', 'project'],
        ['/ws/AGENTS.md', 'project'],
      ],
    );
    assert.equal(reports[0]?.changed, false);
    assert.ok((reports[0]?.tokens ?? 0) > 0);
    assert.equal(reports[1]?.changed, true);
  });

  test("in a git repository the agent's worktree gives the committed CLAUDE.md, the user's checkout the ignored CLAUDE.local.md", async () => {
    const h = await Harness.start({ server: { script: [{ text: 'done' }] } });
    harnesses.push(h);
    const repo = h.folder('repo');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd: repo,
      });
    git('init', '-q');
    writeFileSync(join(repo, 'CLAUDE.md'), 'Committed rule.\n');
    writeFileSync(join(repo, '.gitignore'), 'CLAUDE.local.md\n');
    git('add', '.');
    git('commit', '-qm', 'init');
    writeFileSync(join(repo, 'CLAUDE.local.md'), 'My local rule.\n');
    const { id } = await h.manager.start({ task: 't', workspace: repo });
    await h.waitForRequests(1);
    const [report] = h.eventsOf('agent.instructions', id);
    assert.deepEqual(
      report?.files.map((f) => f.kind),
      ['project', 'local'],
    );
    assert.equal(report?.files[1]?.path, join(repo, 'CLAUDE.local.md'));
    assert.notEqual(report?.files[0]?.path, join(repo, 'CLAUDE.md'), 'read from the worktree');
    const system = systemBlocks(h, 0)[0]?.text ?? '';
    assert.ok(system.indexOf('Committed rule.') < system.indexOf('My local rule.'));
  });
});
