/**
 * Starts the backend host as a plain Node child process: the same entry and
 * the same port protocol as the desktop app's utility process, over
 * `child_process.fork`'s IPC channel. Tests use it; so can anyone running the
 * desktop app's backend without Electron.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childProcessHandle, type BackendProcessHandle } from './port.ts';

/** The backend host's entry point, beside this file (main.ts in the sources, main.js when built). */
export const BACKEND_HOST_ENTRY = fileURLToPath(
  new URL(`./main${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
);

export interface ForkOptions {
  env?: NodeJS.ProcessEnv;
  /** Where the child's stdout and stderr go (default: this process's). */
  stdio?: 'inherit' | 'ignore';
}

export function forkBackendHost(options: ForkOptions = {}): BackendProcessHandle {
  const child = fork(BACKEND_HOST_ENTRY, [], {
    env: options.env ?? process.env,
    // Structured clone: terminal output stays bytes, as over Electron's port.
    serialization: 'advanced',
    stdio: ['ignore', options.stdio ?? 'inherit', options.stdio ?? 'inherit', 'ipc'],
  });
  return childProcessHandle(child);
}
