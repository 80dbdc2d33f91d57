/**
 * What an agent changed in its git worktree, against the commit it started
 * from: committed work on its branch and uncommitted edits alike, file by
 * file, untracked files included. Keeping commits the uncommitted part on the
 * agent's branch; discarding puts a file, or the whole worktree, back as it
 * was at the start. Nothing here touches the user's own checkout.
 *
 * The start is the commit the branch was created at (its reflog's first
 * entry); where the reflog is gone, the merge base with the repository's HEAD.
 */
import { execFileLaunched } from '../../native/process-launcher.ts';
import { existsSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentChanges, FileChange, FileChangeStatus } from '../protocol/changes.ts';

/** git starts from the small launcher process: a fork from the backend stalls its event loop. */
const run = execFileLaunched;

/** Local git commands are quick; a hung one (a lock, a hook waiting for input) must not hang the UI. */
const GIT_TIMEOUT_MS = 30_000;
/** A patch larger than this is cut: nobody reviews it in a panel, and it would bloat the message. */
export const MAX_PATCH_CHARS = 200_000;
/** All patches of one answer together stay under this (the protocol's messages are bounded too). */
export const MAX_TOTAL_PATCH_CHARS = 2_000_000;
/** Git's own test for binary content: a NUL byte in the first 8000 bytes. */
const BINARY_SNIFF_BYTES = 8000;
/** Used only when the repository has no identity configured, so keeping never fails on a fresh machine. */
const FALLBACK_IDENTITY = ['-c', 'user.name=Troika', '-c', 'user.email=troika@localhost'];

export class ChangesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChangesError';
  }
}

async function git(cwd: string, args: string[], maxBuffer = 64 * 1024 * 1024): Promise<string> {
  try {
    const { stdout } = await run('git', args, {
      cwd,
      timeout: GIT_TIMEOUT_MS,
      maxBuffer,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
    });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new ChangesError(`git ${args[0] ?? ''} failed: ${stderr || (error as Error).message}`);
  }
}

async function tryGit(cwd: string, args: string[]): Promise<string | undefined> {
  try {
    return await git(cwd, args);
  } catch {
    return undefined;
  }
}

/** Where the agent's changes live. */
export interface ChangesTarget {
  agentId: string;
  /** The worktree root, when it exists. */
  worktree: string | null;
  /** The repository (any folder in it) for a branch whose worktree is gone. */
  repo: string | null;
  branch: string | null;
}

function unavailable(agentId: string, reason: string, branch: string | null = null): AgentChanges {
  return {
    agentId,
    available: false,
    reason,
    branch,
    base: null,
    files: [],
    commits: 0,
    actionable: false,
  };
}

/** The commit the branch started at. */
export async function branchBase(cwd: string, branch: string): Promise<string | undefined> {
  const log = await tryGit(cwd, ['reflog', 'show', '--format=%H', `refs/heads/${branch}`, '--']);
  const first = log?.trim().split('\n').at(-1);
  if (first && /^[0-9a-f]{40,64}$/.test(first)) return first;
  const mergeBase = await tryGit(cwd, ['merge-base', 'HEAD', `refs/heads/${branch}`]);
  return mergeBase?.trim() || undefined;
}

interface NameStatus {
  status: FileChangeStatus;
  path: string;
  oldPath: string | null;
}

/** Parses `git diff --name-status -z`: `M\0path\0`, `R100\0old\0new\0`. */
function parseNameStatus(out: string): NameStatus[] {
  const parts = out.split('\0');
  const result: NameStatus[] = [];
  for (let i = 0; i < parts.length;) {
    const code = parts[i++];
    if (!code) continue;
    if (code.startsWith('R') || code.startsWith('C')) {
      const oldPath = parts[i++] ?? '';
      const path = parts[i++] ?? '';
      result.push({
        status: code.startsWith('R') ? 'renamed' : 'added',
        path,
        oldPath: code.startsWith('R') ? oldPath : null,
      });
    } else {
      const path = parts[i++] ?? '';
      result.push({
        status: code === 'A' ? 'added' : code === 'D' ? 'deleted' : 'modified',
        path,
        oldPath: null,
      });
    }
  }
  return result;
}

/** Paths in `git status --porcelain=v1 -z` output: `XY path\0`, a rename followed by its old path. */
function dirtyPaths(status: string): Set<string> {
  const parts = status.split('\0');
  const paths = new Set<string>();
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i] ?? '';
    if (entry.length < 4) continue;
    paths.add(entry.slice(3));
    if (entry[0] === 'R' || entry[0] === 'C') paths.add(parts[++i] ?? '');
  }
  return paths;
}

/** Splits a whole `git diff` into its per-file sections, in order. */
function splitPatch(patch: string): string[] {
  if (!patch) return [];
  return patch.split(/^(?=diff --git )/m).filter((s) => s.startsWith('diff --git '));
}

function countLines(section: string): { additions: number; deletions: number; binary: boolean } {
  let additions = 0;
  let deletions = 0;
  let inHunk = false;
  for (const line of section.split('\n')) {
    if (line.startsWith('@@')) inHunk = true;
    else if (inHunk && line.startsWith('+')) additions++;
    else if (inHunk && line.startsWith('-')) deletions++;
  }
  return {
    additions,
    deletions,
    binary: /^Binary files /m.test(section) || /^GIT binary patch$/m.test(section),
  };
}

