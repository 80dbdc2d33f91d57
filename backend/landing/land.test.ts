import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { landBranch, type LandOptions } from './land.ts';
import { mergeTree } from './merge-tree.ts';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'troika-land-')));
after(() => rmSync(base, { recursive: true, force: true }));
let n = 0;

const g = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, stdio: 'pipe' }).toString().trim();

/** A repository on main with a.txt and b.txt, and branch troika/w (in its own worktree) changing a.txt and adding c.txt. */
function fixture(): { repo: string; wt: string } {
  const repo = join(base, `repo-${++n}`);
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  g(repo, 'config', 'user.email', 't@example.com');
  g(repo, 'config', 'user.name', 'T');
  writeFileSync(join(repo, 'a.txt'), 'one\ntwo\nthree\n');
  writeFileSync(join(repo, 'b.txt'), 'b\n');
  g(repo, 'add', '.');
  g(repo, 'commit', '-q', '-m', 'init');
  const wt = join(base, `wt-${n}`);
  g(repo, 'worktree', 'add', '-q', '-b', 'troika/w', wt, 'main');
  writeFileSync(join(wt, 'a.txt'), 'one\nTWO\nthree\n');
  writeFileSync(join(wt, 'c.txt'), 'new\n');
  g(wt, 'add', '.');
  g(wt, 'commit', '-q', '-m', 'agent work 1');
  writeFileSync(join(wt, 'c.txt'), 'newer\n');
  g(wt, 'commit', '-q', '-am', 'agent work 2');
  return { repo, wt };
}

const provenance: LandOptions['provenance'] = {
  agent: {
    id: 'agent-1',
    branch: 'troika/w',
    task: 'Make two loud\nand more',
    model: 'claude-test',
    persona: null,
    activePersona: { name: 'backend', reason: 'x', pinned: false },
    usage: {
      requests: 2,
      inputTokens: 1000,
      outputTokens: 234,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
      costUsd: 0.0123,
    },
  },
};

function options(repo: string, extra: Partial<LandOptions> = {}): LandOptions {
  return {
    repo,
    source: 'troika/w',
    target: 'main',
    mode: 'squash',
    message: 'Make two loud\n\nThe agent said so.',
    provenance,
    ...extra,
  };
}

