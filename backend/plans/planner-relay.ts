/**
 * The product's question relay for one plan: questions go to the planner
 * (planner-answers.ts, an agent of the console) and every hop is
 * recorded through the plan's runner, so its state and spending follow.
 */
import type { AgentManager } from '../agent/agent-manager.ts';
import type { EventBus } from '../bus/events.ts';
import { answerQuestion } from './planner-answers.ts';
import type { PlanStore } from './plan-store.ts';
import { integrationBranch } from './ports.ts';
import { QuestionRelay } from './question-relay.ts';
import type { RoleAgentLog } from './role-agent-log.ts';
import type { PlanRunner } from './scheduler.ts';

export function questionRelay(
  planId: string,
  options: { store: PlanStore; agents: AgentManager; events: EventBus; roleLog: RoleAgentLog },
  runner: () => PlanRunner | undefined,
): QuestionRelay {
  const plan = options.store.get(planId);
  return new QuestionRelay({
    planId,
    store: options.store,
    events: options.events,
    agents: options.agents,
    branch: integrationBranch(plan?.slug ?? planId),
    ask: (request, signal) => answerQuestion({ ...options, log: options.roleLog }, request, signal),
    record: (taskId, hop, change) =>
      runner()?.noteQuestion(taskId, hop, change.costUsd, change.waitingFor),
  });
}
