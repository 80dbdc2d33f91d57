/**
 * Claude Code's lifecycle events at the agent loop's seam (for
 * troika-hooks.ts): SessionStart (its context rides with the next prompt or
 * tool result), SessionEnd (when an agent is forgotten or the app quits),
 * Notification (the agent waits on a person), PreCompact, and
 * PermissionRequest, which runs when Troika would ask a person to approve a
 * call and may answer in the person's place; when none does, Notification
 * hooks hear that the agent waits for approval.
 */
import { HookPipeline } from './pipeline.ts';
import type { LifecycleEvent, LifecycleResult } from './lifecycle.ts';
import type { RunSetup, Run } from './registration.ts';
import { RunEndedByHookError, type HookAgent, type ToolCall, type ToolDecision } from './runner.ts';
import { permissionMessage } from './seam-decisions.ts';
import type { HookMessage, PipelineEventName } from './types.ts';

export interface LifecycleHost {
  afterEvent(
    agentId: string,
    event: PipelineEventName,
    result: { readonly systemMessages: readonly HookMessage[] },
  ): void;
  note(agentId: string, event: PipelineEventName, hook: string, text: string): void;
  /** The agent's SessionStart context waiting for the model. */
  context(agent: HookAgent): string[];
}

/**
 * Runs `event` in `pipeline`: notes reported, SessionStart's context kept
 * for the model. A hook's `continue: false` ends the run (thrown), except on
 * SessionEnd, when there is no run left to end.
 * @throws {RunEndedByHookError}
 */
export async function runLifecycle(
  host: LifecycleHost,
  agent: HookAgent,
  pipeline: HookPipeline,
  event: LifecycleEvent,
): Promise<LifecycleResult> {
  const result = await pipeline.lifecycle(event);
  host.afterEvent(agent.agentId, event.name, result);
  if (event.name === 'SessionStart') host.context(agent).push(...result.additionalContext);
  if (result.stop !== undefined && event.name !== 'SessionEnd')
    throw new RunEndedByHookError(result.stop.hook, result.stop.reason);
  return result;
}

/**
 * Troika is about to ask a person about `call`: PermissionRequest hooks may
 * answer instead (noted, naming the hook); when none does, Notification
 * hooks are told, and the ask stands.
 */
export async function permissionRequest(
  host: LifecycleHost,
  agent: HookAgent,
  run: Run,
  call: ToolCall,
  ask: Extract<ToolDecision, { action: 'ask' }>,
): Promise<ToolDecision> {
  const input = ask.input ?? call.input;
  const result = await runLifecycle(host, agent, run.pipeline, {
    name: 'PermissionRequest',
    toolName: call.name,
    toolUseId: call.toolUseId,
    toolInput: input,
  });
  const answer = result.permission;
  if (answer === undefined) {
    await runLifecycle(host, agent, run.pipeline, {
      name: 'Notification',
      message: permissionMessage(call),
      notificationType: 'permission_prompt',
    });
    return ask;
  }
  if (answer.behavior === 'deny') {
    const reason = answer.message ?? `Denied by ${answer.hook}`;
    if (answer.interrupt === true) throw new RunEndedByHookError(answer.hook, reason);
    host.note(agent.agentId, 'PermissionRequest', answer.hook, `Denied in your place: ${reason}`);
    return { action: 'deny', reason };
  }
  host.note(
    agent.agentId,
    'PermissionRequest',
    answer.hook,
    `Approved in your place; Troika would have asked: ${ask.reason}.`,
  );
  const updated = answer.updatedInput ?? ask.input;
  return updated === undefined ? { action: 'allow' } : { action: 'allow', input: updated };
}

/** SessionEnd for `agent`, in its run's pipeline, or one of the command hooks alone when it has none. */
export async function endSession(
  host: LifecycleHost,
  setup: RunSetup,
  agent: HookAgent,
  run: Run | undefined,
): Promise<void> {
  if (setup.commands.length === 0) return;
  const pipeline =
    run?.pipeline ??
    new HookPipeline({
      session: {
        agentId: agent.agentId,
        cwd: agent.workDir,
        transcriptPath: setup.transcriptPath?.(agent.agentId) ?? '',
      },
      hooks: setup.commands,
      onFailure: (failure) => setup.onFailure(agent.agentId, failure),
    });
  try {
    await runLifecycle(host, agent, pipeline, { name: 'SessionEnd', reason: 'other' });
  } finally {
    if (run === undefined) await pipeline.dispose();
  }
}
