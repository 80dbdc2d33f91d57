/**
 * Live overlap: while a plan's tasks run, their worktrees are merged with
 * each other every couple of seconds (`git merge-tree --write-tree`, as the
 * merge preview does) and a conflict is flagged as it appears, not only
 * when the second task reaches the merge queue. Each worktree's state,
 * uncommitted work included, is read through a temporary index (a copy of
 * the worktree's own, so unchanged files are not hashed again) and written
 * as a tree and a commit in the object store: the worktree, its index and
 * its branch are never touched.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { EventBus } from '../bus/events.ts';
import { git, gitOut, identityEnv } from '../landing/git.ts';
import { mergeTree } from '../landing/merge-tree.ts';
import type { TaskState } from '../protocol/payloads/plans.ts';
import type { PlanStore, TaskProgress } from './plan-store.ts';

/** A live worktree's key in the snapshots kept: its task and folder. */
const keyOf = (task: LiveTask): string => `${task.taskId}\0${task.dir}`;

/** How often running worktrees are compared: soon enough to warn an agent, rare enough for two cores. */
export const LIVE_OVERLAP_INTERVAL_MS = 2_000;
/**
 * A running worktree whose agent called no tool since its last snapshot is
 * snapshotted again only after this long: what no tool call shows (the
 * user typing in its terminal, a process left running) is still seen.
 */
export const QUIET_SNAPSHOT_MAX_AGE_MS = 10_000;

/** Task states whose worktree holds work not yet merged. */
export const LIVE_TASK_STATES: ReadonlySet<TaskState> = new Set([
  'running',
  'gating',
  'merge_queue',
  'merging',
]);

export interface LiveTask {
  taskId: string;
  /** The task's worktree. */
  dir: string;
  /**
   * No agent works in it now (gating, queued or merging: its work is
   * committed): a snapshot taken since it settled still holds.
   */
  settled?: boolean;
  /**
   * A count that moves whenever the worktree may have changed (its agent's
   * tool calls). Unchanged since the last snapshot, and that snapshot
   * younger than QUIET_SNAPSHOT_MAX_AGE_MS: the snapshot still holds (a
   * snapshot costs three or four git processes, and agents spend most of
   * their time waiting for the model). Absent: snapshotted every round.
   */
  activity?: number;
}

export interface LiveOverlap {
  /** The two tasks, in a stable order. */
  taskIds: [string, string];
  /** Files whose changes conflict when the two worktrees are merged. */
  files: string[];
}

export interface LiveOverlapOptions {
  /** Any checkout of the repository: merges are computed in its object store. */
  repo: string;
  live: () => LiveTask[];
  onOverlap: (overlap: LiveOverlap) => void;
  /** A flagged pair whose worktrees merge cleanly again (or one of them stopped being live). */
  onCleared?: (taskIds: [string, string]) => void;
  intervalMs?: number;
  /** The clock (tests). */
  now?: () => number;
  /** Called once the watch is disposed. */
  onDispose?: () => void;
}

/**
 * A commit holding `dir`'s worktree as it is now, uncommitted and untracked
 * (not ignored) files included, whose parent is its HEAD; HEAD itself when
 * nothing is uncommitted.
 */
