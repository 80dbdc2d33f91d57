/**
 * Troika's hooks behind the runtime's seam: one `AgentHook` (see
 * backend/agent/pipeline.ts) that runs, for each agent, a {@link HookPipeline}
 * of the built-ins and the user's command hooks in the documented order (see
 * `order.ts`), and reports everything they do through `onEvent`.
 *
 * @example
 * const { personas } = await loadPersonas({ userDir: join(dataDir, 'personas') });
 * const settings = await loadHookSettings(join(dataDir, 'settings.json'));
 * const redactor = new Redactor();
 * if (apiKey) redactor.addSecret(apiKey, 'anthropic-api-key');
 * const caches = new WorkspaceCaches({ coldDir: join(dataDir, 'token-cache') });
 * const hooks = new TroikaHooks({ personas, settings, redactor, caches, onEvent: (agentId, event) => store.events.append(…) });
 * new AgentManager({ …, hooks: [hooks] });   // at shutdown: await hooks.dispose(); await caches.dispose();
 *
 * Per agent, the pipeline lives for one run (it is rebuilt after `Stop`, and
 * the token cache is let go between runs); what must outlive a run (the
 * persona chosen, the results the conversation holds, the tokens saved)
 * is kept per agent until {@link TroikaHooks.forget} or {@link TroikaHooks.dispose}.
 *
 * What the seam cannot express yet is reported as a `hook.unsupported`
 * event instead of being dropped: a hook ending the run, a Stop hook asking
 * to continue. A refused prompt throws {@link PromptBlockedError}.
 */
import type {
  AgentHook,
  HookContext as AgentHookContext,
  ToolCall,
  ToolDecision,
} from '../agent/pipeline.ts';
import type { ModelRequestSpec } from '../provider/request-builder.ts';
import type { ToolResult } from '../agent/tools/tool.ts';
import type { Persona } from '../personas/persona.ts';
import { Redactor } from '../redaction/redact.ts';
import { fromAgentHook } from './builtin/agent-hook.ts';
import { auditHook, type AuditRecord } from './builtin/audit-hook.ts';
import { CacheLedger, cacheHook, type CacheStats } from './builtin/cache-hook.ts';
import { PersonaSelection, personaHook, type PersonaChange } from './builtin/persona-hook.ts';
import { redactionHook } from './builtin/redaction-hook.ts';
import {
  ToolResultClearing,
  type Clearing,
  type ClearingSettings,
} from './builtin/tool-result-clearing.ts';
import { commandHooks } from './command/command-hook.ts';
import type { HookSettings } from './command/settings.ts';
import type { Hook } from './hook.ts';
import { orderHooks } from './order.ts';
import { HookPipeline } from './pipeline.ts';
import type { HookFailure, HookMessage, PipelineEventName } from './types.ts';
import type { CacheProvider } from './workspace-caches.ts';
import { TOKEN_ECONOMY_ON, type TokenEconomy } from './token-economy.ts';

/** What the hooks report about an agent, for its event log and the UI. */
export type AgentHookEvent =
  | { readonly type: 'hook.failure'; readonly failure: HookFailure }
  | {
      readonly type: 'hook.message';
      readonly event: PipelineEventName;
      readonly message: HookMessage;
    }
  | { readonly type: 'persona.change'; readonly change: PersonaChange }
  | { readonly type: 'audit'; readonly record: AuditRecord }
  | { readonly type: 'cache.stats'; readonly stats: CacheStats }
  /** Older tool results were cleared from the model's view (the transcript keeps them). */
  | { readonly type: 'context.cleared'; readonly clearing: Clearing }
  /** A hook asked for something the runtime's seam cannot do yet; said, not dropped. */
  | {
      readonly type: 'hook.unsupported';
      readonly event: PipelineEventName;
      readonly hook: string;
      readonly request: string;
    };

