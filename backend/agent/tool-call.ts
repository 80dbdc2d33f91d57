/**
 * One tool call, from the model's request to the result it gets back:
 * PreToolUse hooks (the policy), the user's approval when they ask, the tool
 * itself, then PostToolUse hooks. Whatever goes wrong becomes an `is_error`
 * result; only a stop ends the call without one.
 */
import type { HookAgent, HookRunner, ToolCall } from '../hooks/runner.ts';
import type { ToolRegistry } from './tools/registry.ts';
import { fail, type ToolContext, type ToolResult } from './tools/tool.ts';

/** Where one tool call's time went. */
export interface ToolTiming {
  readonly toolUseId: string;
  readonly name: string;
  /** In the PreToolUse and PostToolUse hooks (the runtime's overhead), a person's approval excluded. */
  readonly hooksMs: number;
  /** Of `hooksMs`, in PreToolUse. */
  readonly preToolUseMs: number;
  /** In the tool itself, `shellWaitMs` excluded; 0 when it did not run (a hook answered, denied, or the user denied). */
  readonly toolMs: number;
  /** Waiting for the agent's shell to come up (it starts alongside the first model request): overhead, not the tool's work. */
  readonly shellWaitMs: number;
  /** A hook answered in the tool's place (a cache hit, a short reference). */
  readonly answeredByHook: boolean;
}

export type ApprovalOutcome = { approved: true } | { approved: false; reason?: string | undefined };

export interface ToolCallDeps {
  pipeline: HookRunner;
  hookContext: HookAgent;
  tools: ToolRegistry;
  toolContext: ToolContext;
  /** Holds the call for the user's decision (the agent shows it and waits). */
  requestApproval(call: ToolCall, reason: string): Promise<ApprovalOutcome>;
  onTiming?: ((timing: ToolTiming) => void) | undefined;
  /** So far in this call, the time the tool waited for the agent's shell to start. */
  shellWaitMs?: (() => number) | undefined;
}

/** What a person needs to judge a held call: the command, or the file and the change. */
export function approvalPreview(name: string, input: unknown): string {
  const i = (input ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  if (name === 'bash') return i['restart'] ? '(restart the shell)' : `$ ${str(i['command'])}`;
  if (name === 'str_replace_based_edit_tool') {
    const head = `${str(i['command'])} ${str(i['path'])}`;
    if (i['command'] === 'str_replace')
      return `${head}\n--- old\n${str(i['old_str'])}\n+++ new\n${str(i['new_str'] ?? '')}`;
    if (i['command'] === 'create') return `${head}\n+++ new file\n${str(i['file_text'])}`;
    if (i['command'] === 'insert')
      return `${head} after line ${str(i['insert_line'])}\n+++ insert\n${str(i['insert_text'] ?? i['new_str'])}`;
    return head;
  }
  return `${name} ${JSON.stringify(input)}`;
}

export async function runToolCall(
  call: ToolCall,
  inputError: string | undefined,
  deps: ToolCallDeps,
): Promise<ToolResult> {
  if (inputError !== undefined) {
    return fail(
      `Invalid input for ${call.name}: ${inputError}. Send the tool call again with a complete JSON object.`,
    );
  }
  let hooksMs = 0;
  let toolMs = 0;
  let preToolUseMs = 0;
  const timed = async <T>(run: () => Promise<T>, add: (ms: number) => void): Promise<T> => {
    const started = performance.now();
    try {
      return await run();
    } finally {
      add(performance.now() - started);
    }
  };
  const inHooks = (ms: number) => (hooksMs += ms);
  const decision = await timed(
    () => deps.pipeline.toolDecision(deps.hookContext, call),
    (ms) => inHooks((preToolUseMs = ms)),
  );
  let input = call.input;
  let result: ToolResult;
  if (decision.action === 'deny') {
    result = fail(`This tool call was blocked: ${decision.reason}`);
  } else if (decision.action === 'respond') {
    result = decision.result;
  } else {
    if (decision.input !== undefined) input = decision.input;
    if (decision.action === 'ask') {
      const outcome = await deps.requestApproval({ ...call, input }, decision.reason);
      if (!outcome.approved) {
        const why = outcome.reason ? `: ${outcome.reason}` : '.';
        return deps.pipeline.toolResult(
          deps.hookContext,
          call,
          fail(
            `The user denied this tool call${why} Do not retry it as is; choose another way or ask the user.`,
          ),
        );
      }
    }
    result = await timed(
      () => deps.tools.run(call.name, input, deps.toolContext),
      (ms) => (toolMs += ms),
    );
  }
  const final = await timed(
    () => deps.pipeline.toolResult(deps.hookContext, { ...call, input }, result),
    inHooks,
  );
  const shellWaitMs = deps.shellWaitMs?.() ?? 0;
  deps.onTiming?.({
    toolUseId: call.toolUseId,
    name: call.name,
    hooksMs,
    preToolUseMs,
    toolMs: Math.max(0, toolMs - shellWaitMs),
    shellWaitMs,
    answeredByHook: decision.action === 'respond',
  });
  return final;
}