export async function snapshotWorktree(dir: string): Promise<string> {
  // HEAD, its tree and the index's path in one git process.
  const [head, headTree, own] = (
    await gitOut(dir, ['rev-parse', 'HEAD^{commit}', 'HEAD^{tree}', '--git-path', 'index'])
  ).split('\n') as [string, string, string];
  const scratch = mkdtempSync(join(tmpdir(), 'troika-overlap-'));
  try {
    const index = join(scratch, 'index');
    const ownPath = isAbsolute(own) ? own : join(dir, own);
    const env = { GIT_INDEX_FILE: index };
    if (existsSync(ownPath)) copyFileSync(ownPath, index);
    else await git(dir, ['read-tree', head], { env });
    await git(dir, ['add', '-A'], { env });
    const tree = await gitOut(dir, ['write-tree'], { env });
    if (tree === headTree) return head;
    return await gitOut(
      dir,
      ['commit-tree', tree, '-p', head, '-m', 'Troika live overlap snapshot'],
      { env: await identityEnv(dir) },
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export class LiveOverlapWatch {
  readonly #options: LiveOverlapOptions;
  /** Pair key → the conflicting files last flagged. */
  readonly #flagged = new Map<string, string[]>();
  /** Merge results by the two snapshot commits: an unchanged pair is not merged again. */
  readonly #merged = new Map<string, string[]>();
  /** Settled worktrees → their snapshot, taken once they settled. */
  readonly #settled = new Map<string, string>();
  /** Running worktrees → their last snapshot, the activity it saw and when it was taken. */
  readonly #quiet = new Map<string, { commit: string; activity: number; at: number }>();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<LiveOverlap[]> | null = null;

  constructor(options: LiveOverlapOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(
      () => void this.check().catch(() => undefined),
      this.#options.intervalMs ?? LIVE_OVERLAP_INTERVAL_MS,
    );
    this.#timer.unref();
  }

  async dispose(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#options.onDispose?.();
    await this.#running?.catch(() => undefined);
  }

  /** One comparison of every pair of live worktrees; flags what newly conflicts, clears what no longer does. */
  check(): Promise<LiveOverlap[]> {
    this.#running ??= this.#check().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #check(): Promise<LiveOverlap[]> {
    const snapshots: Array<{ taskId: string; commit: string }> = [];
    const live = this.#options.live();
    // One live worktree has nothing to overlap with: no snapshot (a flagged pair clears below).
    // Snapshots kept for worktrees no longer live as they were (gone, or settled / running again) go.
    const keys = new Set(live.map((task) => `${task.settled ? 's' : 'r'}\0${keyOf(task)}`));
    for (const [kept, kind] of [
      [this.#settled, 's'],
      [this.#quiet, 'r'],
    ] as const)
      for (const key of kept.keys()) if (!keys.has(`${kind}\0${key}`)) kept.delete(key);
    for (const task of live.length < 2 ? [] : live) {
      const key = keyOf(task);
      // A worktree removed or mid-rewrite is skipped this round, not an error.
      const commit =
        (task.settled ? this.#settled.get(key) : this.#stillQuiet(key, task)) ??
        (await this.#snapshot(key, task));
      if (!commit) continue;
      if (task.settled) this.#settled.set(key, commit);
      snapshots.push({ taskId: task.taskId, commit });
    }
    snapshots.sort((a, b) => a.taskId.localeCompare(b.taskId));
    const found: LiveOverlap[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < snapshots.length; i++) {
      for (let j = i + 1; j < snapshots.length; j++) {
        const a = snapshots[i] as { taskId: string; commit: string };
        const b = snapshots[j] as { taskId: string; commit: string };
        const files = await this.#conflicts(a.commit, b.commit).catch(() => null);
        if (files === null) continue;
        const key = `${a.taskId}\0${b.taskId}`;
        seen.add(key);
        if (files.length === 0) continue;
        const overlap: LiveOverlap = { taskIds: [a.taskId, b.taskId], files };
        found.push(overlap);
        if (this.#flagged.get(key)?.join('\0') !== files.join('\0')) {
          this.#flagged.set(key, files);
          this.#options.onOverlap(overlap);
        }
      }
    }
    for (const key of [...this.#flagged.keys()]) {
      const stillOverlaps = found.some((o) => o.taskIds.join('\0') === key);
      if (stillOverlaps) continue;
      this.#flagged.delete(key);
      const [a, b] = key.split('\0') as [string, string];
      this.#options.onCleared?.([a, b]);
    }
    return found;
  }

  /** The last snapshot of a running worktree when nothing could have changed it since. */
  #stillQuiet(key: string, task: LiveTask): string | undefined {
    const last = this.#quiet.get(key);
    if (last === undefined || task.activity === undefined || task.activity !== last.activity)
      return undefined;
    return this.#now() - last.at < QUIET_SNAPSHOT_MAX_AGE_MS ? last.commit : undefined;
  }

  async #snapshot(key: string, task: LiveTask): Promise<string | null> {
    const at = this.#now();
    const commit = await snapshotWorktree(task.dir).catch(() => null);
    if (commit && !task.settled && task.activity !== undefined)
      this.#quiet.set(key, { commit, activity: task.activity, at });
    return commit;
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }

  async #conflicts(a: string, b: string): Promise<string[]> {
    const key = `${a}:${b}`;
    const known = this.#merged.get(key);
    if (known) return known;
    const merged = await mergeTree(this.#options.repo, a, b);
    const files = merged.conflicts.map((c) => c.path).sort();
    this.#merged.set(key, files);
    return files;
  }
}

export interface PlanOverlapOptions {
  planId: string;
  repo: string;
  store: PlanStore;
  events: EventBus;
  taskIds: readonly string[];
  progress: (taskId: string) => TaskProgress;
  worktreeOf: (taskId: string) => string | null;
  /** The agent working on the task in this process, if any: its tool calls count as activity. */
  agentOf?: (taskId: string) => string | undefined;
  intervalMs?: number;
}

/**
 * The watch over one plan: its live tasks' worktrees; an overlap is kept as
 * evidence on both tasks (the plan view flags them) and announced as
 * `plans.overlap`.
 */
export function planOverlapWatch(options: PlanOverlapOptions): LiveOverlapWatch {
  const { planId, store, events } = options;
  const record = (taskIds: [string, string], files: string[]) => {
    for (const [mine, other] of [taskIds, [taskIds[1], taskIds[0]]] as const) {
      store.saveStep(planId, options.progress(mine), {
        kind: 'overlap',
        data: { withTaskId: other, files, cleared: files.length === 0 },
      });
    }
    events.publish('plans.overlap', { planId, taskIds, files, cleared: files.length === 0 });
    events.publish('plans.changed', { planId });
  };
  // Each agent's tool results and state changes: its worktree may have changed since.
  const activity = new Map<string, number>();
  const unsubscribe = events.subscribe((event, data) => {
    if (event !== 'agent.transcript' && event !== 'agent.state') return;
    const { agentId, entry } = data as { agentId: string; entry?: { kind: string } };
    if (event === 'agent.transcript' && entry?.kind !== 'tool_result') return;
    activity.set(agentId, (activity.get(agentId) ?? 0) + 1);
  });
  return new LiveOverlapWatch({
    repo: options.repo,
    onDispose: unsubscribe,
    ...(options.intervalMs !== undefined && { intervalMs: options.intervalMs }),
    live: () =>
      options.taskIds.flatMap((taskId) => {
        const { state } = options.progress(taskId);
        if (!LIVE_TASK_STATES.has(state)) return [];
        const dir = options.worktreeOf(taskId);
        if (!dir || !existsSync(dir)) return [];
        const agentId = options.agentOf?.(taskId);
        return [
          {
            taskId,
            dir,
            settled: state !== 'running',
            ...(agentId !== undefined && { activity: activity.get(agentId) ?? 0 }),
          },
        ];
      }),
    onOverlap: (o) => record(o.taskIds, o.files),
    onCleared: (taskIds) => record(taskIds, []),
  });
}
