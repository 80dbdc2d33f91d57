/**
 * The product's plan ports: builds by the console's agents (agent-build.ts),
 * gates as landing/ finds and runs them (those the integration branch
 * names; a task's in its own worktree, a merge's in a temporary worktree at
 * the commit with the project file's setup), merges computed by `git merge-tree`
 * into a commit that moves the integration branch only after its own gates
 * passed, with a compare-and-swap so nothing else's move is overwritten.
 */
import { join } from 'node:path';
import type { AgentManager } from '../agent/agent-manager.ts';
import type { EventBus } from '../bus/events.ts';
import { gateCandidate } from '../landing/gate-run.ts';
import { gatesAt, type GatesAt } from '../landing/gates-at.ts';
import { runGates } from '../landing/gates.ts';
import { git, gitOut, identityEnv, resolveCommit, tryGitOut } from '../landing/git.ts';
import { mergeTree } from '../landing/merge-tree.ts';
import { AgentBuilds } from './agent-build.ts';
import { reviewTask } from './plan-reviewer.ts';
import type { RoleAgentLog } from './role-agent-log.ts';
import type {
  BuildRequest,
  BuildResult,
  GateRequest,
  GateResult,
  MergeRequest,
  MergeResult,
  PlanPorts,
  ReviewOutcome,
  ReviewRequest,
} from './ports.ts';

/** A gate's output handed to an agent is cut to its end: the failure is there. */
const MAX_FEEDBACK_CHARS = 12_000;
/** Gated trees remembered (a plan's tasks, twice each, fit many times over). */
const MAX_PASSED_TREES = 1_000;

/** A look made ahead of need: its failure means only that it is made again when needed. */
function quietly<T>(promise: Promise<T>): Promise<T | undefined> {
  return promise.catch(() => undefined);
}

export interface RealPortsOptions {
  agents: AgentManager;
  events: EventBus;
  /** The repository the plan works in (its main checkout). */
  workspace: string;
  /** Where gate worktrees go. */
  scratchDir: string;
  onAgent?: (taskId: string, agentId: string) => void;
  /** Records the reviewer agents (role-agent-log.ts). */
  roleLog?: RoleAgentLog;
  /** Told which agent reviews which task (the plan view links the task to its panel meanwhile). */
  onReviewer?: (taskId: string, agentId: string) => void;
  /** The worktree of a task the user took over (task-control.ts), when no agent of this process has one. */
  userWorktree?: (taskId: string) => string | null;
}

export class RealPlanPorts implements PlanPorts {
  readonly #options: RealPortsOptions;
  readonly builds: AgentBuilds;
  /** A tree and the gates that passed on it in this plan run → which gates those were: they pass again. */
  readonly #passedTrees = new Map<string, string>();
  /** Each merge commit made here → its first parent (the tip it was computed on), for `advance`. */
  readonly #parents = new Map<string, string>();
  /** Merge commits this process made → their trees and their gates (undefined: read them again). */
  readonly #merges = new Map<string, { tree: string; gates: Promise<GatesAt | undefined> }>();

  constructor(options: RealPortsOptions) {
    this.#options = options;
    this.builds = new AgentBuilds({
      agents: options.agents,
      events: options.events,
      workspace: options.workspace,
      ...(options.onAgent && { onAgent: options.onAgent }),
    });
  }

  async prepare(plan: { workspace: string; integrationBranch: string }): Promise<void> {
    const exists = await resolveCommit(plan.workspace, `refs/heads/${plan.integrationBranch}`);
    if (!exists) await git(plan.workspace, ['branch', plan.integrationBranch, 'HEAD']);
  }

  build(request: BuildRequest, signal: AbortSignal): Promise<BuildResult> {
    return this.builds.build(request, signal);
  }

