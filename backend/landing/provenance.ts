/**
 * Provenance of landed work: who made it, on what, for how much. Written as
 * git trailers (`git interpret-trailers`, so an existing trailer block in the
 * user's message is extended, not broken) and read back with
 * `git log --format=%(trailers)`.
 *
 * - Troika-Agent: the agent's branch (readable, e.g. troika/fix-login-k3f9)
 * - Troika-Run: the agent's id, as History lists it
 * - Troika-Task: the task's first line
 * - Troika-Model, Troika-Persona, Troika-Tokens (input + output), Troika-Cost (USD)
 * - Troika-Gates: passed, off, or "failed: <names>; merged anyway"
 */
import type { AgentSummary } from '../protocol/agent.ts';
import { gitOut } from './git.ts';

export interface Provenance {
  agent: Pick<
    AgentSummary,
    'id' | 'task' | 'model' | 'persona' | 'usage' | 'activePersona' | 'branch'
  >;
  /** `passed`, `off`, or the failed gates when merged anyway. */
  gates: string;
}

/** One line, no newlines or control characters: a trailer value must stay a trailer. */
function oneLine(text: string, max = 120): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function trailers(p: Provenance): Array<[string, string]> {
  const { agent } = p;
  const tokens = agent.usage.inputTokens + agent.usage.outputTokens;
  return [
    ['Troika-Agent', agent.branch ?? agent.id],
    ['Troika-Run', agent.id],
    ['Troika-Task', oneLine(agent.task.split('\n')[0] ?? '') || '(none)'],
    ['Troika-Model', agent.model],
    ['Troika-Persona', agent.activePersona?.name ?? agent.persona ?? 'none'],
    ['Troika-Tokens', String(tokens)],
    ['Troika-Cost', `$${agent.usage.costUsd.toFixed(4)}`],
    ['Troika-Gates', oneLine(p.gates, 200)],
  ];
}

/** The message with the provenance trailers appended. */
export async function withTrailers(repo: string, message: string, p: Provenance): Promise<string> {
  const args = ['interpret-trailers', '--where', 'end', '--if-exists', 'addIfDifferent'];
  for (const [key, value] of trailers(p)) args.push('--trailer', `${key}: ${value}`);
  const body = message.trim().length > 0 ? message.trim() : 'Troika agent work';
  return `${await gitOut(repo, args, { input: `${body}\n` })}\n`;
}

/** The squash message from the agent's finish report: the task as subject, the summary as body. */
export function suggestedMessage(agent: Pick<AgentSummary, 'task' | 'report'>): string {
  const subject = oneLine(agent.task.split('\n')[0] ?? '', 72) || 'Troika agent work';
  const summary = agent.report?.summary.trim();
  return summary ? `${subject}\n\n${summary}\n` : `${subject}\n`;
}
