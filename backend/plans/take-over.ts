/**
 * The git side of a task taken over by the user: the worktree holding the
 * task's branch (its last attempt's work) is found, or made when none has
 * it, for the user's terminal; when they are done, what they left
 * uncommitted there is committed with a message saying so. Nothing is
 * reset, removed or deleted: the branch and its worktree stay.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { git, gitOut, identityEnv, resolveCommit } from '../landing/git.ts';

/** The worktree that has `branch` checked out, if any. */
export async function worktreeOf(repo: string, branch: string): Promise<string | null> {
  const list = await gitOut(repo, ['worktree', 'list', '--porcelain']);
  for (const entry of list.split(/\n\s*\n/)) {
    const path = /^worktree (.+)$/m.exec(entry)?.[1];
    const checkedOut = /^branch refs\/heads\/(.+)$/m.exec(entry)?.[1];
    if (path && checkedOut === branch && existsSync(path)) return path;
  }
  return null;
}

/**
 * The worktree the user takes the task over in: the one that has its branch
 * (the agent's), else a new one under `scratchDir` on that branch, else (the
 * task never got a branch) a new branch from the plan's integration branch.
 */
export async function takeOverWorktree(options: {
  repo: string;
  branch: string;
  base: string;
  scratchDir: string;
  name: string;
}): Promise<string> {
  const { repo, branch, base } = options;
  const found = await worktreeOf(repo, branch);
  if (found) return found;
  // A worktree whose folder was removed still holds its branch until pruned.
  await git(repo, ['worktree', 'prune']);
  const dir = join(options.scratchDir, options.name);
  const exists = await resolveCommit(repo, `refs/heads/${branch}`);
  await git(
    repo,
    exists
      ? ['worktree', 'add', '-q', dir, branch]
      : ['worktree', 'add', '-q', '-b', branch, dir, base],
  );
  return dir;
}

/** Commits what the user left uncommitted in the task's worktree; the new commit, or null when nothing was left. */
export async function commitUserWork(
  repo: string,
  branch: string,
  message: string,
): Promise<string | null> {
  const dir = await worktreeOf(repo, branch);
  if (!dir) return null;
  await git(dir, ['add', '-A']);
  const staged = await git(dir, ['diff', '--cached', '--quiet'], { okCodes: [1] });
  if (staged.code === 0) return null;
  await git(dir, ['commit', '-q', '--no-verify', '-m', message], { env: await identityEnv(dir) });
  return gitOut(dir, ['rev-parse', 'HEAD']);
}
