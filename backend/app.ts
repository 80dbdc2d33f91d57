/**
 * Composes the backend: creates every service and registers its protocol
 * handlers. Both hosts (web mode, the Electron main process) call
 * {@link createBackend} and attach a transport to the result.
 *
 * Seam for later services (terminals, agents, cache): construct them here,
 * register their handlers on `router`, publish on `events`, dispose them in
 * `dispose()` in reverse order.
 */
import { mkdirSync } from 'node:fs';
import type { BackendConfig } from './config.ts';
import { EventBus } from './server/events.ts';
import { Router } from './server/router.ts';
import { registerSystemHandlers } from './system/handlers.ts';
import { MAX_AGENTS, VERSION } from './system/constants.ts';

export interface BackendOptions {
  config: BackendConfig;
  host: 'electron' | 'web';
}

export interface Backend {
  readonly router: Router;
  readonly events: EventBus;
  readonly config: BackendConfig;
  dispose(): Promise<void>;
}

export async function createBackend(options: BackendOptions): Promise<Backend> {
  const { config, host } = options;
  mkdirSync(config.dataDir, { recursive: true });
  const router = new Router();
  const events = new EventBus();
  const disposers: Array<() => void | Promise<void>> = [];

  registerSystemHandlers(router, {
    host,
    version: VERSION,
    maxAgents: MAX_AGENTS,
    apiKeyConfigured: config.apiKey !== undefined,
  });

  return {
    router,
    events,
    config,
    async dispose() {
      for (const dispose of disposers.reverse()) await dispose();
    },
  };
}
