/**
 * Where an agent works. In a git repository each agent gets its own worktree
 * on its own branch (`troika/<task-slug>-<4 chars>`, readable in `git branch`),
 * so three agents never edit the same files and the user's checkout stays
 * untouched; elsewhere it works in the folder given. A worktree is only ever
 * removed when it is clean (its branch keeps any commits); one with
 * uncommitted work is always kept. The branch the agent started from is
 * recorded in the branch's git config (`branch.<name>.troikaBase`): where its
 * work lands by default.
 */
import { execFileLaunched } from '../../native/process-launcher.ts';
import { runGitCommand } from '../../native/git-lock.ts';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, realpath, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** git starts from the small launcher process: a fork from the backend stalls its event loop. */
const run = execFileLaunched;

/** Git commands here are local and quick; a hung one (a lock, a credential prompt) must not hang an agent. */
const GIT_TIMEOUT_MS = 30_000;

export const BRANCH_PREFIX = 'troika/';
/** The git config key, per branch, naming the branch the agent started from. */
export const BASE_KEY = 'troikaBase';
const SLUG_MAX = 32;

/** A branch name from the task: `troika/fix-the-login-form-k3f9`. */
export function branchName(task: string | undefined, agentId: string): string {
  const slug = ((task ?? '').split('\n')[0] ?? '')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = slug.length > SLUG_MAX ? slug.slice(0, SLUG_MAX).replace(/-[^-]*$/, '') : slug;
  const suffix = randomBytes(4).toString('hex').slice(0, 4);
  return task === undefined
    ? `${BRANCH_PREFIX}${agentId}`
    : `${BRANCH_PREFIX}${cut || 'agent'}-${suffix}`;
}

/** Extra preparation of a new worktree (the repository's setup: files to copy, a command); its error, if any. */
export type WorktreeSetup = (worktree: string, repoRoot: string) => Promise<string | null>;

export interface PrepareOptions {
  /** The task: names the branch. Without it the branch is `troika/<agent-id>`. */
  task?: string;
  setup?: WorktreeSetup | undefined;
  /** The branch to start from, at its current tip; default the checked-out branch (HEAD). */
  baseBranch?: string | undefined;
  /** Work in the folder itself, no worktree or branch: for an agent whose tools cannot write (the planner). */
  inPlace?: boolean | undefined;
  /**
   * Return once the worktree is ready, while the branch's start is still
   * being recorded (its git config): the caller holds `baseRecorded`.
   */
  recordInBackground?: boolean | undefined;
}

export interface AgentWorkspace {
  /** Why the repository's worktree setup failed, when it did (the agent and the user are told). */
  setupError?: string | null;
  /** The folder the user gave, symlinks resolved. */
  folder: string;
  /** Where the agent works (inside the worktree when there is one). */
  workDir: string;
  /** The worktree's root, when the agent has one. */
  worktree: string | null;
  branch: string | null;
  /** The repository's main working tree, when the folder is in one. */
  repoRoot: string | null;
  /** With `recordInBackground`: settles once the branch's start is recorded (never rejects). */
  baseRecorded?: Promise<unknown>;
}

export class WorkspaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkspaceError';
  }
}

