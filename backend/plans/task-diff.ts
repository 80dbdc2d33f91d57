/**
 * A plan task's work as a diff, for the plan view: the commits on its branch
 * since it forked from the integration branch (`git diff base...branch`),
 * or, once merged, its merge commit's change on the integration branch. Only
 * commits are read, never a worktree, so a running agent is not disturbed
 * and a deleted worktree changes nothing. Every file is listed with its
 * figures; the patches are read as a stream and kept up to a size limit, the
 * rest counted and named as left out.
 */
import { spawn } from 'node:child_process';
import { git, resolveCommit, tryGitOut } from '../landing/git.ts';
import type { TaskDiff, TaskDiffFile } from '../protocol/payloads/plan-task-view.ts';
import type { TaskProgress } from './plan-store.ts';

/** Patch text one answer carries at most: a panel shows no more, and the message stays small. */
export const MAX_DIFF_BYTES = 1_000_000;
/** One file's patch at most: a generated file must not crowd out the others. */
export const MAX_FILE_PATCH_BYTES = 200_000;
/** Files listed at most (their figures); the rest are counted as left out. */
export const MAX_DIFF_FILES = 1000;
/** A diff that takes longer than this is cut where it got to. */
const DIFF_TIMEOUT_MS = 30_000;
/** A line longer than this (minified code) is handled in pieces, so memory stays bounded. */
const MAX_PENDING_CHARS = 256 * 1024;
/** How far back the integration branch is searched for a merge whose commit was not recorded. */
const MERGE_SEARCH_DEPTH = 2000;
/** Lets the patch and the file list agree: renames found the same way, no external tools. */
const DIFF_OPTIONS = ['-M', '--no-color', '--no-ext-diff', '--no-textconv'];

interface Range {
  source: 'branch' | 'merge';
  base: string;
  head: string;
}

export interface TaskDiffRequest {
  repo: string;
  planId: string;
  integration: string;
  progress: TaskProgress;
}

export async function taskDiff(request: TaskDiffRequest): Promise<TaskDiff> {
  const { progress: p } = request;
  const range = await rangeOf(request);
  if (typeof range === 'string') return unavailable(request, range);
  const diff = await diffBetween(request.repo, range.base, range.head);
  return {
    planId: request.planId,
    taskId: p.taskId,
    available: true,
    reason: null,
    source: range.source,
    branch: p.branch,
    base: range.base.slice(0, 12),
    head: range.head.slice(0, 12),
    note:
      range.source === 'branch' && (p.state === 'running' || p.state === 'gating')
        ? 'Committed work only: the agent’s uncommitted edits are in its panel’s Changes.'
        : null,
    ...diff,
  };
}

/** What to compare, or why there is nothing to compare. */
async function rangeOf({
  repo,
  integration,
  progress: p,
}: TaskDiffRequest): Promise<Range | string> {
  if (p.mergedCommit) {
    const head = await resolveCommit(repo, p.mergedCommit);
    const base = head && (await resolveCommit(repo, `${head}^1`));
    if (head && base) return { source: 'merge', base, head };
    return `The task's merge commit ${p.mergedCommit.slice(0, 12)} is no longer in the repository.`;
  }
  if (!p.branch) {
    return p.state === 'skipped'
      ? 'The task was skipped before any agent worked on it: there is no diff.'
      : 'No branch yet: the task has not started, so there is no work to show.';
  }
  const tip = await resolveCommit(repo, `refs/heads/${p.branch}`);
  if (!tip) return `The task's branch ${p.branch} no longer exists: its work cannot be shown.`;
  const into = await resolveCommit(repo, `refs/heads/${integration}`);
  if (!into)
    return `The plan's branch ${integration} does not exist: there is nothing to compare with.`;
  if (p.state === 'merged') {
    // Merged before its commit was recorded (a restart in the merge): find the merge by its parent.
    const merge = await mergeOf(repo, into, tip);
    if (merge) return { source: 'merge', base: merge.parent, head: merge.commit };
  }
  const base = await tryGitOut(repo, ['merge-base', into, tip]);
  if (!base) return `The task's branch ${p.branch} shares no history with ${integration}.`;
  return { source: 'branch', base, head: tip };
}

async function mergeOf(
  repo: string,
  into: string,
  tip: string,
): Promise<{ commit: string; parent: string } | undefined> {
  const out = await tryGitOut(repo, [
    'rev-list',
    '--merges',
    '--parents',
    `--max-count=${MERGE_SEARCH_DEPTH}`,
    into,
  ]);
  for (const line of out?.split('\n') ?? []) {
    const [commit, parent, second] = line.split(' ');
    if (commit && parent && second === tip) return { commit, parent };
  }
  return undefined;
}

function unavailable(request: TaskDiffRequest, reason: string): TaskDiff {
  return {
    planId: request.planId,
    taskId: request.progress.taskId,
    available: false,
    reason,
    source: null,
    branch: request.progress.branch,
    base: null,
    head: null,
    note: null,
    files: [],
    totals: { files: 0, additions: 0, deletions: 0 },
    omitted: { files: 0, bytes: 0 },
  };
}

type DiffBody = Pick<TaskDiff, 'files' | 'totals' | 'omitted'>;

