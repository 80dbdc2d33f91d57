/**
 * The plan's `build` port over the console's agent runtime: a task's first
 * attempt starts an agent on a worktree branched from the integration
 * branch's tip; later attempts (a failed gate, a merge conflict) go back to
 * that same agent as a steer, after its branch has taken in the integration
 * branch's new work; an attempt at another model (the plan's stronger
 * one), or after a restart (this process never knew the task's agent), is
 * a new agent continuing the task's branch, told why the last attempt did
 * not pass. The agent never learns it is part of a plan: it gets a
 * task text and messages, like any other. Its slot counts against the same
 * three as the console's agents: a build waits for a free one.
 */
import type { AgentManager } from '../agent/agent-manager.ts';
import type { EventBus } from '../bus/events.ts';
import { git, identityEnv, LandingError, resolveCommit } from '../landing/git.ts';
import type { AgentState, AgentSummary } from '../protocol/agent.ts';
import type { PlanTask } from '../protocol/payloads/plans.ts';
import type { BuildRequest, BuildResult } from './ports.ts';
import { withSlot } from './role-agent.ts';

/** States in which the agent's run is over for this attempt. */
const ENDED: ReadonlySet<AgentState> = new Set(['done', 'failed', 'stopped']);

export interface AgentBuildOptions {
  agents: AgentManager;
  events: EventBus;
  workspace: string;
  /** Told which agent builds which task (the plan view links a task to its panel). */
  onAgent?: (taskId: string, agentId: string) => void;
}

/** What the agent is told: the task as the plan describes it. */
export function taskText(task: PlanTask): string {
  const parts = [`${task.title}\n\n${task.description}`];
  if (task.details) parts.push(`How: ${task.details}`);
  if (task.acceptanceCriteria.length > 0)
    parts.push(`Done when:\n${task.acceptanceCriteria.map((c) => `- ${c}`).join('\n')}`);
  if (task.testStrategy) parts.push(`Check it by: ${task.testStrategy}`);
  if (task.files.length > 0)
    parts.push(`Files you are expected to touch: ${task.files.join(', ')}`);
  return parts.join('\n\n');
}

export class AgentBuilds {
  readonly #options: AgentBuildOptions;
  /** Task id → the agent building it in this process; a restart starts a fresh one. */
  readonly #agentOf = new Map<string, string>();

  constructor(options: AgentBuildOptions) {
    this.#options = options;
  }

  agentFor(taskId: string): string | undefined {
    return this.#agentOf.get(taskId);
  }

