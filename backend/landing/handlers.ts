/**
 * `landing/` owns landing: an agent's work back into the user's branch, through the
 * repository's own checks, without losing a line. Owns the `landing.*`
 * protocol methods: the merge preview, the landing itself (gates, commit,
 * ref), and the worktree ledger. Above the agents: it reads their runs and
 * workspaces, never drives them.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EventBus } from '../bus/events.ts';
import type { Router } from '../bus/router.ts';
import type { AgentManager } from '../agent/agent-manager.ts';
import { ACTIVE_STATES } from '../agent/summary.ts';
import { describeWorkspace, restoreWorkspace } from '../agent/workspace.ts';
import { ProtocolError } from '../protocol/envelope.ts';
import type { AgentDetail, AgentSummary } from '../protocol/agent.ts';
import type { LandResult, WorktreeEntry } from '../protocol/landing.ts';
import { startedFrom } from './branches.ts';
import { startConflictMerge } from './conflict-task.ts';
import { gateCandidate } from './gate-run.ts';
import { resolveGates } from './gates.ts';
import { LandingError, resolveCommit } from './git.ts';
import { landBranch } from './land.ts';
import { cleanBranch, cleanLanded, listWorktrees, sweep, type KnownAgent } from './ledger.ts';
import { previewLanding } from './preview.ts';
import { projectFileAt } from './project-file.ts';
import { suggestedMessage } from './provenance.ts';

export interface LandingService {
  /** One line per branch holding work not landed anywhere: what remains and where (said on quit). */
  unlanded(): Promise<string[]>;
  dispose(): void;
}

/**
 * An agent uses its worktree while it runs, and while its terminal is open:
 * the shell's folder would vanish under it (a later steer would run its
 * commands in a deleted folder). Such a worktree is cleaned later (at the
 * next start, or from the Worktrees view once the terminal is gone).
 */
function inUse(agent: Pick<AgentSummary, 'state' | 'ptyId'>): boolean {
  return ACTIVE_STATES.has(agent.state) || agent.ptyId !== null;
}

/**
 * A worktree no agent is known to own yet is spared by a cleanup this long
 * after it was made: an agent starting meanwhile (a plan resumed at
 * start-up) makes its worktree before it is listed anywhere.
 */
const FRESH_WORKTREE_MS = 10 * 60_000;

/** How long after start-up the first cleanup of merged and empty worktrees waits. */
const STARTUP_SWEEP_DELAY_MS = 5000;
/**
 * While agents or plans run, that cleanup waits this much longer: it runs several git
 * commands per branch, and on a busy machine they slow the agents' own work
 * for nothing urgent (it only clears what earlier sessions left).
 */
const STARTUP_SWEEP_RETRY_MS = 30_000;

/** Runs listed in the ledger: enough to name every branch a user still has. */
const LEDGER_HISTORY = 1000;

