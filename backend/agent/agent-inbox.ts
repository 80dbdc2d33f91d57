/**
 * An agent's user messages on their way to the model: the task and steering
 * messages wait in a queue until the loop's next safe point, and every user
 * message (an answer too) passes the UserPromptSubmit hooks first. A message
 * a hook refuses is not sent; the refusal is announced as an `agent.hook` event.
 */
import type { ContentBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { PromptRefusedError, type HookAgent, type HookRunner } from '../hooks/runner.ts';
import type { EmitAgentEvent } from './agent-deps.ts';
import { AgentFailure } from './control.ts';
import type { Conversation } from './conversation.ts';
import { plainHookReport } from './hook-reports.ts';

export interface AgentInboxHost {
  readonly agentId: string;
  readonly conversation: Conversation;
  readonly pipeline: HookRunner;
  hookContext(): HookAgent;
  readonly emit: EmitAgentEvent;
}

interface Queued {
  readonly text: string;
  readonly source: 'task' | 'steer';
}

export class AgentInbox {
  readonly #host: AgentInboxHost;
  readonly #queue: Queued[] = [];

  constructor(host: AgentInboxHost) {
    this.#host = host;
  }

  /** Messages waiting for the loop's next step. */
  get length(): number {
    return this.#queue.length;
  }

  push(text: string, source: Queued['source']): void {
    this.#queue.push({ text, source });
  }

  /** `text` as the UserPromptSubmit hooks leave it; undefined when one refused it (announced). */
  async prompt(text: string): Promise<string | undefined> {
    const host = this.#host;
    try {
      return await host.pipeline.userPrompt(host.hookContext(), text);
    } catch (error) {
      if (!(error instanceof PromptRefusedError)) throw error;
      host.emit('agent.hook', {
        agentId: host.agentId,
        ...plainHookReport(error.hook, 'UserPromptSubmit', 'refused', error.message, 'blocked'),
      });
      return undefined;
    }
  }

  /** Hands the queued messages to the conversation; true when any was delivered (a refused one is not). */
  async deliver(): Promise<boolean> {
    let delivered = false;
    while (this.#queue.length > 0) {
      const item = this.#queue.shift() as Queued;
      const text = await this.prompt(item.text);
      if (text === undefined) {
        // Without its task an agent has nothing to do; a refused steer is only dropped.
        if (item.source === 'task')
          throw new AgentFailure(
            'prompt_refused',
            'The task was refused by a UserPromptSubmit hook (see its event).',
          );
        continue;
      }
      addUserText(this.#host.conversation, text);
      this.#host.emit('agent.transcript', {
        agentId: this.#host.agentId,
        entry: { kind: 'user_message', text, source: item.source },
      });
      delivered = true;
    }
    return delivered;
  }
}

export function addUserText(conversation: Conversation, text: string): void {
  conversation.addUserBlocks([{ type: 'text', text } satisfies ContentBlockParam]);
}
