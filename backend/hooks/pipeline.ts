/**
 * The hook pipeline of one agent: every user prompt, tool call, model request
 * and stop passes it. Hooks run one after another in the order given (the
 * order is the same for every event; see `createAgentHooks` for the built-in
 * order), and their answers combine:
 *
 * - PreToolUse: a deny beats an ask beats an allow; no answer is an allow. A
 *   deny ends the handlers (nothing can overturn it). A hook's allow lifts
 *   asks that are not `firm` (Troika's own prompt is skipped, as Claude
 *   Code's is), never a permission rule's ask or a write outside the
 *   workspace (see pipeline-combine.ts). Input changes chain:
 *   each hook sees the input as earlier hooks left it. An answer in the tool's
 *   place (a cache hit) is dropped if a later hook changes the input or denies.
 * - PostToolUse: result changes chain; every hook runs.
 * - UserPromptSubmit: prompt changes chain; a block ends the handlers.
 * - Stop: every hook runs; any block means "do not stop yet", with the reasons.
 * - Lifecycle events (lifecycle.ts): every hook runs; for PermissionRequest
 *   the first deny wins, else the first allow.
 * - Every event: the first `stop` wins, system messages and additional
 *   context are collected in order.
 *
 * A hook that throws, times out or answers nonsense is reported through
 * `onFailure` (never skipped silently) and then ignored, or, for a hook that
 * fails closed (`onFailure: 'block'`), treated as a deny / block / withheld
 * result.
 */
import type { Hook, HookContext } from './hook.ts';
import { HookError } from './hook.ts';
import type { LifecycleEvent, LifecycleResult } from './lifecycle.ts';
import { Common, combineDecisions, type HookDecision } from './pipeline-combine.ts';
import type {
  HookFailure,
  HookSession,
  ModelRequestState,
  PipelineEventName,
  PostToolUseEvent,
  PostToolUseResult,
  PreToolUseEvent,
  PreToolUseResult,
  StopEvent,
  StopResult,
  ToolOutput,
  UserPromptSubmitEvent,
  UserPromptSubmitResult,
} from './types.ts';

export interface HookPipelineOptions {
  readonly session: HookSession;
  /** In the order they run, for every event. */
  readonly hooks: readonly Hook[];
  /** Told about every hook failure, for the agent's events. */
  readonly onFailure: (failure: HookFailure) => void;
}

type Called<T> = { ok: true; value: T } | { ok: false; message: string };

export class HookPipeline {
  readonly session: HookSession;
  readonly hooks: readonly Hook[];
  readonly #onFailure: (failure: HookFailure) => void;
  readonly #abort = new AbortController();
  readonly #context: HookContext;
  #disposed = false;

  constructor(options: HookPipelineOptions) {
    this.session = options.session;
    this.hooks = [...options.hooks];
    this.#onFailure = options.onFailure;
    this.#context = { session: options.session, signal: this.#abort.signal };
  }

  async userPromptSubmit(event: UserPromptSubmitEvent): Promise<UserPromptSubmitResult> {
    this.#assertOpen();
    const common = new Common();
    let prompt = event.prompt;
    let blocked: UserPromptSubmitResult['blocked'];
    for (const hook of this.hooks) {
      if (hook.userPromptSubmit === undefined) continue;
      const called = await this.#call(hook, 'UserPromptSubmit', {}, () =>
        hook.userPromptSubmit?.({ ...event, prompt }, this.#context),
      );
      if (!called.ok) {
        if (hook.onFailure === 'block')
          blocked = { hook: hook.name, reason: failedReason(hook, called.message) };
        if (blocked) break;
        continue;
      }
      const outcome = called.value;
      if (outcome === undefined) continue;
      common.take(hook.name, outcome);
      if (outcome.updatedPrompt !== undefined) prompt = outcome.updatedPrompt;
      if (outcome.block !== undefined) {
        blocked = { hook: hook.name, reason: outcome.block };
        break;
      }
    }
    return { ...common.result(), prompt, blocked };
  }

