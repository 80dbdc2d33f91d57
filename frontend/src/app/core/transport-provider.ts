import { InjectionToken, type Provider } from '@angular/core';
import { BRIDGE_GLOBAL, type TroikaBridge } from '../../../../backend/protocol/bridge.ts';
import { ElectronTransport } from './electron-transport';
import type { ProtocolTransport } from './transport';
import { WebModeTransport } from './web-mode-transport';

export const PROTOCOL_TRANSPORT = new InjectionToken<ProtocolTransport>('ProtocolTransport');

/** Web mode's endpoints (PROTOCOL_PATH in backend/server/web-server.ts, DOWNLINK_PATH in downlink.ts). */
const UPLINK_PATH = '/ws';
const DOWNLINK_PATH = '/downlink';

/** Picks the Electron bridge when the preload provided one, else web mode's endpoints on the page's own origin. */
export function provideProtocolTransport(): Provider {
  return {
    provide: PROTOCOL_TRANSPORT,
    useFactory: (): ProtocolTransport => {
      const bridge = (globalThis as Record<string, unknown>)[BRIDGE_GLOBAL] as
        TroikaBridge | undefined;
      if (bridge) return new ElectronTransport(bridge);
      const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
      return new WebModeTransport({
        downlink: DOWNLINK_PATH,
        uplink: `${scheme}//${location.host}${UPLINK_PATH}`,
      });
    },
  };
}
