/**
 * Where an agent works. In a git repository each agent gets its own worktree
 * on its own branch (`troika/<agent-id>`), so three agents never edit the same
 * files and the user's checkout stays untouched; elsewhere it works in the
 * folder given. A worktree is only ever removed when it is clean (its branch
 * keeps any commits); one with uncommitted work is always kept.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, realpath, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Git commands here are local and quick; a hung one (a lock, a credential prompt) must not hang an agent. */
const GIT_TIMEOUT_MS = 30_000;

export const BRANCH_PREFIX = 'troika/';

export interface AgentWorkspace {
  /** The folder the user gave, symlinks resolved. */
  folder: string;
  /** Where the agent works (inside the worktree when there is one). */
  workDir: string;
  /** The worktree's root, when the agent has one. */
  worktree: string | null;
  branch: string | null;
  /** The repository's main working tree, when the folder is in one. */
  repoRoot: string | null;
}

export class WorkspaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkspaceError';
  }
}

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, {
    cwd,
    timeout: GIT_TIMEOUT_MS,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  });
  return stdout.trim();
}

async function tryGit(cwd: string, args: string[]): Promise<string | undefined> {
  try {
    return await git(cwd, args);
  } catch {
    return undefined;
  }
}

export async function resolveFolder(folder: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(folder);
  } catch {
    throw new WorkspaceError(`The workspace folder "${folder}" does not exist`);
  }
  if (!(await stat(real)).isDirectory())
    throw new WorkspaceError(`The workspace "${folder}" is not a folder`);
  return real;
}

/**
 * Prepares the agent's workspace. `worktreesDir` holds Troika's worktrees,
 * outside the user's repository so its `git status` stays clean.
 */
export async function prepareWorkspace(
  folder: string,
  agentId: string,
  worktreesDir: string,
): Promise<AgentWorkspace> {
  const real = await resolveFolder(folder);
  const top = await tryGit(real, ['rev-parse', '--show-toplevel']);
  const plain: AgentWorkspace = {
    folder: real,
    workDir: real,
    worktree: null,
    branch: null,
    repoRoot: null,
  };
  if (top === undefined) return plain;
  const repoRoot = await realpath(top);
  // A repository without a commit has nothing to branch from: work in place.
  if ((await tryGit(repoRoot, ['rev-parse', '--verify', '--quiet', 'HEAD'])) === undefined)
    return { ...plain, repoRoot };
  const worktree = join(worktreesDir, agentId);
  const branch = `${BRANCH_PREFIX}${agentId}`;
  await mkdir(worktreesDir, { recursive: true });
  try {
    await git(repoRoot, ['worktree', 'add', '-b', branch, worktree, 'HEAD']);
  } catch (error) {
    throw new WorkspaceError(
      `Could not create a git worktree for the agent: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`,
    );
  }
  const realWorktree = await realpath(worktree);
  return {
    folder: real,
    workDir: join(realWorktree, relative(repoRoot, real)),
    worktree: realWorktree,
    branch,
    repoRoot,
  };
}

/** The workspace of a stored agent, as {@link prepareWorkspace} made it. */
export async function describeWorkspace(
  stored: { id: string; workspace: string; workDir: string; branch: string | null },
  worktreesDir: string,
): Promise<AgentWorkspace> {
  if (!stored.branch)
    return {
      folder: stored.workspace,
      workDir: stored.workDir,
      worktree: null,
      branch: null,
      repoRoot: null,
    };
  const top = await tryGit(stored.workspace, ['rev-parse', '--show-toplevel']);
  return {
    folder: stored.workspace,
    workDir: stored.workDir,
    worktree: join(worktreesDir, stored.id),
    branch: stored.branch,
    repoRoot: top === undefined ? null : await realpath(top),
  };
}

/** Brings back a worktree removed when its agent finished (resume, a new steer): its branch still holds the work. */
export async function restoreWorkspace(workspace: AgentWorkspace): Promise<AgentWorkspace> {
  if (
    !workspace.worktree ||
    !workspace.branch ||
    !workspace.repoRoot ||
    existsSync(workspace.worktree)
  )
    return workspace;
  await git(workspace.repoRoot, ['worktree', 'prune']);
  try {
    await git(workspace.repoRoot, ['worktree', 'add', workspace.worktree, workspace.branch]);
  } catch (error) {
    throw new WorkspaceError(
      `Could not restore the agent's worktree: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`,
    );
  }
  return workspace;
}

/** Whether the worktree has changes not committed (tracked or untracked). */
export async function hasUncommittedWork(worktree: string): Promise<boolean> {
  const status = await git(worktree, ['status', '--porcelain']);
  return status.length > 0;
}

/**
 * Removes the agent's worktree if, and only if, it holds no uncommitted work.
 * The branch is kept. Returns whether it was removed.
 */
export async function releaseWorkspace(workspace: AgentWorkspace): Promise<boolean> {
  if (!workspace.worktree || !workspace.repoRoot || !existsSync(workspace.worktree)) return false;
  if (await hasUncommittedWork(workspace.worktree)) return false;
  // Without --force, git itself refuses to remove a worktree with changes: a second guard.
  return (
    (await tryGit(workspace.repoRoot, ['worktree', 'remove', workspace.worktree])) !== undefined
  );
}
