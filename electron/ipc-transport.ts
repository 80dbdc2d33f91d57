/**
 * The protocol over Electron IPC: one {@link Connection} per renderer, fed
 * only by messages from the app's own main frame.
 */
import type { IpcMainEvent, WebContents } from 'electron';
import type { Backend } from '../backend/app.ts';
import { Connection } from '../backend/server/connection.ts';
import { isTrustedSender, PROTOCOL_CHANNEL } from './security.ts';

export class IpcTransport {
  readonly #connections = new Map<number, Connection>();
  readonly #backend: Backend;
  readonly #log: (message: string) => void;

  constructor(backend: Backend, log: (message: string) => void) {
    this.#backend = backend;
    this.#log = log;
  }

  /** Binds a window's renderer; its connection ends when the renderer goes away or reloads. */
  attach(contents: WebContents): void {
    const open = (): void => {
      this.#connections.get(contents.id)?.close();
      this.#connections.set(
        contents.id,
        new Connection({
          router: this.#backend.router,
          events: this.#backend.events,
          send: (message) => {
            if (!contents.isDestroyed()) contents.send(PROTOCOL_CHANNEL, message);
          },
          // Terminal output as bytes, structured-cloned to the renderer (a Uint8Array there).
          sendOutput: (frame) => {
            if (!contents.isDestroyed()) contents.send(PROTOCOL_CHANNEL, frame);
          },
          log: this.#log,
        }),
      );
    };
    contents.on('did-finish-load', open);
    contents.once('destroyed', () => {
      this.#connections.get(contents.id)?.close();
      this.#connections.delete(contents.id);
    });
  }

  /** ipcMain listener: drops (and logs) anything not from the app's own main frame. */
  readonly onMessage = (event: IpcMainEvent, message: unknown): void => {
    const frame = event.senderFrame;
    if (!isTrustedSender(frame?.url, frame !== null && frame === event.sender.mainFrame)) {
      this.#log(`dropped an IPC message from an untrusted frame (${frame?.url ?? 'unknown'})`);
      return;
    }
    const connection = this.#connections.get(event.sender.id);
    if (connection && typeof message === 'string') void connection.receive(message);
  };

  dispose(): void {
    for (const connection of this.#connections.values()) connection.close();
    this.#connections.clear();
  }
}
