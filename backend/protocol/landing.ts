/**
 * Landing: bringing an agent's branch back into the user's branch. A preview
 * computed without touching any working tree (clean, or the conflicting files
 * with both sides), the repository's own checks (gates) run on the merge
 * result, the merge itself (squash or merge commit, with provenance
 * trailers), and the ledger of every worktree and branch Troika made.
 */
import { z } from 'zod';
import type { AgentSummary } from './agent.ts';
import { method } from './define.ts';

const AgentId = z.string().min(1).max(64);
/** A local branch name as git allows it (no leading dash: never an option). */
const BranchName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^(?!-)[^\s~^:?*[\\]+$/, 'not a branch name');

export type LandMode = 'squash' | 'merge';

export interface ConflictFile {
  path: string;
  /** The target branch's version (null: deleted or absent there). */
  ours: string | null;
  /** The agent's version (null: deleted or absent there). */
  theirs: string | null;
  /** Either side was cut at the size limit, or is binary (then not shown). */
  truncated: boolean;
  binary: boolean;
}

export interface GateSpec {
  name: string;
  /** Run by `sh -c` in the merge result's temporary worktree. */
  command: string;
  timeoutMs: number;
  /** Where it was found: package.json, Makefile, cargo, go, pytest, or the project file. */
  source: string;
}

export type GateStatus = 'passed' | 'failed' | 'timed_out';

export interface GateResult {
  name: string;
  command: string;
  status: GateStatus;
  exitCode: number | null;
  durationMs: number;
  /** The end of the output (all of it is streamed as `landing.output`). */
  output: string;
}

export interface MergePreview {
  agentId: string;
  /** The agent's branch. */
  source: string;
  /** The branch it would land in. */
  target: string;
  /** The branch the agent started from, when known. */
  startedFrom: string | null;
  /** Local branches the user may pick instead. */
  branches: string[];
  targetTip: string;
  sourceTip: string;
  /** Nothing to land: the target already holds the agent's commits. */
  upToDate: boolean;
  clean: boolean;
  /** Files the merge changes on the target. */
  files: string[];
  conflicts: ConflictFile[];
  /** Git's own notes on the merge (auto-merging, conflict kinds). */
  messages: string[];
  /** Commits on the agent's branch that the target lacks. */
  commits: number;
  /** Files in the agent's worktree not committed: not part of the merge until kept. */
  uncommitted: string[];
  /** Where the target is checked out, if anywhere. */
  checkedOutAt: string | null;
  /** Uncommitted files in that checkout the merge would touch: landing is refused while there are any. */
  blockedBy: string[];
  /** Squash message from the agent's finish report. */
  message: string;
  gates: GateSpec[];
  /** Where the gates came from: the project file's path, or null when detected. */
  gatesFile: string | null;
}

export interface LandResult {
  landed: boolean;
  /** Why it did not land (a failed gate, a refusal). */
  reason: string | null;
  target: string;
  mode: LandMode;
  /** The new tip of the target. */
  commit: string | null;
  gates: GateResult[];
  mergedAnyway: boolean;
  /** The checkout whose working tree was updated, if the target was checked out. */
  updatedCheckout: string | null;
  /** The agent's worktree and branch were removed (everything landed). */
  cleaned: boolean;
}

export type WorktreeState = 'uncommitted' | 'unlanded' | 'merged' | 'empty' | 'missing';

export interface WorktreeEntry {
  branch: string;
  /** The worktree folder, when one exists. */
  worktree: string | null;
  agentId: string | null;
  task: string | null;
  /** In use: the agent runs, or its terminal is open (then it is not cleaned up automatically). */
  active: boolean;
  /** The agent runs now: then nothing removes it. */
  running: boolean;
  state: WorktreeState;
  /** The branch it lands in. */
  target: string | null;
  /** Commits on the branch the target lacks. */
  commits: number;
  /** Uncommitted files, and files changed by unlanded commits: what removing would lose. */
  files: string[];
  repo: string;
}

export interface CleanResult {
  removed: boolean;
  entries: WorktreeEntry[];
}

export interface ConflictHandOverResult {
  /** Files left with conflict markers in the agent's worktree, for it to resolve. */
  files: string[];
  /** The agent, now running on the conflict. */
  agent: AgentSummary;
}

export const landingMethods = {
  /** Computes the merge of the agent's branch into `target` (default: the branch it started from) without touching a working tree. */
  'landing.preview': method(
    z.strictObject({ id: AgentId, target: BranchName.optional() }),
  ).returns<MergePreview>(),
  /**
   * Lands: the merge again, gates on its result (unless `gates` is false),
   * then the commit. `expectTip` guards against a target that moved since
   * the preview; `runId` names the `landing.*` events of this landing.
   */
  'landing.land': method(
    z.strictObject({
      id: AgentId,
      target: BranchName.optional(),
      mode: z.enum(['squash', 'merge']).default('squash'),
      message: z.string().trim().min(1).max(20_000).optional(),
      gates: z.boolean().default(true),
      mergeAnyway: z.boolean().default(false),
      expectTip: z
        .string()
        .regex(/^[0-9a-f]{40,64}$/)
        .optional(),
      runId: z.string().min(1).max(64).optional(),
    }),
  ).returns<LandResult>(),
  /**
   * Hands a conflicting merge to the agent: the target is merged into its
   * branch in its worktree (conflict markers left there) and the agent runs
   * again with the conflict as its task.
   */
  'landing.resolve': method(
    z.strictObject({ id: AgentId, target: BranchName.optional() }),
  ).returns<ConflictHandOverResult>(),
  /** Every worktree and branch Troika made, with its state; merged and empty ones not in use are cleaned first. */
  'landing.worktrees': method(z.strictObject({})).returns<WorktreeEntry[]>(),
  /**
   * Removes one branch and its worktree. One holding work found nowhere else
   * is removed only when `confirmFiles` lists exactly the files it would lose.
   */
  'landing.clean': method(
    z.strictObject({
      branch: BranchName,
      confirmFiles: z.array(z.string().max(4096)).max(10_000).optional(),
    }),
  ).returns<CleanResult>(),
};
