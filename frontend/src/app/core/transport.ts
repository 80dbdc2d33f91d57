import type { Signal } from '@angular/core';
import type { DownlinkMessage } from '../../../../backend/protocol/frames.ts';

export type TransportStatus = 'connecting' | 'connected' | 'disconnected';

/** Moves serialized protocol messages; knows nothing of their meaning. */
export interface ProtocolTransport {
  readonly status: Signal<TransportStatus>;
  /**
   * Starts connecting (and reconnecting); each inbound message goes to
   * `onMessage`: a server message's JSON text, or terminal output as bytes.
   */
  start(onMessage: (message: DownlinkMessage) => void): void;
  /** Returns false when not connected (the message was not sent). */
  send(message: string): boolean;
  stop(): void;
}
