/**
 * Troika's hooks at the agent loop's seam: the {@link HookRunner} the agent
 * runtime calls. For each agent it runs one {@link HookPipeline} per run,
 * holding the built-ins and the user's command hooks (registered in
 * registration.ts, in the order of order.ts), turns the pipeline's combined
 * answers into what the loop does, and reports everything the hooks do
 * through `onEvent`.
 *
 * @example
 * const { personas } = await loadPersonas({ userDir: join(dataDir, 'personas') });
 * const settings = await loadHookSettings(join(dataDir, 'settings.json'));
 * const redactor = new Redactor();
 * if (apiKey) redactor.addSecret(apiKey, 'anthropic-api-key');
 * const caches = new WorkspaceCaches({ coldDir: join(dataDir, 'token-cache') });
 * const hooks = new TroikaHooks({ personas, settings, redactor, caches, onEvent: (agentId, event) => store.events.append(…) });
 * new AgentManager({ …, hooks });   // at shutdown: await hooks.dispose(); await caches.dispose();
 *
 * Per agent, the pipeline lives for one run (it is rebuilt after `Stop`, and
 * the token cache is let go between runs); what must outlive a run (the
 * persona chosen, the results the conversation holds, the tokens saved, what
 * was cleared) is kept per agent until {@link TroikaHooks.forget} or
 * {@link TroikaHooks.dispose}.
 *
 * A hook ending the run (`continue: false`) throws
 * {@link RunEndedByHookError} from the next seam call (at once for a prompt
 * or a tool call; after the result for PostToolUse); Stop hooks asking to
 * continue answer a {@link StopDecision}; a hook's allow that skips Troika's
 * prompt, and a PermissionRequest hook answering for the person, are noted
 * naming the hook. The lifecycle events are run by troika-lifecycle.ts. A
 * refused prompt throws {@link PromptRefusedError}.
 */
import type { ModelRequestSpec } from '../provider/request-builder.ts';
import { Redactor } from '../redaction/redact.ts';
import { CacheLedger, type CacheStats } from './builtin/cache-hook.ts';
import { PersonaSelection } from './builtin/persona-hook.ts';
import { ToolResultClearing } from './builtin/tool-result-clearing.ts';
import { commandHooks } from './command/command-hook.ts';
import type { Hook } from './hook.ts';
import type { AgentHookEvent } from './hook-events.ts';
import {
  BUILTIN_HOOKS,
  disposeRun,
  startRun,
  type AgentMemory,
  type Run,
  type RunSetup,
} from './registration.ts';
import {
  PromptRefusedError,
  RunEndedByHookError,
  type HookAgent,
  type HookRunner,
  type RunOutcome,
  type StopDecision,
  type ToolCall,
  type ToolDecision,
  type WaitNotice,
} from './runner.ts';
import { decisionOf, liftedNote, withContext } from './seam-decisions.ts';
import { endSession, permissionRequest, runLifecycle } from './troika-lifecycle.ts';
import type { SessionStartSource } from './lifecycle.ts';
import type { HookFailure, HookMessage, HookStop, PipelineEventName, ToolOutput } from './types.ts';
import { TOKEN_ECONOMY_ON } from './token-economy.ts';
import type { TroikaHooksOptions } from './troika-hooks-options.ts';

export type { AgentHookEvent } from './hook-events.ts';
export type { TroikaHooksOptions } from './troika-hooks-options.ts';

interface Memory extends AgentMemory {
  run: Promise<Run> | undefined;
  /** The agent as last seen, for SessionEnd. */
  agent: HookAgent;
  /** A hook asked to end the run after a tool's result: thrown at the next call. */
  endRun: HookStop | undefined;
  /** SessionStart context not yet given to the model: it rides with the next prompt or tool result. */
  readonly pendingContext: string[];
}

interface EventResult {
  readonly systemMessages: readonly HookMessage[];
}

export class TroikaHooks implements HookRunner {
  readonly #options: TroikaHooksOptions;
  readonly #setup: RunSetup;
  readonly #redactor: Redactor;
  readonly #agents = new Map<string, Memory>();
  #disposed = false;

