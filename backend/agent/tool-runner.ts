/**
 * The agent's tool runner: runs the open tool calls of the model's last turn
 * one by one (each through the hook pipeline, see tool-call.ts), records and
 * announces their results, and serves the tools that need the agent itself:
 * `ask_user` waits for the user's answer, `finish` files the agent's report.
 * Steering messages queued meanwhile ride along with the results.
 */
import type { ToolUseBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { RunEndedByHookError, type HookAgent, type ToolCall } from '../hooks/runner.ts';
import type { FinishReport } from '../protocol/agent.ts';
import type { AgentDeps } from './agent-deps.ts';
import type { AgentInbox } from './agent-inbox.ts';
import type { AgentInsights } from './agent-insights.ts';
import { AgentStopped } from './control.ts';
import type { Conversation, ConversationMessage } from './conversation.ts';
import type { RunControl } from './run-control.ts';
import type { AgentTerminalSession } from './terminal-session.ts';
import { runToolCall } from './tool-call.ts';
import { reportQuestion } from './tools/finish.ts';
import { fail, type ToolContext, type ToolResult } from './tools/tool.ts';
import type { UserWaits } from './user-waits.ts';

export interface ToolRunnerHost {
  readonly id: string;
  readonly deps: AgentDeps;
  readonly conversation: Conversation;
  readonly terminal: AgentTerminalSession;
  readonly inbox: AgentInbox;
  readonly waits: UserWaits;
  readonly insights: AgentInsights;
  readonly control: RunControl;
  hookContext(): HookAgent;
  emitMessage(message: ConversationMessage): void;
}

export class ToolRunner {
  readonly #host: ToolRunnerHost;
  #currentToolUseId: string | undefined;
  /** Tool calls of the last turn whose input JSON was unusable, with why. */
  #inputErrors = new Map<string, string>();
  /** Set when the model reported COMPLETE during the current tool batch: the run ends after it. */
  #completed: FinishReport | undefined;

  constructor(host: ToolRunnerHost) {
    this.#host = host;
  }

  /** A new run: no report filed yet. */
  reset(): void {
    this.#completed = undefined;
  }

  /** The model's new turn: which of its tool calls came with unusable input. */
  setInputErrors(toolUses: ReadonlyArray<{ id: string; inputError?: string | undefined }>): void {
    this.#inputErrors = new Map(
      toolUses.filter((t) => t.inputError).map((t) => [t.id, t.inputError as string]),
    );
  }

  /** The finish report filed during the last batch, if any; taking it clears it. */
  takeCompleted(): FinishReport | undefined {
    const report = this.#completed;
    this.#completed = undefined;
    return report;
  }

  /** Runs the open tool calls; true when queued messages were delivered with their results. */
  async runOpen(open: ToolUseBlockParam[]): Promise<boolean> {
    const host = this.#host;
    for (const use of open) {
      await host.control.safePoint();
      const call: ToolCall = { toolUseId: use.id, name: use.name, input: use.input };
      host.deps.emit('agent.transcript', {
        agentId: host.id,
        entry: { kind: 'tool_call', toolUseId: use.id, name: use.name, input: use.input },
      });
      const { result, shellWaitMs } = await this.#runTool(call);
      host.conversation.addUserBlocks([
        {
          type: 'tool_result',
          tool_use_id: use.id,
          content: result.content,
          is_error: result.isError,
        },
      ]);
      host.deps.emit('agent.transcript', {
        agentId: host.id,
        entry: {
          kind: 'tool_result',
          toolUseId: use.id,
          content: result.content,
          isError: result.isError,
          ...(Math.round(shellWaitMs) > 0 && { shellWaitMs: Math.round(shellWaitMs) }),
        },
      });
      if (host.control.signal.aborted) throw host.control.signal.reason;
    }
    // Steering messages ride along with the results: the model sees them at its very next step.
    const steered = await host.inbox.deliver();
    const last = host.conversation.last;
    if (last) host.emitMessage(last);
    return steered;
  }

  /** Runs one call; `shellWaitMs`: how long it waited for the agent's shell to come up (overhead, not the tool's work). */
  async #runTool(call: ToolCall): Promise<{ result: ToolResult; shellWaitMs: number }> {
    const host = this.#host;
    const { deps, control } = host;
    const signal = control.toolSignal();
    let shellWaitMs = 0;
    const shell = async () => {
      const started = performance.now();
      try {
        return await untilAborted(host.terminal.shell(), signal);
      } finally {
        shellWaitMs += performance.now() - started;
      }
    };
    const toolContext: ToolContext = {
      workDir: deps.workspace.workDir,
      signal,
      limits: {
        commandTimeoutMs: deps.limits.commandTimeoutMs,
        maxOutputChars: deps.limits.maxOutputChars,
      },
      shell,
      restartShell: (notice) => host.terminal.restart(notice),
      askUser: (question) => this.#ask(question),
      finish: (report) => this.#report(report),
    };
    this.#currentToolUseId = call.toolUseId;
    try {
      const result = await runToolCall(call, this.#inputErrors.get(call.toolUseId), {
        pipeline: deps.pipeline,
        hookContext: host.hookContext(),
        tools: deps.tools,
        toolContext,
        requestApproval: (held, reason) => host.waits.awaitApproval(held, reason, control.signal),
        onTiming: deps.onToolTiming,
        shellWaitMs: () => shellWaitMs,
      });
      return { result, shellWaitMs };
    } catch (error) {
      if (
        error instanceof AgentStopped ||
        error instanceof RunEndedByHookError ||
        control.signal.aborted
      )
        throw error;
      const message = error instanceof Error ? error.message : String(error);
      return { result: fail(`The tool failed unexpectedly: ${message}`), shellWaitMs };
    } finally {
      this.#currentToolUseId = undefined;
    }
  }

  async #ask(question: string): Promise<string> {
    const host = this.#host;
    await host.deps.pipeline.waiting?.(host.hookContext(), {
      message: `Claude is waiting for your answer: ${question}`,
      type: 'idle_prompt',
    });
    const raw = await host.waits.awaitAnswer(
      this.#currentToolUseId ?? 'unknown',
      question,
      host.control.signal,
    );
    const text = await host.inbox.prompt(raw);
    if (text === undefined)
      return '(the answer was refused by a hook and not passed on; ask again or continue without it)';
    host.deps.emit('agent.transcript', {
      agentId: host.id,
      entry: { kind: 'user_message', text, source: 'answer' },
    });
    return text;
  }

  /** The `finish` tool's report: kept and announced; a question waits for the user's answer. */
  async #report(report: FinishReport): Promise<string | null> {
    const host = this.#host;
    host.insights.setReport(report);
    host.deps.emit('agent.finish', {
      agentId: host.id,
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
}

/** `promise`, or a rejection with the signal's reason as soon as `signal` aborts (a stop or an interrupt while the shell starts). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
