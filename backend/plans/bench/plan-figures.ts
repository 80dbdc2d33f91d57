/**
 * The figures of one benchmark round, from what its two runs recorded
 * (plan-run.ts). How time is split:
 *
 * - A task's span runs from its first attempt's evidence to the evidence of
 *   its merge (the integration branch moved).
 * - Model time: the delays the script gave the responses of the task's
 *   conversations (builder, reviewer, planner), as the script recorded them;
 *   the 529s of the storm answer at once and count nothing.
 * - Tool time: each tool call of the task's agents from its `tool_call`
 *   transcript entry to its `tool_result` (`finish` excluded: it only waits
 *   for the planner's answer, whose model time is counted already), less the
 *   call's wait for the agent's shell to come up: that wait is overhead, the
 *   phase `tool call → shell ready`.
 * - Gate time: the gate commands' own run time, kept as evidence with each
 *   gate result (task and integration gates); the temporary worktree and
 *   setup around them are not gate time.
 * - Overhead: the span less those three, in the one-slot run, where tasks do
 *   not wait for each other. `overhead_by_phase_ms` splits it by the two
 *   marks it lies between on the task's timeline (the mean per task):
 *   evidence the plan kept, the requests the script served and when their
 *   responses ended, tool calls, and the agent's states (`agent created`:
 *   its worktree is made and its run begins; its shell starts alongside the
 *   first model request, and a `bash` call that waits for it shows as
 *   `tool call → shell ready`).
 */
import { costUsd } from '../../provider/models.ts';
import type { RecordedRequest as MessagesRecord } from '../../testing/messages-server/index.ts';
import type { RecordedRequest as ChatRecord } from '../../testing/openai-server/index.ts';
import type { PlanRun } from './plan-run.ts';
import { identify, SCRIPT, textOf, type Role } from './plan-script.ts';

export interface RoundFigures {
  one_agent_ms: number;
  three_agents_ms: number;
  speedup: number;
  ideal_speedup: number;
  overhead_per_task_ms: { p50: number; p95: number };
  overhead_by_phase_ms: Record<string, number>;
  work_per_task_ms: { model: number; tool: number; gate: number };
  /** Each task's work (model, tool and gate time) and span in the one-slot run. */
  tasks_ms: Record<string, { work: number; span: number }>;
  /** The longest chain of dependent tasks' work: what the ideal speed-up divides by. */
  critical_path_ms: number;
  gate_first_pass_rate: number;
  cost_per_merged_task_usd: number;
  cost_recorded_usd: number;
  cost_served_usd: number;
  merged_tasks: number;
  tasks: number;
  review_rounds_per_task: number;
  questions_answered_by_planner: number;
  questions_to_user: number;
  /** Integration gates not run again: the merge result was the very tree its task gates passed on. */
  integration_gates_reused: number;
  model_switches: number;
  cost_by_role: Record<Role, number>;
  cost_by_model: Record<string, number>;
}

interface Mark {
  at: number;
  label: string;
  /** Known work just before this mark (a response's delay, a tool's or a gate's run). */
  work: number;
}

