/**
 * An agent's step loop, driven by the conversation's tail, so it runs the
 * same way for a new task, after a pause, and when a run cut off by a crash
 * is resumed: open tool calls are run (tool-runner.ts), a finished assistant
 * turn takes queued user messages or ends the run, and a pending user turn
 * goes to the model. Budgets are checked before and after every model turn.
 * It stops or pauses only at its safe points (run-control.ts).
 */
import { RunEndedByHookError, type HookAgent } from '../hooks/runner.ts';
import type { AgentRecord } from '../persistence/agents-repository.ts';
import type { AgentState } from '../protocol/agent.ts';
import type { AgentDeps } from './agent-deps.ts';
import { addUserText, type AgentInbox } from './agent-inbox.ts';
import type { AgentInsights } from './agent-insights.ts';
import type { ContextKeeper } from './context-keeper.ts';
import { AgentFailure } from './control.ts';
import type { Conversation, ConversationMessage } from './conversation.ts';
import { modelTurn, type ModelCallAgent } from './model-calls.ts';
import type { RunControl } from './run-control.ts';
import type { AgentTerminalSession } from './terminal-session.ts';
import { shellStartFailure } from './tools/shell-session.ts';
import type { ToolRunner } from './tool-runner.ts';
import { completeReason } from './tools/finish.ts';

/** How a run ended. */
export interface RunEnd {
  state: AgentState;
  reason: string | null;
}

export interface StepLoopHost {
  readonly id: string;
  readonly deps: AgentDeps;
  /** The agent's live record: its model, persona and budget as they are now. */
  readonly record: AgentRecord;
  readonly conversation: Conversation;
  readonly terminal: AgentTerminalSession;
  readonly inbox: AgentInbox;
  readonly insights: AgentInsights;
  readonly context: ContextKeeper;
  readonly tools: ToolRunner;
  readonly control: RunControl;
  hookContext(): HookAgent;
  setState(state: AgentState, reason: string | null): void;
  emitMessage(message: ConversationMessage): void;
  /** Answers the open tool calls with `reason` (they will not run). */
  closeOpen(reason: string): void;
}

export class StepLoop {
  readonly #host: StepLoopHost;
  /** SessionStart hooks ran for this agent in this process. */
  #sessionStarted = false;

  constructor(host: StepLoopHost) {
    this.#host = host;
  }

  /** One run, to its end: done, stopped or failed (never throws). */
  async run(): Promise<RunEnd> {
    const host = this.#host;
    host.setState('running', null);
    try {
      // The shell starts alongside the first model request: only a `bash` call waits for it.
      host.terminal.warmUp((error) =>
        host.deps.emit('agent.error', {
          agentId: host.id,
          kind: 'shell',
          message: shellStartFailure(error),
          retrying: false,
          attempt: 0,
        }),
      );
      if (!this.#sessionStarted) {
        this.#sessionStarted = true;
        const source = host.conversation.length === 0 ? 'startup' : 'resume';
        await host.deps.pipeline.sessionStart?.(host.hookContext(), source);
      }
      return await this.#steps();
    } catch (error) {
      // A hook's `continue: false` stops the agent as a person's stop does, saying which hook and why.
      const { stopped, reason } =
        error instanceof RunEndedByHookError
          ? { stopped: true, reason: error.message }
          : host.control.endOf(error);
      host.closeOpen(
        stopped
          ? `Not run: the agent was stopped (${reason}).`
          : `Not run: the agent failed (${reason}).`,
      );
      if (!stopped) {
        const kind = error instanceof AgentFailure ? error.kind : 'internal';
        host.deps.emit('agent.error', {
          agentId: host.id,
          kind,
          message: reason,
          retrying: false,
          attempt: 0,
        });
      }
      return { state: stopped ? 'stopped' : 'failed', reason };
    }
  }

  async #steps(): Promise<RunEnd> {
    const { conversation, inbox, deps, record } = this.#host;
    for (;;) {
      await this.#host.control.safePoint();
      const open = conversation.openToolUses();
      if (open.length > 0) {
        const steered = await this.#host.tools.runOpen(open);
        const report = this.#host.tools.takeCompleted();
        // A message sent meanwhile is for the model: it goes on instead of ending.
        if (report && !steered) return { state: 'done', reason: completeReason(report) };
        continue;
      }
      const last = conversation.last;
      if (!last || last.role === 'assistant') {
        if (inbox.length === 0) return { state: 'done', reason: null };
        await inbox.deliver();
        continue;
      }
      // A run started by a message after a finish report: the message rides with the report's result.
      if (inbox.length > 0 && (await inbox.deliver()))
        this.#host.emitMessage(conversation.last ?? last);
      const exceeded = deps.budget.exceeded(this.#host.id, record.budgetUsd);
      if (exceeded) return { state: 'stopped', reason: exceeded };
      const turn = await this.#modelTurn();
      if (turn.content.length === 0) {
        if (inbox.length > 0) {
          await inbox.deliver();
          continue;
        }
        return { state: 'done', reason: 'The model ended its turn without a reply' };
      }
      this.#host.emitMessage(conversation.appendAssistant(turn.content));
      const after = deps.budget.exceeded(this.#host.id, record.budgetUsd);
      if (after) {
        this.#host.closeOpen(`Not run: ${after}`);
        return { state: 'stopped', reason: after };
      }
      if (turn.stopReason === 'refusal')
        throw new AgentFailure(
          'refusal',
          'The model declined to continue this task (stop reason "refusal")',
        );
      if (turn.stopReason === 'max_tokens' && turn.toolUses.length === 0) {
        addUserText(
          conversation,
          'Your reply reached the output token limit. Continue exactly where you stopped.',
        );
      }
      this.#host.tools.setInputErrors(turn.toolUses);
    }
  }

  async #modelTurn() {
    const { deps, context } = this.#host;
    const agent = this.#callAgent;
    const { spec, estimated } = await context.prepare(agent);
    return modelTurn(deps, agent, spec, {
      stream: true,
      onUsage: (usage) => context.observe(usage, estimated),
    });
  }

  get #callAgent(): ModelCallAgent {
    const { id, record, control, insights } = this.#host;
    return {
      id,
      model: record.model,
      persona: record.persona,
      budgetUsd: record.budgetUsd,
      hookContext: this.#host.hookContext(),
      signal: control.signal,
      usageExtras: () => ({ cache: insights.cache, context: insights.context }),
    };
  }
}
