/**
 * The small process that starts short commands (git) for the backend (see
 * process-launcher.ts). It loads nothing else, so forking it stays cheap; it
 * ends when the backend closes the channel.
 */
import { execFile, spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { LaunchProgress, LaunchReply, LaunchRequest } from './process-launcher.ts';

const send = process.send?.bind(process);
if (send === undefined) throw new Error('process-launcher-child runs only as a forked child');

const reply = (message: LaunchReply | LaunchProgress) => {
  // The backend went away: nobody is left to read the answer.
  if (process.connected) send(message);
};

/** A command whose output goes back as it comes; its exit ends the request. */
function stream(request: LaunchRequest & { stream: { detached: boolean } }): void {
  const { id } = request;
  const child = spawn(request.file, request.args, {
    cwd: request.cwd,
    env: request.env,
    detached: request.stream.detached,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) reply({ id, kind: 'pid', pid: child.pid });
  for (const output of [child.stdout, child.stderr]) {
    const decoder = new StringDecoder('utf8');
    output.on('data', (chunk: Buffer) => {
      const text = decoder.write(chunk);
      if (text !== '') reply({ id, kind: 'data', text });
    });
  }
  let failed: string | null = null;
  child.on('error', (error) => {
    failed = error.message;
  });
  child.on('close', (code, signal) =>
    reply({
      id,
      stdout: '',
      stderr: '',
      code,
      signal,
      error: failed === null ? null : { message: failed, code: null },
    }),
  );
}

process.on('message', (request: LaunchRequest) => {
  try {
    if (request.stream !== undefined) {
      stream({ ...request, stream: request.stream });
      return;
    }
    const child = execFile(
      request.file,
      request.args,
      {
        cwd: request.cwd,
        env: request.env,
        timeout: request.timeoutMs,
        maxBuffer: request.maxBuffer,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error === null) {
          reply({ id: request.id, stdout, stderr, code: 0, signal: null, error: null });
          return;
        }
        const code = typeof error.code === 'number' ? error.code : null;
        reply({
          id: request.id,
          stdout,
          stderr,
          code,
          signal: (error.signal as NodeJS.Signals | undefined) ?? null,
          error:
            code !== null && !error.killed
              ? null
              : {
                  message: error.message,
                  code: typeof error.code === 'string' ? error.code : null,
                },
        });
      },
    );
    // A command that exits without reading its input must not end this process with EPIPE.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(request.input ?? '');
  } catch (error) {
    reply({
      id: request.id,
      stdout: '',
      stderr: '',
      code: null,
      signal: null,
      error: { message: (error as Error).message, code: null },
    });
  }
});

process.on('disconnect', () => process.exit(0));
