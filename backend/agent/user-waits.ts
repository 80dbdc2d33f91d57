/**
 * What an agent waits on a person for: approving a held tool call, or
 * answering its question. At most one of each at a time; a stop ends both.
 */
import type { AgentState, PendingApproval, PendingQuestion } from '../protocol/agent.ts';
import { AgentControlError, Deferred, untilStopped } from './control.ts';
import type { EmitAgentEvent } from './agent-deps.ts';
import type { ToolCall } from '../hooks/runner.ts';
import { approvalPreview, type ApprovalOutcome } from './tool-call.ts';

export interface UserWaitsHost {
  readonly agentId: string;
  setState(state: AgentState, reason: string | null): void;
  emit: EmitAgentEvent;
}

export class UserWaits {
  readonly #host: UserWaitsHost;
  #approval: { details: PendingApproval; deferred: Deferred<ApprovalOutcome> } | undefined;
  #question: { details: PendingQuestion; deferred: Deferred<string> } | undefined;

  constructor(host: UserWaitsHost) {
    this.#host = host;
  }

  get approval(): PendingApproval | null {
    return this.#approval?.details ?? null;
  }

  get question(): PendingQuestion | null {
    return this.#question?.details ?? null;
  }

  /** Holds `call` for the user's decision; the agent shows `waiting_approval` meanwhile. */
  async awaitApproval(
    call: ToolCall,
    reason: string,
    signal: AbortSignal,
  ): Promise<ApprovalOutcome> {
    const details: PendingApproval = {
      toolUseId: call.toolUseId,
      tool: call.name,
      input: call.input,
      reason,
      preview: approvalPreview(call.name, call.input),
    };
    const pending = { details, deferred: new Deferred<ApprovalOutcome>() };
    this.#approval = pending;
    this.#host.setState('waiting_approval', `Approval needed: ${reason}`);
    this.#host.emit('agent.approval', { agentId: this.#host.agentId, approval: details });
    try {
      return await untilStopped(pending.deferred.promise, signal);
    } finally {
      this.#approval = undefined;
      if (!signal.aborted) this.#host.setState('running', null);
    }
  }

  /** Asks the user; the agent shows `waiting_answer` until the answer comes. */
  async awaitAnswer(toolUseId: string, question: string, signal: AbortSignal): Promise<string> {
    const pending = { details: { toolUseId, question }, deferred: new Deferred<string>() };
    this.#question = pending;
    this.#host.setState('waiting_answer', question);
    this.#host.emit('agent.question', { agentId: this.#host.agentId, question: pending.details });
    try {
      return await untilStopped(pending.deferred.promise, signal);
    } finally {
      this.#question = undefined;
      if (!signal.aborted) this.#host.setState('running', null);
    }
  }

  decide(toolUseId: string, outcome: ApprovalOutcome): void {
    const pending = this.#approval;
    if (!pending)
      throw new AgentControlError(
        'conflict',
        `Agent ${this.#host.agentId} has no tool call waiting for approval`,
      );
    if (pending.details.toolUseId !== toolUseId) {
      throw new AgentControlError(
        'conflict',
        `The tool call waiting for approval is ${pending.details.toolUseId}, not ${toolUseId}`,
      );
    }
    pending.deferred.resolve(outcome);
  }

  answer(text: string): void {
    if (!this.#question)
      throw new AgentControlError(
        'conflict',
        `Agent ${this.#host.agentId} has no pending question`,
      );
    this.#question.deferred.resolve(text);
  }

  clear(): void {
    this.#approval = undefined;
    this.#question = undefined;
  }
}
