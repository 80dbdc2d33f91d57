/**
 * Runs one plan: up to three tasks at once in dependency order, never two
 * whose declared files overlap; each task built by an agent from the tip of
 * the integration branch, checked by the gates, then merged one at a time
 * (the merge computed, gated again, and only then the branch moved). A
 * failure goes back to the agent, then the stronger model, then the user
 * (escalation.ts). Every step is saved before the next begins, so a new
 * runner over the same database resumes where the last one stopped: a
 * merged task is never run again, an unmerged one never lost.
 */
import { MAX_PARALLEL } from './dry-run.ts';
import { afterFailure, modelFor, type EscalationPolicy } from './escalation.ts';
import { firstOverlap } from './file-overlap.ts';
import { gateEvidence, mergeStep, type MergeAhead, type MergeHandles } from './merge-step.ts';
import { PlanBudget } from './plan-budget.ts';
import type { EvidenceKind, PlanRecord, PlanStore, TaskProgress } from './plan-store.ts';
import { integrationBranch, type PlanPorts } from './ports.ts';
import { reviewStep } from './review-step.ts';
import {
  FINISHED,
  HOLDS_FILES,
  message,
  outcome,
  RESUMABLE,
  schedulingOrder,
  TAKES_SLOT,
  waitingOn,
} from './run-order.ts';
import { doneByUser, retryTask, skipTask, type UserNext } from './task-control.ts';
import type { PlanState, PlanTask } from '../protocol/payloads/plans.ts';

export interface PlanRunnerOptions {
  store: PlanStore;
  ports: PlanPorts;
  planId: string;
  maxParallel?: number;
  strongerAttempts?: number;
  /** Told after every step (the protocol publishes `plans.changed`). */
  onChange?: (planId: string) => void;
}

/**
 * Merges gated at once: the one landing next and one merged onto it
 * meanwhile (see merge-step.ts). More would mostly gate merges that a
 * failure ahead throws away, on a machine the agents share.
 */
const MERGE_TRAIN = 2;

function settleOnce<T>(): { promise: Promise<T>; settle: (value: T) => void } {
  let settle: (value: T) => void = () => undefined;
  let done = false;
  const promise = new Promise<T>((resolve) => {
    settle = (value) => {
      if (done) return;
      done = true;
      resolve(value);
    };
  });
  return { promise, settle };
}

export class PlanRunner {
  readonly #store: PlanStore;
  readonly #ports: PlanPorts;
  readonly #maxParallel: number;
  readonly #onChange: (planId: string) => void;
  readonly #plan: PlanRecord;
  readonly #tasks: Map<string, PlanTask>;
  /** Task ids in the order they are considered: dependencies first, then priority. */
  readonly #order: string[];
  readonly #progress = new Map<string, TaskProgress>();
  readonly #policy: EscalationPolicy;
  readonly #budget: PlanBudget;
  readonly #branch: string;
  readonly #inFlight = new Map<string, AbortController>();
  readonly #mergeQueue: string[] = [];
  /** Per task, the longest chain of tasks waiting on it (see waitingOn). */
  #waiting: Map<string, number>;
  /** Merges under way, oldest first: the train (see merge-step.ts), at most MERGE_TRAIN long. */
  readonly #train: Array<{ taskId: string; ahead: MergeAhead }> = [];
  #settled: Array<(state: PlanState) => void> = [];

