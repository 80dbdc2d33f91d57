/**
 * `host/` owns the desktop app's backend process (this entry point), the main
 * process's relay to it and the typed channel between them.
 *
 * Entry point of the desktop app's backend process: started by the main
 * process with Electron's `utilityProcess.fork` (electron/utility-backend.ts),
 * or by `child_process.fork` with an IPC channel (tests; see fork.ts). It does
 * nothing until the main process sends `start`.
 */
import { startBackendHost } from './backend-host.ts';
import { parentPortOf } from './port.ts';

const host = startBackendHost({ port: parentPortOf() });

// A Node parent that went away leaves no one to serve: end the terminals and close the database, then exit.
// (An Electron utility process is ended by Electron itself when the app goes.)
process.once('disconnect', () => {
  void host.shutdown().finally(() => process.exit(0));
});
