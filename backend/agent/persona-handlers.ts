/**
 * `agent.setPersona`: the user changes an agent's persona in one click, while
 * it runs or after it finished. The persona block is part of the cached
 * prompt prefix, so this is the one deliberate way it changes: the hooks
 * announce it (`agent.persona`) and the event log keeps it.
 */
import type { Router } from '../bus/router.ts';
import { UnknownPersonaError } from '../personas/select.ts';
import { ProtocolError } from '../protocol/envelope.ts';
import type { AgentManager } from './agent-manager.ts';

export type PinPersona = (agentId: string, name: string | null) => Promise<void>;

export function registerPersonaHandlers(
  router: Router,
  agents: AgentManager,
  pin: PinPersona,
): void {
  router.handle('agent.setPersona', async ({ id, persona }) => {
    const live = () => agents.list().find((a) => a.id === id);
    if (!live()) {
      agents.get(id); // not_found for an unknown id
      throw new ProtocolError(
        'conflict',
        'This run is not in the current session: send it a message or resume it, then change its persona.',
      );
    }
    try {
      await pin(id, persona);
    } catch (error) {
      if (error instanceof UnknownPersonaError)
        throw new ProtocolError('invalid_params', error.message);
      throw new ProtocolError(
        'conflict',
        `The persona cannot be changed now: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return live() ?? agents.get(id);
  });
}
