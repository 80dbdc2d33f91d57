/**
 * Runs the gates on a merge result that has not landed: a temporary detached
 * worktree at the candidate commit (never the user's checkout), the project
 * file's setup, then the gates. The worktree is removed afterwards whatever
 * happened; a crash leaves only a folder `git worktree prune` forgets.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { GateResult, GateSpec } from '../protocol/landing.ts';
import { git } from './git.ts';
import { runGates } from './gates.ts';
import type { ProjectFile } from './project-file.ts';
import { runSetup } from './setup.ts';

/** Gate worktrees being removed in the background. */
const removals = new Set<Promise<unknown>>();
/** Repositories whose stale gate worktrees this process has pruned. */
const pruned = new Set<string>();

export interface GateRunHooks {
  onOutput?: (gate: string, chunk: string) => void;
  onResult?: (result: GateResult) => void;
}

export async function gateCandidate(options: {
  repo: string;
  /** The main checkout: where setup copies files from. */
  mainCheckout: string;
  commit: string;
  gates: readonly GateSpec[];
  project: ProjectFile | null;
  /** Where the temporary worktree goes. */
  scratchDir: string;
  hooks?: GateRunHooks;
  /** Return with the results while the worktree is removed (a plan's next step need not wait for it). */
  removeInBackground?: boolean;
}): Promise<GateResult[]> {
  const { repo, hooks = {} } = options;
  if (options.gates.length === 0) return [];
  await mkdir(options.scratchDir, { recursive: true });
  const dir = join(options.scratchDir, `gates-${randomUUID().slice(0, 8)}`);
  // Forgets gate worktrees a crash left registered (their folders are cleared at start-up):
  // once per repository and process, as only a crash before this process leaves them.
  if (!pruned.has(repo)) {
    await git(repo, ['worktree', 'prune']);
    pruned.add(repo);
  }
  await git(repo, ['worktree', 'add', '--detach', '--quiet', dir, options.commit]);
  try {
    const setup = await runSetup(dir, options.mainCheckout, options.project, (chunk) =>
      hooks.onOutput?.('setup', chunk),
    );
    if (!setup.ok) {
      const result: GateResult = {
        name: 'setup',
        command: options.project?.setup?.command ?? '(copy and link)',
        status: 'failed',
        exitCode: null,
        durationMs: 0,
        output: `${setup.output}\n${setup.error ?? ''}`,
      };
      hooks.onResult?.(result);
      return [result];
    }
    return await runGates(options.gates, dir, hooks);
  } finally {
    const removed = git(repo, ['worktree', 'remove', '--force', '--force', dir])
      .catch(() =>
        rm(dir, { recursive: true, force: true }).then(() => git(repo, ['worktree', 'prune'])),
      )
      .catch(() => undefined);
    if (options.removeInBackground) {
      removals.add(removed);
      void removed.finally(() => removals.delete(removed));
    } else await removed;
  }
}

/** Resolves once every gate worktree removed in the background is gone. */
export async function gateWorktreesRemoved(): Promise<void> {
  await Promise.all([...removals]);
}
