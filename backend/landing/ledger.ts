/**
 * The worktree ledger: every `troika/*` branch and its worktree, with what
 * removing it would lose. Merged and empty ones that no running agent uses
 * are removed (worktree, then branch); one holding work found nowhere else
 * is removed only when the user confirmed its exact file list.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { WorktreeEntry, WorktreeState } from '../protocol/landing.ts';
import { alreadyLanded, commitsAhead, startedFrom, troikaBranches } from './branches.ts';
import { dirtyFiles } from './checkout.ts';
import { git, gitOut, LandingError, resolveCommit } from './git.ts';

export interface KnownAgent {
  id: string;
  task: string;
  branch: string;
  /** Running, or its terminal open: not cleaned automatically. */
  active: boolean;
  /** Running: not removed at all. */
  running: boolean;
}

/** The worktree of each branch checked out somewhere. */
async function worktreesByBranch(repo: string): Promise<Map<string, string>> {
  const list = await gitOut(repo, ['worktree', 'list', '--porcelain', '-z']);
  const map = new Map<string, string>();
  let path: string | null = null;
  for (const field of list.split('\0')) {
    if (field.startsWith('worktree ')) path = field.slice('worktree '.length);
    else if (field.startsWith('branch refs/heads/') && path)
      map.set(field.slice('branch refs/heads/'.length), path);
  }
  return map;
}

async function describeBranch(
  repo: string,
  branch: string,
  worktree: string | null,
  agent: KnownAgent | undefined,
): Promise<WorktreeEntry> {
  const target = await startedFrom(repo, branch);
  const dirty = worktree && existsSync(worktree) ? await dirtyFiles(worktree) : [];
  const targetExists = target !== null && (await resolveCommit(repo, `refs/heads/${target}`));
  const landed = targetExists ? await alreadyLanded(repo, branch, target) : false;
  const commits = targetExists ? await commitsAhead(repo, branch, target) : 0;
  let state: WorktreeState;
  let files: string[] = dirty;
  if (dirty.length > 0) state = 'uncommitted';
  else if (landed && commits > 0) state = 'merged';
  else if (landed) state = (await hasOwnCommits(repo, branch)) ? 'merged' : 'empty';
  else state = 'unlanded';
  if (state === 'uncommitted' || state === 'unlanded') {
    const unlanded = landed ? [] : await filesOnlyOn(repo, branch);
    files = [...new Set([...dirty, ...unlanded])].sort();
  }
  return {
    branch,
    worktree,
    agentId: agent?.id ?? null,
    task: agent?.task ?? null,
    active: agent?.active ?? false,
    running: agent?.running ?? false,
    state,
    target,
    commits: landed ? 0 : commits,
    files,
    repo,
  };
}

/**
 * Files touched by the commits of `branch` that no other local branch holds:
 * what deleting the branch would lose (also when its target is gone).
 */
async function filesOnlyOn(repo: string, branch: string): Promise<string[]> {
  const out = await gitOut(repo, [
    '-c',
    'core.quotepath=off',
    'log',
    '--name-only',
    '--format=',
    `refs/heads/${branch}`,
    '--not',
    // --branches matches names without refs/heads/.
    `--exclude=${branch}`,
    '--branches',
  ]);
  return out.split('\n').filter(Boolean);
}

/** Whether the branch moved since it was created (its reflog's first entry), i.e. it ever held commits of its own. */
async function hasOwnCommits(repo: string, branch: string): Promise<boolean> {
  const log = await gitOut(repo, [
    'reflog',
    'show',
    '--format=%H',
    `refs/heads/${branch}`,
    '--',
  ]).catch(() => '');
  const entries = log.split('\n').filter(Boolean);
  const first = entries.at(-1);
  const tip = await resolveCommit(repo, `refs/heads/${branch}`);
  return first !== undefined && tip !== undefined && first !== tip;
}

export async function listWorktrees(
  repo: string,
  agents: readonly KnownAgent[],
): Promise<WorktreeEntry[]> {
  const byBranch = new Map(agents.map((a) => [a.branch, a]));
  const trees = await worktreesByBranch(repo);
  const entries: WorktreeEntry[] = [];
  for (const branch of await troikaBranches(repo)) {
    entries.push(
      await describeBranch(repo, branch, trees.get(branch) ?? null, byBranch.get(branch)),
    );
  }
  return entries;
}

