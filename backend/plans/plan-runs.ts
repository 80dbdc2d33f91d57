/**
 * The plans running in this backend: one scheduler each over the product's
 * ports (real-ports.ts), its steps announced as `plans.changed`. At start-up
 * the plans that were running when Troika stopped resume from their last
 * recorded step (the scheduler never runs a merged task again).
 */
import { join } from 'node:path';
import type { AgentManager } from '../agent/agent-manager.ts';
import type { EventBus } from '../bus/events.ts';
import { gateWorktreesRemoved } from '../landing/gate-run.ts';
import { ProtocolError } from '../protocol/envelope.ts';
import { EscalationNotices } from './escalation-notices.ts';
import { planOverlapWatch, type LiveOverlapWatch } from './live-overlap.ts';
import type { PlanRecord, PlanStore } from './plan-store.ts';
import { integrationBranch } from './ports.ts';
import { questionRelay } from './planner-relay.ts';
import { RoleAgentLog } from './role-agent-log.ts';
import { RealPlanPorts } from './real-ports.ts';
import { PlanRunner } from './scheduler.ts';
import { commitUserWork, takeOverWorktree, worktreeOf } from './take-over.ts';
import {
  editTask,
  giveBack,
  handBack,
  takenOver,
  takeOver,
  type TaskChanges,
  type TaskHands,
} from './task-control.ts';

const SHUTDOWN_REASON = 'Troika shut down; the plan resumes when it starts again';
/** How long a shutdown waits for the plan's agents to stop. */
const SHUTDOWN_WAIT_MS = 5_000;

export interface PlanRunsOptions {
  store: PlanStore;
  agents: AgentManager;
  events: EventBus;
  dataDir: string;
  /** Tasks run at once (three by default; the benchmark runs the same plan with one). */
  maxParallel?: number;
}

export class PlanRuns {
  readonly #options: PlanRunsOptions;
  readonly #runners = new Map<string, PlanRunner>();
  /** Each runner's live overlap check between its tasks' worktrees. */
  readonly #overlaps = new Map<string, LiveOverlapWatch>();
  readonly #relays: Array<{ dispose(): void }> = [];
  readonly #roleLog: RoleAgentLog;
  /** `plan/task` → the worktree of a task the user took over (its reviewer reads it there). */
  readonly #userWorktrees = new Map<string, string>();