export function roundFigures(one: PlanRun, three: PlanRun): RoundFigures {
  const ids = Object.keys(SCRIPT);
  const perTask = ids.map((id) => taskTimeline(one, id));
  const work = new Map(perTask.map((t) => [t.id, t.model + t.tool + t.gate]));
  const total = [...work.values()].reduce((a, b) => a + b, 0);
  const overheads = perTask.map((t) => t.span - t.model - t.tool - t.gate).sort((a, b) => a - b);
  const phases: Record<string, number> = {};
  for (const t of perTask)
    for (const [label, ms] of Object.entries(t.phases))
      phases[label] = (phases[label] ?? 0) + ms / ids.length;
  const costs = servedCosts(three.messageRequests, three.chatRequests);
  const merged = three.progress.filter((p) => p.state === 'merged').length;
  const recorded = three.progress.reduce((sum, p) => sum + p.spentUsd, 0);
  const taskGates = three.evidence.filter((e) => e.kind === 'gate' && e.data['where'] === 'task');
  const firstGate = new Map<string, boolean>();
  for (const g of taskGates)
    if (g.taskId && !firstGate.has(g.taskId)) firstGate.set(g.taskId, g.data['passed'] === true);
  const reviews = new Set(
    three.evidence
      .filter((e) => e.kind === 'review')
      .map((e) => `${e.taskId}:${String(e.data['round'])}`),
  );
  const hops = three.evidence.filter((e) => e.kind === 'question');
  return {
    one_agent_ms: round(one.wallMs),
    three_agents_ms: round(three.wallMs),
    speedup: round(one.wallMs / three.wallMs),
    ideal_speedup: round(Math.min(3, total / criticalPath(work))),
    overhead_per_task_ms: {
      p50: round(quantile(overheads, 0.5)),
      p95: round(quantile(overheads, 0.95)),
    },
    overhead_by_phase_ms: Object.fromEntries(
      Object.entries(phases)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, round(v)]),
    ),
    work_per_task_ms: {
      model: round(mean(perTask.map((t) => t.model))),
      tool: round(mean(perTask.map((t) => t.tool))),
      gate: round(mean(perTask.map((t) => t.gate))),
    },
    tasks_ms: Object.fromEntries(
      perTask.map((t) => [t.id, { work: round(t.model + t.tool + t.gate), span: round(t.span) }]),
    ),
    critical_path_ms: round(criticalPath(work)),
    gate_first_pass_rate: round([...firstGate.values()].filter(Boolean).length / ids.length),
    cost_per_merged_task_usd: round(costs.total / Math.max(1, merged), 6),
    cost_recorded_usd: round(recorded, 6),
    cost_served_usd: round(costs.total, 6),
    merged_tasks: merged,
    tasks: ids.length,
    review_rounds_per_task: round(reviews.size / ids.length),
    questions_answered_by_planner: hops.filter(
      (h) => h.data['from'] === 'planner' && h.data['to'] === 'builder',
    ).length,
    questions_to_user: hops.filter((h) => h.data['to'] === 'user').length,
    integration_gates_reused: three.evidence.filter(
      (e) =>
        e.kind === 'gate' &&
        e.data['where'] === 'integration' &&
        String(e.data['output']).startsWith('Not run again'),
    ).length,
    model_switches: three.chatRequests.length > 0 ? 1 : 0,
    cost_by_role: costs.byRole,
    cost_by_model: costs.byModel,
  };
}

interface TaskTimeline {
  id: string;
  span: number;
  model: number;
  tool: number;
  gate: number;
  phases: Record<string, number>;
}

/** The task's marks in time order; the time between two marks less the work before the second is overhead. */
function taskTimeline(run: PlanRun, id: string): TaskTimeline {
  const evidence = run.evidence.filter((e) => e.taskId === id);
  const agents = new Set(
    evidence.flatMap((e) => (typeof e.data['agentId'] === 'string' ? [e.data['agentId']] : [])),
  );
  const marks: Mark[] = [];
  for (const e of evidence) {
    const label = evidenceLabel(e.kind, e.data);
    if (!label) continue;
    const gate = e.kind === 'gate' ? Number(e.data['durationMs'] ?? 0) : 0;
    marks.push({ at: e.createdAt, label, work: gate });
  }
  for (const s of run.served) {
    if (s.taskId !== id) continue;
    marks.push({ at: s.at, label: `${s.role} request`, work: 0 });
    if (!s.fault)
      marks.push({ at: s.at + s.delayMs, label: `${s.role} response`, work: s.delayMs });
  }
  for (const a of run.agentStates)
    if (agents.has(a.agentId) && a.state !== 'running')
      marks.push({ at: a.at, label: `agent ${a.state}`, work: 0 });
  // The agent's first run: its worktree made; its SessionStart hooks still to run, its shell starting.
  const firstRun = run.agentStates.find((a) => agents.has(a.agentId) && a.state === 'running');
  if (firstRun) marks.push({ at: firstRun.at, label: 'agent created', work: 0 });
  for (const t of run.tools) {
    if (!agents.has(t.agentId) || t.name === 'finish') continue;
    marks.push({ at: t.start, label: 'tool call', work: 0 });
    const wait = Math.min(t.shellWaitMs, t.end - t.start);
    if (wait > 0) marks.push({ at: t.start + wait, label: 'shell ready', work: 0 });
    marks.push({ at: t.end, label: 'tool result', work: t.end - t.start - wait });
  }
  marks.sort((a, b) => a.at - b.at);
  const start = marks.find((m) => m.label === 'attempt');
  const end = marks.findLast((m) => m.label === 'merged');
  const inSpan = marks.filter((m) => start && end && m.at >= start.at && m.at <= end.at);
  const phases: Record<string, number> = {};
  let model = 0;
  let tool = 0;
  let gate = 0;
  for (let i = 1; i < inSpan.length; i++) {
    const prev = inSpan[i - 1] as Mark;
    const next = inSpan[i] as Mark;
    if (next.label.endsWith('response')) model += next.work;
    else if (next.label === 'tool result') tool += next.work;
    else gate += next.work;
    const label = `${prev.label} → ${next.label}`;
    phases[label] = (phases[label] ?? 0) + (next.at - prev.at - next.work);
  }
  return { id, span: start && end ? end.at - start.at : 0, model, tool, gate, phases };
}

