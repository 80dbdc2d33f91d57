import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { landBranch } from './land.ts';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'troika-crash-')));
after(() => rmSync(base, { recursive: true, force: true }));
let n = 0;

const g = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, stdio: 'pipe' }).toString().trim();

function fixture(): string {
  const repo = join(base, `repo-${++n}`);
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  g(repo, 'config', 'user.email', 't@example.com');
  g(repo, 'config', 'user.name', 'T');
  writeFileSync(join(repo, 'a.txt'), 'a\n');
  g(repo, 'add', '.');
  g(repo, 'commit', '-q', '-m', 'init');
  g(repo, 'checkout', '-q', '-b', 'troika/w');
  writeFileSync(join(repo, 'a.txt'), 'agent\n');
  writeFileSync(join(repo, 'b.txt'), 'new\n');
  g(repo, 'add', '.');
  g(repo, 'commit', '-q', '-m', 'agent work');
  g(repo, 'checkout', '-q', 'main');
  return repo;
}

/** Runs a landing in a child process and kills it (SIGKILL) when it reaches `step`. */
function killAt(repo: string, step: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'testing', 'land-child.ts')], {
      env: { ...process.env, LAND_REPO: repo, LAND_STOP_AT: step },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('STOPPED')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(out) : reject(new Error(`child did not stop: ${out}${err}`)),
    );
  });
}

describe('a crash in the middle of a landing', () => {
  for (const step of ['merge', 'gates', 'commit', 'land']) {
    test(`killed at "${step}": the repository is consistent and the work lands afterwards`, async () => {
      const repo = fixture();
      const mainBefore = g(repo, 'rev-parse', 'main');
      const workBefore = g(repo, 'rev-parse', 'troika/w');
      const out = await killAt(repo, step);
      assert.match(out, new RegExp(`STOPPED ${step}`));

      // Nothing moved, nothing half-done: git's own check passes, no merge in progress, the checkout matches main.
      g(repo, 'fsck', '--no-progress', '--no-dangling');
      assert.equal(g(repo, 'rev-parse', 'main'), mainBefore);
      assert.equal(g(repo, 'rev-parse', 'troika/w'), workBefore, 'the work is still on its branch');
      assert.equal(g(repo, 'status', '--porcelain'), '');
      assert.throws(() => g(repo, 'rev-parse', '--verify', '--quiet', 'MERGE_HEAD'));
      assert.equal(readFileSync(join(repo, 'a.txt'), 'utf8'), 'a\n');

      // Recoverable: the same landing, run again, completes.
      const again = await landBranch({
        repo,
        source: 'troika/w',
        target: 'main',
        mode: 'squash',
        message: 'Landing after the crash',
        provenance: {
          agent: {
            id: 'crash',
            branch: 'troika/w',
            task: 'crash',
            model: 'm',
            persona: null,
            activePersona: null,
            usage: {
              requests: 0,
              inputTokens: 0,
              outputTokens: 0,
              cacheCreationInputTokens: 0,
              cacheReadInputTokens: 0,
              costUsd: 0,
            },
          },
        },
      });
      assert.equal(again.landed, true, again.reason ?? '');
      assert.equal(readFileSync(join(repo, 'a.txt'), 'utf8'), 'agent\n');
      g(repo, 'fsck', '--no-progress', '--no-dangling');
    });
  }
});
