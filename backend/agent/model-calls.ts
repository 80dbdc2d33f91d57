/**
 * An agent's model requests: the spec every request starts from (base
 * prompt, tools, persona, messages) passed through the hook pipeline, and one
 * turn run with the runtime's retry, its usage recorded against the budgets.
 */
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { HookAgent } from '../hooks/runner.ts';
import type { AgentCacheUsage, AgentContextUsage } from '../protocol/agent.ts';
import type { AgentDeps } from './agent-deps.ts';
import { runModelTurn } from './model-turn.ts';
import type { UsageCounts } from '../provider/models.ts';
import type { ModelRequestSpec } from '../provider/request-builder.ts';
import type { TurnResult } from '../provider/stream-turn.ts';
import { baseSystemPrompt } from './system-prompt.ts';
import { agentShellIdentity } from './tools/shell-integration.ts';
import { recordUsage } from './usage-recorder.ts';

export interface ModelCallAgent {
  readonly id: string;
  readonly model: string;
  readonly persona: string | null;
  readonly budgetUsd: number | null;
  readonly hookContext: HookAgent;
  readonly signal: AbortSignal;
  /** What the usage event says beside the tokens: cache savings, context window. */
  usageExtras(): { cache: AgentCacheUsage; context: AgentContextUsage | null };
}

/** Prompt tokens the API counted for a request: uncached input, cache writes and cache reads. */
export function promptTokens(usage: UsageCounts): number {
  return usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens;
}

/** The request for `messages`, as the hooks leave it; `extra` overrides parts (a summary request's token cap). */
export async function requestSpec(
  deps: AgentDeps,
  agent: ModelCallAgent,
  messages: MessageParam[],
  extra: Partial<ModelRequestSpec> = {},
): Promise<ModelRequestSpec> {
  const instructions = await deps.instructions?.block();
  return deps.pipeline.modelRequest(agent.hookContext, {
    model: agent.model,
    maxTokens: deps.limits.maxTokens,
    tools: deps.tools.definitions,
    system: baseSystemPrompt({
      workDir: deps.workspace.workDir,
      branch: deps.workspace.branch,
      commandTimeoutMs: deps.limits.commandTimeoutMs,
      shell: agentShellIdentity({ shell: deps.shell.shell }),
      instructions,
    }),
    persona: agent.persona ?? undefined,
    messages,
    ...extra,
  });
}

/**
 * Runs one turn. `stream` sends the reply's text to the transcript as it
 * arrives (a summary request's text is not part of the conversation).
 * `onUsage` hears every usage recorded (a broken attempt's too).
 */
export function modelTurn(
  deps: AgentDeps,
  agent: ModelCallAgent,
  spec: ModelRequestSpec,
  options: { stream: boolean; onUsage?: (usage: UsageCounts) => void },
): Promise<TurnResult> {
  const { limits, emit } = deps;
  return runModelTurn({
    client: deps.client,
    spec,
    signal: agent.signal,
    maxAttempts: limits.maxStreamAttempts,
    retryDelayMs: (attempt) => limits.retryBaseDelayMs * 2 ** (attempt - 1),
    sdkAttempts: limits.sdkAttempts,
    onTextDelta: (text) => {
      if (options.stream)
        emit('agent.transcript', { agentId: agent.id, entry: { kind: 'text_delta', text } });
    },
    onToolUse: () => undefined,
    onDiscard: (reason) => {
      if (options.stream)
        emit('agent.transcript', { agentId: agent.id, entry: { kind: 'turn_discarded', reason } });
    },
    onRetry: (fault, attempt) =>
      emit('agent.error', {
        agentId: agent.id,
        kind: fault.kind,
        message: fault.message,
        retrying: true,
        attempt,
      }),
    onSwitch: (change) => emit('agent.model', { agentId: agent.id, ...change }),
    recordUsage: (usage, model) => {
      options.onUsage?.(usage);
      recordUsage(deps, agent, usage, model);
    },
  });
}
