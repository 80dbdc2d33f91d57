import { computed, effect, inject, Injectable, signal, untracked } from '@angular/core';
import {
  PlanNeedsYouListSchema,
  type PlanNeedsYou,
} from '../../../../backend/protocol/payloads/plans.ts';
import { checkResult } from '../core/inbound';
import { ProtocolClient } from '../core/protocol-client';
import { Agents } from './agents';
import { taskTitle } from './format';

/** One thing waiting for the user: an agent's approval or question, or a plan task escalated to them. */
export interface NeedsYouItem {
  /** Stable while the same wait lasts: one wait notifies once. */
  key: string;
  kind: 'approval' | 'question' | 'escalation';
  /** What a notification's title says. */
  title: string;
  /** What waits, in a line. */
  body: string;
  /** The agent whose panel shows it (an escalated task's last agent, if any). */
  agentId: string | null;
  /** For a plan task: its plan and task. */
  planId: string | null;
  taskId: string | null;
}

/**
 * The one "needs you" list: every agent waiting for an approval or an answer
 * (a plan's agents included) and every plan task escalated to the user,
 * kept current from the agents' events and `plans.changed`.
 */
@Injectable({ providedIn: 'root' })
export class NeedsYou {
  readonly #client = inject(ProtocolClient);
  readonly #agents = inject(Agents);
  readonly #planTasks = signal<readonly PlanNeedsYou[]>([]);
  #loading: Promise<void> | null = null;
  #again = false;

  readonly items = computed<NeedsYouItem[]>(() => [
    ...this.#agents.waiting().map((agent): NeedsYouItem => {
      const summary = agent.summary();
      const approval = summary.state === 'waiting_approval';
      return {
        key: `agent:${agent.id}`,
        kind: approval ? 'approval' : 'question',
        title: approval ? 'An agent asks for approval' : 'An agent has a question',
        body:
          summary.pendingApproval?.preview ??
          summary.pendingQuestion?.question ??
          taskTitle(summary.task),
        agentId: agent.id,
        planId: null,
        taskId: null,
      };
    }),
    ...this.#planTasks().map((t): NeedsYouItem => ({
      key: `plan:${t.planId}:${t.taskId}:${t.attempts}`,
      kind: 'escalation',
      title: 'A plan task needs you',
      body: `${t.planName} · ${t.title}${t.reason ? `: ${t.reason}` : ''}`,
      agentId: t.agentId,
      planId: t.planId,
      taskId: t.taskId,
    })),
  ]);

  constructor() {
    this.#client.on('plans.changed', () => void this.refresh());
    effect(() => {
      if (this.#client.session() > 0) untracked(() => void this.refresh());
    });
  }

  /** Reads the plans' escalated tasks again; calls while one read runs fold into one more. */
  refresh(): Promise<void> {
    if (this.#loading) {
      this.#again = true;
      return this.#loading;
    }
    this.#loading = (async () => {
      do {
        this.#again = false;
        try {
          const answer = await this.#client.request('plans.needsYou', {});
          this.#planTasks.set(checkResult('plans.needsYou', PlanNeedsYouListSchema, answer).tasks);
        } catch {
          // Disconnected: the next session reads them again.
        }
      } while (this.#again);
    })().finally(() => (this.#loading = null));
    return this.#loading;
  }
}
