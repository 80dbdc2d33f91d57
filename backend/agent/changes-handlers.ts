/** The `changes.*` and `workspace.inspect` protocol methods. */
import { execFileLaunched } from '../../native/process-launcher.ts';
import { realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ProtocolError } from '../protocol/envelope.ts';
import type { AgentChanges, WorkspaceInfo } from '../protocol/changes.ts';
import type { EventBus } from '../bus/events.ts';
import type { Router } from '../bus/router.ts';
import type { AgentManager } from './agent-manager.ts';
import {
  branchBase,
  ChangesError,
  discardChanges,
  keepChanges,
  readChanges,
  type ChangesTarget,
} from './changes.ts';
import { ACTIVE_STATES } from './summary.ts';
import { describeWorkspace } from './workspace.ts';

/** git starts from the small launcher process: a fork from the backend stalls its event loop. */
const run = execFileLaunched;

export function registerChangesHandlers(
  router: Router,
  events: EventBus,
  agents: AgentManager,
  dataDir: string,
): void {
  const worktreesDir = join(dataDir, 'worktrees');

  async function target(id: string): Promise<{ target: ChangesTarget; active: boolean }> {
    const agent = agents.get(id);
    const workspace = await describeWorkspace(agent, worktreesDir);
    return {
      target: {
        agentId: id,
        worktree: workspace.worktree,
        repo: workspace.repoRoot ?? agent.workspace,
        branch: agent.branch,
      },
      active: ACTIVE_STATES.has(agent.state),
    };
  }

  async function actionable(
    id: string,
  ): Promise<{ worktree: string; changes: AgentChanges; base: string }> {
    const { target: t, active } = await target(id);
    const changes = await readChanges(t, active);
    if (!changes.available || !changes.actionable || !t.worktree || !t.branch) {
      throw new ProtocolError('conflict', changes.reason ?? 'These changes cannot be changed now.');
    }
    const base = await branchBase(t.worktree, t.branch);
    if (!base)
      throw new ProtocolError('conflict', `The start of branch ${t.branch} cannot be found.`);
    return { worktree: t.worktree, changes, base };
  }

  const announce = async (id: string): Promise<AgentChanges> => {
    events.publish('changes.updated', { agentId: id });
    const { target: t, active } = await target(id);
    return readChanges(t, active);
  };

  router.handle('changes.get', ({ id }) =>
    guard(async () => {
      const { target: t, active } = await target(id);
      return readChanges(t, active);
    }),
  );
  router.handle('changes.keep', ({ id, message }) =>
    guard(async () => {
      const { worktree } = await actionable(id);
      const task = agents.get(id).task.split('\n')[0]?.slice(0, 72) ?? id;
      await keepChanges(worktree, message ?? `Troika agent: ${task}`);
      return announce(id);
    }),
  );
  router.handle('changes.discard', ({ id, path }) =>
    guard(async () => {
      const { worktree, changes, base } = await actionable(id);
      if (path !== undefined) {
        const file = changes.files.find((f) => f.path === path);
        if (!file) throw new ProtocolError('not_found', `"${path}" has no changes`);
        await discardChanges(worktree, base, file.path, file.oldPath);
      } else {
        await discardChanges(worktree, base);
      }
      return announce(id);
    }),
  );
  router.handle('workspace.inspect', ({ path }) => inspect(path));
}

async function guard<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof ChangesError) throw new ProtocolError('failed', error.message);
    throw error;
  }
}

async function inspect(path: string): Promise<WorkspaceInfo> {
  const none: WorkspaceInfo = {
    path,
    exists: false,
    isDirectory: false,
    gitRoot: null,
    hasCommits: false,
    branches: [],
    currentBranch: null,
  };
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return none;
  }
  if (!(await stat(real)).isDirectory()) return { ...none, path: real, exists: true };
  const git = async (args: string[]) => {
    try {
      return (
        await run('git', args, {
          cwd: real,
          timeout: 10_000,
          env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
        })
      ).stdout.trim();
    } catch {
      return undefined;
    }
  };
  const top = await git(['rev-parse', '--show-toplevel']);
  const hasCommits =
    top !== undefined && (await git(['rev-parse', '--verify', '--quiet', 'HEAD'])) !== undefined;
  const refs = hasCommits
    ? await git(['for-each-ref', '--format=%(refname:short)', 'refs/heads'])
    : undefined;
  const branches = (refs ?? '').split('\n').filter((b) => b && !b.startsWith('troika/'));
  const currentBranch = hasCommits
    ? ((await git(['symbolic-ref', '--quiet', '--short', 'HEAD'])) ?? null)
    : null;
  return {
    path: real,
    exists: true,
    isDirectory: true,
    gitRoot: top ?? null,
    hasCommits,
    branches,
    currentBranch,
  };
}
