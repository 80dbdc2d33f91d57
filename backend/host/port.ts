/**
 * The one thing the backend host and the main process share: a port that
 * carries structured-cloned messages (strings, plain objects, Uint8Array).
 *
 * Two implementations of each end: Electron's utility process (`parentPort`
 * in the child, `UtilityProcess` in the parent, see electron/utility-backend.ts)
 * and Node's `child_process.fork` with an IPC channel in `advanced`
 * serialization (bytes stay bytes), which is how tests run the backend host.
 */
import type { ChildProcess } from 'node:child_process';

export interface MessagePortLike {
  postMessage(message: unknown): void;
  /** Returns the function that stops listening. */
  onMessage(listener: (message: unknown) => void): () => void;
}

/** The main process's handle on the backend process. */
export interface BackendProcessHandle extends MessagePortLike {
  /** Called once when the process has ended (`code` null when killed by a signal). */
  onExit(listener: (code: number | null) => void): void;
  /** Ends the process (SIGTERM or the platform's equivalent). */
  kill(): void;
}

/** Electron's `process.parentPort` in a utility process, declared here because backend/ never imports electron. */
interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  off(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

/**
 * The port to whoever started this process: the desktop app's main process
 * (Electron utility process) or a Node parent (`child_process.fork`).
 */
export function parentPortOf(proc: NodeJS.Process = process): MessagePortLike {
  const electronPort = (proc as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      postMessage: (message) => electronPort.postMessage(message),
      onMessage(listener) {
        const handler = (event: { data: unknown }): void => listener(event.data);
        electronPort.on('message', handler);
        return () => electronPort.off('message', handler);
      },
    };
  }
  const send = proc.send?.bind(proc);
  if (!send) {
    throw new Error(
      'The backend host needs a parent to talk to: start it with Electron utilityProcess.fork, or child_process.fork with an IPC channel',
    );
  }
  return {
    postMessage(message) {
      // After the parent went away there is no one to tell; the 'disconnect' handler ends the process.
      if (proc.connected) send(message);
    },
    onMessage(listener) {
      proc.on('message', listener);
      return () => proc.off('message', listener);
    },
  };
}

/** The parent's end of a `child_process.fork` with `serialization: 'advanced'`. */
export function childProcessHandle(child: ChildProcess): BackendProcessHandle {
  let exited = false;
  child.once('exit', () => (exited = true));
  return {
    postMessage(message) {
      if (child.connected) child.send(message as object);
    },
    onMessage(listener) {
      child.on('message', listener);
      return () => child.off('message', listener);
    },
    onExit(listener) {
      if (exited) listener(child.exitCode);
      else child.once('exit', (code) => listener(code));
    },
    kill() {
      if (!exited) child.kill();
    },
  };
}
