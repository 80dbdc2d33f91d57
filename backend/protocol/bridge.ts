/**
 * What the Electron preload exposes to the renderer as `window.troika`: only
 * the protocol transport, as serialized protocol messages. Nothing else
 * crosses the bridge.
 */
export interface TroikaBridge {
  /** Sends one serialized client message to the backend. */
  send(message: string): void;
  /** Subscribes to serialized server messages; returns the unsubscribe function. */
  onMessage(listener: (message: string) => void): () => void;
}

/** The global name under which the preload exposes {@link TroikaBridge}. */
export const BRIDGE_GLOBAL = 'troika';