async function git(cwd: string, args: string[]): Promise<string> {
  // Agents start side by side: a lock another one's git holds is waited out, and
  // worktrees of one repository are added and removed one at a time (native/git-lock.ts).
  const { stdout } = await runGitCommand(
    cwd,
    args,
    () =>
      run('git', args, {
        cwd,
        timeout: GIT_TIMEOUT_MS,
        // Messages are matched (an existing branch): not translated.
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
      }),
    (error) => String((error as { stderr?: unknown }).stderr ?? ''),
  );
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

/** How many branch names are tried when a 4-character suffix collides with an existing branch. */
const BRANCH_NAME_TRIES = 5;

/**
 * Adds the agent's worktree on a new branch and returns the branch. Git
 * itself refuses a name that exists (one process, not a check before each
 * try); a missing base branch gets its own message.
 */
async function addWorktree(
  repoRoot: string,
  worktree: string,
  options: PrepareOptions,
  agentId: string,
): Promise<string> {
  const base = options.baseBranch !== undefined ? `refs/heads/${options.baseBranch}` : 'HEAD';
  let failure = '';
  for (let i = 0; i < BRANCH_NAME_TRIES; i++) {
    const branch = branchName(options.task, agentId);
    try {
      await git(repoRoot, ['worktree', 'add', '-b', branch, worktree, base]);
      return branch;
    } catch (error) {
      failure = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
      if (!/a branch named .* already exists/.test(failure)) break;
    }
  }
  if (
    options.baseBranch !== undefined &&
    (await tryGit(repoRoot, ['rev-parse', '--verify', '--quiet', base])) === undefined
  )
    throw new WorkspaceError(`The repository has no branch "${options.baseBranch}" to start from`);
  throw new WorkspaceError(`Could not create a git worktree for the agent: ${failure}`);
}

/**
 * Folders known to lie in a repository with a commit → git's top level for
 * them. Agents start in the same few folders (a plan starts dozens): one git
 * process less for each start. Only that answer is kept, while the
 * repository's `.git` is there; a folder not yet a repository, or one
 * without a commit, is asked again every time.
 */
const knownRepositories = new Map<string, string>();
const MAX_KNOWN_REPOSITORIES = 64;

/**
 * Prepares the agent's workspace. `worktreesDir` holds Troika's worktrees,
 * outside the user's repository so its `git status` stays clean.
 */
export async function prepareWorkspace(
  folder: string,
  agentId: string,
  worktreesDir: string,
  options: PrepareOptions = {},
): Promise<AgentWorkspace> {
  const real = await resolveFolder(folder);
  const known = knownRepositories.get(real);
  if (known !== undefined && existsSync(join(known, '.git')))
    try {
      return await prepareIn(real, known, true, agentId, worktreesDir, options);
    } catch (error) {
      // The repository changed under what was remembered (its HEAD unborn again): ask git afresh.
      knownRepositories.delete(real);
      if (!(error instanceof WorkspaceError)) throw error;
    }
  // One git process answers both "which repository" and "has it a commit" in the usual case.
  const facts = (
    await tryGit(real, ['rev-parse', '--show-toplevel', '--verify', '--quiet', 'HEAD'])
  )?.split('\n');
  const top = facts?.[0] ?? (await tryGit(real, ['rev-parse', '--show-toplevel']));
  if (facts !== undefined && top !== undefined) {
    if (knownRepositories.size >= MAX_KNOWN_REPOSITORIES) knownRepositories.clear();
    knownRepositories.set(real, top);
  }
  return prepareIn(real, top, facts !== undefined, agentId, worktreesDir, options);
}

async function prepareIn(
  real: string,
  top: string | undefined,
  hasCommit: boolean,
  agentId: string,
  worktreesDir: string,
  options: PrepareOptions,
): Promise<AgentWorkspace> {
  const plain: AgentWorkspace = {
    folder: real,
    workDir: real,
    worktree: null,
    branch: null,
    repoRoot: null,
  };
  if (top === undefined) return plain;
  const repoRoot = await realpath(top);
  if (options.inPlace) return { ...plain, repoRoot };
  // A repository without a commit has nothing to branch from: work in place.
  if (!hasCommit) return { ...plain, repoRoot };
  const worktree = join(worktreesDir, agentId);
  const startBranch =
    options.baseBranch ?? (await tryGit(repoRoot, ['symbolic-ref', '--quiet', '--short', 'HEAD']));
  await mkdir(worktreesDir, { recursive: true });
  const branch = await addWorktree(repoRoot, worktree, options, agentId);
  const remembered = startBranch
    ? tryGit(repoRoot, ['config', `branch.${branch}.${BASE_KEY}`, startBranch])
    : undefined;
  const realWorktree = await realpath(worktree);
  const setupError = options.setup
    ? await options
        .setup(realWorktree, repoRoot)
        .catch((error: unknown) => (error as Error).message)
    : null;
  if (!options.recordInBackground) await remembered;
  return {
    ...(options.recordInBackground && remembered && { baseRecorded: remembered }),
    setupError,
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
  // Landed work's branch is deleted by the worktree ledger; a new run starts it again from where it landed.
  const exists = await tryGit(workspace.repoRoot, [
    'rev-parse',
    '--verify',
    '--quiet',
    `refs/heads/${workspace.branch}`,
  ]);
  const base =
    exists === undefined
      ? await tryGit(workspace.repoRoot, ['config', `branch.${workspace.branch}.${BASE_KEY}`])
      : undefined;
  try {
    await git(
      workspace.repoRoot,
      exists !== undefined
        ? ['worktree', 'add', workspace.worktree, workspace.branch]
        : ['worktree', 'add', '-b', workspace.branch, workspace.worktree, base ?? 'HEAD'],
    );
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