  async preToolUse(event: PreToolUseEvent): Promise<PreToolUseResult> {
    this.#assertOpen();
    const common = new Common();
    let input = event.toolInput;
    const inputChangedBy: string[] = [];
    const decisions: HookDecision[] = [];
    let response: PreToolUseResult['response'];
    const tool = { toolName: event.toolName, toolUseId: event.toolUseId };
    for (const hook of this.hooks) {
      if (hook.preToolUse === undefined || !this.#matches(hook, 'PreToolUse', event, input))
        continue;
      const called = await this.#call(hook, 'PreToolUse', tool, () =>
        hook.preToolUse?.({ ...event, toolInput: input }, this.#context),
      );
      if (!called.ok) {
        if (hook.onFailure === 'block') {
          decisions.push({
            hook: hook.name,
            decision: 'deny',
            reason: failedReason(hook, called.message),
          });
          break;
        }
        continue;
      }
      const outcome = called.value;
      if (outcome === undefined) continue;
      common.take(hook.name, outcome);
      if (outcome.updatedInput !== undefined) {
        input = outcome.updatedInput;
        inputChangedBy.push(hook.name);
        // An answer computed for the old input does not answer the new one.
        response = undefined;
      }
      if (outcome.response !== undefined) response = { ...outcome.response, hook: hook.name };
      if (outcome.decision !== undefined)
        decisions.push({
          hook: hook.name,
          decision: outcome.decision,
          reason: outcome.reason,
          ...(outcome.firm === true && { firm: true }),
        });
      if (outcome.decision === 'deny') break;
    }
    const combined = combineDecisions(decisions);
    const decision = combined.decision;
    const result: PreToolUseResult = {
      ...common.result(),
      ...combined,
      input,
      inputChangedBy,
      response: decision === 'deny' ? undefined : response,
    };
    for (const hook of this.hooks) {
      if (hook.toolDecided === undefined) continue;
      await this.#call(hook, 'PreToolUse', tool, () =>
        hook.toolDecided?.({ ...event, toolInput: input }, result, this.#context),
      );
    }
    return result;
  }

  async postToolUse(event: PostToolUseEvent): Promise<PostToolUseResult> {
    this.#assertOpen();
    const common = new Common();
    let response: ToolOutput = event.toolResponse;
    const changedBy: string[] = [];
    const tool = { toolName: event.toolName, toolUseId: event.toolUseId };
    for (const hook of this.hooks) {
      if (
        hook.postToolUse === undefined ||
        !this.#matches(hook, 'PostToolUse', event, event.toolInput)
      )
        continue;
      const called = await this.#call(hook, 'PostToolUse', tool, () =>
        hook.postToolUse?.({ ...event, toolResponse: response }, this.#context),
      );
      if (!called.ok) {
        if (hook.onFailure === 'block') {
          response = {
            content: `The result was withheld: ${failedReason(hook, called.message)}.`,
            isError: true,
          };
          changedBy.push(hook.name);
        }
        continue;
      }
      const outcome = called.value;
      if (outcome === undefined) continue;
      common.take(hook.name, outcome);
      if (outcome.updatedResponse !== undefined) {
        response = outcome.updatedResponse;
        changedBy.push(hook.name);
      }
    }
    return { ...common.result(), response, changedBy };
  }

  async stop(event: StopEvent): Promise<StopResult> {
    this.#assertOpen();
    const common = new Common();
    const blocks: string[] = [];
    const blockedBy: string[] = [];
    const name = event.subagent === true ? 'SubagentStop' : 'Stop';
    for (const hook of this.hooks) {
      if (hook.stop === undefined) continue;
      const called = await this.#call(hook, name, {}, () => hook.stop?.(event, this.#context));
      if (!called.ok || called.value === undefined) continue;
      common.take(hook.name, called.value);
      if (called.value.block !== undefined) {
        blocks.push(called.value.block);
        blockedBy.push(hook.name);
      }
    }
    return {
      ...common.result(),
      continueWith: blocks.length > 0 ? blocks.join('\n\n') : undefined,
      blockedBy,
    };
  }

  /** A lifecycle event (lifecycle.ts): every hook runs; a PermissionRequest's first deny wins, else its first allow. */
  async lifecycle(event: LifecycleEvent): Promise<LifecycleResult> {
    this.#assertOpen();
    const common = new Common();
    let permission: LifecycleResult['permission'];
    const tool =
      event.name === 'PermissionRequest'
        ? { toolName: event.toolName, toolUseId: event.toolUseId }
        : {};
    for (const hook of this.hooks) {
      if (hook.lifecycle === undefined) continue;
      if (
        event.name === 'PermissionRequest' &&
        !this.#matches(hook, event.name, event, event.toolInput)
      )
        continue;
      const called = await this.#call(hook, event.name, tool, () =>
        hook.lifecycle?.(event, this.#context),
      );
      if (!called.ok || called.value === undefined) continue;
      common.take(hook.name, called.value);
      const answer = called.value.permission;
      if (answer !== undefined && (permission === undefined || answer.behavior === 'deny'))
        if (permission?.behavior !== 'deny') permission = { ...answer, hook: hook.name };
    }
    return { ...common.result(), permission };
  }

  /** Runs before every model request; returns the request parts as the hooks left them. */
  async modelRequest(state: ModelRequestState): Promise<ModelRequestState> {
    this.#assertOpen();
    let persona = state.persona;
    let messages = state.messages;
    for (const hook of this.hooks) {
      if (hook.modelRequest === undefined) continue;
      const called = await this.#call(hook, 'ModelRequest', {}, () =>
        hook.modelRequest?.(
          { persona, ...(messages !== undefined && { messages }) },
          this.#context,
        ),
      );
      if (!called.ok || called.value === undefined) continue;
      if (called.value.persona !== undefined) persona = called.value.persona ?? undefined;
      if (called.value.messages !== undefined && messages !== undefined)
        messages = called.value.messages;
    }
    return { persona, ...(messages !== undefined && { messages }) };
  }