export interface TroikaHooksOptions {
  /** Loaded personas; omit for no persona hook. */
  readonly personas?: readonly Persona[];
  /** The user's command hooks; omit for none. */
  readonly settings?: HookSettings;
  /** Holds the registered secrets (the API key). Default: the default rules only. */
  readonly redactor?: Redactor;
  /** Token caches per workspace; omit for no cache hook. */
  readonly caches?: CacheProvider;
  /** Clear older tool results from what each request sends (see `tool-result-clearing.ts`); omit for none. */
  readonly clearing?: ClearingSettings;
  /** Each agent's token economy switches (`token-economy.ts`); default all on (within `caches` and `clearing`). */
  readonly economy?: (agentId: string) => TokenEconomy;
  /**
   * The runtime's policy, to run inside the pipeline in its place in the
   * order (and be audited). Leave it out while the runtime runs it itself.
   */
  readonly policy?: AgentHook;
  /** The environment command hooks inherit (the API key is always removed). Default `process.env`. */
  readonly commandEnv?: NodeJS.ProcessEnv;
  /** Claude Code's `transcript_path` for an agent; default none (`''`). */
  readonly transcriptPath?: (agentId: string) => string;
  readonly onEvent: (agentId: string, event: AgentHookEvent) => void;
}

/** A UserPromptSubmit hook refused a message. */
export class PromptBlockedError extends Error {
  readonly hook: string;
  constructor(hook: string, reason: string) {
    super(`The message was refused by the ${hook} hook: ${reason}`);
    this.name = 'PromptBlockedError';
    this.hook = hook;
  }
}

/** Marks hook-provided text appended to a prompt or a tool result. */
const CONTEXT_HEADING = '[Context from hooks]';

interface CallState {
  readonly denied: boolean;
  readonly answeredBy: string | undefined;
  readonly context: readonly string[];
}

interface Run {
  readonly pipeline: HookPipeline;
  /** The workspace whose cache this run holds. */
  readonly cacheDir: string | undefined;
  readonly calls: Map<string, CallState>;
}

/** What outlives an agent's runs. */
interface AgentMemory {
  readonly selection: PersonaSelection | undefined;
  readonly ledger: CacheLedger;
  readonly clearing: ToolResultClearing | undefined;
  run: Promise<Run> | undefined;
}

function withContext(text: string, context: readonly string[]): string {
  return context.length === 0 ? text : `${text}\n\n${CONTEXT_HEADING}\n${context.join('\n\n')}`;
}

export class TroikaHooks implements AgentHook {
  readonly name = 'troika-hooks';
  readonly #options: TroikaHooksOptions;
  readonly #redactor: Redactor;
  readonly #commands: readonly Hook[];
  readonly #agents = new Map<string, AgentMemory>();
  #disposed = false;

  constructor(options: TroikaHooksOptions) {
    this.#options = options;
    this.#redactor = options.redactor ?? new Redactor();
    this.#commands =
      options.settings === undefined
        ? []
        : commandHooks(
            options.settings,
            options.commandEnv === undefined ? {} : { env: options.commandEnv },
          );
  }

  // ----- the runtime's seam ----------------------------------------------------------------------

  async onUserPrompt(context: AgentHookContext, text: string): Promise<string | undefined> {
    const run = await this.#run(context);
    const result = await run.pipeline.userPromptSubmit({ prompt: text });
    this.#afterEvent(context.agentId, 'UserPromptSubmit', result);
    if (result.blocked !== undefined)
      throw new PromptBlockedError(result.blocked.hook, result.blocked.reason);
    const prompt = withContext(result.prompt, result.additionalContext);
    return prompt === text ? undefined : prompt;
  }

  async beforeModelRequest(
    context: AgentHookContext,
    request: ModelRequestSpec,
  ): Promise<ModelRequestSpec | undefined> {
    const run = await this.#run(context);
    const { persona } = await run.pipeline.modelRequest({ persona: request.persona });
    const memory = this.#memory(context);
    // Results given from now on are seen in the model's next turn (the cache's loop guard counts turns).
    memory.ledger.nextTurn();
    const messages = this.#clear(context.agentId, memory, request.messages);
    if (persona === request.persona && messages === request.messages) return undefined;
    return { ...request, persona, messages };
  }

