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
 * What the seam cannot express yet is reported as a `hook.unsupported`
 * event instead of being dropped: a hook ending the run, a Stop hook asking
 * to continue. A refused prompt throws {@link PromptRefusedError}.
 */
import type { Persona } from '../personas/persona.ts';
import type { ModelRequestSpec } from '../provider/request-builder.ts';
import { Redactor } from '../redaction/redact.ts';
import { CacheLedger, type CacheStats } from './builtin/cache-hook.ts';
import { PersonaSelection } from './builtin/persona-hook.ts';
import { ToolResultClearing, type ClearingSettings } from './builtin/tool-result-clearing.ts';
import { commandHooks } from './command/command-hook.ts';
import type { HookSettings } from './command/settings.ts';
import type { Hook } from './hook.ts';
import type { AgentHookEvent } from './hook-events.ts';
import {
  BUILTIN_HOOKS,
  disposeRun,
  startRun,
  type AgentMemory,
  type BuiltinHookName,
  type Run,
  type RunSetup,
} from './registration.ts';
import {
  PromptRefusedError,
  type HookAgent,
  type HookRunner,
  type RunOutcome,
  type ToolCall,
  type ToolDecision,
} from './runner.ts';
import type {
  HookFailure,
  HookMessage,
  PipelineEventName,
  PreToolUseResult,
  ToolOutput,
} from './types.ts';
import type { CacheProvider } from './workspace-caches.ts';
import type { ClaudePermissions } from './builtin/policy/claude-permissions.ts';
import { TOKEN_ECONOMY_ON, type TokenEconomy } from './token-economy.ts';

export type { AgentHookEvent } from './hook-events.ts';

export interface TroikaHooksOptions {
  /**
   * The built-ins to register (each also needs its option below: `personas`,
   * `caches`, `clearing`). Default: all of them. The runtime without Troika's
   * hook files runs the policy alone.
   */
  readonly builtins?: readonly BuiltinHookName[];
  /** Loaded personas; omit for no persona hook. */
  readonly personas?: readonly Persona[];
  /** Persona names whose file failed to load: pinning one is an error, not persona text. */
  readonly failedPersonas?: ReadonlyMap<string, Error>;
  /** A workspace's own personas (its `.claude/agents` over the app-wide ones), when loaded; else `personas`. */
  readonly personasFor?: (
    workDir: string,
  ) => { personas: readonly Persona[]; failed: ReadonlyMap<string, Error> } | undefined;
  /** The user's command hooks; omit for none. */
  readonly settings?: HookSettings;
  /** Holds the registered secrets (the API key). Default: the default rules only. */
  readonly redactor?: Redactor;
  /** Token caches per workspace; omit for no cache hook. */
  readonly caches?: CacheProvider;
  /** Clear older tool results from what each request sends (see `tool-result-clearing.ts`); omit for none. */
  readonly clearing?: ClearingSettings;
  /** The environment command hooks inherit (the API key is always removed). Default `process.env`. */
  readonly commandEnv?: NodeJS.ProcessEnv;
  /** Claude Code's `transcript_path` for an agent; default none (`''`). */
  readonly transcriptPath?: (agentId: string) => string;
  /** Claude Code's permission rules for the policy hook; default the project's settings files only. */
  readonly permissions?: ClaudePermissions;
  /** Each agent's token economy switches (`token-economy.ts`); default all on (within `caches` and `clearing`). */
  readonly economy?: (agentId: string) => TokenEconomy;
  readonly onEvent: (agentId: string, event: AgentHookEvent) => void;
}

/** Marks hook-provided text appended to a prompt or a tool result. */
const CONTEXT_HEADING = '[Context from hooks]';

interface Memory extends AgentMemory {
  run: Promise<Run> | undefined;
}

function withContext(text: string, context: readonly string[]): string {
  return context.length === 0 ? text : `${text}\n\n${CONTEXT_HEADING}\n${context.join('\n\n')}`;
}

