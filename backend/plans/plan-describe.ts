/**
 * A plan as a pull-request description, in Markdown: the goal, where the
 * work was integrated, and each task with the agent and model that built
 * it, its attempts, its gate results, its tokens and cost, and its
 * provenance (branch, agent run, merge commit). Read from the plan's
 * recorded evidence only, so it can be written for a plan long finished.
 */
import { formatUsd } from '../agent/budget.ts';
import type { PlanTask } from '../protocol/payloads/plans.ts';
import type { Evidence, PlanRecord, TaskProgress } from './plan-store.ts';
import { integrationBranch } from './ports.ts';
import { schedulingOrder } from './run-order.ts';

export interface DescribeInput {
  plan: PlanRecord;
  progress: readonly TaskProgress[];
  evidence: readonly Evidence[];
  /** The integration branch's tip, when it exists. */
  tip: string | null;
}

interface TaskFacts {
  agents: string[];
  models: string[];
  tokensIn: number;
  tokensOut: number;
  /** Per place, each gate run's result in order. */
  gates: { task: boolean[]; integration: boolean[] };
  escalations: string[];
}

const STATE_WORDS: Record<string, string> = {
  merge_queue: 'in merge queue',
  needs_user: 'needs you',
};

export function describePlan({ plan, progress, evidence, tip }: DescribeInput): string {
  const facts = collect(evidence);
  const byId = new Map(plan.tasks.map((t) => [t.id, t]));
  const progressOf = new Map(progress.map((p) => [p.taskId, p]));
  const order = schedulingOrder(plan.tasks);
  const merged = progress.filter((p) => p.state === 'merged').length;
  const spent = progress.reduce((sum, p) => sum + p.spentUsd, 0);
  const tokensIn = [...facts.values()].reduce((sum, f) => sum + f.tokensIn, 0);
  const tokensOut = [...facts.values()].reduce((sum, f) => sum + f.tokensOut, 0);
  const branch = integrationBranch(plan.slug);

  const lines = [`# ${oneLine(plan.name)}`, ''];
  if (plan.goal.trim()) lines.push(plan.goal.trim(), '');
  lines.push(
    `- Integration branch: \`${branch}\`${tip ? ` at \`${tip.slice(0, 12)}\`` : ''}`,
    `- Tasks merged: ${merged} of ${plan.tasks.length} (plan ${STATE_WORDS[plan.state] ?? plan.state})`,
    `- Tokens: ${count(tokensIn)} in, ${count(tokensOut)} out`,
    `- Cost: ${formatUsd(spent)}${plan.budgetUsd === null ? '' : ` of a ${formatUsd(plan.budgetUsd)} budget`}`,
    '',
    '## Tasks',
    '',
    '| Task | State | Agent | Model | Attempts | Gates | Tokens (in / out) | Cost |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const id of order) {
    const task = byId.get(id) as PlanTask;
    const p = progressOf.get(id);
    const f = facts.get(id) ?? empty();
    lines.push(
      `| ${cell(`${id} ${task.title}`)} | ${stateWord(p)} | ${cell(f.agents.join(', ') || '—')} | ${cell(f.models.join(' → ') || '—')} | ${p?.attempts ?? 0} | ${gateCell(f)} | ${count(f.tokensIn)} / ${count(f.tokensOut)} | ${formatUsd(p?.spentUsd ?? 0)} |`,
    );
  }
  for (const id of order) {
    const task = byId.get(id) as PlanTask;
    const p = progressOf.get(id);
    const f = facts.get(id) ?? empty();
    lines.push('', `### ${id} · ${oneLine(task.title)}`, '');
    if (task.description.trim()) lines.push(task.description.trim(), '');
    lines.push(
      `- State: ${stateWord(p)}${p?.reason ? ` (${oneLine(p.reason)})` : ''}`,
      `- Agent: ${f.agents.length ? f.agents.map((a) => `run \`${a}\``).join(', ') : 'none yet'}`,
      `- Model: ${f.models.join(' → ') || '—'}`,
      `- Attempts: ${p?.attempts ?? 0}${f.escalations.length ? `; escalated to ${f.escalations.join(', then ')}` : ''}`,
      `- Gates: ${gateLine(f)}`,
      `- Tokens: ${count(f.tokensIn)} in, ${count(f.tokensOut)} out`,
      `- Cost: ${formatUsd(p?.spentUsd ?? 0)}`,
      `- Provenance: ${provenance(p)}`,
    );
  }
  lines.push(
    '',
    '---',
    '',
    `Written by Troika from plan "${oneLine(plan.name)}" (\`${plan.id}\`): every figure above is recorded evidence of the plan's run.`,
    '',
  );
  return lines.join('\n');
}

function collect(evidence: readonly Evidence[]): Map<string, TaskFacts> {
  const facts = new Map<string, TaskFacts>();
  for (const e of evidence) {
    if (!e.taskId) continue;
    const f = facts.get(e.taskId) ?? empty();
    facts.set(e.taskId, f);
    const d = e.data;
    if (e.kind === 'attempt') {
      if (typeof d['agentId'] === 'string' && !f.agents.includes(d['agentId']))
        f.agents.push(d['agentId']);
      if (typeof d['model'] === 'string' && f.models.at(-1) !== d['model'])
        f.models.push(d['model']);
      const tokens = d['tokens'] as { input?: unknown; output?: unknown } | null | undefined;
      if (tokens && typeof tokens.input === 'number' && typeof tokens.output === 'number') {
        f.tokensIn += tokens.input;
        f.tokensOut += tokens.output;
      }
    } else if (e.kind === 'gate' && typeof d['passed'] === 'boolean') {
      (d['where'] === 'integration' ? f.gates.integration : f.gates.task).push(d['passed']);
    } else if (e.kind === 'escalation' && typeof d['escalatedTo'] === 'string') {
      f.escalations.push(d['escalatedTo'] === 'stronger' ? 'the stronger model' : 'the user');
    }
  }
  return facts;
}

function empty(): TaskFacts {
  return {
    agents: [],
    models: [],
    tokensIn: 0,
    tokensOut: 0,
    gates: { task: [], integration: [] },
    escalations: [],
  };
}

const results = (runs: boolean[]) => runs.map((ok) => (ok ? 'passed' : 'failed')).join(', then ');

function gateLine(f: TaskFacts): string {
  const parts: string[] = [];
  if (f.gates.task.length) parts.push(`in its worktree ${results(f.gates.task)}`);
  if (f.gates.integration.length)
    parts.push(`on the integrated result ${results(f.gates.integration)}`);
  return parts.join('; ') || 'not run';
}

function gateCell(f: TaskFacts): string {
  const marks = (runs: boolean[]) => runs.map((ok) => (ok ? '✓' : '✗')).join('');
  const parts: string[] = [];
  if (f.gates.task.length) parts.push(`task ${marks(f.gates.task)}`);
  if (f.gates.integration.length) parts.push(`merged ${marks(f.gates.integration)}`);
  return parts.join(' · ') || '—';
}

function provenance(p: TaskProgress | undefined): string {
  if (!p?.branch) return 'no branch yet';
  if (p.mergedCommit) return `branch \`${p.branch}\`, merged as \`${p.mergedCommit.slice(0, 12)}\``;
  return `branch \`${p.branch}\`, not merged`;
}

function stateWord(p: TaskProgress | undefined): string {
  const state = p?.state ?? 'waiting';
  return STATE_WORDS[state] ?? state;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A table cell: one line, its pipes escaped. */
function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}