  async beforeToolCall(
    context: AgentHookContext,
    call: ToolCall,
  ): Promise<ToolDecision | undefined> {
    const run = await this.#run(context);
    const result = await run.pipeline.preToolUse({
      toolName: call.name,
      toolUseId: call.toolUseId,
      toolInput: call.input,
    });
    this.#afterEvent(context.agentId, 'PreToolUse', result);
    const denied = result.decision === 'deny' || result.stop !== undefined;
    // Only an allowed call is answered in the tool's place; after an ask, the tool runs once approved.
    const answeredBy = result.decision === 'allow' ? result.response?.hook : undefined;
    run.calls.set(call.toolUseId, { denied, answeredBy, context: result.additionalContext });
    const changed = result.inputChangedBy.length > 0;
    if (result.stop !== undefined)
      return { action: 'deny', reason: `A hook ended the run: ${result.stop.reason}` };
    if (result.decision === 'deny')
      return { action: 'deny', reason: result.reason ?? 'Blocked by a hook' };
    if (result.decision === 'ask') {
      return {
        action: 'ask',
        reason: result.reason ?? 'A hook asks for approval',
        ...(changed && { input: result.input }),
      };
    }
    if (answeredBy !== undefined && result.response !== undefined)
      return {
        action: 'respond',
        result: { content: result.response.content, isError: result.response.isError },
      };
    return changed ? { action: 'allow', input: result.input } : undefined;
  }

  async afterToolCall(
    context: AgentHookContext,
    call: ToolCall,
    result: ToolResult,
  ): Promise<ToolResult | undefined> {
    const run = await this.#run(context);
    const state = run.calls.get(call.toolUseId);
    run.calls.delete(call.toolUseId);
    // A call the pipeline never saw (refused before it) or denied did not run: no PostToolUse, as in Claude Code.
    if (state === undefined || state.denied) return undefined;
    const post = await run.pipeline.postToolUse({
      toolName: call.name,
      toolUseId: call.toolUseId,
      toolInput: call.input,
      toolResponse: { content: result.content, isError: result.isError },
      ...(state.answeredBy !== undefined && { answeredBy: state.answeredBy }),
    });
    this.#afterEvent(context.agentId, 'PostToolUse', post);
    const content = withContext(post.response.content, [
      ...state.context,
      ...post.additionalContext,
    ]);
    return content === result.content && post.response.isError === result.isError
      ? undefined
      : { content, isError: post.response.isError };
  }

