/**
 * The backend process in the desktop app: an Electron utility process running
 * backend/host/main.ts, seen by the relay through the same handle a Node
 * child process gives (backend/host/port.ts).
 */
import type { ForkOptions, UtilityProcess } from 'electron';
import type { BackendProcessHandle } from '../backend/host/port.ts';

/** `utilityProcess.fork`, passed in so Node tests can stand in for Electron. */
export type UtilityFork = (
  modulePath: string,
  args: string[],
  options: ForkOptions,
) => Pick<UtilityProcess, 'postMessage' | 'on' | 'off' | 'once' | 'kill'>;

export function forkUtilityBackend(
  fork: UtilityFork,
  entry: string,
  env: NodeJS.ProcessEnv,
): BackendProcessHandle {
  const child = fork(entry, [], {
    serviceName: 'Troika backend',
    // Its logs go where the main process's go.
    stdio: 'inherit',
    env: env as Record<string, string>,
  });
  let exitCode: number | null | undefined;
  child.once('exit', (code) => (exitCode = code));
  return {
    postMessage(message) {
      if (exitCode === undefined) child.postMessage(message);
    },
    onMessage(listener) {
      child.on('message', listener);
      return () => child.off('message', listener);
    },
    onExit(listener) {
      if (exitCode !== undefined) listener(exitCode);
      else child.once('exit', (code) => listener(code));
    },
    kill() {
      if (exitCode === undefined) child.kill();
    },
  };
}
