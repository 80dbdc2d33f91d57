/**
 * What a transport (web mode's server, the desktop app's IPC relay) needs of
 * the backend: where requests go and where events come from. Transports
 * depend on this, not on the composition in app.ts.
 */
import type { EventBus } from './events.ts';
import type { Router } from './router.ts';

export interface ProtocolEndpoint {
  readonly router: Router;
  readonly events: EventBus;
}