describe('landing a branch', () => {
  test('a clean squash lands one commit with provenance trailers and updates the checked-out main', async () => {
    const { repo } = fixture();
    const before = g(repo, 'rev-parse', 'main');
    const outcome = await landBranch(options(repo));
    assert.equal(outcome.landed, true, outcome.reason ?? '');
    assert.equal(outcome.updatedCheckout, repo);
    assert.equal(g(repo, 'rev-parse', 'main'), outcome.commit);
    assert.equal(
      g(repo, 'rev-parse', 'main^'),
      before,
      'a squash has the old tip as its only parent',
    );
    assert.equal(g(repo, 'rev-list', '--count', '--parents', 'main^@'), '1');
    assert.equal(readFileSync(join(repo, 'a.txt'), 'utf8'), 'one\nTWO\nthree\n');
    assert.equal(readFileSync(join(repo, 'c.txt'), 'utf8'), 'newer\n');
    assert.equal(g(repo, 'status', '--porcelain'), '', 'working tree and index match the new tip');
    const trailers = g(repo, 'log', '-1', '--format=%(trailers:only,unfold)', 'main');
    assert.match(trailers, /^Troika-Agent: troika\/w$/m);
    assert.match(trailers, /^Troika-Run: agent-1$/m);
    assert.match(trailers, /^Troika-Task: Make two loud$/m);
    assert.match(trailers, /^Troika-Model: claude-test$/m);
    assert.match(trailers, /^Troika-Persona: backend$/m);
    assert.match(trailers, /^Troika-Tokens: 1234$/m);
    assert.match(trailers, /^Troika-Cost: \$0\.0123$/m);
    assert.match(trailers, /^Troika-Gates: off$/m);
    assert.equal(g(repo, 'log', '-1', '--format=%s', 'main'), 'Make two loud');
    assert.equal(
      g(repo, 'config', 'branch.troika/w.troikaLanded'),
      g(repo, 'rev-parse', 'troika/w'),
    );
  });

  test('a merge commit has both tips as parents', async () => {
    const { repo } = fixture();
    const targetTip = g(repo, 'rev-parse', 'main');
    const sourceTip = g(repo, 'rev-parse', 'troika/w');
    const outcome = await landBranch(options(repo, { mode: 'merge' }));
    assert.equal(outcome.landed, true);
    assert.equal(g(repo, 'log', '-1', '--format=%P', 'main'), `${targetTip} ${sourceTip}`);
  });

  test('refuses when the checkout has uncommitted edits the merge touches, and leaves them intact', async () => {
    const { repo } = fixture();
    writeFileSync(join(repo, 'a.txt'), 'my own edit\n');
    writeFileSync(join(repo, 'c.txt'), 'untracked of mine\n');
    writeFileSync(join(repo, 'b.txt'), 'unrelated edit\n');
    const before = g(repo, 'rev-parse', 'main');
    const outcome = await landBranch(options(repo));
    assert.equal(outcome.landed, false);
    assert.match(outcome.reason ?? '', /a\.txt, c\.txt/);
    assert.doesNotMatch(outcome.reason ?? '', /b\.txt/);
    assert.equal(g(repo, 'rev-parse', 'main'), before);
    assert.equal(readFileSync(join(repo, 'a.txt'), 'utf8'), 'my own edit\n');
    assert.equal(readFileSync(join(repo, 'c.txt'), 'utf8'), 'untracked of mine\n');
    assert.equal(readFileSync(join(repo, 'b.txt'), 'utf8'), 'unrelated edit\n');
  });

  test('lands past dirty files the merge does not touch, keeping them', async () => {
    const { repo } = fixture();
    writeFileSync(join(repo, 'b.txt'), 'unrelated edit\n');
    const outcome = await landBranch(options(repo));
    assert.equal(outcome.landed, true, outcome.reason ?? '');
    assert.equal(readFileSync(join(repo, 'b.txt'), 'utf8'), 'unrelated edit\n');
    assert.equal(g(repo, 'status', '--porcelain'), 'M b.txt');
  });

  test('a target not checked out: only the ref moves', async () => {
    const { repo } = fixture();
    g(repo, 'branch', 'release', 'main');
    const head = g(repo, 'rev-parse', 'HEAD');
    const outcome = await landBranch(options(repo, { target: 'release' }));
    assert.equal(outcome.landed, true);
    assert.equal(outcome.updatedCheckout, null);
    assert.equal(g(repo, 'rev-parse', 'HEAD'), head, 'main and its checkout untouched');
    assert.equal(g(repo, 'show', 'release:c.txt'), 'newer');
  });

  test('a conflict is previewed with both sides and never lands', async () => {
    const { repo } = fixture();
    writeFileSync(join(repo, 'a.txt'), 'one\nzwei\nthree\n');
    g(repo, 'commit', '-q', '-am', 'user edit');
    const preview = await mergeTree(repo, 'main', 'troika/w');
    assert.equal(preview.clean, false);
    assert.deepEqual(
      preview.conflicts.map((c) => [c.path, c.ours, c.theirs]),
      [['a.txt', 'one\nzwei\nthree\n', 'one\nTWO\nthree\n']],
    );
    assert.ok(preview.messages.some((m) => m.includes('CONFLICT')));
    const before = g(repo, 'rev-parse', 'main');
    const outcome = await landBranch(options(repo));
    assert.equal(outcome.landed, false);
    assert.match(outcome.reason ?? '', /conflicts in a\.txt/);
    assert.equal(g(repo, 'rev-parse', 'main'), before);
    assert.equal(g(repo, 'status', '--porcelain'), '');
  });

  test('refuses when the target moved since the preview', async () => {
    const { repo } = fixture();
    const outcome = await landBranch(options(repo, { expectTip: 'f'.repeat(40) }));
    assert.equal(outcome.landed, false);
    assert.match(outcome.reason ?? '', /moved since the preview/);
  });

  test('a failing gate stops the landing; merge anyway records it', async () => {
    const { repo } = fixture();
    const failing = async () => [
      {
        name: 'test',
        command: 'false',
        status: 'failed' as const,
        exitCode: 1,
        durationMs: 1,
        output: '',
      },
    ];
    const before = g(repo, 'rev-parse', 'main');
    const stopped = await landBranch(options(repo, { gates: failing }));
    assert.equal(stopped.landed, false);
    assert.match(stopped.reason ?? '', /Gate failed: test/);
    assert.equal(g(repo, 'rev-parse', 'main'), before);
    const anyway = await landBranch(options(repo, { gates: failing, mergeAnyway: true }));
    assert.equal(anyway.landed, true);
    assert.equal(anyway.mergedAnyway, true);
    assert.match(
      g(repo, 'log', '-1', '--format=%(trailers:only,unfold)', 'main'),
      /^Troika-Gates: failed: test \(failed\); merged anyway$/m,
    );
  });
});
