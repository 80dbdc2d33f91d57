import { signal } from '@angular/core';
import type { TroikaBridge } from '../../../../backend/protocol/index.ts';
import type { DownlinkMessage } from '../../../../backend/protocol/frames.ts';
import type { ProtocolTransport } from './transport';

/** Desktop app: the protocol through the preload bridge; the backend lives in the main process. */
export class ElectronTransport implements ProtocolTransport {
  readonly status = signal<'connected'>('connected').asReadonly();
  readonly #bridge: TroikaBridge;
  #unsubscribe: (() => void) | undefined;

  constructor(bridge: TroikaBridge) {
    this.#bridge = bridge;
  }

  start(onMessage: (message: DownlinkMessage) => void): void {
    this.#unsubscribe = this.#bridge.onMessage(onMessage);
  }

  send(message: string): boolean {
    this.#bridge.send(message);
    return true;
  }

  stop(): void {
    this.#unsubscribe?.();
  }
}
