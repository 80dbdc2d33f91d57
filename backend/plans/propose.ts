/**
 * From a goal and a workspace to a draft plan: starts the planner agent (the
 * architect persona on the `architect` model alias, read-only tools and
 * `submit_plan`) in the workspace itself (it writes nothing, so it needs no
 * worktree), and keeps its draft up to date as it submits. The agent is an
 * ordinary one otherwise: it holds one of the three slots and has its panel.
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import type { AgentManager } from '../agent/agent-manager.ts';
import type { EventBus } from '../bus/events.ts';
import type { AgentState, AgentSummary } from '../protocol/agent.ts';
import { ProtocolError } from '../protocol/envelope.ts';
import type { PlanDraft } from '../protocol/payloads/plan-drafts.ts';
import type { PlanTask } from '../protocol/payloads/plans.ts';
import { dryRun } from './dry-run.ts';
import type { PlanDrafts } from './plan-drafts.ts';
import { MAX_SUBMISSIONS, SUBMIT_PLAN_TOOL_NAME } from './planner-tool.ts';
import { plannerTools } from './planner-tools.ts';
import { validatePlan } from './validate.ts';

export const PLANNER_MODEL = 'architect';
export const PLANNER_PERSONA = 'architect';
const ENDED: ReadonlySet<AgentState> = new Set(['done', 'failed', 'stopped']);

export interface ProposerOptions {
  agents: AgentManager;
  events: EventBus;
  drafts: PlanDrafts;
  /** The planner's model; default the `architect` alias. */
  model?: string;
  maxSubmissions?: number;
  now?: () => number;
}

export interface ProposeRequest {
  goal: string;
  workspace: string;
  name?: string | undefined;
}

/** What the planner agent is asked: the goal, how to explore, and what a good plan holds. */
export function plannerTask(goal: string): string {
  return [
    `Plan this goal as tasks for coding agents. Do not change any file: explore, then hand in the plan with ${SUBMIT_PLAN_TOOL_NAME}.`,
    `Goal: ${goal}`,
    'Explore the repository first: list_files for its layout, search_files to find where things are, the editor\'s "view" to read them. Read the README and the code the goal touches.',
    'Then call submit_plan once with the whole plan. Make each task small enough for one agent (size XS–XL), with a description it can start from, acceptance criteria, a test strategy, the ids of the tasks that must land before it, and the files or globs it will touch: tasks whose files overlap never run together, so name files precisely.',
    'If submit_plan names a problem, fix it and submit again. When the plan is accepted, end your turn with a one-line summary.',
  ].join('\n\n');
}

export class Proposer {
  readonly #options: ProposerOptions;
  readonly #now: () => number;

  constructor(options: ProposerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  async propose(request: ProposeRequest): Promise<PlanDraft> {
    const { agents, drafts } = this.#options;
    if (!statSync(request.workspace, { throwIfNoEntry: false })?.isDirectory())
      throw new ProtocolError('invalid_params', `No folder at ${request.workspace}`);
    const model = this.#options.model ?? PLANNER_MODEL;
    const maxSubmissions = this.#options.maxSubmissions ?? MAX_SUBMISSIONS;
    const now = this.#now();
    const draft = drafts.insert({
      id: randomUUID(),
      name: request.name ?? '',
      goal: request.goal,
      workspace: request.workspace,
      state: 'proposing',
      stateReason: 'The planner is exploring the repository',
      agentId: null,
      model,
      submissions: 0,
      maxSubmissions,
      lastError: null,
      tasks: [],
      problems: [],
      dryRun: null,
      planId: null,
      createdAt: now,
      updatedAt: now,
    });
    const id = draft.id;
    const tools = plannerTools(
      {
        accepted: (name, tasks) =>
          this.#update(id, {
            state: 'ready',
            stateReason: 'The planner proposed this plan: review it, edit it, approve it',
            name: request.name ?? name,
            submissions: (drafts.get(id)?.submissions ?? 0) + 1,
            ...checked(tasks),
          }),
        rejected: (message, tasks, final) =>
          this.#update(id, {
            submissions: (drafts.get(id)?.submissions ?? 0) + 1,
            lastError: message,
            ...(tasks.length > 0 && checked(tasks)),
            ...(final && {
              state: 'failed',
              stateReason: `The planner's last submission was not accepted: fix the tasks by hand or propose again`,
            }),
          }),
      },
      maxSubmissions,
    );
    const ends = this.#watchEnd(id);
    let agent: AgentSummary;
    try {
      agent = await agents.start({
        task: plannerTask(request.goal),
        workspace: request.workspace,
        model,
        persona: PLANNER_PERSONA,
        tools,
        inPlace: true,
        subagent: true,
      });
    } catch (error) {
      ends.off();
      this.#update(id, { state: 'failed', stateReason: (error as Error).message });
      throw error;
    }
    drafts.markPlanner(agent.id);
    ends.agent(agent.id);
    return this.#update(id, { agentId: agent.id });
  }

  /** Stops the planner of a draft still being proposed. */
  async stop(draft: PlanDraft): Promise<void> {
    if (draft.state === 'proposing' && draft.agentId)
      await this.#options.agents.stop(draft.agentId).catch(() => undefined);
  }

  #update(id: string, patch: Partial<PlanDraft>): PlanDraft {
    const next = this.#options.drafts.update(id, patch);
    this.#options.events.publish('plans.draftChanged', { draftId: id });
    return next;
  }

  /** Fails the draft if its planner ends without a plan accepted; listens before the agent starts. */
  #watchEnd(draftId: string): { agent: (agentId: string) => void; off: () => void } {
    let agentId: string | null = null;
    const ended = new Map<string, AgentSummary>();
    const settle = (summary: AgentSummary) => {
      off();
      const draft = this.#options.drafts.get(draftId);
      if (draft?.state !== 'proposing') return;
      this.#update(draftId, {
        state: 'failed',
        stateReason: `The planner ended (${summary.state}${summary.stateReason ? `: ${summary.stateReason}` : ''}) without an accepted plan`,
      });
    };
    const off = this.#options.events.subscribe((event, data) => {
      if (event !== 'agent.state') return;
      const change = data as { agentId: string; state: AgentState; agent: AgentSummary };
      if (!ENDED.has(change.state)) return;
      if (agentId === null) ended.set(change.agentId, change.agent);
      else if (change.agentId === agentId) settle(change.agent);
    });
    return {
      agent: (id) => {
        agentId = id;
        const early = ended.get(id);
        if (early) settle(early);
      },
      off,
    };
  }
}

/** Tasks with their problems and, when they have none, the dry run. */
export function checked(tasks: PlanTask[]): Pick<PlanDraft, 'tasks' | 'problems' | 'dryRun'> {
  const problems = validatePlan(tasks);
  return { tasks, problems, dryRun: problems.length === 0 ? dryRun(tasks) : null };
}
