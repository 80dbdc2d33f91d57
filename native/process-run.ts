/**
 * Running one command in this process: to its end with its output kept
 * (execFile), or with its output handed over as it comes (spawn). The
 * process launcher's small child runs commands with these, and the backend
 * itself does when the launcher is off (see process-launcher.ts).
 */
import { execFile, spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

export const DEFAULT_MAX_BUFFER = 1024 * 1024;

export interface LaunchResult {
  stdout: string;
  stderr: string;
  /** The exit code; null when the command was killed or could not start. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the command did not run to an exit of its own: not found, time limit, too much output. */
  error: { message: string; code: string | null } | null;
}

export interface LaunchOptions {
  cwd?: string;
  /** The whole environment of the command (defaults to the backend's). */
  env?: NodeJS.ProcessEnv;
  /** Written to the command's stdin, which is then closed (always closed). */
  input?: string;
  timeoutMs?: number;
  maxBuffer?: number;
}

export interface StreamOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Its own process group (so a time limit can end what it started). */
  detached?: boolean;
  onData: (text: string) => void;
  onPid?: (pid: number) => void;
}

export function runDirect(
  file: string,
  args: string[],
  options: LaunchOptions,
): Promise<LaunchResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs,
        maxBuffer: options.maxBuffer ?? DEFAULT_MAX_BUFFER,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ stdout, stderr, code: 0, signal: null, error: null });
          return;
        }
        const code = typeof error.code === 'number' ? error.code : null;
        resolve({
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
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}

export function streamDirect(
  file: string,
  args: string[],
  options: StreamOptions,
): Promise<LaunchResult> {
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: options.detached ?? false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) options.onPid?.(child.pid);
    const decoders = [new StringDecoder('utf8'), new StringDecoder('utf8')] as const;
    const take = (decoder: StringDecoder) => (chunk: Buffer) => {
      // A character split across chunks waits for its end.
      const text = decoder.write(chunk);
      if (text !== '') options.onData(text);
    };
    child.stdout.on('data', take(decoders[0]));
    child.stderr.on('data', take(decoders[1]));
    let failed: string | null = null;
    child.on('error', (error) => {
      failed = error.message;
    });
    child.on('close', (code, signal) =>
      resolve({
        stdout: '',
        stderr: '',
        code,
        signal,
        error: failed === null ? null : { message: failed, code: null },
      }),
    );
  });
}