/** The loop's decision from the pipeline's combined PreToolUse result. */
function decisionOf(result: PreToolUseResult, answeredBy: string | undefined): ToolDecision {
  const changed = result.inputChangedBy.length > 0;
  if (result.stop !== undefined)
    return { action: 'deny', reason: `A hook ended the run: ${result.stop.reason}` };
  if (result.decision === 'deny')
    return { action: 'deny', reason: result.reason ?? 'Blocked by a hook' };
  if (result.decision === 'ask')
    return {
      action: 'ask',
      reason: result.reason ?? 'A hook asks for approval',
      ...(changed && { input: result.input }),
    };
  if (answeredBy !== undefined && result.response !== undefined)
    return {
      action: 'respond',
      result: { content: result.response.content, isError: result.response.isError },
    };
  return changed ? { action: 'allow', input: result.input } : { action: 'allow' };
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
    if (result.blocked !== undefined)
      throw new PromptRefusedError(result.blocked.hook, result.blocked.reason);
    return withContext(result.prompt, result.additionalContext);
  }

  async modelRequest(agent: HookAgent, request: ModelRequestSpec): Promise<ModelRequestSpec> {
    const run = await this.#run(agent);
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
    const result = await run.pipeline.preToolUse({
      toolName: call.name,
      toolUseId: call.toolUseId,
      toolInput: call.input,
    });
    this.#afterEvent(agent.agentId, 'PreToolUse', result);
    const denied = result.decision === 'deny' || result.stop !== undefined;
    // Only an allowed call is answered in the tool's place; after an ask, the tool runs once approved.
    const answeredBy = result.decision === 'allow' ? result.response?.hook : undefined;
    run.calls.set(call.toolUseId, { denied, answeredBy, context: result.additionalContext });
    return decisionOf(result, answeredBy);
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
    const content = withContext(post.response.content, [
      ...state.context,
      ...post.additionalContext,
    ]);
    return content === result.content && post.response.isError === result.isError
      ? result
      : { content, isError: post.response.isError };
  }

  async stop(agent: HookAgent, _outcome?: RunOutcome): Promise<void> {
    const memory = this.#agents.get(agent.agentId);
    const pending = memory?.run;
    if (memory === undefined || pending === undefined) return;
    // Detached first: a run that starts while Stop hooks run (a steer) gets a pipeline of its own.
    memory.run = undefined;
    const run = await pending;
    try {
      const result = await run.pipeline.stop({ stopHookActive: false });
      this.#afterEvent(agent.agentId, 'Stop', result);
      for (const request of result.continueWith === undefined ? [] : [result.continueWith]) {
        this.#emit(agent.agentId, {
          type: 'hook.unsupported',
          event: 'Stop',
          hook: 'Stop hooks',
          request: `continue: ${request}`,
        });
      }
    } finally {
      await disposeRun(run, this.#options.caches);
    }
  }

  /** The runtime summarized older turns: earlier results may no longer be referenced. */
  async compacted(agent: HookAgent): Promise<void> {
    this.conversationCompacted(agent.agentId);
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
    if (memory !== undefined) await this.#endRun(memory);
  }

  /** End every run (kills running hook commands, lets go of caches). Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const agents = [...this.#agents.values()];
    this.#agents.clear();
    await Promise.allSettled(agents.map((memory) => this.#endRun(memory)));
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
      };
      this.#agents.set(agent.agentId, memory);
    }
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

  async #endRun(memory: Memory): Promise<void> {
    const pending = memory.run;
    memory.run = undefined;
    if (pending !== undefined) await disposeRun(await pending, this.#options.caches);
  }

  #afterEvent(
    agentId: string,
    event: PipelineEventName,
    result: {
      readonly systemMessages: readonly HookMessage[];
      readonly stop: { hook: string; reason: string } | undefined;
    },
  ): void {
    for (const message of result.systemMessages) {
      // A command hook's note may quote anything it read.
      const text = this.#redactor.redact(message.text);
      this.#emit(agentId, { type: 'hook.message', event, message: { ...message, text } });
    }
    if (result.stop !== undefined) {
      this.#emit(agentId, {
        type: 'hook.unsupported',
        event,
        hook: result.stop.hook,
        request: `end the run: ${result.stop.reason}`,
      });
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
