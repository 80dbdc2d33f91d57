/**
 * The protocol over Electron IPC: each renderer is one connection of the
 * relay to the backend process, fed only by messages from the app's own main
 * frame. The main process parses nothing here; the backend validates.
 */
import type { IpcMainEvent, WebContents } from 'electron';
import type { BackendRelay } from '../backend/host/relay.ts';
import { isTrustedSender, PROTOCOL_CHANNEL } from './security.ts';

export class IpcTransport {
  /** The current relay: a restarted backend comes with a new one. */
  readonly #relay: () => BackendRelay | undefined;
  readonly #log: (message: string) => void;

  constructor(relay: () => BackendRelay | undefined, log: (message: string) => void) {
    this.#relay = relay;
    this.#log = log;
  }

  /** Binds a window's renderer; its connection ends when the renderer goes away or reloads. */
  attach(contents: WebContents): void {
    const open = (): void =>
      this.#relay()?.open(contents.id, {
        send: (message) => {
          if (!contents.isDestroyed()) contents.send(PROTOCOL_CHANNEL, message);
        },
        // Terminal output as bytes, structured-cloned to the renderer (a Uint8Array there).
        sendOutput: (frame) => {
          if (!contents.isDestroyed()) contents.send(PROTOCOL_CHANNEL, frame);
        },
      });
    contents.on('did-finish-load', open);
    contents.once('destroyed', () => this.#relay()?.close(contents.id));
  }

  /** ipcMain listener: drops (and logs) anything not from the app's own main frame. */
  readonly onMessage = (event: IpcMainEvent, message: unknown): void => {
    const frame = event.senderFrame;
    if (!isTrustedSender(frame?.url, frame !== null && frame === event.sender.mainFrame)) {
      this.#log(`dropped an IPC message from an untrusted frame (${frame?.url ?? 'unknown'})`);
      return;
    }
    if (typeof message === 'string') this.#relay()?.receive(event.sender.id, message);
  };
}
