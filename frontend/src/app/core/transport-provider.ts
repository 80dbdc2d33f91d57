import { InjectionToken, type Provider } from '@angular/core';
import { BRIDGE_GLOBAL, type TroikaBridge } from '../../../../backend/protocol/bridge.ts';
import { ElectronTransport } from './electron-transport';
import type { ProtocolTransport } from './transport';
import { WebSocketTransport } from './websocket-transport';

export const PROTOCOL_TRANSPORT = new InjectionToken<ProtocolTransport>('ProtocolTransport');

/** The protocol endpoint's path in web mode (see backend/server/web-server.ts). */
const PROTOCOL_PATH = '/ws';

/** Picks the Electron bridge when the preload provided one, else the page's own WebSocket endpoint. */
export function provideProtocolTransport(): Provider {
  return {
    provide: PROTOCOL_TRANSPORT,
    useFactory: (): ProtocolTransport => {
      const bridge = (globalThis as Record<string, unknown>)[BRIDGE_GLOBAL] as
        TroikaBridge | undefined;
      if (bridge) return new ElectronTransport(bridge);
      const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
      return new WebSocketTransport(`${scheme}//${location.host}${PROTOCOL_PATH}`);
    },
  };
}