  constructor(options: TroikaHooksOptions) {
    this.#options = options;
    this.#redactor = options.redactor ?? new Redactor();
    const commands: readonly Hook[] =
      options.settings === undefined
        ? []
        : commandHooks(
            options.settings,
            options.commandEnv === undefined ? {} : { env: options.commandEnv },
          );
    this.#setup = {
      builtins: new Set(options.builtins ?? BUILTIN_HOOKS),
      commands,
      redactor: this.#redactor,
      caches: options.caches,
      transcriptPath: options.transcriptPath,
      permissions: options.permissions,
      economy: (agentId) => options.economy?.(agentId) ?? TOKEN_ECONOMY_ON,
      emit: (agentId, event) => this.#emit(agentId, event),
      onFailure: (agentId, failure) =>
        this.#emit(agentId, { type: 'hook.failure', failure: this.#redactFailure(failure) }),
    };
  }

  // ----- the runtime's seam ----------------------------------------------------------------------

  async userPrompt(agent: HookAgent, text: string): Promise<string> {
    const run = await this.#run(agent);
    const result = await run.pipeline.userPromptSubmit({ prompt: text });
    this.#afterEvent(agent.agentId, 'UserPromptSubmit', result);
    this.#endIfAsked(agent, result.stop);
    if (result.blocked !== undefined)
      throw new PromptRefusedError(result.blocked.hook, result.blocked.reason);
    const pending = this.#memory(agent).pendingContext.splice(0);
    return withContext(result.prompt, [...pending, ...result.additionalContext]);
  }

  async modelRequest(agent: HookAgent, request: ModelRequestSpec): Promise<ModelRequestSpec> {
    const run = await this.#run(agent);
    this.#endIfAsked(agent, undefined);
    // Results given from now on are seen in the model's next turn (the cache's loop guard counts turns).
    this.#memory(agent).ledger.nextTurn();
    const { persona, messages = request.messages } = await run.pipeline.modelRequest({
      persona: request.persona,
      messages: request.messages,
    });
    if (persona === request.persona && messages === request.messages) return request;
    return { ...request, persona, messages };
  }

  async toolDecision(agent: HookAgent, call: ToolCall): Promise<ToolDecision> {
    const run = await this.#run(agent);
    this.#endIfAsked(agent, undefined);
    const result = await run.pipeline.preToolUse({
      toolName: call.name,
      toolUseId: call.toolUseId,
      toolInput: call.input,
    });
    this.#afterEvent(agent.agentId, 'PreToolUse', result);
    this.#endIfAsked(agent, result.stop);
    if (result.liftedAsk !== undefined)
      this.#note(
        agent.agentId,
        'PreToolUse',
        result.decidedBy.join(', '),
        liftedNote(result, call),
      );
    let decision = decisionOf(
      result,
      result.decision === 'allow' ? result.response?.hook : undefined,
    );
    if (decision.action === 'ask')
      decision = await permissionRequest(this.#lifecycleHost, agent, run, call, decision);
    // Only an allowed call is answered in the tool's place; after an ask, the tool runs once approved.
    const answeredBy = decision.action === 'respond' ? result.response?.hook : undefined;
    const denied = decision.action === 'deny';
    run.calls.set(call.toolUseId, { denied, answeredBy, context: result.additionalContext });
    return decision;
  }

  async toolResult(agent: HookAgent, call: ToolCall, result: ToolOutput): Promise<ToolOutput> {
    const run = await this.#run(agent);
    const state = run.calls.get(call.toolUseId);
    run.calls.delete(call.toolUseId);
    // A call the pipeline never saw (refused before it) or denied did not run: no PostToolUse, as in Claude Code.
    if (state === undefined || state.denied) return result;
    const post = await run.pipeline.postToolUse({
      toolName: call.name,
      toolUseId: call.toolUseId,
      toolInput: call.input,
      toolResponse: { content: result.content, isError: result.isError },
      ...(state.answeredBy !== undefined && { answeredBy: state.answeredBy }),
    });
    this.#afterEvent(agent.agentId, 'PostToolUse', post);
    // The tool ran: its result is kept, and the run ends at the next call.
    if (post.stop !== undefined) this.#memory(agent).endRun ??= post.stop;
    const content = withContext(post.response.content, [
      ...state.context,
      ...this.#memory(agent).pendingContext.splice(0),
      ...post.additionalContext,
    ]);
    return content === result.content && post.response.isError === result.isError
      ? result
      : { content, isError: post.response.isError };
  }

  async stop(agent: HookAgent, outcome?: RunOutcome): Promise<StopDecision | undefined> {
    const memory = this.#agents.get(agent.agentId);
    if (memory !== undefined) memory.endRun = undefined;
    const pending = memory?.run;
    if (memory === undefined || pending === undefined) return undefined;
    // Detached first: a run that starts while Stop hooks run (a steer) gets a pipeline of its own.
    memory.run = undefined;
    const run = await pending;
    try {
      const state = outcome?.state;
      const result = await run.pipeline.stop({
        stopHookActive: outcome?.stopHookActive ?? false,
        outcome: state === 'stopped' || state === 'failed' ? state : 'done',
        ...(agent.subagent === true && { subagent: true }),
        ...(outcome?.lastAssistantMessage !== undefined && {
          lastAssistantMessage: outcome.lastAssistantMessage,
        }),
      });
      this.#afterEvent(agent.agentId, agent.subagent === true ? 'SubagentStop' : 'Stop', result);
      // `continue: false` beats a block, as in Claude Code: the agent stops.
      if (result.continueWith === undefined || result.stop !== undefined) return undefined;
      return { continueWith: result.continueWith, hooks: result.blockedBy };
    } finally {
      await disposeRun(run, this.#options.caches);
    }
  }

  async sessionStart(agent: HookAgent, source: SessionStartSource): Promise<void> {
    const run = await this.#run(agent);
    await runLifecycle(this.#lifecycleHost, agent, run.pipeline, { name: 'SessionStart', source });
  }

  async preCompact(agent: HookAgent, trigger: 'manual' | 'auto'): Promise<void> {
    const run = await this.#run(agent);
    const event = { name: 'PreCompact', trigger, customInstructions: '' } as const;
    await runLifecycle(this.#lifecycleHost, agent, run.pipeline, event);
  }

  async waiting(agent: HookAgent, notice: WaitNotice): Promise<void> {
    const run = await this.#run(agent);
    const event = { message: notice.message, notificationType: notice.type };
    await runLifecycle(this.#lifecycleHost, agent, run.pipeline, {
      name: 'Notification',
      ...event,
    });
  }

  /** The runtime summarized older turns: earlier results may no longer be referenced. */
  async compacted(agent: HookAgent): Promise<void> {
    this.conversationCompacted(agent.agentId);
    await this.sessionStart(agent, 'compact');
  }

  // ----- for the runtime and the UI --------------------------------------------------------------

  /** The user picks a persona for an agent (or none); announced as a `persona.change`. */
  pinPersona(agentId: string, name: string | null): void {
    const memory = this.#agents.get(agentId);
    if (memory?.selection === undefined) throw new Error(`Agent ${agentId} has no persona hook`);
    memory.selection.pin(name);
  }

  /** The runtime summarized older turns: earlier results may no longer be referenced. */
  conversationCompacted(agentId: string): void {
    this.#agents.get(agentId)?.ledger.forgetReceived();
  }

  /** What the cache did for an agent, tokens saved included. */
  cacheStats(agentId: string): CacheStats | undefined {
    return this.#agents.get(agentId)?.ledger.stats();
  }

  /** Forget an agent that will not run again (deleted, or the session closed). */
  async forget(agentId: string): Promise<void> {
    const memory = this.#agents.get(agentId);
    this.#agents.delete(agentId);
    if (memory !== undefined) await this.#endRun(memory, true);
  }

  /** End every run (kills running hook commands, lets go of caches). Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const agents = [...this.#agents.values()];
    this.#agents.clear();
    await Promise.allSettled(agents.map((memory) => this.#endRun(memory, true)));
  }

  // ----- internals -------------------------------------------------------------------------------

  #memory(agent: HookAgent): Memory {
    let memory = this.#agents.get(agent.agentId);
    if (memory === undefined) {
      memory = {
        selection: this.#selection(agent),
        ledger: new CacheLedger(),
        clearing:
          this.#options.clearing === undefined || !this.#setup.economy(agent.agentId).clearing
            ? undefined
            : new ToolResultClearing(this.#options.clearing),
        run: undefined,
        agent,
        endRun: undefined,
        pendingContext: [],
      };
      this.#agents.set(agent.agentId, memory);
    }
    memory.agent = agent;
    return memory;
  }

  /**
   * The agent's persona choice. The runtime's `persona` is a pinned name when
   * it names a persona; any other text is the user's own persona prompt,
   * which the runtime sends itself, so no persona is chosen over it.
   */
  #selection(agent: HookAgent): PersonaSelection | undefined {
    if (!this.#setup.builtins.has('persona')) return undefined;
    const own = this.#options.personasFor?.(agent.workDir);
    const personas = own?.personas ?? this.#options.personas;
    if (personas === undefined) return undefined;
    const pinned = agent.persona ?? undefined;
    const failures = own?.failed ?? this.#options.failedPersonas;
    const failed = pinned === undefined ? undefined : failures?.get(pinned);
    if (failed !== undefined)
      throw new Error(`The pinned persona "${pinned}" could not be loaded: ${failed.message}`);
    if (pinned !== undefined && !personas.some((p) => p.name === pinned)) return undefined;
    return new PersonaSelection(personas, {
      ...(pinned !== undefined && { pinned }),
      onChange: (change) => this.#emit(agent.agentId, { type: 'persona.change', change }),
    });
  }

  #run(agent: HookAgent): Promise<Run> {
    if (this.#disposed) return Promise.reject(new Error('Troika hooks are disposed'));
    const memory = this.#memory(agent);
    memory.run ??= startRun(this.#setup, agent, memory);
    return memory.run;
  }

  /** Ends the agent's run; `sessionEnd`: its session too (SessionEnd hooks run first). */
  async #endRun(memory: Memory, sessionEnd = false): Promise<void> {
    const pending = memory.run;
    memory.run = undefined;
    const run = pending === undefined ? undefined : await pending;
    try {
      if (sessionEnd) await endSession(this.#lifecycleHost, this.#setup, memory.agent, run);
    } finally {
      if (run !== undefined) await disposeRun(run, this.#options.caches);
    }
  }

  /** Throws for a hook that ended the run: `stop` now, or one a PostToolUse hook asked for earlier. */
  #endIfAsked(agent: HookAgent, stop: HookStop | undefined): void {
    const memory = this.#memory(agent);
    const asked = stop ?? memory.endRun;
    memory.endRun = undefined;
    if (asked !== undefined) throw new RunEndedByHookError(asked.hook, asked.reason);
  }

  #note(agentId: string, event: PipelineEventName, hook: string, text: string): void {
    this.#emit(agentId, { type: 'hook.message', event, message: { hook, text } });
  }

  get #lifecycleHost() {
    return {
      afterEvent: (agentId: string, event: PipelineEventName, result: EventResult) =>
        this.#afterEvent(agentId, event, result),
      note: (agentId: string, event: PipelineEventName, hook: string, text: string) =>
        this.#note(agentId, event, hook, text),
      context: (agent: HookAgent) => this.#memory(agent).pendingContext,
    };
  }

  #afterEvent(agentId: string, event: PipelineEventName, result: EventResult): void {
    for (const message of result.systemMessages) {
      // A command hook's note may quote anything it read.
      const text = this.#redactor.redact(message.text);
      this.#emit(agentId, { type: 'hook.message', event, message: { ...message, text } });
    }
  }

  #redactFailure(failure: HookFailure): HookFailure {
    return {
      ...failure,
      message: this.#redactor.redact(failure.message),
      ...(failure.stderr !== undefined && { stderr: this.#redactor.redact(failure.stderr) }),
    };
  }

  #emit(agentId: string, event: AgentHookEvent): void {
    try {
      this.#options.onEvent(agentId, event);
    } catch (error) {
      process.emitWarning(`a hook event listener threw: ${String(error)}`);
    }
  }
}
