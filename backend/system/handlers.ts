import type { HelloResult } from '../protocol/index.ts';
import type { Router } from '../server/router.ts';

export function registerSystemHandlers(
  router: Router,
  info: Pick<HelloResult, 'host' | 'version' | 'maxAgents' | 'apiKeyConfigured'>,
): void {
  router.handle('system.hello', () => ({ app: 'troika' as const, platform: process.platform, ...info }));
  router.handle('system.ping', ({ nonce }) => ({ ...(nonce === undefined ? {} : { nonce }), serverTime: Date.now() }));
}
