import type { DownlinkMessage } from './frames.ts';

/**
 * What the Electron preload exposes to the renderer as `window.troika`: only
 * the protocol transport, as serialized protocol messages and terminal output
 * (as bytes, see frames.ts). Nothing else crosses the bridge.
 */
export interface TroikaBridge {
  /** Sends one serialized client message to the backend. */
  send(message: string): void;
  /** Subscribes to server messages (JSON text) and terminal output; returns the unsubscribe function. */
  onMessage(listener: (message: DownlinkMessage) => void): () => void;
}

/** The global name under which the preload exposes {@link TroikaBridge}. */
export const BRIDGE_GLOBAL = 'troika';