/** Whether the worktree was made (its `.git` file written) within the last `ms`. */
function madeWithin(worktree: string | null, ms: number): boolean {
  if (!worktree) return false;
  try {
    return Date.now() - statSync(join(worktree, '.git')).ctimeMs < ms;
  } catch {
    return false;
  }
}

/** Removes the worktree (if any) and the branch. */
async function remove(entry: WorktreeEntry): Promise<void> {
  if (entry.worktree && existsSync(entry.worktree)) {
    // Only a confirmed removal of uncommitted work forces; otherwise git's own refusal is a second guard.
    const force = entry.state === 'uncommitted' ? ['--force'] : [];
    await git(entry.repo, ['worktree', 'remove', ...force, entry.worktree]);
  }
  await git(entry.repo, ['worktree', 'prune']);
  await git(entry.repo, ['branch', '-D', entry.branch]);
}

/**
 * A plan's integration branch (`troika/plan-<slug>`, see `plans/ports.ts`):
 * it looks empty until its first task merges and merged once it lands, yet
 * the plan still runs on it, so only the user removes it.
 */
export function isPlanBranch(branch: string): boolean {
  return branch.startsWith('troika/plan-');
}

/**
 * Removes merged and empty branches that no running agent or plan uses;
 * returns what is left. `spareNewerThanMs`: a worktree no known agent owns
 * that was made this recently is left too, as an agent may be setting it up
 * (its worktree exists before the agent is listed anywhere).
 */
export async function sweep(
  entries: readonly WorktreeEntry[],
  options: { spareNewerThanMs?: number } = {},
): Promise<WorktreeEntry[]> {
  const left: WorktreeEntry[] = [];
  for (const entry of entries) {
    const sweepable = entry.state === 'merged' || entry.state === 'empty';
    const fresh =
      options.spareNewerThanMs !== undefined &&
      entry.agentId === null &&
      madeWithin(entry.worktree, options.spareNewerThanMs);
    if (!entry.active && sweepable && !fresh && !isPlanBranch(entry.branch)) {
      try {
        await remove(entry);
        continue;
      } catch {
        // Left in the list; the next sweep tries again.
      }
    }
    left.push(entry);
  }
  return left;
}

/**
 * Removes one branch. Work found nowhere else (uncommitted, or commits not
 * landed) goes only when `confirmFiles` is exactly the list of files that
 * would be lost, so the user confirmed what they saw, not a stale list.
 */
export async function cleanBranch(
  entry: WorktreeEntry,
  confirmFiles: readonly string[] | undefined,
): Promise<void> {
  if (entry.running) throw new LandingError(`${entry.branch} is in use by a running agent.`);
  if (entry.state === 'uncommitted' || entry.state === 'unlanded') {
    const expected = [...entry.files].sort();
    const given = [...(confirmFiles ?? [])].sort();
    if (expected.length !== given.length || expected.some((f, i) => f !== given[i]))
      throw new LandingError(
        `${entry.branch} holds work found nowhere else (${entry.files.join(', ') || 'commits'}): confirm these files to remove it.`,
      );
  }
  await remove(entry);
}

/**
 * Right after a landing: removes the branch and its worktree when all of it
 * landed (the tip is the one that landed, nothing uncommitted). Returns
 * whether it did; one that holds more work stays for the ledger.
 */
export async function cleanLanded(
  repo: string,
  branch: string,
  worktree: string | null,
  landedTip: string,
): Promise<boolean> {
  if ((await resolveCommit(repo, `refs/heads/${branch}`)) !== landedTip) return false;
  const hasTree = worktree !== null && existsSync(worktree);
  if (hasTree && (await dirtyFiles(worktree)).length > 0) return false;
  try {
    if (hasTree) await git(repo, ['worktree', 'remove', worktree]);
    await git(repo, ['branch', '-D', branch]);
    return true;
  } catch {
    return false;
  }
}
