/**
 * Where a plan's gates run (real-ports.ts), on a real repository with its
 * real gate (`npm test`): a task's in its own worktree when that holds
 * exactly the task's commit, nothing uncommitted (set up already, and what
 * "gates in that worktree" means); otherwise, and for a merge, in a
 * temporary worktree at the commit, so uncommitted work is never what
 * passes. Which gates: those the integration branch names, never the task's
 * own edit of them.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { AgentManager } from '../agent/agent-manager.ts';
import { EventBus } from '../bus/events.ts';
import { RealPlanPorts } from './real-ports.ts';
import { gatedRepo } from './testing/fixtures.ts';

/** The gate fails while a part says BUG, and says where it ran. */
const CHECK = `import { readdirSync, readFileSync } from 'node:fs';
console.log('gated in ' + process.cwd());
const bad = readdirSync('parts').filter((f) => readFileSync('parts/' + f, 'utf8').includes('BUG'));
if (bad.length) { console.error('BUG found in ' + bad.join(', ')); process.exit(1); }
`;

const g = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, stdio: 'pipe' }).toString().trim();

describe("a plan's gates", () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'troika-plan-gates-')));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const repo = join(dir, 'repo');
  const worktree = join(dir, 'task-a');
  gatedRepo(repo, CHECK);
  g(repo, 'worktree', 'add', '-q', '-b', 'task-a', worktree, 'main');
  writeFileSync(join(worktree, 'parts', 'a.txt'), 'a\n');
  g(worktree, 'add', '-A');
  g(worktree, 'commit', '-q', '-m', 'a');
  // A plan run's ports each time: a tree that passed once is not gated again in the same run.
  const gate = (where: 'task' | 'integration', ref = 'task-a') =>
    new RealPlanPorts({
      // No agent of this process builds the task: its worktree is the user's (taken over).
      agents: {} as AgentManager,
      events: new EventBus(),
      workspace: repo,
      scratchDir: join(dir, 'scratch'),
      userWorktree: () => worktree,
    }).gates({ planId: 'p', taskId: 'a', ref, where, into: 'main' });
  const inWorktree = new RegExp(
    `gated in ${worktree.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
    'm',
  );

  test("a task's gates run in its worktree when it holds exactly the task's commit", async () => {
    const result = await gate('task');
    assert.equal(result.passed, true, result.output);
    assert.match(result.output, inWorktree);
  });

  test('uncommitted work in it sends them to a temporary worktree at the commit, which is what passes', async () => {
    writeFileSync(join(worktree, 'parts', 'a.txt'), 'BUG\n');
    try {
      const result = await gate('task');
      assert.equal(result.passed, true, result.output);
      assert.doesNotMatch(result.output, inWorktree);
      assert.match(result.output, /gated in .*plan-gates/);
    } finally {
      g(worktree, 'checkout', '--', 'parts/a.txt');
    }
  });

  test('a commit the worktree does not hold is gated in a temporary worktree, and fails there', async () => {
    g(repo, 'branch', 'task-bug', 'task-a');
    const bug = join(dir, 'task-bug');
    g(repo, 'worktree', 'add', '-q', bug, 'task-bug');
    writeFileSync(join(bug, 'parts', 'a.txt'), 'BUG\n');
    g(bug, 'commit', '-q', '-am', 'bug');
    const result = await gate('task', 'task-bug');
    assert.equal(result.passed, false);
    assert.match(result.output, /gated in .*plan-gates/);
    assert.match(result.output, /BUG found in a\.txt/);
  });

  test('a task that turns its own gate off in the project file is still held to the integration branch’s', async () => {
    g(repo, 'branch', 'task-off', 'main');
    const off = join(dir, 'task-off');
    g(repo, 'worktree', 'add', '-q', off, 'task-off');
    mkdirSync(join(off, '.troika'));
    writeFileSync(
      join(off, '.troika', 'project.json'),
      JSON.stringify({ gates: [{ name: 'test', command: null }] }),
    );
    writeFileSync(join(off, 'parts', 'b.txt'), 'BUG\n');
    g(off, 'add', '-A');
    g(off, 'commit', '-q', '-m', 'no more tests');
    const atTask = await gate('task', 'task-off');
    assert.equal(atTask.passed, false, atTask.output);
    assert.match(atTask.output, /BUG found in b\.txt/);
    // And at the merge: the gates of the commit it is made onto.
    const tree = g(repo, 'merge-tree', '--write-tree', 'main', 'task-off');
    const merge = g(repo, 'commit-tree', tree, '-p', 'main', '-p', 'task-off', '-m', 'merge');
    const atMerge = await gate('integration', merge);
    assert.equal(atMerge.passed, false, atMerge.output);
    assert.match(atMerge.output, /BUG found in b\.txt/);
  });
});
