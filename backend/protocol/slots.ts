/**
 * Why no agent can start now, in the same words on both sides: the backend's
 * refusal and the console's disabled New agent button. Only agents whose run
 * holds a slot count, each named with what it is doing (an agent waiting for
 * approval is not "running"), and the message says what would free a slot.
 */
import type { AgentState } from './payloads/agent.ts';

/** An agent that holds one of the slots. */
export interface SlotHolder {
  readonly task: string;
  readonly state: AgentState;
}

const DOING: Partial<Record<AgentState, string>> = {
  running: 'running',
  paused: 'paused',
  waiting_approval: 'waiting for your approval',
  waiting_answer: 'waiting for your answer',
};

/** What frees the slot of an agent in this state. */
const FREES: Partial<Record<AgentState, string>> = {
  running: 'stop one or wait for it to finish',
  paused: 'stop a paused one',
  waiting_approval: 'approve or deny, or stop it',
  waiting_answer: 'answer it, or stop it',
};

/**
 * Of `agents`, those holding a slot: the active ones, less an agent running
 * in the slot of another active one (a plan's planner answering the builder
 * that waits for it: the two count as one).
 */
export function slotHolders<T extends { id: string; slotOf?: string | null | undefined }>(
  agents: readonly T[],
  active: (agent: T) => boolean,
): T[] {
  const activeIds = new Set(agents.filter(active).map((a) => a.id));
  return agents.filter((a) => activeIds.has(a.id) && !(a.slotOf && activeIds.has(a.slotOf)));
}

function short(task: string): string {
  const line = task.split('\n', 1)[0]?.trim() ?? '';
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
}

/** "All 3 agent slots are taken: "a" (running), "b" (waiting for your approval). To free one: …" */
export function slotsTakenMessage(max: number, holders: readonly SlotHolder[]): string {
  const named = holders.map((h) => `"${short(h.task)}" (${DOING[h.state] ?? h.state})`);
  const starting = max - holders.length;
  if (starting > 0) named.push(`${starting} starting`);
  const frees = [...new Set(holders.map((h) => FREES[h.state]).filter((f) => f !== undefined))];
  return `All ${max} agent slots are taken: ${named.join(', ')}. To free one: ${frees.join('; ') || 'wait for one to start and finish'}. A finished, stopped or failed agent does not hold a slot.`;
}