/** The files changed from `base` to `head` with their figures, and their patches up to the limits. */
export async function diffBetween(repo: string, base: string, head: string): Promise<DiffBody> {
  const [numstat, names] = await Promise.all([
    git(repo, ['diff', '--numstat', '-z', ...DIFF_OPTIONS, base, head]),
    git(repo, ['diff', '--name-status', '-z', ...DIFF_OPTIONS, base, head]),
  ]);
  const counts = parseNumstat(numstat.stdout);
  const statuses = parseNameStatus(names.stdout);
  const patches = await readPatches(repo, base, head, Math.min(counts.length, MAX_DIFF_FILES));
  const files: TaskDiffFile[] = counts.slice(0, MAX_DIFF_FILES).map((c, i) => {
    const patch = patches.sections[i];
    const named = statuses[i];
    return {
      path: c.path,
      oldPath: c.oldPath,
      status: named?.path === c.path ? named.status : c.oldPath ? 'renamed' : 'modified',
      additions: c.additions,
      deletions: c.deletions,
      binary: c.binary,
      patch: patch?.text ?? '',
      truncated: patch === undefined || patch.truncated,
    };
  });
  return {
    files,
    totals: {
      files: counts.length,
      additions: counts.reduce((sum, c) => sum + c.additions, 0),
      deletions: counts.reduce((sum, c) => sum + c.deletions, 0),
    },
    omitted: {
      files: files.filter((f) => f.truncated).length + (counts.length - files.length),
      bytes: patches.omittedBytes,
    },
  };
}

interface Count {
  path: string;
  oldPath: string | null;
  additions: number;
  deletions: number;
  binary: boolean;
}

/** `git diff --numstat -z`: `a\td\tpath\0`, a rename `a\td\t\0old\0new\0`, a binary file `-\t-\t…`. */
export function parseNumstat(out: string): Count[] {
  const parts = out.split('\0');
  const counts: Count[] = [];
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i] ?? '';
    const match = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(entry);
    if (!match) continue;
    const [, added = '-', deleted = '-', inline = ''] = match;
    let path = inline;
    let oldPath: string | null = null;
    if (inline === '') {
      oldPath = parts[++i] ?? '';
      path = parts[++i] ?? '';
    }
    const binary = added === '-' && deleted === '-';
    counts.push({
      path,
      oldPath,
      additions: binary ? 0 : Number(added),
      deletions: binary ? 0 : Number(deleted),
      binary,
    });
  }
  return counts;
}

/** `git diff --name-status -z`: `M\0path\0`, `R100\0old\0new\0`. */
function parseNameStatus(out: string): Array<{ path: string; status: TaskDiffFile['status'] }> {
  const parts = out.split('\0');
  const result: Array<{ path: string; status: TaskDiffFile['status'] }> = [];
  for (let i = 0; i < parts.length;) {
    const code = parts[i++];
    if (!code) continue;
    if (code.startsWith('R') || code.startsWith('C')) {
      i++;
      result.push({ path: parts[i++] ?? '', status: code.startsWith('R') ? 'renamed' : 'added' });
    } else {
      const status = code === 'A' ? 'added' : code === 'D' ? 'deleted' : 'modified';
      result.push({ path: parts[i++] ?? '', status });
    }
  }
  return result;
}

interface Section {
  text: string;
  bytes: number;
  truncated: boolean;
}

/**
 * Reads `git diff base head` as a stream, one section per file (in the same
 * order as the file list), keeping each up to MAX_FILE_PATCH_BYTES and all
 * together up to MAX_DIFF_BYTES; what is not kept is only counted.
 */
function readPatches(
  repo: string,
  base: string,
  head: string,
  maxFiles: number,
): Promise<{ sections: Section[]; omittedBytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['diff', ...DIFF_OPTIONS, base, head], {
      cwd: repo,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const sections: Section[] = [];
    let kept = 0;
    let omittedBytes = 0;
    let current: Section | undefined;
    let pending = '';
    let lineStart = true;
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, DIFF_TIMEOUT_MS);

    const take = (piece: string, startsLine: boolean) => {
      if (startsLine && piece.startsWith('diff --git ')) {
        current = sections.length < maxFiles ? { text: '', bytes: 0, truncated: false } : undefined;
        if (current) sections.push(current);
      }
      const bytes = Buffer.byteLength(piece);
      const fits =
        current !== undefined &&
        !current.truncated &&
        current.bytes + bytes <= MAX_FILE_PATCH_BYTES &&
        kept + bytes <= MAX_DIFF_BYTES;
      if (fits && current) {
        current.text += piece;
        current.bytes += bytes;
        kept += bytes;
      } else {
        if (current) current.truncated = true;
        omittedBytes += bytes;
      }
    };

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let from = 0;
      for (let nl = pending.indexOf('\n', from); nl !== -1; nl = pending.indexOf('\n', from)) {
        take(pending.slice(from, nl + 1), lineStart);
        lineStart = true;
        from = nl + 1;
      }
      pending = pending.slice(from);
      if (pending.length > MAX_PENDING_CHARS) {
        take(pending, lineStart);
        lineStart = false;
        pending = '';
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (pending) take(pending, lineStart);
      if (code !== 0 && !timedOut) {
        reject(new Error(`git diff failed: ${stderr.trim() || `exit ${code}`}`));
        return;
      }
      // Cut off mid-file: that file's patch is incomplete; the ones after it have none.
      const last = sections.at(-1);
      if (timedOut && last) last.truncated = true;
      resolve({ sections, omittedBytes });
    });
  });
}