function evidenceLabel(kind: string, data: Record<string, unknown>): string | null {
  if (kind === 'attempt') {
    if ('finished' in data) return 'build ended';
    return 'attempt' in data ? 'attempt' : null;
  }
  if (kind === 'gate') return `gate (${String(data['where'])})`;
  if (kind === 'merge')
    return data['status'] === 'merged' ? 'merged' : `merge ${String(data['status'])}`;
  if (kind === 'review') return `review ${String(data['verdict'])}`;
  if (kind === 'question') return `question ${String(data['from'])}→${String(data['to'])}`;
  return null;
}

/** Cost of every answered request, priced as the product prices it, by role and by the model that answered. */
function servedCosts(
  messages: readonly MessagesRecord[],
  chats: readonly ChatRecord[],
): { total: number; byRole: Record<Role, number>; byModel: Record<string, number> } {
  const byRole: Record<Role, number> = { builder: 0, reviewer: 0, planner: 0 };
  const byModel: Record<string, number> = {};
  let total = 0;
  const add = (role: Role | undefined, model: string, usd: number) => {
    total += usd;
    if (role) byRole[role] += usd;
    byModel[model] = (byModel[model] ?? 0) + usd;
  };
  for (const r of messages) {
    const u = r.usage;
    if (!u || !r.params) continue;
    const first = r.params.messages[0]?.content;
    const usd = costUsd(r.params.model, {
      inputTokens: u.input_tokens,
      outputTokens: u.output_tokens,
      cacheCreationInputTokens: u.cache_creation_input_tokens,
      cacheReadInputTokens: u.cache_read_input_tokens,
      cacheCreation1hInputTokens: u.cache_creation.ephemeral_1h_input_tokens,
    });
    add(identify(textOf(first))?.role, r.params.model, usd);
  }
  for (const r of chats) {
    const u = r.usage;
    const body = r.body as {
      model?: string;
      messages?: Array<{ role: string; content?: unknown }>;
    };
    if (!u || !body.model) continue;
    const cached = u.prompt_tokens_details.cached_tokens;
    const model = `openai:${body.model}`;
    const usd = costUsd(model, {
      inputTokens: Math.max(0, u.prompt_tokens - cached),
      outputTokens: u.completion_tokens,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: cached,
    });
    const first = body.messages?.find((m) => m.role === 'user')?.content;
    add(identify(textOf(first))?.role, model, usd);
  }
  const rounded = (o: Record<string, number>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v, 6)]));
  return { total, byRole: rounded(byRole) as Record<Role, number>, byModel: rounded(byModel) };
}

function criticalPath(work: Map<string, number>): number {
  const longest = new Map<string, number>();
  for (const [id, t] of Object.entries(SCRIPT))
    longest.set(id, (work.get(id) ?? 0) + Math.max(0, ...t.deps.map((d) => longest.get(d) ?? 0)));
  return Math.max(...longest.values());
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