  constructor(options: PlanRunsOptions) {
    this.#options = options;
    this.#roleLog = new RoleAgentLog(join(options.dataDir, 'plans', 'role-agents.txt'));
    // A reviewer or answering planner run again after a restart keeps its read-only tools.
    options.agents.restoreToolsWith((record) => this.#roleLog.toolsFor(record.id));
  }

  /** Starts a plan, or picks a stopped one up again from its recorded steps. */
  async start(planId: string): Promise<void> {
    const plan = this.#options.store.get(planId);
    if (!plan) throw new ProtocolError('not_found', `No plan "${planId}"`);
    const live = this.#runners.get(planId);
    if (live) {
      if (live.state === 'running')
        throw new ProtocolError('invalid_params', 'The plan is already running');
      live.resume();
      return;
    }
    const runner = this.#runner(planId, plan.workspace);
    this.#runners.set(planId, runner);
    try {
      await runner.start();
    } catch (error) {
      this.#forget(planId);
      throw new ProtocolError(
        'invalid_params',
        `The plan could not start: ${(error as Error).message}`,
      );
    }
  }

  pause(planId: string): void {
    this.#live(planId).pause();
  }

  resume(planId: string): Promise<void> {
    return this.start(planId);
  }

  stop(planId: string): void {
    this.#live(planId).stop();
  }

  retryTask(planId: string, taskId: string): Promise<void> {
    return this.#control(planId, (runner) => runner.retryTask(taskId));
  }

  skipTask(planId: string, taskId: string): Promise<void> {
    return this.#control(planId, (runner) => runner.skipTask(taskId));
  }

  /** Changes a task no agent works on; the plan's validator refuses an edit that breaks it. */
  async editTask(planId: string, taskId: string, changes: TaskChanges): Promise<void> {
    const { store } = this.#options;
    const plan = this.#plan(planId);
    const edit = (hands: TaskHands) =>
      store.setTasks(planId, editTask(hands, plan.tasks, taskId, changes));
    if (plan.state !== 'draft' || this.#runners.has(planId)) return this.#control(planId, edit);
    // A plan not started yet has no scheduler: its tasks all wait, and the edit is saved as is.
    try {
      edit({
        progress: (id) => {
          const p = store.progress(planId).find((q) => q.taskId === id);
          if (!p) throw new Error(`No task "${id}" in plan "${planId}"`);
          return p;
        },
        busy: () => false,
        userStep: (p, data) => store.saveStep(planId, p, { kind: 'control', data }),
      });
    } catch (error) {
      throw new ProtocolError('invalid_params', (error as Error).message);
    }
  }

  /** Opens the task's branch in a worktree for the user's terminal; the task is theirs until done or given back. */
  async takeOver(planId: string, taskId: string): Promise<{ branch: string; worktree: string }> {
    const plan = this.#plan(planId);
    let taken = { branch: '', worktree: '' };
    await this.#control(planId, async (runner) => {
      taken = await takeOver(runner, taskId, `troika/plan-${plan.slug}-${taskId}`, (branch) =>
        takeOverWorktree({
          repo: plan.workspace,
          branch,
          base: integrationBranch(plan.slug),
          scratchDir: join(this.#options.dataDir, 'plans', 'taken-over'),
          name: `${plan.slug}-${taskId}`,
        }),
      );
    });
    this.#userWorktrees.set(`${planId}/${taskId}`, taken.worktree);
    return taken;
  }

  /** The user is done with a task taken over: their work committed, its gates run, then review and merge. */
  handBack(planId: string, taskId: string): Promise<void> {
    return this.#control(planId, async (runner) => {
      const p = runner.progress(taskId);
      if (!takenOver(p)) throw new Error(`Task "${taskId}" is not taken over by you`);
      const commit = await this.#commitUserWork(
        planId,
        taskId,
        p.branch,
        `${taskId}: the user's work on the task`,
      );
      handBack(runner, taskId, commit);
    });
  }

  /** The task taken over goes back to an agent, the user's work kept on its branch. */
  giveBack(planId: string, taskId: string): Promise<void> {
    return this.#control(planId, async (runner) => {
      const p = runner.progress(taskId);
      if (!takenOver(p)) throw new Error(`Task "${taskId}" is not taken over by you`);
      const commit = await this.#commitUserWork(
        planId,
        taskId,
        p.branch,
        `${taskId}: the user's work, given back to the agent`,
      );
      giveBack(runner, taskId, commit);
    });
  }

  /** Resolves when the plan's scheduler has nothing left to do for now. */
  settled(planId: string): Promise<string> {
    return this.#live(planId).settled();
  }

  /** Resumes every plan that was running when the backend last stopped. */
  async resumeRunning(): Promise<void> {
    for (const plan of this.#options.store.list(1000)) {
      if (plan.state !== 'running') continue;
      await this.start(plan.id).catch((error: unknown) =>
        console.error(`[troika] Plan ${plan.name} could not resume: ${(error as Error).message}`),
      );
    }
  }

  /** Plans running in this process now. */
  get running(): number {
    return [...this.#runners.values()].filter((runner) => runner.state === 'running').length;
  }

  /**
   * At shutdown: stops every running plan's agents (their tasks go back to
   * waiting, their branches kept) and leaves the plan marked running, so the
   * next start-up resumes it. A shutdown is not a failed attempt.
   */
  async dispose(): Promise<void> {
    const running = [...this.#runners].filter(([, runner]) => runner.state === 'running');
    for (const [, runner] of running) runner.stop(SHUTDOWN_REASON);
    await Promise.race([
      Promise.all(running.map(([, runner]) => runner.settled())),
      new Promise((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref()),
    ]);
    for (const [id] of running)
      this.#options.store.setState(id, 'running', SHUTDOWN_REASON, { event: 'shutdown' });
    this.#runners.clear();
    await Promise.all([...this.#overlaps.values()].map((watch) => watch.dispose()));
    // Gate worktrees still being removed are gone before the backend is.
    await gateWorktreesRemoved();
    this.#overlaps.clear();
    for (const relay of this.#relays.splice(0)) relay.dispose();
  }

  #runner(planId: string, workspace: string): PlanRunner {
    const { store, agents, events, dataDir } = this.#options;
    const relay = questionRelay(planId, { ...this.#options, roleLog: this.#roleLog }, () => runner);
    this.#relays.push(relay);
    const ports = new RealPlanPorts({
      agents,
      events,
      workspace,
      scratchDir: join(dataDir, 'plans'),
      roleLog: this.#roleLog,
      userWorktree: (taskId) => this.#userWorktrees.get(`${planId}/${taskId}`) ?? null,
      onAgent: (taskId, agentId) => {
        relay.watch(taskId, agentId);
        // Links the task to its agent's panel: kept as evidence with the attempt.
        if (runner)
          store.saveStep(planId, runner.progress(taskId), { kind: 'attempt', data: { agentId } });
        events.publish('plans.changed', { planId });
      },
      onReviewer: (taskId, agentId) => {
        // While the review lasts, the task links to its reviewer's panel.
        if (runner)
          store.saveStep(planId, runner.progress(taskId), {
            kind: 'control',
            data: { event: 'reviewer', agentId },
          });
        events.publish('plans.changed', { planId });
      },
    });
    const escalations = new EscalationNotices();
    const runner = new PlanRunner({
      store,
      ports,
      planId,
      ...(this.#options.maxParallel !== undefined && { maxParallel: this.#options.maxParallel }),
      onChange: (id) => {
        events.publish('plans.changed', { planId: id });
        for (const task of escalations.newly(store, id)) events.publish('plans.escalated', task);
      },
    });
    const overlap = planOverlapWatch({
      planId,
      repo: workspace,
      store,
      events,
      taskIds: store.get(planId)?.tasks.map((t) => t.id) ?? [],
      progress: (id) => runner.progress(id),
      worktreeOf: (id) => ports.worktreeOf(id),
      agentOf: (id) => ports.builds.agentFor(id),
    });
    this.#overlaps.set(planId, overlap);
    overlap.start();
    return runner;
  }

  #plan(planId: string): PlanRecord {
    const plan = this.#options.store.get(planId);
    if (!plan) throw new ProtocolError('not_found', `No plan "${planId}"`);
    return plan;
  }

  /** Commits what the user left in the task's worktree, and remembers where it is (a restart forgets). */
  async #commitUserWork(
    planId: string,
    taskId: string,
    branch: string | null,
    message: string,
  ): Promise<string | null> {
    if (!branch) return null;
    const repo = this.#plan(planId).workspace;
    const dir = await worktreeOf(repo, branch);
    if (dir) this.#userWorktrees.set(`${planId}/${taskId}`, dir);
    return commitUserWork(repo, branch, message);
  }

  #forget(planId: string): void {
    this.#runners.delete(planId);
    void this.#overlaps.get(planId)?.dispose();
    this.#overlaps.delete(planId);
  }

  #live(planId: string): PlanRunner {
    const runner = this.#runners.get(planId);
    if (runner) return runner;
    if (!this.#options.store.get(planId))
      throw new ProtocolError('not_found', `No plan "${planId}"`);
    throw new ProtocolError('invalid_params', 'The plan is not running: start it first');
  }

  /**
   * Acts on a task. A plan started before a restart that is not running now
   * (blocked on a task that needs the user, stopped, paused) has no
   * scheduler yet: one is loaded from its recorded steps first.
   */
  async #control(planId: string, act: (runner: PlanRunner) => unknown): Promise<void> {
    try {
      const plan = this.#options.store.get(planId);
      if (!this.#runners.has(planId) && plan && plan.state !== 'draft') {
        const runner = this.#runner(planId, plan.workspace);
        this.#runners.set(planId, runner);
        await runner.load().catch((error: unknown) => {
          this.#forget(planId);
          throw error;
        });
      }
      await act(this.#live(planId));
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      throw new ProtocolError('invalid_params', (error as Error).message);
    }
  }
}
