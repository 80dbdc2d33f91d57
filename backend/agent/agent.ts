/**
 * One agent: a Claude conversation working in its own terminal and workspace.
 *
 * The loop is driven by the conversation's tail, so it runs the same way for
 * a new task, after a pause, and when a run cut off by a crash is resumed:
 * open tool calls are run, a finished assistant turn takes queued user
 * messages or ends the run, and a pending user turn goes to the model.
 *
 * Control (pause, steer, approve, answer, stop) only sets flags and resolves
 * waits; the loop acts on them at its safe points, so nothing is lost.
 */
import type { ToolUseBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { HookAgent, ToolCall } from '../hooks/runner.ts';
import type { AgentRecord } from '../persistence/agents-repository.ts';
import type { AgentState, AgentSummary, FinishReport } from '../protocol/agent.ts';
import type { AgentDeps } from './agent-deps.ts';
import { AgentInbox, addUserText } from './agent-inbox.ts';
import { AgentInsights, storedCompaction, storedInsights } from './agent-insights.ts';
import { ContextKeeper } from './context-keeper.ts';
import {
  AgentControlError,
  AgentFailure,
  AgentStopped,
  Deferred,
  untilStopped,
} from './control.ts';
import { Conversation, toTranscriptMessage, type ConversationMessage } from './conversation.ts';
import { applyHookReport, type HookReport } from './hook-reports.ts';
import { modelTurn, type ModelCallAgent } from './model-calls.ts';
import { contextWindowOf } from '../provider/context-windows.ts';
import { RESUMABLE_STATES, buildSummary } from './summary.ts';
import { AgentTerminalSession } from './terminal-session.ts';
import { runToolCall } from './tool-call.ts';
import { completeReason, reportQuestion } from './tools/finish.ts';
import { fail, type ToolContext, type ToolResult } from './tools/tool.ts';
import { UserWaits } from './user-waits.ts';
import type { AgentWorkspace } from './workspace.ts';

export class Agent {
  readonly id: string;
  readonly #deps: AgentDeps;
  readonly #record: AgentRecord;
  readonly #conversation: Conversation;
  readonly #terminal: AgentTerminalSession;
  readonly #inbox: AgentInbox;
  #stop = new AbortController();
  #interrupt = new AbortController();
  #pauseRequested = false;
  #resumeGate: Deferred<void> | undefined;
  readonly #waits: UserWaits;
  #currentToolUseId: string | undefined;
  /** Tool calls of the last turn whose input JSON was unusable, with why. */
  #inputErrors = new Map<string, string>();
  #loop: Promise<void> | undefined;
  readonly #insights: AgentInsights;
  readonly #context: ContextKeeper;
  /** Set when the model reported COMPLETE during the current tool batch: the run ends after it. */
  #completed: FinishReport | undefined;

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
  }

  get state(): AgentState {
    return this.#record.state as AgentState;
  }

  /** Whether its loop is running (paused and waiting count: they hold a slot). */
  get active(): boolean {
    return this.#loop !== undefined;
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
    this.#pauseRequested = true;
    if (interrupt) this.#interrupt.abort();
  }

  /** Continues a paused agent, or starts a new run of a stopped, failed or interrupted one. */
  resume(budgetUsd?: number): void {
    if (budgetUsd !== undefined) {
      this.#record.budgetUsd = budgetUsd;
      this.#deps.store.agents.updateBudget(this.id, budgetUsd, this.#deps.now());
    }
    if (this.active) {
      if (!this.#pauseRequested)
        throw new AgentControlError('conflict', `Agent ${this.id} is not paused`);
      this.#pauseRequested = false;
      this.#resumeGate?.resolve();
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
    this.#stop.abort(new AgentStopped(reason));
    await this.settled();
  }

  async dispose(reason: string): Promise<void> {
    await this.stop(reason);
    await this.#terminal.close();
  }

  #startLoop(): void {
    this.#stop = new AbortController();
    this.#interrupt = new AbortController();
    this.#pauseRequested = false;
    this.#completed = undefined;
    this.#loop = this.#run().then((outcome) => this.#finish(outcome));
  }

  /** Ends a run. The slot is given up before the final state is announced, so the announcement says whether it can resume. */
  async #finish(outcome: { state: AgentState; reason: string | null }): Promise<void> {
    this.#loop = undefined;
    this.#waits.clear();
    // A message that arrived while the run was ending starts the next one instead of being lost.
    if (outcome.state === 'done' && this.#inbox.length > 0) {
      this.#startLoop();
      return;
    }
    this.#setState(outcome.state, outcome.reason);
    await this.#deps.pipeline.stop(this.#hookContext, outcome).catch(() => undefined);
  }

  get #hookContext(): HookAgent {
    return {
      agentId: this.id,
      workDir: this.#deps.workspace.workDir,
      model: this.#record.model,
      persona: this.#record.persona,
      shellDialect: this.#terminal.dialect,
    };
  }

  async #run(): Promise<{ state: AgentState; reason: string | null }> {
    this.#setState('running', null);
    try {
      await this.#terminal.ensure();
      return await this.#steps();
    } catch (error) {
      const stopped = error instanceof AgentStopped || this.#stop.signal.aborted;
      const reason = stopped
        ? this.#stop.signal.reason instanceof AgentStopped
          ? this.#stop.signal.reason.message
          : 'Stopped'
        : error instanceof Error
          ? error.message
          : String(error);
      this.#closeOpen(
        stopped
          ? `Not run: the agent was stopped (${reason}).`
          : `Not run: the agent failed (${reason}).`,
      );
      if (!stopped) {
        const kind = error instanceof AgentFailure ? error.kind : 'internal';
        this.#deps.emit('agent.error', {
          agentId: this.id,
          kind,
          message: reason,
          retrying: false,
          attempt: 0,
        });
      }
      return { state: stopped ? 'stopped' : 'failed', reason };
    }
  }

  async #steps(): Promise<{ state: AgentState; reason: string | null }> {
    for (;;) {
      await this.#safePoint();
      const open = this.#conversation.openToolUses();
      if (open.length > 0) {
        const steered = await this.#runTools(open);
        const report = this.#completed;
        this.#completed = undefined;
        // A message sent meanwhile is for the model: it goes on instead of ending.
        if (report && !steered) return { state: 'done', reason: completeReason(report) };
        continue;
      }
      const last = this.#conversation.last;
      if (!last || last.role === 'assistant') {
        if (this.#inbox.length === 0) return { state: 'done', reason: null };
        await this.#inbox.deliver();
        continue;
      }
      // A run started by a message after a finish report: the message rides with the report's result.
      if (this.#inbox.length > 0 && (await this.#inbox.deliver()))
        this.#emitMessage(this.#conversation.last ?? last);
      const exceeded = this.#deps.budget.exceeded(this.id, this.#record.budgetUsd);
      if (exceeded) return { state: 'stopped', reason: exceeded };
      const turn = await this.#modelTurn();
      if (turn.content.length === 0) {
        if (this.#inbox.length > 0) {
          await this.#inbox.deliver();
          continue;
        }
        return { state: 'done', reason: 'The model ended its turn without a reply' };
      }
      this.#emitMessage(this.#conversation.appendAssistant(turn.content));
      const after = this.#deps.budget.exceeded(this.id, this.#record.budgetUsd);
      if (after) {
        this.#closeOpen(`Not run: ${after}`);
        return { state: 'stopped', reason: after };
      }
      if (turn.stopReason === 'refusal')
        throw new AgentFailure(
          'refusal',
          'The model declined to continue this task (stop reason "refusal")',
        );
      if (turn.stopReason === 'max_tokens' && turn.toolUses.length === 0) {
        addUserText(
          this.#conversation,
          'Your reply reached the output token limit. Continue exactly where you stopped.',
        );
      }
      this.#inputErrors = new Map(
        turn.toolUses.filter((t) => t.inputError).map((t) => [t.id, t.inputError as string]),
      );
    }
  }

  async #modelTurn() {
    const agent = this.#callAgent;
    const { spec, estimated } = await this.#context.prepare(agent);
    return modelTurn(this.#deps, agent, spec, {
      stream: true,
      onUsage: (usage) => this.#context.observe(usage, estimated),
    });
  }

  get #callAgent(): ModelCallAgent {
    return {
      id: this.id,
      model: this.#record.model,
      persona: this.#record.persona,
      budgetUsd: this.#record.budgetUsd,
      hookContext: this.#hookContext,
      signal: this.#stop.signal,
      usageExtras: () => ({ cache: this.#insights.cache, context: this.#insights.context }),
    };
  }

  /** Runs the open tool calls; true when queued messages were delivered with their results. */
  async #runTools(open: ToolUseBlockParam[]): Promise<boolean> {
    for (const use of open) {
      await this.#safePoint();
      const call: ToolCall = { toolUseId: use.id, name: use.name, input: use.input };
      this.#deps.emit('agent.transcript', {
        agentId: this.id,
        entry: { kind: 'tool_call', toolUseId: use.id, name: use.name, input: use.input },
      });
      const result = await this.#runTool(call);
      this.#conversation.addUserBlocks([
        {
          type: 'tool_result',
          tool_use_id: use.id,
          content: result.content,
          is_error: result.isError,
        },
      ]);
      this.#deps.emit('agent.transcript', {
        agentId: this.id,
        entry: {
          kind: 'tool_result',
          toolUseId: use.id,
          content: result.content,
          isError: result.isError,
        },
      });
      if (this.#stop.signal.aborted) throw this.#stop.signal.reason;
    }
    // Steering messages ride along with the results: the model sees them at its very next step.
    const steered = await this.#inbox.deliver();
    const last = this.#conversation.last;
    if (last) this.#emitMessage(last);
    return steered;
  }

  async #runTool(call: ToolCall): Promise<ToolResult> {
    if (this.#interrupt.signal.aborted) this.#interrupt = new AbortController();
    const signal = AbortSignal.any([this.#stop.signal, this.#interrupt.signal]);
    const toolContext: ToolContext = {
      workDir: this.#deps.workspace.workDir,
      signal,
      limits: {
        commandTimeoutMs: this.#deps.limits.commandTimeoutMs,
        maxOutputChars: this.#deps.limits.maxOutputChars,
      },
      shell: () => this.#terminal.shell(),
      restartShell: (notice) => this.#terminal.restart(notice),
      askUser: (question) => this.#ask(question),
      finish: (report) => this.#report(report),
    };
    this.#currentToolUseId = call.toolUseId;
    try {
      return await runToolCall(call, this.#inputErrors.get(call.toolUseId), {
        pipeline: this.#deps.pipeline,
        hookContext: this.#hookContext,
        tools: this.#deps.tools,
        toolContext,
        requestApproval: (held, reason) =>
          this.#waits.awaitApproval(held, reason, this.#stop.signal),
        onTiming: this.#deps.onToolTiming,
      });
    } catch (error) {
      if (error instanceof AgentStopped || this.#stop.signal.aborted) throw error;
      return fail(
        `The tool failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.#currentToolUseId = undefined;
    }
  }

  async #ask(question: string): Promise<string> {
    const raw = await this.#waits.awaitAnswer(
      this.#currentToolUseId ?? 'unknown',
      question,
      this.#stop.signal,
    );
    const text = await this.#inbox.prompt(raw);
    if (text === undefined)
      return '(the answer was refused by a hook and not passed on; ask again or continue without it)';
    this.#deps.emit('agent.transcript', {
      agentId: this.id,
      entry: { kind: 'user_message', text, source: 'answer' },
    });
    return text;
  }

  /** The `finish` tool's report: kept and announced; a question waits for the user's answer. */
  async #report(report: FinishReport): Promise<string | null> {
    this.#insights.setReport(report);
    this.#deps.emit('agent.finish', {
      agentId: this.id,
      toolUseId: this.#currentToolUseId ?? 'unknown',
      report,
    });
    const question = reportQuestion(report);
    if (question === null) {
      this.#completed = report;
      return null;
    }
    return this.#ask(question);
  }

  async #safePoint(): Promise<void> {
    if (this.#stop.signal.aborted) throw this.#stop.signal.reason;
    if (!this.#pauseRequested) return;
    this.#resumeGate = new Deferred();
    this.#setState('paused', 'Paused by the user');
    try {
      await untilStopped(this.#resumeGate.promise, this.#stop.signal);
    } finally {
      this.#resumeGate = undefined;
    }
    this.#setState('running', null);
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