  constructor(options: PlanRunnerOptions) {
    this.#store = options.store;
    this.#ports = options.ports;
    this.#maxParallel = options.maxParallel ?? MAX_PARALLEL;
    this.#onChange = options.onChange ?? (() => {});
    const plan = options.store.get(options.planId);
    if (!plan) throw new Error(`No plan "${options.planId}"`);
    this.#plan = plan;
    this.#tasks = new Map(plan.tasks.map((t) => [t.id, t]));
    this.#order = schedulingOrder(plan.tasks);
    this.#waiting = waitingOn(plan.tasks);
    for (const p of options.store.progress(plan.id)) this.#progress.set(p.taskId, p);
    this.#policy = {
      maxAttempts: plan.maxAttempts,
      strongerModel: plan.strongerModel,
      strongerAttempts: options.strongerAttempts ?? 1,
      userAttempts: 1,
    };
    this.#branch = integrationBranch(plan.slug);
    this.#budget = new PlanBudget(plan, () => this.spentUsd());
  }

  get state(): PlanState {
    return this.#plan.state;
  }

  progress(taskId: string): TaskProgress {
    const p = this.#progress.get(taskId);
    if (!p) throw new Error(`No task "${taskId}" in plan "${this.#plan.id}"`);
    return p;
  }

  spentUsd(): number {
    let sum = 0;
    for (const p of this.#progress.values()) sum += p.spentUsd;
    return sum;
  }

  /** Starts the plan, or resumes it after a restart (see `load`). */
  async start(): Promise<void> {
    await this.load();
    this.#setState('running', null, { event: 'start' });
    this.#pump();
  }

  /**
   * Picks the plan up from its recorded steps without running it (a retry
   * on a plan blocked before a restart): work cut off mid-step goes back to
   * waiting (its branch kept), a merge that landed is found merged rather
   * than run again.
   */
  async load(): Promise<void> {
    await this.#ports.prepare({
      id: this.#plan.id,
      workspace: this.#plan.workspace,
      integrationBranch: this.#branch,
    });
    for (const id of this.#order) {
      const p = this.progress(id);
      if (p.state === 'running' || p.state === 'gating') {
        this.#save(
          { ...p, state: 'waiting', reason: 'Cut off by a restart; runs again' },
          'control',
          {
            event: 'resumed',
            was: p.state,
          },
        );
      } else if (p.state === 'merge_queue' || p.state === 'merging') {
        if (p.branch && (await this.#ports.isMerged(p.branch, this.#branch))) {
          this.#save({ ...p, state: 'merged', reason: 'Found merged after a restart' }, 'merge', {
            status: 'merged',
            recovered: true,
          });
        } else {
          this.#save({ ...p, state: 'merge_queue' });
          this.#mergeQueue.push(id);
        }
      }
    }
  }

  /** No new task or merge starts; the steps under way finish. */
  pause(): void {
    if (this.#plan.state !== 'running') return;
    this.#setState('paused', 'Paused by the user', { event: 'pause' });
  }

  resume(): void {
    if (!RESUMABLE.has(this.#plan.state)) return;
    this.#setState('running', null, { event: 'resume' });
    this.#pump();
  }

  /** Stops every agent of the plan; their work stays on their branches, and the tasks wait. */
  stop(reason = 'Stopped by the user'): void {
    this.#setState('stopped', reason, { event: 'stop' });
    for (const controller of this.#inFlight.values()) controller.abort(new Error(reason));
    this.#pump();
  }

  /** The user sends a task that needs them back for one more attempt (at the stronger model, if any). */
  retryTask(taskId: string): void {
    retryTask(this, taskId);
  }

  /** The user decides a task is not needed: its dependents may start. */
  skipTask(taskId: string): void {
    skipTask(this, taskId);
  }

  /** Whether an agent works on the task now (task-control.ts refuses the user's hands meanwhile). */
  busy(taskId: string): boolean {
    return this.#inFlight.has(taskId);
  }

  /** The user's hand on a task (task-control.ts): saved, the task's text when edited, then what runs. */
  userStep(p: TaskProgress, data: Record<string, unknown>, then: UserNext = {}): void {
    const { edited, gates } = then;
    if (edited) {
      this.#tasks.set(edited.id, edited);
      this.#plan.tasks = this.#plan.tasks.map((t) => (t.id === edited.id ? edited : t));
      this.#order.splice(0, this.#order.length, ...schedulingOrder(this.#plan.tasks));
      this.#waiting = waitingOn(this.#plan.tasks);
    }
    this.#save(p, 'control', data);
    if (gates) void this.#runTask(this.#task(p.taskId), true);
    if (this.#plan.state === 'blocked') this.resume();
    else this.#pump();
  }

  /**
   * A hop of a question asked by the agent at work on a task (question-relay.ts): kept
   * as evidence with its cost; while the question waits for the user the task needs you.
   */
  noteQuestion(
    taskId: string,
    hop: Record<string, unknown>,
    costUsd = 0,
    waitingFor?: string | null,
  ): void {
    const p = this.progress(taskId);
    const asked = waitingFor !== undefined && this.#inFlight.has(taskId);
    const state = asked ? (waitingFor === null ? 'running' : 'needs_user') : p.state;
    const reason = asked ? (waitingFor === null ? null : `Needs you: ${waitingFor}`) : p.reason;
    this.#save({ ...p, state, reason, spentUsd: p.spentUsd + costUsd }, 'question', hop);
  }

  /** Resolves once nothing runs and nothing can start (done, blocked, paused, stopped). */
  settled(): Promise<PlanState> {
    if (this.#idle() && this.#plan.state !== 'running') return Promise.resolve(this.#plan.state);
    return new Promise((resolve) => this.#settled.push(resolve));
  }

  #pump(): void {
    if (this.#plan.state === 'running') {
      this.#startTasks();
      this.#startMerge();
    }
    if (!this.#idle()) return;
    if (this.#plan.state === 'running') this.#finish();
    const resolvers = this.#settled;
    this.#settled = [];
    for (const resolve of resolvers) resolve(this.#plan.state);
  }

  #idle(): boolean {
    return this.#inFlight.size === 0 && this.#train.length === 0;
  }

  #startTasks(): void {
    for (const id of this.#order) {
      if (this.#budget.exhausted()) return;
      if (this.#slotsTaken() >= this.#maxParallel) return;
      const p = this.progress(id);
      if (p.state !== 'waiting' || this.#inFlight.has(id)) continue;
      const task = this.#task(id);
      if (!task.dependencies.every((d) => FINISHED.has(this.progress(d).state))) continue;
      if (this.#overlapsActive(task)) continue;
      void this.#runTask(task);
    }
  }

  #slotsTaken(): number {
    let n = 0;
    for (const p of this.#progress.values()) if (TAKES_SLOT.has(p.state)) n++;
    return n;
  }

  #overlapsActive(task: PlanTask): boolean {
    for (const [id, p] of this.#progress) {
      if (id === task.id || !(HOLDS_FILES.has(p.state) || this.#inFlight.has(id))) continue;
      if (firstOverlap(task.files, this.#task(id).files)) return true;
    }
    return false;
  }

  /** `byUser`: the user did the work on the task's branch (taken over); it starts at the gates. */
  async #runTask(task: PlanTask, byUser = false): Promise<void> {
    const controller = new AbortController();
    this.#inFlight.set(task.id, controller);
    const start = this.progress(task.id);
    const model = modelFor(task, start.level, this.#plan);
    let p: TaskProgress = {
      ...start,
      state: byUser ? 'gating' : 'running',
      attempts: start.attempts + 1,
      levelAttempts: start.levelAttempts + 1,
      reason: null,
    };
    this.#save(p, 'attempt', {
      attempt: p.attempts,
      level: p.level,
      model,
      feedback: p.feedback,
      ...(byUser && { by: 'user' }),
    });
    try {
      const build = byUser
        ? doneByUser(start.branch)
        : await this.#ports.build(
            {
              planId: this.#plan.id,
              task,
              attempt: p.attempts,
              level: p.level,
              model,
              base: this.#branch,
              feedback: p.feedback,
              branch: p.branch,
              budgetUsd: this.#budget.reserve(task.id),
            },
            controller.signal,
          );
      this.#budget.release(task.id);
      // The progress as saved meanwhile: a question's hops may have spent or changed its state.
      const now = this.progress(task.id);
      p = { ...now, spentUsd: now.spentUsd + build.costUsd, branch: build.branch, state: 'gating' };
      this.#save(p, 'attempt', {
        attempt: p.attempts,
        finished: build.ok,
        summary: build.summary,
        costUsd: build.costUsd,
        tokens: build.tokens ?? null,
      });
      if (!build.ok)
        return this.#fail(p, `The agent did not finish: ${build.summary}`, build.summary);
      const gates = await this.#ports.gates(
        {
          planId: this.#plan.id,
          taskId: task.id,
          ref: build.branch,
          where: 'task',
          into: this.#branch,
        },
        controller.signal,
      );
      this.#save(p, 'gate', { where: 'task', ...gateEvidence(gates) });
      if (!gates.passed)
        return this.#fail(p, 'The gates failed in the task’s worktree', gates.output);
      const reviewed = await reviewStep({
        ...{ store: this.#store, plan: this.#plan, ports: this.#ports, base: this.#branch },
        ...{ task, progress: p, signal: controller.signal },
        save: (q, kind, data) => this.#save(q, kind, data),
      });
      if (!reviewed) return;
      this.#save({ ...reviewed, state: 'merge_queue', feedback: null });
      this.#mergeQueue.push(task.id);
    } catch (error) {
      if (controller.signal.aborted) {
        this.#save({
          ...this.progress(task.id),
          state: 'waiting',
          reason: 'Stopped; runs again on resume',
        });
      } else {
        this.#fail(
          this.progress(task.id),
          `Troika could not run the task: ${message(error)}`,
          message(error),
        );
      }
    } finally {
      this.#budget.release(task.id);
      this.#inFlight.delete(task.id);
      this.#pump();
    }
  }

  #startMerge(): void {
    while (this.#train.length < MERGE_TRAIN && this.#mergeQueue.length > 0) {
      // The task more of the plan waits on goes first; among equals, the one queued first.
      const chain = (id: string) => this.#waiting.get(id) ?? 0;
      const next = this.#mergeQueue.reduce(
        (best, id, i) => (chain(id) > chain(this.#mergeQueue[best] as string) ? i : best),
        0,
      );
      const [taskId] = this.#mergeQueue.splice(next, 1) as [string];
      const ahead = this.#train.at(-1)?.ahead;
      const candidate = settleOnce<string | null>();
      const landed = settleOnce<string | null>();
      const car = { taskId, ahead: { candidate: candidate.promise, landed: landed.promise } };
      this.#train.push(car);
      void this.#merge(taskId, ahead, {
        candidate: candidate.settle,
        landed: landed.settle,
      }).finally(() => {
        this.#train.splice(this.#train.indexOf(car), 1);
        this.#pump();
      });
    }
  }

  #merge(taskId: string, ahead: MergeAhead | undefined, handles: MergeHandles): Promise<void> {
    return mergeStep({
      ports: this.#ports,
      planId: this.#plan.id,
      into: this.#branch,
      progress: this.progress(taskId),
      ahead,
      handles,
      save: (p, kind, data) => this.#save(p, kind, data),
      fail: (p, reason, feedback) => this.#fail(p, reason, feedback),
    });
  }

  #fail(p: TaskProgress, reason: string, feedback: string): void {
    const next = afterFailure(p, this.#policy, reason, feedback);
    this.#save(next.progress, 'escalation', {
      reason,
      level: next.progress.level,
      escalatedTo: next.escalatedTo,
      state: next.progress.state,
    });
  }

  #finish(): void {
    const result = outcome(this.#order, (id) => this.progress(id).state, {
      branch: this.#branch,
      budgetUsd: this.#plan.budgetUsd,
      // Idle, nothing is reserved: exhausted means too little is left for any attempt.
      budgetReached: this.#budget.exhausted(),
    });
    this.#setState(result.state, result.reason, result.evidence);
  }

  #save(p: TaskProgress, kind?: EvidenceKind, data?: Record<string, unknown>): void {
    this.#progress.set(p.taskId, p);
    this.#store.saveStep(this.#plan.id, p, kind && data ? { kind, data } : undefined);
    this.#onChange(this.#plan.id);
  }

  #setState(state: PlanState, reason: string | null, evidence: Record<string, unknown>): void {
    this.#plan.state = state;
    this.#plan.stateReason = reason;
    this.#store.setState(this.#plan.id, state, reason, evidence);
    this.#onChange(this.#plan.id);
  }

  #task(id: string): PlanTask {
    return this.#tasks.get(id) as PlanTask;
  }
}