  review(request: ReviewRequest, signal: AbortSignal): Promise<ReviewOutcome> {
    const { agents, events, workspace } = this.#options;
    const workDir = this.worktreeOf(request.task.id);
    const onReviewer = this.#options.onReviewer;
    const deps = {
      ...{ agents, events, repo: workspace, workDir, log: this.#options.roleLog },
      onAgent: onReviewer && ((agentId: string) => onReviewer(request.task.id, agentId)),
    };
    return reviewTask(deps, request, signal);
  }

  async gates(request: GateRequest): Promise<GateResult> {
    const repo = this.#options.workspace;
    // The gates are those the integration branch names (a merge's: those of the commit it is made
    // onto), as landing reads them from the target: a task cannot change the checks it is held to.
    // A merge this process made had them read while its commit was made; others are read meanwhile.
    const made = this.#merges.get(request.ref);
    const source = request.where === 'task' ? `refs/heads/${request.into}` : `${request.ref}^1`;
    const named = made?.gates ?? quietly(gatesAt(repo, source));
    // A task's gates run in its own worktree when that holds exactly the commit, nothing uncommitted.
    const own = request.where === 'task' ? await this.#worktreeHolding(request) : undefined;
    // A merge this process made: its tree is known (a git process less per task).
    const [commit, tree] = own
      ? [own.commit, own.tree]
      : made
        ? [request.ref, made.tree]
        : ((
            await tryGitOut(repo, ['rev-parse', `${request.ref}^{commit}`, `${request.ref}^{tree}`])
          )?.split('\n') ?? []);
    if (!commit || !tree)
      return { passed: false, output: `Nothing to check: ${request.ref} is gone` };
    const { project, gates } = (await named) ?? (await gatesAt(repo, source));
    // A merge that changed nothing (the branch already held the plan branch's tip) is the tree just
    // gated; the same gates on the same tree pass again.
    const passedKey = `${tree}\0${JSON.stringify(gates)}`;
    const earlier = this.#passedTrees.get(passedKey);
    if (earlier)
      return {
        passed: true,
        output: `Not run again: the gates passed on this same tree (${earlier})`,
        durationMs: 0,
      };
    if (gates.length === 0)
      return { passed: true, output: 'No gates in this repository', checks: [] };
    const results = own
      ? await runGates(gates, own.root)
      : await gateCandidate({
          repo,
          mainCheckout: repo,
          commit,
          gates,
          project,
          scratchDir: join(this.#options.scratchDir, 'plan-gates'),
          removeInBackground: true,
        });
    const passed = results.every((r) => r.status === 'passed');
    const output = results
      .map((r) => `$ ${r.command} (${r.status})\n${r.output.trim()}`)
      .join('\n\n');
    // Each command's own output too, for the plan view's gate tab.
    const checks = results.map((r) => ({
      ...r,
      output: r.output.trim().slice(-MAX_FEEDBACK_CHARS),
    }));
    const durationMs = results.reduce((sum, r) => sum + r.durationMs, 0);
    if (passed) {
      if (this.#passedTrees.size >= MAX_PASSED_TREES) this.#passedTrees.clear();
      this.#passedTrees.set(passedKey, `${request.where} gates of task ${request.taskId}`);
    }
    return { passed, output: output.slice(-MAX_FEEDBACK_CHARS), checks, durationMs };
  }

  /**
   * The task's worktree (its agent's, or the user's who took it over) when
   * its HEAD is `request.ref`'s commit and nothing in it is uncommitted, so
   * the gates there see exactly what would be merged; it was set up when it
   * was made. Otherwise undefined: the gates get a temporary worktree.
   */
  async #worktreeHolding(
    request: GateRequest,
  ): Promise<{ root: string; commit: string; tree: string } | undefined> {
    const workDir = this.worktreeOf(request.taskId);
    if (workDir === null) return undefined;
    const [facts, status] = await Promise.all([
      tryGitOut(workDir, [
        'rev-parse',
        '--show-toplevel',
        'HEAD',
        'HEAD^{tree}',
        `${request.ref}^{commit}`,
      ]),
      tryGitOut(workDir, ['status', '--porcelain', '--untracked-files=normal']),
    ]);
    const [root, head, tree, commit] = facts?.split('\n') ?? [];
    if (!root || !head || !tree || head !== commit || status !== '') return undefined;
    return { root, commit: head, tree };
  }

  async merge(request: MergeRequest): Promise<MergeResult> {
    const repo = this.#options.workspace;
    // Both tips in one git process; a missing branch fails it as `--verify` would.
    const [into, source] = (
      await gitOut(repo, [
        'rev-parse',
        `${request.onto ?? `refs/heads/${request.into}`}^{commit}`,
        `refs/heads/${request.branch}^{commit}`,
      ])
    ).split('\n') as [string, string];
    const merged = await mergeTree(repo, into, source);
    if (!merged.clean) {
      return {
        status: 'conflict',
        files: merged.conflicts.map((c) => c.path),
        output: [
          `Merging ${request.branch} into ${request.into} conflicts:`,
          ...merged.messages,
        ].join('\n'),
      };
    }
    // The merge's gates, those of the commit it is made onto, are read while its commit is made.
    const gates = quietly(gatesAt(repo, into));
    const commit = await gitOut(
      repo,
      [
        'commit-tree',
        merged.tree,
        '-p',
        into,
        '-p',
        source,
        '-m',
        `Plan task ${request.taskId}: merge ${request.branch}`,
      ],
      { env: await identityEnv(repo) },
    );
    this.#parents.set(commit, into);
    if (this.#merges.size >= MAX_PASSED_TREES) this.#merges.clear();
    this.#merges.set(commit, { tree: merged.tree, gates });
    return { status: 'clean', commit };
  }

  /**
   * Moves the branch only from the merge's first parent: a branch moved
   * meanwhile is refused, not overwritten. Another git command holding the
   * ref's lock for a moment (an agent's worktree being made) is waited out
   * by `git` itself (native/git-lock.ts).
   */
  async advance(into: string, commit: string): Promise<void> {
    const repo = this.#options.workspace;
    const parent = this.#parents.get(commit) ?? (await gitOut(repo, ['rev-parse', `${commit}^1`]));
    this.#parents.delete(commit);
    const args = [
      'update-ref',
      '-m',
      'troika plan: merge task',
      `refs/heads/${into}`,
      commit,
      parent,
    ];
    await git(repo, args);
  }

  worktreeOf(taskId: string): string | null {
    const agentId = this.builds.agentFor(taskId);
    if (agentId === undefined) return this.#options.userWorktree?.(taskId) ?? null;
    try {
      return this.#options.agents.get(agentId).workDir;
    } catch {
      return null;
    }
  }

  async isMerged(branch: string, into: string): Promise<boolean> {
    const result = await git(
      this.#options.workspace,
      ['merge-base', '--is-ancestor', `refs/heads/${branch}`, `refs/heads/${into}`],
      { okCodes: [1, 128] },
    );
    return result.code === 0;
  }
}
