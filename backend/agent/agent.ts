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
import type Anthropic from '@anthropic-ai/sdk';
import type { ContentBlockParam, ToolUseBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { AgentRecord } from '../persistence/agents-repository.ts';
import type { AgentStore } from '../persistence/store.ts';
import type { AgentEvents, AgentState, AgentSummary } from '../protocol/agent.ts';
import type { BudgetGuard } from './budget.ts';
import { AgentControlError, AgentFailure, AgentStopped, Deferred, untilStopped } from './control.ts';
import { Conversation, toTranscriptMessage, type ConversationMessage } from './conversation.ts';
import { runModelTurn } from './model-turn.ts';
import type { AgentPipeline, HookContext, ToolCall } from './pipeline.ts';
import { RESUMABLE_STATES, buildSummary } from './summary.ts';
import { baseSystemPrompt } from './system-prompt.ts';
import { AgentTerminalSession, type ShellSettings } from './terminal-session.ts';
import { runToolCall } from './tool-call.ts';
import type { ToolRegistry } from './tools/registry.ts';
import { fail, type ToolContext, type ToolResult } from './tools/tool.ts';
import type { AgentTerminalHost } from './terminal.ts';
import { recordUsage } from './usage-recorder.ts';
import { UserWaits } from './user-waits.ts';
import type { AgentWorkspace } from './workspace.ts';

export type EmitAgentEvent = <E extends keyof AgentEvents>(event: E, data: AgentEvents[E]) => void;

export interface AgentLimits {
  maxTokens: number;
  commandTimeoutMs: number;
  maxOutputChars: number;
  /** Attempts at a turn whose stream broke off. */
  maxStreamAttempts: number;
  /** First retry delay; doubled each time. */
  retryBaseDelayMs: number;
  /** Attempts the SDK makes per request (for messages). */
  sdkAttempts: number;
}

export interface AgentDeps {
  record: AgentRecord;
  workspace: AgentWorkspace;
  store: AgentStore;
  client: Anthropic;
  pipeline: AgentPipeline;
  tools: ToolRegistry;
  terminals: AgentTerminalHost;
  shell: ShellSettings;
  budget: BudgetGuard;
  limits: AgentLimits;
  emit: EmitAgentEvent;
  now: () => number;
}

export class Agent {
  readonly id: string;
  readonly #deps: AgentDeps;
  readonly #record: AgentRecord;
  readonly #conversation: Conversation;
  readonly #terminal: AgentTerminalSession;
  readonly #queue: Array<{ text: string; source: 'task' | 'steer' }> = [];
  #stop = new AbortController();
  #interrupt = new AbortController();
  #pauseRequested = false;
  #resumeGate: Deferred<void> | undefined;
  readonly #waits: UserWaits;
  #currentToolUseId: string | undefined;
  /** Tool calls of the last turn whose input JSON was unusable, with why. */
  #inputErrors = new Map<string, string>();
  #loop: Promise<void> | undefined;

  constructor(deps: AgentDeps) {
    this.#deps = deps;
    this.#record = { ...deps.record };
    this.id = deps.record.id;
    this.#conversation = new Conversation(this.id, deps.store.transcript, deps.now);
    this.#waits = new UserWaits({ agentId: this.id, setState: (state, reason) => this.#setState(state, reason), emit: deps.emit });
    this.#terminal = new AgentTerminalSession(this.id, deps.workspace.workDir, deps.terminals, deps.shell, () => this.#publish());
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
    return buildSummary(this.#record, this.#deps.store.usage.totalsFor(this.id), {
      active: this.active,
      ptyId: this.#terminal.ptyId,
      pendingApproval: this.#waits.approval,
      pendingQuestion: this.#waits.question,
      queuedMessages: this.#queue.length,
    });
  }

  transcript() {
    return this.#conversation.toTranscript();
  }

  /** Queues the task (a new agent) and starts the loop. */
  begin(task: string): void {
    this.#queue.push({ text: task, source: 'task' });
    this.#startLoop();
  }

  /**
   * A run cut off by a crash may have been inside tool calls: their results
   * are unknown, and running them again could repeat a side effect. They are
   * answered with an error the model can act on.
   */
  repairAfterInterruption(): void {
    this.#closeOpen('Troika stopped while this tool call was pending or running; its result is unknown. Check the current state before retrying it.');
  }

  pause(interrupt: boolean): void {
    if (!this.active) throw new AgentControlError('conflict', `Agent ${this.id} is ${this.state}, not running`);
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
      if (!this.#pauseRequested) throw new AgentControlError('conflict', `Agent ${this.id} is not paused`);
      this.#pauseRequested = false;
      this.#resumeGate?.resolve();
      return;
    }
    if (!RESUMABLE_STATES.has(this.state)) throw new AgentControlError('conflict', `Agent ${this.id} is ${this.state}; send it a message to continue`);
    this.#startLoop();
  }

  /** Queues a message for the very next step; on a finished agent it starts a new run. */
  steer(text: string): void {
    this.#queue.push({ text, source: 'steer' });
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
    this.#loop = this.#run().then((outcome) => this.#finish(outcome));
  }

  /** Ends a run. The slot is given up before the final state is announced, so the announcement says whether it can resume. */
  async #finish(outcome: { state: AgentState; reason: string | null }): Promise<void> {
    this.#loop = undefined;
    this.#waits.clear();
    // A message that arrived while the run was ending starts the next one instead of being lost.
    if (outcome.state === 'done' && this.#queue.length > 0) {
      this.#startLoop();
      return;
    }
    this.#setState(outcome.state, outcome.reason);
    await this.#deps.pipeline.stop(this.#hookContext, outcome).catch(() => undefined);
  }

  get #hookContext(): HookContext {
    return { agentId: this.id, workDir: this.#deps.workspace.workDir, model: this.#record.model, persona: this.#record.persona };
  }

  async #run(): Promise<{ state: AgentState; reason: string | null }> {
    this.#setState('running', null);
    try {
      await this.#terminal.ensure();
      return await this.#steps();
    } catch (error) {
      const stopped = error instanceof AgentStopped || this.#stop.signal.aborted;
      const reason = stopped
        ? (this.#stop.signal.reason instanceof AgentStopped ? this.#stop.signal.reason.message : 'Stopped')
        : error instanceof Error ? error.message : String(error);
      this.#closeOpen(stopped ? `Not run: the agent was stopped (${reason}).` : `Not run: the agent failed (${reason}).`);
      if (!stopped) {
        const kind = error instanceof AgentFailure ? error.kind : 'internal';
        this.#deps.emit('agent.error', { agentId: this.id, kind, message: reason, retrying: false, attempt: 0 });
      }
      return { state: stopped ? 'stopped' : 'failed', reason };
    }
  }

  async #steps(): Promise<{ state: AgentState; reason: string | null }> {
    for (;;) {
      await this.#safePoint();
      const open = this.#conversation.openToolUses();
      if (open.length > 0) {
        await this.#runTools(open);
        continue;
      }
      const last = this.#conversation.last;
      if (!last || last.role === 'assistant') {
        if (this.#queue.length === 0) return { state: 'done', reason: null };
        await this.#deliverQueue();
        continue;
      }
      const exceeded = this.#deps.budget.exceeded(this.id, this.#record.budgetUsd);
      if (exceeded) return { state: 'stopped', reason: exceeded };
      const turn = await this.#modelTurn();
      if (turn.content.length === 0) {
        if (this.#queue.length > 0) {
          await this.#deliverQueue();
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
      if (turn.stopReason === 'refusal') throw new AgentFailure('refusal', 'The model declined to continue this task (stop reason "refusal")');
      if (turn.stopReason === 'max_tokens' && turn.toolUses.length === 0) {
        this.#addUserText('Your reply reached the output token limit. Continue exactly where you stopped.');
      }
      this.#inputErrors = new Map(turn.toolUses.filter((t) => t.inputError).map((t) => [t.id, t.inputError as string]));
    }
  }

  async #modelTurn() {
    const spec = await this.#deps.pipeline.modelRequest(this.#hookContext, {
      model: this.#record.model,
      maxTokens: this.#deps.limits.maxTokens,
      tools: this.#deps.tools.definitions,
      system: baseSystemPrompt({
        workDir: this.#deps.workspace.workDir,
        branch: this.#deps.workspace.branch,
        commandTimeoutMs: this.#deps.limits.commandTimeoutMs,
      }),
      persona: this.#record.persona ?? undefined,
      messages: this.#conversation.params,
    });
    const { limits } = this.#deps;
    return runModelTurn({
      client: this.#deps.client,
      spec,
      signal: this.#stop.signal,
      maxAttempts: limits.maxStreamAttempts,
      retryDelayMs: (attempt) => limits.retryBaseDelayMs * 2 ** (attempt - 1),
      sdkAttempts: limits.sdkAttempts,
      onTextDelta: (text) => this.#deps.emit('agent.transcript', { agentId: this.id, entry: { kind: 'text_delta', text } }),
      onToolUse: () => undefined,
      onDiscard: (reason) => this.#deps.emit('agent.transcript', { agentId: this.id, entry: { kind: 'turn_discarded', reason } }),
      onRetry: (fault, attempt) =>
        this.#deps.emit('agent.error', { agentId: this.id, kind: fault.kind, message: fault.message, retrying: true, attempt }),
      recordUsage: (usage, model) => recordUsage(this.#deps, { id: this.id, budgetUsd: this.#record.budgetUsd }, usage, model),
    });
  }

  async #runTools(open: ToolUseBlockParam[]): Promise<void> {
    for (const use of open) {
      await this.#safePoint();
      const call: ToolCall = { toolUseId: use.id, name: use.name, input: use.input };
      this.#deps.emit('agent.transcript', { agentId: this.id, entry: { kind: 'tool_call', toolUseId: use.id, name: use.name, input: use.input } });
      const result = await this.#runTool(call);
      this.#conversation.addUserBlocks([{ type: 'tool_result', tool_use_id: use.id, content: result.content, is_error: result.isError }]);
      this.#deps.emit('agent.transcript', {
        agentId: this.id,
        entry: { kind: 'tool_result', toolUseId: use.id, content: result.content, isError: result.isError },
      });
      if (this.#stop.signal.aborted) throw this.#stop.signal.reason;
    }
    // Steering messages ride along with the results: the model sees them at its very next step.
    await this.#deliverQueue();
    const last = this.#conversation.last;
    if (last) this.#emitMessage(last);
  }

  async #runTool(call: ToolCall): Promise<ToolResult> {
    if (this.#interrupt.signal.aborted) this.#interrupt = new AbortController();
    const signal = AbortSignal.any([this.#stop.signal, this.#interrupt.signal]);
    const toolContext: ToolContext = {
      workDir: this.#deps.workspace.workDir,
      signal,
      limits: { commandTimeoutMs: this.#deps.limits.commandTimeoutMs, maxOutputChars: this.#deps.limits.maxOutputChars },
      shell: () => this.#terminal.shell(),
      restartShell: () => this.#terminal.restart(),
      askUser: (question) => this.#ask(question),
    };
    this.#currentToolUseId = call.toolUseId;
    try {
      return await runToolCall(call, this.#inputErrors.get(call.toolUseId), {
        pipeline: this.#deps.pipeline,
        hookContext: this.#hookContext,
        tools: this.#deps.tools,
        toolContext,
        requestApproval: (held, reason) => this.#waits.awaitApproval(held, reason, this.#stop.signal),
      });
    } catch (error) {
      if (error instanceof AgentStopped || this.#stop.signal.aborted) throw error;
      return fail(`The tool failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.#currentToolUseId = undefined;
    }
  }

  async #ask(question: string): Promise<string> {
    const raw = await this.#waits.awaitAnswer(this.#currentToolUseId ?? 'unknown', question, this.#stop.signal);
    const text = await this.#deps.pipeline.userPrompt(this.#hookContext, raw);
    this.#deps.emit('agent.transcript', { agentId: this.id, entry: { kind: 'user_message', text, source: 'answer' } });
    return text;
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

  async #deliverQueue(): Promise<void> {
    while (this.#queue.length > 0) {
      const item = this.#queue.shift() as { text: string; source: 'task' | 'steer' };
      const text = await this.#deps.pipeline.userPrompt(this.#hookContext, item.text);
      this.#addUserText(text);
      this.#deps.emit('agent.transcript', { agentId: this.id, entry: { kind: 'user_message', text, source: item.source } });
    }
  }

  #addUserText(text: string): void {
    this.#conversation.addUserBlocks([{ type: 'text', text } satisfies ContentBlockParam]);
  }

  #closeOpen(reason: string): void {
    const closed = this.#conversation.closeOpenToolUses(reason);
    if (closed) this.#emitMessage(closed);
  }

  #emitMessage(message: ConversationMessage): void {
    this.#deps.emit('agent.transcript', { agentId: this.id, entry: { kind: 'message', message: toTranscriptMessage(message) } });
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
    this.#deps.emit('agent.state', { agentId: this.id, state: this.state, reason: this.#record.stateReason, agent: this.summary() });
  }
}
