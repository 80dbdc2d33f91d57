/**
 * Routes a plan builder's question (its `finish` with NEEDS_CLARIFICATION,
 * or any question it puts) to the plan's planner before the user: the
 * planner's answer goes back to the builder as the user's would; a question
 * the planner cannot answer, one past the task's hop limit or one the
 * planner does not settle in time is left to the user, and the task shows
 * "needs you" with it until the builder is answered in its panel. Every hop
 * is recorded on the task (plan-talk.ts). No agent answers its own question:
 * only builders ask, only the planner and the user answer.
 */
import type { AgentManager } from '../agent/agent-manager.ts';
import type { EventBus } from '../bus/events.ts';
import type { AgentState } from '../protocol/agent.ts';
import type { QuestionHop } from '../protocol/payloads/plan-talk.ts';
import { questionHops, talkSettings } from './plan-talk.ts';
import type { PlanStore } from './plan-store.ts';
import type { QuestionOutcome, QuestionRequest } from './planner-answers.ts';

export type Hop = Omit<QuestionHop, 'taskId' | 'at'>;

export interface QuestionRelayOptions {
  planId: string;
  store: PlanStore;
  events: EventBus;
  agents: Pick<AgentManager, 'answer'>;
  branch: string;
  /** The planner; tests may script it. */
  ask: (request: QuestionRequest, signal: AbortSignal) => Promise<QuestionOutcome>;
  /** Records a hop on the task; `costUsd` is the planner's, `waitingFor` the question left to the user (null: answered). */
  record(taskId: string, hop: Hop, change: { costUsd?: number; waitingFor?: string | null }): void;
}

export class QuestionRelay {
  readonly #options: QuestionRelayOptions;
  readonly #taskOf = new Map<string, string>();
  /** Tasks whose question waits for the user, by agent. */
  readonly #withUser = new Map<string, { taskId: string; question: number }>();
  readonly #stopped = new AbortController();
  readonly #off: () => void;

  constructor(options: QuestionRelayOptions) {
    this.#options = options;
    this.#off = options.events.subscribe((event, data) => {
      if (event === 'agent.question') {
        const { agentId, question } = data as { agentId: string; question: { question: string } };
        const taskId = this.#taskOf.get(agentId);
        if (taskId !== undefined) void this.#route(taskId, agentId, question.question);
      } else if (event === 'agent.state') {
        const { agentId, state } = data as { agentId: string; state: AgentState };
        const waiting = this.#withUser.get(agentId);
        if (waiting && state !== 'waiting_answer') this.#userAnswered(agentId, waiting, state);
      }
    });
  }

  /** The agent building `taskId` (its questions are routed from now on). */
  watch(taskId: string, agentId: string): void {
    this.#taskOf.set(agentId, taskId);
  }

  dispose(): void {
    this.#off();
    this.#stopped.abort(new Error('The plan stopped'));
  }

  async #route(taskId: string, agentId: string, question: string): Promise<void> {
    const { store, planId } = this.#options;
    const evidence = store.evidence(planId);
    const settings = talkSettings(evidence);
    const hops = questionHops(evidence, taskId);
    const n = hops.filter((h) => h.from === 'builder').length + 1;
    const toPlanner = hops.filter((h) => h.to === 'planner').length;
    if (toPlanner >= settings.questionHops) {
      return this.#toUser(
        taskId,
        agentId,
        n,
        'builder',
        question,
        `Past the hop limit (${settings.questionHops})`,
        0,
      );
    }
    this.#options.record(
      taskId,
      { question: n, from: 'builder', to: 'planner', text: question, reason: null },
      {},
    );
    const plan = store.get(planId);
    const task = plan?.tasks.find((t) => t.id === taskId);
    if (!plan || !task) return;
    const timeout = AbortSignal.timeout(settings.questionTimeoutSeconds * 1000);
    let outcome: QuestionOutcome;
    try {
      outcome = await this.#options.ask(
        {
          plan,
          task,
          question,
          earlier: earlierAnswers(hops),
          branch: this.#options.branch,
          model: settings.plannerModel,
          askerId: agentId,
        },
        AbortSignal.any([timeout, this.#stopped.signal]),
      );
    } catch (error) {
      outcome = {
        answer: null,
        failure: (error as Error).message,
        costUsd: 0,
        model: settings.plannerModel,
      };
    }
    if (this.#stopped.signal.aborted) return;
    const answer = outcome.answer?.answer;
    if (answer !== undefined) {
      this.#options.record(
        taskId,
        { question: n, from: 'planner', to: 'builder', text: answer, reason: null },
        { costUsd: outcome.costUsd },
      );
      try {
        this.#options.agents.answer(agentId, answer);
      } catch {
        // The builder stopped waiting meanwhile (stopped by the user): nothing to answer.
      }
      return;
    }
    const reason = outcome.answer?.cannot_answer
      ? `The planner cannot answer: ${outcome.answer.cannot_answer}`
      : timeout.aborted
        ? `The planner gave no answer within ${settings.questionTimeoutSeconds} s`
        : `The planner gave no answer: ${outcome.failure ?? 'unknown'}`;
    this.#toUser(taskId, agentId, n, 'planner', question, reason, outcome.costUsd);
  }

  #toUser(
    taskId: string,
    agentId: string,
    n: number,
    from: 'builder' | 'planner',
    question: string,
    reason: string,
    costUsd: number,
  ): void {
    this.#withUser.set(agentId, { taskId, question: n });
    this.#options.record(
      taskId,
      { question: n, from, to: 'user', text: question, reason },
      { costUsd, waitingFor: question },
    );
  }

  #userAnswered(
    agentId: string,
    waiting: { taskId: string; question: number },
    state: AgentState,
  ): void {
    this.#withUser.delete(agentId);
    const answered = state !== 'stopped' && state !== 'failed';
    this.#options.record(
      waiting.taskId,
      {
        question: waiting.question,
        from: 'user',
        to: 'builder',
        text: answered ? "Answered in the agent's panel" : `The builder ${state} before an answer`,
        reason: null,
      },
      { waitingFor: null },
    );
  }
}

/** The task's earlier questions the planner answered, for its context. */
function earlierAnswers(hops: readonly QuestionHop[]): Array<{ question: string; answer: string }> {
  const out: Array<{ question: string; answer: string }> = [];
  for (const hop of hops) {
    if (hop.from !== 'planner' || hop.to !== 'builder') continue;
    const asked = hops.find((h) => h.question === hop.question && h.from === 'builder');
    if (asked) out.push({ question: asked.text, answer: hop.text });
  }
  return out;
}
