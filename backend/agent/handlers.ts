/** The `agent.*` protocol methods, routed to the {@link AgentManager}. */
import type { Router } from '../bus/router.ts';
import type { AgentManager } from './agent-manager.ts';

/** What `agent.start` uses when the caller leaves a field out (the user's settings). */
export type AgentStartDefaults = () => { model?: string; budgetUsd?: number };

export function registerAgentHandlers(
  router: Router,
  agents: AgentManager,
  defaults: AgentStartDefaults = () => ({}),
): void {
  router.handle('agent.start', (p) => agents.start({ ...defaults(), ...p }));
  router.handle('agent.list', () => agents.list());
  router.handle('agent.get', ({ id }) => agents.get(id));
  router.handle('agent.history', ({ limit }) => agents.history(limit));
  router.handle('agent.pause', ({ id, interrupt }) => agents.pause(id, interrupt ?? false));
  router.handle('agent.resume', ({ id, budgetUsd }) => agents.resume(id, budgetUsd));
  router.handle('agent.stop', ({ id }) => agents.stop(id));
  router.handle('agent.steer', ({ id, text }) => agents.steer(id, text));
  router.handle('agent.approve', ({ id, toolUseId }) => agents.approve(id, toolUseId));
  router.handle('agent.deny', ({ id, toolUseId, reason }) => agents.deny(id, toolUseId, reason));
  router.handle('agent.answer', ({ id, text }) => agents.answer(id, text));
}
