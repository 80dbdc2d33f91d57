/**
 * The small process that starts short commands (git) for the backend (see
 * process-launcher.ts). It loads nothing else, so forking it stays cheap; it
 * ends when the backend closes the channel.
 */
import type { LaunchProgress, LaunchReply, LaunchRequest } from './process-launcher.ts';
import { runDirect, streamDirect, type LaunchResult } from './process-run.ts';

const send = process.send?.bind(process);
if (send === undefined) throw new Error('process-launcher-child runs only as a forked child');

const reply = (message: LaunchReply | LaunchProgress) => {
  // The backend went away: nobody is left to read the answer.
  if (process.connected) send(message);
};

function run(request: LaunchRequest): Promise<LaunchResult> {
  const { id } = request;
  const where = {
    ...(request.cwd !== undefined && { cwd: request.cwd }),
    env: request.env,
  };
  if (request.stream !== undefined)
    return streamDirect(request.file, request.args, {
      ...where,
      detached: request.stream.detached,
      onPid: (pid) => reply({ id, kind: 'pid', pid }),
      onData: (text) => reply({ id, kind: 'data', text }),
    });
  return runDirect(request.file, request.args, {
    ...where,
    maxBuffer: request.maxBuffer,
    ...(request.input !== undefined && { input: request.input }),
    ...(request.timeoutMs !== undefined && { timeoutMs: request.timeoutMs }),
  });
}

process.on('message', (request: LaunchRequest) => {
  run(request)
    .catch((error: unknown): LaunchResult => ({
      stdout: '',
      stderr: '',
      code: null,
      signal: null,
      error: { message: (error as Error).message, code: null },
    }))
    .then((result) => reply({ id: request.id, ...result }));
});

process.on('disconnect', () => process.exit(0));
