/**
 * Changes: what an agent changed in its git worktree, against the commit it
 * started from, file by file; the user keeps them (a commit on the agent's
 * branch) or discards them (back to the start). Also a look at a folder
 * before an agent is started in it.
 */
import { z } from 'zod';
import { method } from './define.ts';

const AgentId = z.string().min(1).max(64);
const Path = z.string().min(1).max(4096);

export type FileChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed';

export interface FileChange {
  /** Path relative to the worktree root, `/`-separated. */
  path: string;
  /** The path at the start, for a rename. */
  oldPath: string | null;
  status: FileChangeStatus;
  additions: number;
  deletions: number;
  binary: boolean;
  /** Whether some of the change is not committed yet (keeping commits it). */
  uncommitted: boolean;
  /** The unified diff of this file (empty for binary files). */
  patch: string;
  /** The patch was cut at the size limit. */
  truncated: boolean;
}

export interface AgentChanges {
  agentId: string;
  /** False when there is nothing to diff against (not a git worktree); `reason` says why. */
  available: boolean;
  reason: string | null;
  branch: string | null;
  /** The commit the agent started from (abbreviated). */
  base: string | null;
  files: FileChange[];
  /** Commits on the agent's branch since the start (the agent's own, and kept changes). */
  commits: number;
  /** Whether keep and discard can act now (not while the agent runs, nor without its worktree); `reason` says why not. */
  actionable: boolean;
}

export interface WorkspaceInfo {
  path: string;
  exists: boolean;
  isDirectory: boolean;
  /** The repository's top folder when the path is inside a git work tree. */
  gitRoot: string | null;
  /** Whether the repository has a commit to branch from (else the agent works in the folder itself). */
  hasCommits: boolean;
  /** Local branches an agent can start from (Troika's own left out). */
  branches: string[];
  /** The branch checked out there, if any: the default start. */
  currentBranch: string | null;
}

export const changesMethods = {
  'changes.get': method(z.strictObject({ id: AgentId })).returns<AgentChanges>(),
  /** Commits every uncommitted change in the agent's worktree on its branch. */
  'changes.keep': method(
    z.strictObject({ id: AgentId, message: z.string().trim().min(1).max(2000).optional() }),
  ).returns<AgentChanges>(),
  /** Puts one file (`path`), or the whole worktree, back as it was at the start. */
  'changes.discard': method(
    z.strictObject({ id: AgentId, path: Path.optional() }),
  ).returns<AgentChanges>(),
  /** What a folder is, for the new-agent dialog: whether it exists and whether the agent would get its own worktree. */
  'workspace.inspect': method(z.strictObject({ path: Path })).returns<WorkspaceInfo>(),
};