  /** Kills running command hooks and disposes every hook. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#abort.abort();
    const results = await Promise.allSettled(this.hooks.map(async (hook) => hook.dispose?.()));
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (errors.length > 0) throw new AggregateError(errors, 'disposing hooks failed');
  }

  #assertOpen(): void {
    if (this.#disposed)
      throw new Error(`The hook pipeline of agent ${this.session.agentId} is disposed`);
  }

  #matches(
    hook: Hook,
    event: PipelineEventName,
    call: { toolName: string; toolUseId: string },
    input: unknown,
  ): boolean {
    if (hook.matches === undefined) return true;
    try {
      return hook.matches(call.toolName, input);
    } catch (error) {
      this.#report(hook, event, { toolName: call.toolName, toolUseId: call.toolUseId }, error);
      return false;
    }
  }

  async #call<T>(
    hook: Hook,
    event: PipelineEventName,
    tool: { toolName?: string; toolUseId?: string },
    run: () => T | Promise<T>,
  ): Promise<Called<T>> {
    try {
      return { ok: true, value: await run() };
    } catch (error) {
      return { ok: false, message: this.#report(hook, event, tool, error) };
    }
  }

  /** Reports a failure; returns its message. A reporting callback that throws must not hide the failure. */
  #report(
    hook: Hook,
    event: PipelineEventName,
    tool: { toolName?: string; toolUseId?: string },
    error: unknown,
  ): string {
    const message = error instanceof Error ? error.message : String(error);
    const failure: HookFailure = {
      hook: hook.name,
      event,
      kind: error instanceof HookError ? error.kind : 'error',
      message,
      ...tool,
      ...(error instanceof HookError &&
        error.exitCode !== undefined && { exitCode: error.exitCode }),
      ...(error instanceof HookError && error.stderr !== undefined && { stderr: error.stderr }),
      effect:
        hook.onFailure === 'block' &&
        (event === 'PreToolUse' || event === 'PostToolUse' || event === 'UserPromptSubmit')
          ? 'blocked'
          : 'ignored',
    };
    try {
      this.#onFailure(failure);
    } catch (reportError) {
      process.emitWarning(
        `reporting a hook failure failed: ${String(reportError)}; the failure: ${message}`,
      );
    }
    return message;
  }
}

function failedReason(hook: Hook, message: string): string {
  return `the ${hook.name} hook failed (${message})`;
}
