import type { Signal } from '@angular/core';

export type TransportStatus = 'connecting' | 'connected' | 'disconnected';

/** Moves serialized protocol messages; knows nothing of their meaning. */
export interface ProtocolTransport {
  readonly status: Signal<TransportStatus>;
  /** Starts connecting (and reconnecting); each inbound message goes to `onMessage`. */
  start(onMessage: (message: string) => void): void;
  /** Returns false when not connected (the message was not sent). */
  send(message: string): boolean;
  stop(): void;
}
