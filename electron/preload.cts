/**
 * Sandboxed preload: exposes only the protocol transport as `window.troika`
 * (see backend/protocol/bridge.ts). A sandboxed preload cannot import local
 * files, so the global and channel names are repeated here and checked by
 * electron/preload.test.ts.
 */
import type { IpcRendererEvent } from 'electron';
import type { TroikaBridge } from '../backend/protocol/bridge.ts';
import type { DownlinkMessage, PtyOutputFrame } from '../backend/protocol/frames.ts';

// CommonJS (sandboxed preloads cannot be ES modules), so a plain require.
// eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports
const { contextBridge, ipcRenderer } = require('electron') as typeof import('electron');

const CHANNEL = 'troika:protocol';

const bridge: TroikaBridge = {
  send(message: string): void {
    if (typeof message === 'string') ipcRenderer.send(CHANNEL, message);
  },
  onMessage(listener: (message: DownlinkMessage) => void): () => void {
    const handler = (_event: IpcRendererEvent, message: unknown): void => {
      if (typeof message === 'string' || isOutputFrame(message)) listener(message);
    };
    ipcRenderer.on(CHANNEL, handler);
    return () => ipcRenderer.removeListener(CHANNEL, handler);
  },
};

/** Terminal output as the main process sends it (see electron/ipc-transport.ts). */
function isOutputFrame(message: unknown): message is PtyOutputFrame {
  if (typeof message !== 'object' || message === null) return false;
  const { id, seq, bytes } = message as Record<string, unknown>;
  return typeof id === 'string' && typeof seq === 'number' && bytes instanceof Uint8Array;
}

contextBridge.exposeInMainWorld('troika', bridge);
