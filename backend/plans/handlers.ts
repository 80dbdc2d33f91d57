/**
 * `plans/` owns the plan layer: a goal as a graph of tasks carried out by
 * agents in waves. This file registers its protocol methods (check, create,
 * list, get, export, describe) and the running ones (start, pause, resume, stop,
 * retryTask, skipTask, editTask, takeOver, handBack, giveBack), which plan-runs.ts carries out over the scheduler.
 */
import { statSync } from 'node:fs';
import { DEFAULT_MODEL } from '../provider/models.ts';
import { ProtocolError } from '../protocol/envelope.ts';
import type { EventBus } from '../bus/events.ts';
import type { Router } from '../bus/router.ts';
import { resolveCommit } from '../landing/git.ts';
import { createPlan } from './new-plan.ts';
import { describePlan } from './plan-describe.ts';
import type { PlanRuns } from './plan-runs.ts';
import { checkPlanText } from './plan-check.ts';
import type { PlanStore } from './plan-store.ts';
import { needsYou, planDetail, planSummary } from './plan-views.ts';
import { integrationBranch } from './ports.ts';
import { setTalkSettings } from './plan-talk.ts';
import { toTasksFile } from './task-master.ts';
import { registerTaskViewHandlers } from './task-view-handlers.ts';

export interface PlanHandlerOptions {
  /** The model a plan's tasks use when neither they nor the request name one (the user's default). */
  defaultModel: () => string | undefined;
  /** Runs plans; without it the run methods are not registered (tests of the data side). */
  runs?: PlanRuns;
}

export function registerPlanHandlers(
  router: Router,
  events: EventBus,
  store: PlanStore,
  options: PlanHandlerOptions,
): void {
  const modelOr = (model: string | undefined) => model ?? options.defaultModel() ?? DEFAULT_MODEL;

  router.handle('plans.check', ({ text, model }) => {
    const { goal: _goal, ...check } = checkPlanText(text, modelOr(model));
    return check;
  });

  router.handle('plans.create', (params) => {
    const model = modelOr(params.model);
    const check = checkPlanText(params.text, model);
    if (!check.valid) {
      throw new ProtocolError(
        'invalid_params',
        `The plan has problems: ${check.problems.map((p) => p.message).join('; ')}`,
      );
    }
    if (!statSync(params.workspace, { throwIfNoEntry: false })?.isDirectory()) {
      throw new ProtocolError('invalid_params', `No folder at ${params.workspace}`);
    }
    const plan = createPlan(store, {
      name: params.name,
      goal: params.goal ?? check.goal ?? '',
      workspace: params.workspace,
      tasks: check.tasks,
      model,
      strongerModel: params.strongerModel ?? null,
      ...(params.maxAttempts !== undefined && { maxAttempts: params.maxAttempts }),
      budgetUsd: params.budgetUsd ?? null,
    });
    if (params.talk) setTalkSettings(store, plan.id, params.talk);
    events.publish('plans.changed', { planId: plan.id });
    return planDetail(store, plan);
  });

  router.handle('plans.configure', ({ id, talk }) => {
    const plan = found(store, id);
    setTalkSettings(store, plan.id, talk);
    events.publish('plans.changed', { planId: plan.id });
    return planDetail(store, plan);
  });

  router.handle('plans.list', ({ limit }) => ({
    plans: store.list(limit).map((plan) => planSummary(plan, store.progress(plan.id))),
  }));

  router.handle('plans.get', ({ id }) => planDetail(store, found(store, id)));

  router.handle('plans.export', ({ id }) => {
    const plan = found(store, id);
    const document = toTasksFile(plan.tasks, plan.goal ? { goal: plan.goal } : {});
    return { fileName: `tasks-${plan.slug}.json`, text: `${JSON.stringify(document, null, 2)}\n` };
  });

  router.handle('plans.needsYou', () => ({ tasks: needsYou(store) }));
  registerTaskViewHandlers(router, store);

  router.handle('plans.describe', async ({ id }) => {
    const plan = found(store, id);
    const text = describePlan({
      plan,
      progress: store.progress(plan.id),
      evidence: store.evidence(plan.id),
      tip:
        (await resolveCommit(plan.workspace, `refs/heads/${integrationBranch(plan.slug)}`)) ?? null,
    });
    return { fileName: `plan-${plan.slug}.md`, text };
  });

  const runs = options.runs;
  if (!runs) return;
  const detail = (id: string) => planDetail(store, found(store, id));
  router.handle('plans.start', async ({ id }) => {
    await runs.start(id);
    return detail(id);
  });
  router.handle('plans.resume', async ({ id }) => {
    await runs.resume(id);
    return detail(id);
  });
  router.handle('plans.pause', ({ id }) => {
    runs.pause(id);
    return detail(id);
  });
  router.handle('plans.stop', ({ id }) => {
    runs.stop(id);
    return detail(id);
  });
  router.handle('plans.retryTask', async ({ id, taskId }) => {
    await runs.retryTask(id, taskId);
    return detail(id);
  });
  router.handle('plans.skipTask', async ({ id, taskId }) => {
    await runs.skipTask(id, taskId);
    return detail(id);
  });
  router.handle('plans.editTask', async ({ id, taskId, changes }) => {
    await runs.editTask(id, taskId, changes);
    return detail(id);
  });
  router.handle('plans.takeOver', ({ id, taskId }) => runs.takeOver(id, taskId));
  router.handle('plans.handBack', async ({ id, taskId }) => {
    await runs.handBack(id, taskId);
    return detail(id);
  });
  router.handle('plans.giveBack', async ({ id, taskId }) => {
    await runs.giveBack(id, taskId);
    return detail(id);
  });
}

function found(store: PlanStore, id: string) {
  const plan = store.get(id);
  if (!plan) throw new ProtocolError('not_found', `No plan "${id}"`);
  return plan;
}
