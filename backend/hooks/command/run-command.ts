/**
 * Runs one hook command: the command line from the user's settings goes to
 * the shell (it is theirs, like a line in a Makefile); the event goes only to
 * stdin, so nothing in a tool input or prompt can inject into the command.
 * Output is captured up to a bound, and a command that runs too long is
 * killed with every process it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** Hook output is a decision or a short note; more than this is noise (or a runaway). */
export const MAX_HOOK_OUTPUT_BYTES = 256 * 1024;
/**
 * After the command exits, a process it left in the background may hold its
 * output pipes open; this long is waited for them, then they are let go.
 */
export const STDIO_DRAIN_MS = 2_000;
/** After a kill, this long is waited for the pipes to close before giving up on them. */
const KILL_GRACE_MS = 2_000;

export interface RunCommandOptions {
  readonly command: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed. */
  readonly stdin: string;
  readonly timeoutMs: number;
  readonly maxOutputBytes?: number;
  /** bash's path (see `hook-shell.ts`), run as `bash --norc --noprofile -c command`; default `true`: sh, or cmd on Windows. */
  readonly shell?: string | true;
  /** Aborting kills the command (the agent was stopped). */
  readonly signal?: AbortSignal;
}

export interface CommandRun {
  /** `null` when it was killed or never started. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputTruncated: boolean;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  /** Set when the process could not be started at all. */
  readonly spawnError?: Error;
}

/** Kill `child` and its descendants: its process group on POSIX, its tree on Windows. */
export function killProcessTree(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    const killer = spawn('taskkill', ['/pid', String(pid), '/T', '/F'], {
      stdio: 'ignore',
      windowsHide: true,
    });
    killer.on('error', () => child.kill());
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is gone already, or the child never led one.
    child.kill('SIGKILL');
  }
}

class BoundedBuffer {
  readonly #chunks: Buffer[] = [];
  #bytes = 0;
  truncated = false;
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  add(chunk: Buffer): void {
    const room = this.#max - this.#bytes;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length < chunk.length) this.truncated = true;
    this.#chunks.push(kept);
    this.#bytes += kept.length;
  }

  text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }
}

/** Run `command` through the shell with the event on stdin. Never rejects: failures are in the result. */
export function runCommand(options: RunCommandOptions): Promise<CommandRun> {
  const max = options.maxOutputBytes ?? MAX_HOOK_OUTPUT_BYTES;
  const stdout = new BoundedBuffer(max);
  const stderr = new BoundedBuffer(max);
  return new Promise((resolve) => {
    let timedOut = false;
    let aborted = false;
    let settled = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const timers: NodeJS.Timeout[] = [];

    let child: ChildProcess;
    try {
      // bash reads ~/.bashrc when its stdin looks like a network connection, and
      // Node's pipes are socket pairs: --norc keeps a user's rc noise out of hook output.
      const [file, args] =
        typeof options.shell === 'string'
          ? [options.shell, ['--norc', '--noprofile', '-c', options.command]]
          : [options.command, []];
      child = spawn(file, args, {
        cwd: options.cwd,
        env: options.env,
        shell: typeof options.shell !== 'string',
        // Its own process group, so a timeout kills what it started too.
        detached: process.platform !== 'win32',
        stdio: ['pipe', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (error) {
      resolve(result(null, null, error as Error));
      return;
    }

    function result(
      code: number | null,
      signal: NodeJS.Signals | null,
      spawnError?: Error,
    ): CommandRun {
      return {
        exitCode: code,
        signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        outputTruncated: stdout.truncated || stderr.truncated,
        timedOut,
        aborted,
        ...(spawnError !== undefined && { spawnError }),
      };
    }

    const finish = (spawnError?: Error): void => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve(result(exit?.code ?? null, exit?.signal ?? null, spawnError));
    };

    const kill = (): void => {
      killProcessTree(child);
      timers.push(setTimeout(() => finish(), KILL_GRACE_MS));
    };
    function onAbort(): void {
      aborted = true;
      kill();
    }

    child.stdout?.on('data', (chunk: Buffer) => stdout.add(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.add(chunk));
    // A command that does not read its stdin closes the pipe early: not an error.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.stdin);
    child.on('error', (error) => finish(error));
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      timers.push(setTimeout(() => finish(), STDIO_DRAIN_MS));
    });
    child.on('close', (code, signal) => {
      exit ??= { code, signal };
      finish();
    });
    timers.push(
      setTimeout(() => {
        if (exit !== undefined) return;
        timedOut = true;
        kill();
      }, options.timeoutMs),
    );
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
