/**
 * Sandboxed preload: exposes only the protocol transport as `window.troika`
 * (see backend/protocol/bridge.ts). A sandboxed preload cannot import local
 * files, so the global and channel names are repeated here and checked by
 * electron/preload.test.ts.
 */
import type { IpcRendererEvent } from 'electron';
import type { TroikaBridge } from '../backend/protocol/bridge.ts';

// CommonJS (sandboxed preloads cannot be ES modules), so a plain require.
// eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports
const { contextBridge, ipcRenderer } = require('electron') as typeof import('electron');

const CHANNEL = 'troika:protocol';

const bridge: TroikaBridge = {
  send(message: string): void {
    if (typeof message === 'string') ipcRenderer.send(CHANNEL, message);
  },
  onMessage(listener: (message: string) => void): () => void {
    const handler = (_event: IpcRendererEvent, message: unknown): void => {
      if (typeof message === 'string') listener(message);
    };
    ipcRenderer.on(CHANNEL, handler);
    return () => ipcRenderer.removeListener(CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('troika', bridge);
