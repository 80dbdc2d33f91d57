/**
 * One agent: a Claude conversation working in its own terminal and
 * workspace, and its control surface. The step loop (step-loop.ts) and the
 * tool runner (tool-runner.ts) do the work; this class owns the agent's
 * state and record, starts and ends its runs, and takes the control calls.
 *
 * Control (pause, steer, approve, answer, stop) only sets flags and resolves
 * waits (run-control.ts, user-waits.ts, agent-inbox.ts); the loop acts on
 * them at its safe points, so nothing is lost.
 */
import type { HookAgent, StopDecision } from '../hooks/runner.ts';
import type { AgentRecord } from '../persistence/agents-repository.ts';
import type { AgentState, AgentSummary } from '../protocol/agent.ts';
import { contextWindowOf } from '../provider/context-windows.ts';
import type { AgentDeps } from './agent-deps.ts';
import { AgentInbox, addUserText } from './agent-inbox.ts';
import { AgentInsights, storedCompaction, storedInsights } from './agent-insights.ts';
import { ContextKeeper } from './context-keeper.ts';
import { AgentControlError } from './control.ts';
import { Conversation, toTranscriptMessage, type ConversationMessage } from './conversation.ts';
import { applyHookReport, plainHookReport, type HookReport } from './hook-reports.ts';
import { RunControl } from './run-control.ts';
import { StepLoop, type RunEnd } from './step-loop.ts';
import { RESUMABLE_STATES, buildSummary } from './summary.ts';
import { AgentTerminalSession } from './terminal-session.ts';
import { ToolRunner } from './tool-runner.ts';
import { UserWaits } from './user-waits.ts';
import type { AgentWorkspace } from './workspace.ts';

/**
 * How many times in a row Stop hooks may make an agent go on before it is
 * let stop anyway (a hook that always blocks would otherwise loop forever).
 * Claude Code leaves this to the hook (`stop_hook_active`); Troika bounds it.
 */
export const MAX_STOP_HOOK_CONTINUATIONS = 10;

export class Agent {
  readonly id: string;
  readonly #deps: AgentDeps;
  readonly #record: AgentRecord;
  readonly #conversation: Conversation;
  readonly #terminal: AgentTerminalSession;
  readonly #inbox: AgentInbox;
  readonly #control: RunControl;
  readonly #waits: UserWaits;
  readonly #tools: ToolRunner;
  readonly #steps: StepLoop;
  #loop: Promise<void> | undefined;
  /** Runs in a row that Stop hooks asked for; 0 when a person started the run. */
  #stopContinuations = 0;
  readonly #insights: AgentInsights;
  readonly #context: ContextKeeper;

