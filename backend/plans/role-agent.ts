/**
 * A plan's answering roles as agents of the console: the reviewer (reviewer
 * persona, `reviewer` alias) and the planner who answers builders'
 * questions (architect persona, `architect` alias) are started through the
 * AgentManager like propose's planner: read-only tools (the editor's
 * `view`, `list_files`, `search_files`) plus their one answering tool, no
 * worktree of their own, a panel, a transcript, pause, steer and stop, and
 * their usage recorded like any agent's, so the global budget and the
 * per-model cost count them. The answering tool's input is checked by its
 * zod schema: a malformed answer goes back to the model as a tool error; a
 * valid one is kept and ends the run as a COMPLETE report would. An agent
 * that ends its turn in plain words is told once to answer through its tool.
 *
 * Slots: a role agent never pushes the console over its three. A reviewer
 * takes a slot like any agent: the one its task's builder gave up when its
 * run ended before the gates (the scheduler counts a task in review as
 * holding its slot, so the plan's own tasks never take it meanwhile); when
 * a console agent took it, the reviewer waits for one, as a build does. The
 * planner answering a question runs in the asking builder's slot (`slotOf`):
 * the builder is blocked on the answer, so the two count as one.
 */
import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import type { z } from 'zod';
import type { AgentManager } from '../agent/agent-manager.ts';
import { listTool } from '../agent/tools/list.ts';
import { ToolRegistry } from '../agent/tools/registry.ts';
import { searchTool } from '../agent/tools/search.ts';
import { fail, ok, type AgentTool } from '../agent/tools/tool.ts';
import type { EventBus } from '../bus/events.ts';
import type { AgentState, AgentSummary } from '../protocol/agent.ts';
import { ProtocolError } from '../protocol/envelope.ts';
import { readOnlyEditor } from './planner-tools.ts';

const ENDED: ReadonlySet<AgentState> = new Set(['done', 'failed', 'stopped']);

export interface AnswerSpec<T> {
  definition: Tool;
  schema: z.ZodType<T>;
  /** The answer in one line, as the agent's closing report shows it. */
  summary(value: T): string;
}

export interface RoleAgentRequest<T> {
  agents: AgentManager;
  events: EventBus;
  /** What the agent is told: its first message, shown as its task. */
  task: string;
  /** Its working folder (a task's worktree, the plan's workspace); it gets none of its own. */
  workDir: string;
  model: string;
  persona: string;
  answer: AnswerSpec<T>;
  /** The agent whose slot it runs in while that one holds it (the asking builder). */
  slotOf?: string | undefined;
  /** Stops the agent (the plan stopped, a time limit passed). */
  signal: AbortSignal;
  /** Told the agent's id as soon as it starts. */
  onAgent?: ((agentId: string) => void) | undefined;
  /** Where role agents are recorded, so one run again after a restart stays read-only. */
  log?: { mark(agentId: string, tool: string): void } | undefined;
}

export interface RoleAgentResult<T> {
  /** Null when the agent gave no valid answer (see `failure`). */
  value: T | null;
  failure: string | null;
  /** True when the agent was stopped (from its panel, or by `signal`) before it answered. */
  stopped: boolean;
  costUsd: number;
  /** The model that answered last (after any fallback), or the one asked for. */
  model: string;
  agentId: string | null;
}

/** The read-only tools with `answer` as the one way to hand in the result. */
export function roleTools(answer: AgentTool): ToolRegistry {
  return new ToolRegistry([readOnlyEditor, listTool, searchTool, answer]);
}

/** An answering tool whose session is over (Troika restarted): reading still works, answering does not. */
export function closedAnswerTool(definition: Tool): AgentTool {
  return {
    name: definition.name,
    definition,
    run: () =>
      Promise.resolve(
        fail(
          'This question or review ended when Troika restarted: your answer can no longer be taken. End your turn.',
        ),
      ),
  };
}

/** The answering tool: validates, keeps the first valid answer, and ends the run with it. */
export function answerTool<T>(spec: AnswerSpec<T>, keep: (value: T) => void): AgentTool {
  const name = spec.definition.name;
  let answered = false;
  return {
    name,
    definition: spec.definition,
    async run(input, context) {
      if (answered) return fail(`Your answer was already taken. End your turn.`);
      const parsed = spec.schema.safeParse(input);
      if (!parsed.success)
        return fail(
          `Invalid ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}. Fix it and call ${name} again.`,
        );
      answered = true;
      keep(parsed.data);
      await context.finish?.({
        status: 'COMPLETE',
        summary: spec.summary(parsed.data),
        assumptions: [],
        blockers: [],
        question: null,
      });
      return ok('Your answer is recorded. End your turn now.');
    },
  };
}

