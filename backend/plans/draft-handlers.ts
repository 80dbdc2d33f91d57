/**
 * The planning methods of the `plans.*` domain: propose (starts the planner
 * agent), list and read drafts, edit a draft's tasks, approve it (it becomes
 * a plan ready to start, as `plans.create` makes one), discard it.
 */
import { join } from 'node:path';
import type { AgentManager } from '../agent/agent-manager.ts';
import type { EventBus } from '../bus/events.ts';
import type { Router } from '../bus/router.ts';
import { DEFAULT_MODEL } from '../provider/models.ts';
import { ProtocolError } from '../protocol/envelope.ts';
import type { PlanDraft } from '../protocol/payloads/plan-drafts.ts';
import { createPlan } from './new-plan.ts';
import { PlanDrafts } from './plan-drafts.ts';
import type { PlanStore } from './plan-store.ts';
import { planDetail } from './plan-views.ts';
import { plannerTools } from './planner-tools.ts';
import { checked, Proposer } from './propose.ts';

export interface DraftHandlerOptions {
  drafts: PlanDrafts;
  proposer: Proposer;
  store: PlanStore;
  /** The model an approved plan's tasks use when they name none (the user's default). */
  defaultModel: () => string | undefined;
}

export function registerDraftHandlers(
  router: Router,
  events: EventBus,
  options: DraftHandlerOptions,
): void {
  const { drafts, proposer, store } = options;
  const changed = (draft: PlanDraft) => {
    events.publish('plans.draftChanged', { draftId: draft.id });
    return draft;
  };

  router.handle('plans.propose', (params) => proposer.propose(params));

  router.handle('plans.drafts', () => ({ drafts: drafts.list() }));

  router.handle('plans.draft', ({ id }) => found(drafts, id));

  router.handle('plans.editDraft', ({ id, tasks, name }) => {
    const draft = found(drafts, id);
    if (draft.state === 'proposing')
      throw new ProtocolError('invalid_params', 'The planner is still at work on this draft');
    if (draft.state === 'approved')
      throw new ProtocolError('invalid_params', 'This draft is already a plan');
    const next = checked(tasks);
    return changed(
      drafts.update(id, {
        ...next,
        ...(name !== undefined && { name }),
        state: next.problems.length === 0 ? 'ready' : 'failed',
        stateReason:
          next.problems.length === 0
            ? 'Edited: review it, approve it'
            : 'The edited plan has problems: fix them to approve it',
      }),
    );
  });

  router.handle('plans.approve', ({ id }) => {
    const draft = found(drafts, id);
    if (draft.state === 'approved')
      throw new ProtocolError('invalid_params', 'This draft is already a plan');
    if (draft.state === 'proposing')
      throw new ProtocolError('invalid_params', 'The planner is still at work on this draft');
    const { problems } = checked(draft.tasks);
    if (problems.length > 0)
      throw new ProtocolError(
        'invalid_params',
        `The plan has problems: ${problems.map((p) => p.message).join('; ')}`,
      );
    const plan = createPlan(store, {
      name: draft.name || draft.goal.slice(0, 60),
      goal: draft.goal,
      workspace: draft.workspace,
      tasks: draft.tasks,
      model: options.defaultModel() ?? DEFAULT_MODEL,
    });
    changed(
      drafts.update(id, {
        state: 'approved',
        stateReason: `Approved as the plan "${plan.name}"`,
        planId: plan.id,
      }),
    );
    events.publish('plans.changed', { planId: plan.id });
    return planDetail(store, plan);
  });

  router.handle('plans.discardDraft', async ({ id }) => {
    const draft = found(drafts, id);
    await proposer.stop(draft);
    drafts.remove(id);
    events.publish('plans.draftChanged', { draftId: id });
    return { discarded: true as const };
  });
}

function found(drafts: PlanDrafts, id: string): PlanDraft {
  const draft = drafts.get(id);
  if (!draft) throw new ProtocolError('not_found', `No plan draft "${id}"`);
  return draft;
}

/** Drafts under `<dataDir>/plans/drafts`, the planner over the console's agents, and their methods. */
export function registerPlanning(
  router: Router,
  events: EventBus,
  options: {
    agents: AgentManager;
    store: PlanStore;
    dataDir: string;
    defaultModel: () => string | undefined;
  },
): { drafts: PlanDrafts; proposer: Proposer } {
  const drafts = new PlanDrafts(join(options.dataDir, 'plans', 'drafts'));
  const proposer = new Proposer({ agents: options.agents, events, drafts });
  // A planner run again after a restart keeps its read-only tools (it works in the user's checkout).
  options.agents.restoreToolsWith((record) =>
    drafts.isPlanner(record.id) ? plannerTools(null) : undefined,
  );
  registerDraftHandlers(router, events, {
    drafts,
    proposer,
    store: options.store,
    defaultModel: options.defaultModel,
  });
  return { drafts, proposer };
}