  async onStop(context: AgentHookContext): Promise<void> {
    const memory = this.#agents.get(context.agentId);
    const pending = memory?.run;
    if (memory === undefined || pending === undefined) return;
    // Detached first: a run that starts while Stop hooks run (a steer) gets a pipeline of its own.
    memory.run = undefined;
    const run = await pending;
    try {
      const result = await run.pipeline.stop({ stopHookActive: false });
      this.#afterEvent(context.agentId, 'Stop', result);
      for (const request of result.continueWith === undefined ? [] : [result.continueWith]) {
        this.#emit(context.agentId, {
          type: 'hook.unsupported',
          event: 'Stop',
          hook: 'Stop hooks',
          request: `continue: ${request}`,
        });
      }
    } finally {
      await this.#disposeRun(run);
    }
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

  /** The request view of `messages` with older tool results cleared; `messages` itself when nothing is. */
  #clear(
    agentId: string,
    memory: AgentMemory,
    messages: ModelRequestSpec['messages'],
  ): ModelRequestSpec['messages'] {
    if (memory.clearing === undefined) return messages;
    const view = memory.clearing.apply(messages, memory.ledger.superseded());
    if (view.clearing !== undefined) {
      // A reference to a cleared result would point at a placeholder: the next ask gets the content.
      memory.ledger.forgetResults(view.clearing.toolUseIds);
      this.#emit(agentId, { type: 'context.cleared', clearing: view.clearing });
    }
    return view.messages;
  }

  #economy(agentId: string): TokenEconomy {
    return this.#options.economy?.(agentId) ?? TOKEN_ECONOMY_ON;
  }

  #memory(context: AgentHookContext): AgentMemory {
    let memory = this.#agents.get(context.agentId);
    if (memory === undefined) {
      memory = {
        selection: this.#selection(context),
        ledger: new CacheLedger(),
        clearing:
          this.#options.clearing === undefined || !this.#economy(context.agentId).clearing
            ? undefined
            : new ToolResultClearing(this.#options.clearing),
        run: undefined,
      };
      this.#agents.set(context.agentId, memory);
    }
    return memory;
  }

  /**
   * The agent's persona choice. The runtime's `persona` is a pinned name when
   * it names a persona; any other text is the user's own persona prompt,
   * which the runtime sends itself, so no persona is chosen over it.
   */
  #selection(context: AgentHookContext): PersonaSelection | undefined {
    const personas = this.#options.personas;
    if (personas === undefined) return undefined;
    const pinned = context.persona ?? undefined;
    if (pinned !== undefined && !personas.some((p) => p.name === pinned)) return undefined;
    return new PersonaSelection(personas, {
      ...(pinned !== undefined && { pinned }),
      onChange: (change) => this.#emit(context.agentId, { type: 'persona.change', change }),
    });
  }

  #run(context: AgentHookContext): Promise<Run> {
    if (this.#disposed) return Promise.reject(new Error('Troika hooks are disposed'));
    const memory = this.#memory(context);
    memory.run ??= this.#startRun(context, memory);
    return memory.run;
  }

  async #startRun(context: AgentHookContext, memory: AgentMemory): Promise<Run> {
    const { agentId, workDir } = context;
    const onFailure = (failure: HookFailure) =>
      this.#emit(agentId, { type: 'hook.failure', failure: this.#redactFailure(failure) });
    let cache: Hook | undefined;
    let cacheDir: string | undefined;
    const economy = this.#economy(agentId);
    if (this.#options.caches !== undefined && (economy.tokenCache || economy.references)) {
      try {
        const tokenCache = await this.#options.caches.acquire(workDir);
        cacheDir = workDir;
        cache = cacheHook({
          cache: tokenCache,
          ledger: memory.ledger,
          answers: economy.tokenCache,
          references: economy.references,
          onStats: (stats) => this.#emit(agentId, { type: 'cache.stats', stats }),
        });
      } catch (error) {
        onFailure({
          hook: 'cache',
          event: 'UserPromptSubmit',
          kind: 'error',
          message: `the token cache could not be opened: ${(error as Error).message}`,
          effect: 'ignored',
        });
      }
    }
    const hooks = orderHooks({
      ...(this.#options.policy !== undefined && {
        policy: fromAgentHook(this.#options.policy, () => context, { failClosed: true }),
      }),
      commands: this.#commands,
      redaction: redactionHook(this.#redactor),
      ...(memory.selection !== undefined && { persona: personaHook(memory.selection) }),
      ...(cache !== undefined && { cache }),
      audit: auditHook({
        sink: (record) => this.#emit(agentId, { type: 'audit', record }),
        redact: (text) => this.#redactor.redact(text),
      }),
    });
    const pipeline = new HookPipeline({
      session: {
        agentId,
        cwd: workDir,
        transcriptPath: this.#options.transcriptPath?.(agentId) ?? '',
      },
      hooks,
      onFailure,
    });
    return { pipeline, cacheDir, calls: new Map() };
  }

  async #endRun(memory: AgentMemory): Promise<void> {
    const pending = memory.run;
    memory.run = undefined;
    if (pending !== undefined) await this.#disposeRun(await pending);
  }

  async #disposeRun(run: Run): Promise<void> {
    try {
      await run.pipeline.dispose();
    } finally {
      if (run.cacheDir !== undefined) await this.#options.caches?.release(run.cacheDir);
    }
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
