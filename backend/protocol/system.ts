/** Methods and events about the backend itself. */
import { z } from 'zod';
import { method } from './define.ts';

export interface HelloResult {
  app: 'troika';
  version: string;
  /** Which host runs the backend: the desktop app or web mode. */
  host: 'electron' | 'web';
  platform: string;
  /** Whether an API key is configured; the key itself never leaves the backend. */
  apiKeyConfigured: boolean;
  maxAgents: number;
}

export const systemMethods = {
  'system.hello': method(z.strictObject({})).returns<HelloResult>(),
  /** Opens the desktop app's native folder picker; web mode has none (`supported: false`) and the UI takes a typed path. */
  'system.pickFolder': method(z.strictObject({ title: z.string().max(200).optional() })).returns<{
    supported: boolean;
    /** The chosen folder, or null when cancelled or unsupported. */
    path: string | null;
  }>(),
  'system.ping': method(z.strictObject({ nonce: z.string().max(64).optional() })).returns<{
    nonce?: string;
    serverTime: number;
  }>(),
};