export function registerLandingHandlers(
  router: Router,
  events: EventBus,
  agents: AgentManager,
  dataDir: string,
  /** Work above the agents that keeps the machine busy between them (a plan running its gates and merges). */
  busy: () => boolean = () => false,
): LandingService {
  const worktreesDir = join(dataDir, 'worktrees');
  const scratchDir = join(dataDir, 'gate-worktrees');
  // Only gates use this folder, each run removing its own: what is here was left by a crash.
  rmSync(scratchDir, { recursive: true, force: true });
  // One landing (or cleanup) per repository at a time: two would race for the same ref.
  const locks = new Map<string, Promise<unknown>>();
  const serial = <T>(repo: string, work: () => Promise<T>): Promise<T> => {
    const previous = locks.get(repo) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    locks.set(repo, next);
    return next;
  };

  async function agentRepo(id: string): Promise<{
    agent: AgentDetail;
    repo: string;
    worktree: string | null;
  }> {
    const agent = agents.get(id);
    if (!agent.branch)
      throw new ProtocolError(
        'conflict',
        'This agent worked in a plain folder, not a git worktree: there is nothing to merge.',
      );
    const workspace = await describeWorkspace(agent, worktreesDir);
    if (!workspace.repoRoot)
      throw new ProtocolError('conflict', `The repository of ${agent.branch} is no longer there.`);
    return { agent, repo: workspace.repoRoot, worktree: workspace.worktree };
  }

  /** Every repository Troika made a branch in, with the agents that know each branch. */
  async function knownRepos(): Promise<Map<string, KnownAgent[]>> {
    const repos = new Map<string, KnownAgent[]>();
    // Many runs share a folder: one git call per folder, not per run.
    const roots = new Map<string, Promise<string | null>>();
    for (const run of agents.history(LEDGER_HISTORY)) {
      if (!run.branch) continue;
      let root = roots.get(run.workspace);
      if (!root) {
        root = describeWorkspace(run, worktreesDir)
          .then((w) => w.repoRoot)
          .catch(() => null);
        roots.set(run.workspace, root);
      }
      const repo = await root;
      if (!repo) continue;
      const list = repos.get(repo) ?? [];
      list.push({
        id: run.id,
        task: run.task,
        branch: run.branch,
        active: inUse(run),
        running: ACTIVE_STATES.has(run.state),
      });
      repos.set(repo, list);
    }
    return repos;
  }

  async function ledger(clean: boolean): Promise<WorktreeEntry[]> {
    const all: WorktreeEntry[] = [];
    for (const [repo, known] of await knownRepos()) {
      const entries = await serial(repo, async () => {
        const listed = await listWorktrees(repo, known);
        return clean ? sweep(listed, { spareNewerThanMs: FRESH_WORKTREE_MS }) : listed;
      });
      all.push(...entries);
    }
    return all;
  }

  // Merged and empty worktrees left from earlier sessions go soon after start (not during it:
  // start-up is busy), once no agent is running and no plan is between its agents' turns.
  let startupSweep: NodeJS.Timeout;
  const sweepWhenIdle = (delayMs: number) => {
    startupSweep = setTimeout(() => {
      if (agents.activeCount > 0 || busy()) sweepWhenIdle(STARTUP_SWEEP_RETRY_MS);
      else void ledger(true).catch(() => undefined);
    }, delayMs);
    startupSweep.unref();
  };
  sweepWhenIdle(STARTUP_SWEEP_DELAY_MS);

  router.handle('landing.preview', ({ id, target }) =>
    guard(async () => {
      const { agent, repo, worktree } = await agentRepo(id);
      return previewLanding({ repo, agent, worktree, target });
    }),
  );

  router.handle('landing.land', (params) =>
    guard(async () => {
      const { agent, repo, worktree } = await agentRepo(params.id);
      if (ACTIVE_STATES.has(agent.state))
        throw new ProtocolError(
          'conflict',
          'The agent is running: let it finish, or stop it, before merging its work.',
        );
      const source = agent.branch as string;
      const target = params.target ?? (await startedFrom(repo, source));
      if (!target) throw new ProtocolError('invalid_params', 'Pick the branch to merge into.');
      const runId = params.runId ?? randomUUID();
      const progress = (step: string, message: string) =>
        events.publish('landing.progress', { runId, agentId: agent.id, step, message });
      return serial(repo, async (): Promise<LandResult> => {
        // The project file and gates matter only with gates on: no git spawned for them otherwise.
        const targetTip = params.gates
          ? await resolveCommit(repo, `refs/heads/${target}`)
          : undefined;
        const project = targetTip ? await projectFileAt(repo, targetTip) : null;
        const gates = params.gates && targetTip ? await resolveGates(repo, targetTip, project) : [];
        const outcome = await landBranch({
          repo,
          source,
          target,
          mode: params.mode,
          message: params.message ?? suggestedMessage(agent),
          provenance: { agent },
          expectTip: params.expectTip,
          mergeAnyway: params.mergeAnyway,
          progress,
          ...(params.gates && {
            gates: (candidate: string) =>
              gateCandidate({
                repo,
                mainCheckout: repo,
                commit: candidate,
                gates,
                project,
                scratchDir,
                hooks: {
                  onOutput: (gate, data) =>
                    events.publish('landing.output', { runId, agentId: agent.id, gate, data }),
                  onResult: (result) =>
                    events.publish('landing.gate', {
                      runId,
                      agentId: agent.id,
                      gate: result.name,
                      status: result.status,
                      exitCode: result.exitCode,
                      durationMs: result.durationMs,
                    }),
                },
              }),
          }),
        });
        let cleaned = false;
        if (outcome.landed && outcome.commit) {
          events.publish('landing.landed', { agentId: agent.id, target, commit: outcome.commit });
          // Landed and nothing left in the worktree: the branch has served its purpose.
          cleaned =
            !inUse(agents.get(agent.id)) &&
            (await cleanLanded(repo, source, worktree, outcome.sourceTip ?? ''));
          events.publish('changes.updated', { agentId: agent.id });
        }
        progress('done', outcome.landed ? `Landed on ${target}` : (outcome.reason ?? 'Not landed'));
        return {
          landed: outcome.landed,
          reason: outcome.reason,
          target,
          mode: params.mode,
          commit: outcome.commit,
          gates: outcome.gates,
          mergedAnyway: outcome.mergedAnyway,
          updatedCheckout: outcome.updatedCheckout,
          cleaned,
        };
      });
    }),
  );

  router.handle('landing.resolve', ({ id, target }) =>
    guard(async () => {
      const { agent, repo } = await agentRepo(id);
      if (ACTIVE_STATES.has(agent.state))
        throw new ProtocolError('conflict', 'The agent is running: let it finish first.');
      const workspace = await restoreWorkspace(await describeWorkspace(agent, worktreesDir));
      if (!workspace.worktree) throw new ProtocolError('conflict', 'The agent has no worktree.');
      const worktree = workspace.worktree;
      return serial(repo, async () => {
        const preview = await previewLanding({ repo, agent, worktree, target });
        if (preview.clean)
          throw new ProtocolError(
            'conflict',
            `The merge into ${preview.target} is clean: nothing to resolve.`,
          );
        const handOver = await startConflictMerge({
          repo,
          worktree,
          source: preview.source,
          target: preview.target,
          conflicts: preview.conflicts,
        });
        const steered = await agents.steer(id, handOver.task);
        events.publish('changes.updated', { agentId: id });
        return { files: handOver.files, agent: steered };
      });
    }),
  );

  router.handle('landing.worktrees', () => guard(() => ledger(true)));

  router.handle('landing.clean', ({ branch, confirmFiles }) =>
    guard(async () => {
      const entries = await ledger(false);
      const entry = entries.find((e) => e.branch === branch);
      if (!entry) throw new ProtocolError('not_found', `Troika has no branch ${branch}.`);
      await serial(entry.repo, () => cleanBranch(entry, confirmFiles));
      events.publish('landing.worktrees', { count: entries.length - 1 });
      return { removed: true, entries: await ledger(false) };
    }),
  );

  return {
    dispose: () => clearTimeout(startupSweep),
    async unlanded() {
      const entries = await ledger(false);
      return entries
        .filter((e) => e.state === 'uncommitted' || e.state === 'unlanded')
        .map(
          (e) =>
            `${e.branch} (${e.state === 'uncommitted' ? 'uncommitted changes' : `${e.commits} commit${e.commits === 1 ? '' : 's'} not in ${e.target ?? 'its target'}`}) in ${e.worktree ?? e.repo}`,
        );
    },
  };
}

async function guard<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof LandingError) throw new ProtocolError('failed', error.message);
    throw error;
  }
}