  async build(request: BuildRequest, signal: AbortSignal): Promise<BuildResult> {
    const { agents } = this.#options;
    const known = this.#agentOf.get(request.task.id);
    // Listens before the agent moves, so an end that comes quickly is not missed.
    const ends = this.#watchEnds();
    let agent: AgentSummary;
    try {
      const last = known === undefined ? undefined : agents.get(known);
      const start = await startFrom(request, last, this.#options.workspace);
      if (known !== undefined && start === null) {
        agent = agents.get(known);
        const conflicts = agent.branch
          ? await catchUp(agent.workDir, request.base, this.#options.workspace)
          : [];
        const steer = conflicts.length
          ? `${request.feedback}\n\nThe plan's branch ${request.base} moved on and is merged into your branch with conflicts in: ${conflicts.join(', ')}. Resolve them (keep both sides' intent), then commit and finish.`
          : `The last attempt did not pass:\n\n${request.feedback}\n\nFix it, then finish.`;
        await withSlot(this.#options.events, signal, () => agents.steer(known, steer));
      } else {
        agent = await withSlot(this.#options.events, signal, () =>
          agents.start({
            task: start?.task ?? taskText(request.task),
            workspace: this.#options.workspace,
            model: request.model,
            baseBranch: start?.base ?? request.base,
            subagent: true,
            ...(request.budgetUsd !== null && { budgetUsd: request.budgetUsd }),
          }),
        );
        this.#agentOf.set(request.task.id, agent.id);
        this.#options.onAgent?.(request.task.id, agent.id);
      }
    } catch (error) {
      ends.off();
      throw error;
    }
    const before = agent.usage;
    const ended = await ends.of(agent.id, signal);
    if (!ended.branch) throw new Error('The agent worked outside a git worktree: nothing to merge');
    // The agent may leave its work uncommitted: the gates and the merge read commits.
    await commitAll(
      ended.workDir,
      `${request.task.id}: ${request.task.title}`,
      this.#options.workspace,
    );
    const report = ended.report;
    const ok = ended.state === 'done' && (report === null || report.status === 'COMPLETE');
    return {
      ok,
      branch: ended.branch,
      costUsd: Math.max(0, ended.usage.costUsd - before.costUsd),
      tokens: {
        input: Math.max(0, inputTokens(ended.usage) - inputTokens(before)),
        output: Math.max(0, ended.usage.outputTokens - before.outputTokens),
      },
      summary: ok
        ? (report?.summary ?? 'Finished')
        : `it ended ${ended.state}${ended.stateReason ? ` (${ended.stateReason})` : ''}${report ? `; its report: ${report.status} ${report.summary}` : ''}`,
    };
  }

  /**
   * Collects agents' ends from now on; `of(id)` waits for that agent's first
   * one (an abort stops the agent).
   */
  #watchEnds(): {
    of: (agentId: string, signal: AbortSignal) => Promise<AgentSummary>;
    off: () => void;
  } {
    const { agents, events } = this.#options;
    const seen = new Map<string, AgentSummary>();
    let waiter: { id: string; resolve: (s: AgentSummary) => void } | null = null;
    const off = events.subscribe((event, data) => {
      if (event !== 'agent.state') return;
      const change = data as { agentId: string; state: AgentState; agent: AgentSummary };
      if (!ENDED.has(change.state) || seen.has(change.agentId)) return;
      seen.set(change.agentId, change.agent);
      if (waiter?.id === change.agentId) waiter.resolve(change.agent);
    });
    const of = (agentId: string, signal: AbortSignal) =>
      new Promise<AgentSummary>((resolve, reject) => {
        const aborted = () => {
          off();
          agents.stop(agentId).catch(() => undefined);
          reject(signal.reason as Error);
        };
        const finish = (summary: AgentSummary) => {
          off();
          signal.removeEventListener('abort', aborted);
          resolve(summary);
        };
        const early = seen.get(agentId);
        if (early) return finish(early);
        if (signal.aborted) return aborted();
        waiter = { id: agentId, resolve: finish };
        signal.addEventListener('abort', aborted, { once: true });
      });
    return { of, off };
  }
}

/**
 * Where a new agent starts and what it is told, or null when the attempt
 * goes back to `last` (a retry at the same model). A failed attempt at
 * another model, or one this process never saw the agent of (a restart),
 * continues the task's branch while it exists, told why it did not pass.
 */
async function startFrom(
  request: BuildRequest,
  last: AgentSummary | undefined,
  workspace: string,
): Promise<{ task: string; base: string } | null> {
  if (request.feedback === null) return { task: taskText(request.task), base: request.base };
  if (last !== undefined && last.model === request.model) return null;
  const branch = last?.branch ?? request.branch ?? null;
  if (last?.branch)
    await commitAll(last.workDir, `${request.task.id}: ${request.task.title}`, workspace);
  if (branch === null || !(await resolveCommit(workspace, `refs/heads/${branch}`)))
    return { task: taskText(request.task), base: request.base };
  return {
    task: `${taskText(request.task)}\n\nAn earlier attempt at this task did not pass; its work is on your branch:\n\n${request.feedback}\n\nFix it, then finish.`,
    base: branch,
  };
}

/** Every prompt token, whether read fresh, written to the cache or read from it. */
function inputTokens(u: AgentSummary['usage']): number {
  return u.inputTokens + u.cacheCreationInputTokens + u.cacheReadInputTokens;
}

/**
 * Commits everything in `dir` (the agent may leave its work uncommitted).
 * The identity is asked of `repo`, the worktree's repository, where the
 * answer is remembered; a commit with nothing to commit is not an error.
 */
async function commitAll(dir: string, message: string, repo: string): Promise<void> {
  const [, env] = await Promise.all([git(dir, ['add', '-A']), identityEnv(repo)]);
  const committed = await git(dir, ['commit', '-q', '--no-verify', '-m', message], {
    env,
    okCodes: [1],
  });
  // After `add -A`, exit 1 is "nothing to commit" (git speaks C here); anything else is checked.
  if (committed.code === 0 || /^nothing to commit/m.test(committed.stdout)) return;
  const staged = await git(dir, ['diff', '--cached', '--quiet'], { okCodes: [1] });
  if (staged.code === 0) return;
  throw new LandingError(
    `git commit failed: ${committed.stderr.trim() || committed.stdout.trim() || 'exit code 1'}`,
  );
}

/**
 * Takes the integration branch's new work into the agent's branch so a retry
 * starts from it; a conflict is left in the files, for the agent to resolve.
 * Returns the conflicted files.
 */
async function catchUp(dir: string, base: string, repo: string): Promise<string[]> {
  await commitAll(dir, 'Work before taking in the plan branch', repo);
  const env = await identityEnv(repo);
  const merged = await git(dir, ['merge', '--no-edit', '-q', base], { okCodes: [1], env });
  if (merged.code === 0) return [];
  const out = await git(dir, ['diff', '--name-only', '--diff-filter=U']);
  return out.stdout.split('\n').filter(Boolean);
}