async function untrackedPatch(
  root: string,
  path: string,
): Promise<{ patch: string; additions: number; binary: boolean }> {
  const file = join(root, path);
  const info = await stat(file);
  if (!info.isFile()) return { patch: '', additions: 0, binary: true };
  const content = await readFile(file);
  if (content.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    return {
      patch: `diff --git a/${path} b/${path}\nnew file\nBinary files /dev/null and b/${path} differ\n`,
      additions: 0,
      binary: true,
    };
  }
  const text = content.toString('utf8');
  const lines = text.length === 0 ? [] : text.replace(/\n$/, '').split('\n');
  const header = `diff --git a/${path} b/${path}\nnew file (untracked)\n--- /dev/null\n+++ b/${path}\n`;
  const body =
    lines.length === 0
      ? ''
      : `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}\n${text.endsWith('\n') ? '' : '\\ No newline at end of file\n'}`;
  return { patch: header + body, additions: lines.length, binary: false };
}

function clip(patch: string, budget: { left: number }): { patch: string; truncated: boolean } {
  const limit = Math.min(MAX_PATCH_CHARS, Math.max(0, budget.left));
  const truncated = patch.length > limit;
  const kept = truncated ? patch.slice(0, patch.lastIndexOf('\n', limit) + 1) : patch;
  budget.left -= kept.length;
  return { patch: kept, truncated };
}

/** The agent's changes since its start, file by file. */
export async function readChanges(target: ChangesTarget, active: boolean): Promise<AgentChanges> {
  const { agentId, branch } = target;
  if (!branch)
    return unavailable(
      agentId,
      'This agent works in a plain folder, not a git worktree: there is no starting point to compare with.',
    );
  const hasWorktree = target.worktree !== null && existsSync(target.worktree);
  const cwd = hasWorktree ? (target.worktree as string) : target.repo;
  if (!cwd || !existsSync(cwd))
    return unavailable(agentId, 'The repository of this agent is no longer there.', branch);
  const base = await branchBase(cwd, branch);
  if (!base) return unavailable(agentId, `The start of branch ${branch} cannot be found.`, branch);
  // With the worktree: base against the working tree (commits and edits); without: base against the branch.
  const range = hasWorktree ? [base] : [base, `refs/heads/${branch}`];
  const diffArgs = ['-c', 'core.quotepath=off', 'diff', '--no-color', '--no-ext-diff', '-M'];
  const [nameStatus, patch, status, untracked, commits] = await Promise.all([
    git(cwd, [...diffArgs, '--name-status', '-z', ...range, '--']),
    git(cwd, [...diffArgs, ...range, '--']),
    hasWorktree
      ? git(cwd, ['status', '--porcelain=v1', '-z', '--untracked-files=all'])
      : Promise.resolve(''),
    hasWorktree
      ? git(cwd, ['ls-files', '--others', '--exclude-standard', '-z'])
      : Promise.resolve(''),
    git(cwd, ['rev-list', '--count', `${base}..refs/heads/${branch}`]),
  ]);
  const dirty = dirtyPaths(status);
  const budget = { left: MAX_TOTAL_PATCH_CHARS };
  const sections = splitPatch(patch);
  const entries = parseNameStatus(nameStatus);
  const files: FileChange[] = entries.map((entry, index) => {
    const section = sections[index] ?? '';
    const counts = countLines(section);
    const clipped = clip(counts.binary ? '' : section, budget);
    return {
      ...entry,
      ...counts,
      uncommitted: dirty.has(entry.path) || (entry.oldPath !== null && dirty.has(entry.oldPath)),
      ...clipped,
    };
  });
  for (const path of untracked.split('\0').filter(Boolean)) {
    const made = await untrackedPatch(cwd, path).catch(() => ({
      patch: '',
      additions: 0,
      binary: true,
    }));
    files.push({
      path,
      oldPath: null,
      status: 'added',
      additions: made.additions,
      deletions: 0,
      binary: made.binary,
      uncommitted: true,
      ...clip(made.patch, budget),
    });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const actionable = hasWorktree && !active;
  return {
    agentId,
    available: true,
    reason: !hasWorktree
      ? `The agent's worktree was removed when it finished clean; its work is on branch ${branch}.`
      : active
        ? 'The agent is running: stop it, or let it finish, before keeping or discarding its changes.'
        : null,
    branch,
    base: base.slice(0, 12),
    files,
    commits: Number(commits.trim()) || 0,
    actionable,
  };
}

/** Commits every uncommitted change in the worktree (untracked files included) on the agent's branch. */
export async function keepChanges(worktree: string, message: string): Promise<void> {
  await git(worktree, ['add', '-A', '--', '.']);
  const staged = await git(worktree, ['diff', '--cached', '--name-only', '-z']);
  if (!staged) throw new ChangesError('There is nothing uncommitted to keep.');
  const identity = (await tryGit(worktree, ['config', 'user.email']))?.trim()
    ? []
    : FALLBACK_IDENTITY;
  await git(worktree, [...identity, 'commit', '--quiet', '-m', message]);
}

/** Puts the worktree, or one file in it, back as it was at `base`. Ignored files are left alone. */
export async function discardChanges(
  worktree: string,
  base: string,
  path?: string,
  oldPath?: string | null,
): Promise<void> {
  if (path === undefined) {
    await git(worktree, ['reset', '--quiet', '--hard', base]);
    await git(worktree, ['clean', '--quiet', '-fd']);
    return;
  }
  if (oldPath) await discardChanges(worktree, base, oldPath);
  if (path.split(/[\\/]/).includes('..'))
    throw new ChangesError(`"${path}" is not inside the worktree`);
  const atBase = await tryGit(worktree, ['cat-file', '-e', `${base}:${path}`]);
  if (atBase !== undefined) {
    await git(worktree, ['checkout', base, '--', path]);
    return;
  }
  await git(worktree, ['rm', '--quiet', '--cached', '--ignore-unmatch', '-r', '--', path]);
  await rm(join(worktree, path), { force: true, recursive: true });
}
