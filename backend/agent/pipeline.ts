/**
 * The one place every model request and every tool call passes through: an
 * ordered list of hooks named after Claude Code's events (UserPromptSubmit,
 * PreToolUse, PostToolUse, Stop) plus a pre-request hook. Built-in behaviour
 * (the policy today; personas, the token cache, redaction and audit next) is
 * an ordinary hook here, as user-configured hooks will be.
 */
import type { ModelRequestSpec } from '../provider/request-builder.ts';
import type { ShellDialect } from './tools/shell-integration.ts';
import type { ToolResult } from './tools/tool.ts';

/** Who the hook runs for. */
export interface HookContext {
  readonly agentId: string;
  readonly workDir: string;
  readonly model: string;
  readonly persona: string | null;
  /** How the agent's shell reads commands, for the approval gate; default POSIX. */
  readonly shellDialect?: ShellDialect;
}

export interface ToolCall {
  readonly toolUseId: string;
  readonly name: string;
  readonly input: unknown;
}

/** What a PreToolUse hook decides. `undefined` from a hook means "no opinion". */
export type ToolDecision =
  | { action: 'allow'; input?: unknown }
  | { action: 'ask'; reason: string; input?: unknown }
  | { action: 'deny'; reason: string }
  /** The hook answers in the tool's place (a cache hit): the tool does not run. */
  | { action: 'respond'; result: ToolResult };

export type Awaitable<T> = T | Promise<T>;

export interface AgentHook {
  readonly name: string;
  /** UserPromptSubmit: may rewrite a user message (task, steer, answer) before the model sees it. */
  onUserPrompt?(context: HookContext, text: string): Awaitable<string | undefined>;
  /** May rewrite a model request: add a persona, per-call context, change tools. */
  beforeModelRequest?(
    context: HookContext,
    request: ModelRequestSpec,
  ): Awaitable<ModelRequestSpec | undefined>;
  /** PreToolUse. */
  beforeToolCall?(context: HookContext, call: ToolCall): Awaitable<ToolDecision | undefined>;
  /** PostToolUse: may rewrite a result. */
  afterToolCall?(
    context: HookContext,
    call: ToolCall,
    result: ToolResult,
  ): Awaitable<ToolResult | undefined>;
  /** Stop: the agent's loop ended (done, failed, stopped). */
  onStop?(context: HookContext, outcome: { state: string; reason: string | null }): Awaitable<void>;
  /** Older turns were summarized: results they held are no longer in the model's context. */
  onCompacted?(context: HookContext): Awaitable<void>;
}

/** A UserPromptSubmit hook refused a user message: it is not sent to the model. */
export class PromptRefusedError extends Error {
  readonly hook: string;
  readonly reason: string;
  constructor(hook: string, reason: string) {
    super(`The message was refused by the ${hook} hook: ${reason}`);
    this.name = 'PromptRefusedError';
    this.hook = hook;
    this.reason = reason;
  }
}

export class AgentPipeline {
  readonly hooks: readonly AgentHook[];

  constructor(hooks: readonly AgentHook[]) {
    this.hooks = hooks;
  }

  async userPrompt(context: HookContext, text: string): Promise<string> {
    let current = text;
    for (const hook of this.hooks)
      current = (await hook.onUserPrompt?.(context, current)) ?? current;
    return current;
  }

  async modelRequest(context: HookContext, request: ModelRequestSpec): Promise<ModelRequestSpec> {
    let current = request;
    for (const hook of this.hooks)
      current = (await hook.beforeModelRequest?.(context, current)) ?? current;
    return current;
  }

  /**
   * Runs every PreToolUse hook in order: a deny or respond ends the chain; an
   * ask is remembered (the strictest answer wins); a changed input is passed on.
   */
  async toolDecision(context: HookContext, call: ToolCall): Promise<ToolDecision> {
    let input = call.input;
    let ask: string | undefined;
    for (const hook of this.hooks) {
      const decision = await hook.beforeToolCall?.(context, { ...call, input });
      if (!decision) continue;
      if (decision.action === 'deny' || decision.action === 'respond') return decision;
      if (decision.input !== undefined) input = decision.input;
      if (decision.action === 'ask') ask ??= decision.reason;
    }
    return ask === undefined ? { action: 'allow', input } : { action: 'ask', reason: ask, input };
  }

  async toolResult(context: HookContext, call: ToolCall, result: ToolResult): Promise<ToolResult> {
    let current = result;
    for (const hook of this.hooks)
      current = (await hook.afterToolCall?.(context, call, current)) ?? current;
    return current;
  }

  async stop(
    context: HookContext,
    outcome: { state: string; reason: string | null },
  ): Promise<void> {
    for (const hook of this.hooks) await hook.onStop?.(context, outcome);
  }

  async compacted(context: HookContext): Promise<void> {
    for (const hook of this.hooks) await hook.onCompacted?.(context);
  }
}