export async function runRoleAgent<T>(request: RoleAgentRequest<T>): Promise<RoleAgentResult<T>> {
  const { agents, events, signal } = request;
  const answerName = request.answer.definition.name;
  let value: T | null = null;
  let model = request.model;
  const tools = roleTools(answerTool(request.answer, (v) => (value = v)));
  const ends = watchEnds(events, (agentId, usedModel) => {
    if (agentId === ends.id) model = usedModel;
  });
  let agent: AgentSummary;
  try {
    agent = await withSlot(events, signal, () =>
      agents.start({
        task: request.task,
        workspace: request.workDir,
        model: request.model,
        persona: request.persona,
        tools,
        inPlace: true,
        subagent: true,
        slotOf: request.slotOf,
      }),
    );
  } catch (error) {
    ends.off();
    throw error;
  }
  ends.id = agent.id;
  request.log?.mark(agent.id, answerName);
  request.onAgent?.(agent.id);
  const stop = () => agents.stop(agent.id);
  let ended = await ends.of(agent.id, signal, stop);
  // An agent that ends its turn in plain words is told once to answer through its tool.
  if (value === null && ended.state === 'done' && !signal.aborted) {
    const again = watchEnds(events, (agentId, usedModel) => {
      if (agentId === agent.id) model = usedModel;
    });
    try {
      await withSlot(events, signal, () => agents.steer(agent.id, nudge(answerName)));
      ended = await again.of(agent.id, signal, stop);
    } catch {
      // Stopped meanwhile, or no slot before the signal: it ends as it ended.
      again.off();
    }
  }
  const stopped = ended.state === 'stopped';
  const failure =
    value !== null
      ? null
      : stopped
        ? `it was stopped before it answered${ended.stateReason ? ` (${ended.stateReason})` : ''}`
        : ended.state === 'failed'
          ? `it failed: ${ended.stateReason ?? 'unknown error'}`
          : `it ended without calling ${answerName}`;
  return {
    value,
    failure,
    stopped: value === null && stopped,
    costUsd: ended.usage.costUsd,
    model,
    agentId: agent.id,
  };
}

/** What an agent that ended without its answer is told, once. */
export function nudge(answerName: string): string {
  return `You ended without calling ${answerName}. Call ${answerName} now with your answer; nothing else is taken.`;
}

/** Runs `act`, waiting while the three slots are all taken (by console agents or other tasks). */
export async function withSlot<T>(
  events: EventBus,
  signal: AbortSignal,
  act: () => Promise<T>,
): Promise<T> {
  for (;;) {
    signal.throwIfAborted();
    try {
      return await act();
    } catch (error) {
      if (!(error instanceof ProtocolError && error.code === 'limit_reached')) throw error;
    }
    await nextAgentChange(events, signal);
  }
}

function nextAgentChange(events: EventBus, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      off();
      signal.removeEventListener('abort', aborted);
    };
    const off = events.subscribe((event) => {
      if (event === 'agent.state') {
        done();
        resolve();
      }
    });
    const aborted = () => {
      done();
      reject(signal.reason);
    };
    signal.addEventListener('abort', aborted, { once: true });
  });
}

/**
 * Listens (before the agent starts, so a quick end is not missed) for
 * agents' ends and the models that answered; `of(id)` waits for that
 * agent's end, stopping it on an abort.
 */
function watchEnds(
  events: EventBus,
  onModel: (agentId: string, model: string) => void,
): {
  id: string | null;
  of: (agentId: string, signal: AbortSignal, stop: () => Promise<unknown>) => Promise<AgentSummary>;
  off: () => void;
} {
  const seen = new Map<string, AgentSummary>();
  let waiter: { id: string; resolve: (s: AgentSummary) => void } | null = null;
  const off = events.subscribe((event, data) => {
    if (event === 'agent.usage') {
      const usage = data as { agentId: string; model: string };
      onModel(usage.agentId, usage.model);
      return;
    }
    if (event !== 'agent.state') return;
    const change = data as { agentId: string; state: AgentState; agent: AgentSummary };
    if (!ENDED.has(change.state) || seen.has(change.agentId)) return;
    seen.set(change.agentId, change.agent);
    if (waiter?.id === change.agentId) waiter.resolve(change.agent);
  });
  const of = (agentId: string, signal: AbortSignal, stop: () => Promise<unknown>) =>
    new Promise<AgentSummary>((resolve) => {
      const finish = (summary: AgentSummary) => {
        off();
        signal.removeEventListener('abort', aborted);
        resolve(summary);
      };
      // Stopped from outside: its end (stopped) still comes, with what it spent.
      const aborted = () => void stop().catch(() => undefined);
      const early = seen.get(agentId);
      if (early) return finish(early);
      waiter = { id: agentId, resolve: finish };
      if (signal.aborted) aborted();
      else signal.addEventListener('abort', aborted, { once: true });
    });
  return { id: null, of, off };
}
