/**
 * `system/` owns facts about the host: the hello reply, the folder picker,
 * constants.
 */
import type { HelloResult } from '../protocol/index.ts';
import type { Router } from '../bus/router.ts';

/** What the host (desktop app or web mode) can do beyond the backend itself. */
export interface HostServices {
  /** A native folder picker; resolves undefined when the user cancels. */
  pickFolder?(title: string | undefined): Promise<string | undefined>;
}

export function registerSystemHandlers(
  router: Router,
  info: Pick<HelloResult, 'host' | 'version' | 'maxAgents' | 'apiKeyConfigured'>,
  host: HostServices = {},
): void {
  router.handle('system.hello', () => ({
    app: 'troika' as const,
    platform: process.platform,
    ...info,
  }));
  router.handle('system.pickFolder', async ({ title }) => {
    if (!host.pickFolder) return { supported: false, path: null };
    return { supported: true, path: (await host.pickFolder(title)) ?? null };
  });
  router.handle('system.ping', ({ nonce }) => ({
    ...(nonce === undefined ? {} : { nonce }),
    serverTime: Date.now(),
  }));
}