  constructor(deps: AgentDeps) {
    this.#deps = deps;
    this.#record = { ...deps.record };
    this.id = deps.record.id;
    this.#conversation = new Conversation(this.id, deps.store.transcript, deps.now);
    this.#inbox = new AgentInbox({
      agentId: this.id,
      conversation: this.#conversation,
      pipeline: deps.pipeline,
      hookContext: () => this.#hookContext,
      emit: deps.emit,
    });
    const compaction = storedCompaction(deps.store.events, this.id);
    if (compaction && this.#conversation.from(compaction.keepFromSeq)[0]?.role === 'assistant')
      this.#conversation.compact(compaction);
    this.#insights = new AgentInsights(storedInsights(deps.store.events, this.id));
    this.#context = new ContextKeeper(
      deps,
      this.#conversation,
      this.#insights,
      deps.limits.contextWindowTokens ?? contextWindowOf(deps.record.model),
    );
    this.#waits = new UserWaits({
      agentId: this.id,
      setState: (state, reason) => this.#setState(state, reason),
      emit: deps.emit,
    });
    this.#terminal = new AgentTerminalSession(
      this.id,
      deps.workspace.workDir,
      deps.terminals,
      deps.shell,
      () => this.#publish(),
    );
    this.#control = new RunControl({
      paused: () => this.#setState('paused', 'Paused by the user'),
      running: () => this.#setState('running', null),
    });
    const parts = {
      id: this.id,
      deps,
      conversation: this.#conversation,
      terminal: this.#terminal,
      inbox: this.#inbox,
      insights: this.#insights,
      control: this.#control,
      hookContext: () => this.#hookContext,
      emitMessage: (message: ConversationMessage) => this.#emitMessage(message),
    };
    this.#tools = new ToolRunner({ ...parts, waits: this.#waits });
    this.#steps = new StepLoop({
      ...parts,
      record: this.#record,
      context: this.#context,
      tools: this.#tools,
      setState: (state, reason) => this.#setState(state, reason),
      closeOpen: (reason) => this.#closeOpen(reason),
    });
  }

  get state(): AgentState {
    return this.#record.state as AgentState;
  }

  /** Whether its loop is running (paused and waiting count: they hold a slot). */
  get active(): boolean {
    return this.#loop !== undefined;
  }

  /** The agent whose slot it runs in (AgentManager's `slotOf`), if any. */
  get slotOf(): string | undefined {
    return this.#deps.slotOf;
  }

  get workspace(): AgentWorkspace {
    return this.#deps.workspace;
  }

  /** Resolves when the current run has ended. */
  settled(): Promise<void> {
    return this.#loop ?? Promise.resolve();
  }

  summary(): AgentSummary {
    return buildSummary(
      this.#record,
      this.#deps.store.usage.totalsFor(this.id),
      {
        active: this.active,
        ptyId: this.#terminal.ptyId,
        pendingApproval: this.#waits.approval,
        pendingQuestion: this.#waits.question,
        queuedMessages: this.#inbox.length,
        slotOf: this.#deps.slotOf,
      },
      this.#insights.view,
    );
  }

  /** What the hooks report about this agent: announced, and kept for its summary. */
  hookReport(report: HookReport): void {
    applyHookReport(report, {
      agentId: this.id,
      insights: this.#insights,
      store: this.#deps.store,
      emit: this.#deps.emit,
      now: this.#deps.now,
      publish: () => this.#publish(),
    });
  }

  transcript() {
    return this.#conversation.toTranscript();
  }

  /** Queues the task (a new agent) and starts the loop. */
  begin(task: string): void {
    this.#inbox.push(task, 'task');
    this.#startLoop();
  }

  /**
   * A run cut off by a crash may have been inside tool calls: their results
   * are unknown, and running them again could repeat a side effect. They are
   * answered with an error the model can act on.
   */
  repairAfterInterruption(): void {
    this.#closeOpen(
      'Troika stopped while this tool call was pending or running; its result is unknown. Check the current state before retrying it.',
    );
  }

  pause(interrupt: boolean): void {
    if (!this.active)
      throw new AgentControlError('conflict', `Agent ${this.id} is ${this.state}, not running`);
    this.#control.requestPause(interrupt);
  }

  /** Continues a paused agent, or starts a new run of a stopped, failed or interrupted one. */
  resume(budgetUsd?: number): void {
    if (budgetUsd !== undefined) {
      this.#record.budgetUsd = budgetUsd;
      this.#deps.store.agents.updateBudget(this.id, budgetUsd, this.#deps.now());
    }
    if (this.active) {
      if (!this.#control.resume())
        throw new AgentControlError('conflict', `Agent ${this.id} is not paused`);
      return;
    }
    if (!RESUMABLE_STATES.has(this.state))
      throw new AgentControlError(
        'conflict',
        `Agent ${this.id} is ${this.state}; send it a message to continue`,
      );
    this.#startLoop();
  }

  /** Queues a message for the very next step; on a finished agent it starts a new run. */
  steer(text: string): void {
    this.#inbox.push(text, 'steer');
    if (!this.active) this.#startLoop();
  }

  approve(toolUseId: string): void {
    this.#waits.decide(toolUseId, { approved: true });
  }

  deny(toolUseId: string, reason?: string): void {
    this.#waits.decide(toolUseId, { approved: false, reason });
  }

  answer(text: string): void {
    this.#waits.answer(text);
  }

  /** Aborts the stream, the running command and every wait; resolves when the run has ended. */
  async stop(reason = 'Stopped by the user'): Promise<void> {
    if (!this.active) {
      if (this.state === 'idle') this.#setState('stopped', reason);
      return;
    }
    this.#control.stop(reason);
    await this.settled();
  }

  async dispose(reason: string): Promise<void> {
    await this.stop(reason);
    await this.#terminal.close();
  }

  /** `continuation`: a Stop hook asked for this run (not a person). */
  #startLoop(continuation = false): void {
    if (!continuation) this.#stopContinuations = 0;
    this.#control.reset();
    this.#tools.reset();
    this.#loop = this.#steps.run().then((outcome) => this.#finish(outcome));
  }

  /** Ends a run. The slot is given up before the final state is announced, so the announcement says whether it can resume. */
  async #finish(outcome: RunEnd): Promise<void> {
    // Stop hooks run before the end is announced: one that blocks makes the agent go on.
    const decision = await this.#deps.pipeline
      .stop(this.#hookContext, {
        ...outcome,
        stopHookActive: this.#stopContinuations > 0,
        ...this.#lastReply(),
      })
      .catch(() => undefined);
    this.#loop = undefined;
    this.#waits.clear();
    if (outcome.state === 'done' && decision && this.#continueFor(decision)) return;
    // A message that arrived while the run was ending starts the next one instead of being lost.
    if (outcome.state === 'done' && this.#inbox.length > 0) {
      this.#startLoop();
      return;
    }
    this.#setState(outcome.state, outcome.reason);
  }

  /** Goes on with a Stop hook's reason as a user message, within the bound; false past it. */
  #continueFor(decision: StopDecision): boolean {
    const hook = decision.hooks.join(', ') || 'Stop hooks';
    const note = (text: string, effect: 'ignored' | null) =>
      this.hookReport({
        type: 'hook',
        report: plainHookReport(hook, this.#stopEvent, 'note', text, effect),
      });
    if (this.#stopContinuations >= MAX_STOP_HOOK_CONTINUATIONS) {
      note(
        `Stop hooks asked the agent to go on ${MAX_STOP_HOOK_CONTINUATIONS} times in a row; it stops here. Their last reason: ${decision.continueWith}`,
        'ignored',
      );
      return false;
    }
    this.#stopContinuations += 1;
    note(
      `Asked the agent to go on (${this.#stopContinuations} of at most ${MAX_STOP_HOOK_CONTINUATIONS}): ${decision.continueWith}`,
      null,
    );
    addUserText(this.#conversation, `Stop hook feedback:\n${decision.continueWith}`);
    const last = this.#conversation.last;
    if (last) this.#emitMessage(last);
    this.#startLoop(true);
    return true;
  }

  /** The text of the model's last reply, for Stop hooks (`last_assistant_message`). */
  #lastReply(): { lastAssistantMessage?: string } {
    const last = this.#conversation.last;
    if (last?.role !== 'assistant' || typeof last.content === 'string') return {};
    const text = last.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
    return text === '' ? {} : { lastAssistantMessage: text };
  }

  /** The hook event that ends this agent's runs, for notes: SubagentStop for a plan's agent. */
  get #stopEvent(): 'Stop' | 'SubagentStop' {
    return this.#deps.subagent === true ? 'SubagentStop' : 'Stop';
  }

  get #hookContext(): HookAgent {
    return {
      agentId: this.id,
      workDir: this.#deps.workspace.workDir,
      model: this.#record.model,
      persona: this.#record.persona,
      shellDialect: this.#terminal.dialect,
      ...(this.#deps.subagent === true && { subagent: true }),
    };
  }

  #closeOpen(reason: string): void {
    const closed = this.#conversation.closeOpenToolUses(reason);
    if (closed) this.#emitMessage(closed);
  }

  #emitMessage(message: ConversationMessage): void {
    this.#deps.emit('agent.transcript', {
      agentId: this.id,
      entry: { kind: 'message', message: toTranscriptMessage(message) },
    });
  }

  #setState(state: AgentState, reason: string | null): void {
    const now = this.#deps.now();
    this.#record.state = state;
    this.#record.stateReason = reason;
    this.#record.updatedAt = now;
    this.#deps.store.agents.updateState(this.id, state, reason, now);
    this.#publish();
  }

  /** Announces the agent's current summary (a state change, a new terminal, a finished run). */
  #publish(): void {
    this.#deps.emit('agent.state', {
      agentId: this.id,
      state: this.state,
      reason: this.#record.stateReason,
      agent: this.summary(),
    });
  }
}
