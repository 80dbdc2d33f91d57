/**
 * Starts short commands (git, mostly) from a small helper process instead of
 * the backend's own.
 *
 * Why: on Linux, Node starts a child with fork(), whose cost grows with the
 * parent's memory, and the event loop waits for it. Measured here: 3 ms per
 * spawn from a 50 MB process, 11 ms from 260 MB, 23 ms from 900 MB. A plan
 * runs hundreds of git commands (worktrees, commits, merges, the ledger), so
 * the backend stalled for seconds in all, between every agent's events. The
 * helper (process-launcher-child.ts) stays small, so its forks are cheap and
 * they happen off the backend's thread; each request costs the backend one
 * IPC message.
 *
 * Nothing is lost when the helper cannot be used: if it cannot start, or it
 * keeps dying, commands start directly as before (said once on stderr).
 * Commands in flight when it dies fail with an error saying so: they may or
 * may not have run, so they are not run again behind the caller's back.
 * `TROIKA_PROCESS_LAUNCHER=0` turns the helper off.
 */
import { type ChildProcess, fork } from 'node:child_process';
import {
  DEFAULT_MAX_BUFFER,
  runDirect,
  streamDirect,
  type LaunchOptions,
  type LaunchResult,
  type StreamOptions,
} from './process-run.ts';

export type { LaunchOptions, LaunchResult, StreamOptions } from './process-run.ts';

export interface LaunchRequest {
  id: number;
  file: string;
  args: string[];
  cwd: string | undefined;
  env: NodeJS.ProcessEnv;
  input: string | undefined;
  timeoutMs: number | undefined;
  maxBuffer: number;
  /** Output goes back as it comes (`pid`, `data` messages) instead of with the result. */
  stream?: { detached: boolean };
}

/** A streamed command's process id, then its output as it comes; the result ends it. */
export type LaunchProgress =
  { id: number; kind: 'pid'; pid: number } | { id: number; kind: 'data'; text: string };

export interface LaunchReply extends LaunchResult {
  id: number;
  kind?: 'result';
}

/** An error shaped as `execFile`'s: `code` (exit code or errno string), `killed`, `signal`, output. */
export interface LaunchError extends Error {
  code: number | string | null;
  killed: boolean;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The helper only starts commands; more heap than this is a runaway. */
const CHILD_HEAP_MB = 64;
/** After this many unexpected exits the helper is given up for this process. */
const MAX_RESTARTS = 3;

const CHILD_URL = new URL(
  `./process-launcher-child${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`,
  import.meta.url,
);

interface Pending {
  resolve: (result: LaunchResult) => void;
  reject: (error: Error) => void;
  what: string;
  stream?: StreamOptions;
}

class Launcher {
  #child: ChildProcess | undefined;
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #exits = 0;
  #direct = process.env['TROIKA_PROCESS_LAUNCHER'] === '0';

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  run(file: string, args: string[], options: LaunchOptions): Promise<LaunchResult> {
    const child = this.#direct ? undefined : this.#ensureChild();
    if (child === undefined) return runDirect(file, args, options);
    return this.#send(child, {
      id: this.#nextId++,
      file,
      args,
      cwd: options.cwd,
      env: options.env ?? process.env,
      input: options.input,
      timeoutMs: options.timeoutMs,
      maxBuffer: options.maxBuffer ?? DEFAULT_MAX_BUFFER,
    });
  }

  stream(file: string, args: string[], options: StreamOptions): Promise<LaunchResult> {
    const child = this.#direct ? undefined : this.#ensureChild();
    if (child === undefined) return streamDirect(file, args, options);
    const request: LaunchRequest = {
      id: this.#nextId++,
      file,
      args,
      cwd: options.cwd,
      env: options.env ?? process.env,
      input: undefined,
      timeoutMs: undefined,
      maxBuffer: 0,
      stream: { detached: options.detached ?? false },
    };
    return this.#send(child, request, options);
  }

  #send(
    child: ChildProcess,
    request: LaunchRequest,
    stream?: StreamOptions,
  ): Promise<LaunchResult> {
    const { id, file, args } = request;
    return new Promise<LaunchResult>((resolve, reject) => {
      const what = `${file} ${args.join(' ').slice(0, 80)}`;
      this.#pending.set(id, { resolve, reject, what, ...(stream && { stream }) });
      if (this.#pending.size === 1) setHeld(child, true);
      child.send(request, (error) => {
        if (error) this.#settle(id, undefined, error);
      });
    });
  }

  #ensureChild(): ChildProcess | undefined {
    if (this.#child !== undefined) return this.#child;
    let child: ChildProcess;
    try {
      child = fork(CHILD_URL, [], {
        // Not the backend's flags (--test, --cpu-prof, --inspect): the helper is plain.
        execArgv: [`--max-old-space-size=${CHILD_HEAP_MB}`],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        // Electron's binary runs as Node for this child (the backend may run inside Electron).
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      });
    } catch (error) {
      this.#giveUp(`it could not start (${(error as Error).message})`);
      return undefined;
    }
    child.on('message', (reply: LaunchReply | LaunchProgress) => {
      if (reply.kind === 'pid') this.#pending.get(reply.id)?.stream?.onPid?.(reply.pid);
      else if (reply.kind === 'data') this.#pending.get(reply.id)?.stream?.onData(reply.text);
      else {
        const { id, kind: _result, ...result } = reply;
        this.#settle(id, result);
      }
    });
    child.on('error', () => undefined);
    child.on('exit', (code, signal) => this.#lost(child, code, signal));
    this.#child = child;
    setHeld(child, false);
    return child;
  }

  #settle(id: number, result: LaunchResult | undefined, error?: Error): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    if (this.#pending.size === 0 && this.#child !== undefined) setHeld(this.#child, false);
    if (result !== undefined) pending.resolve(result);
    else pending.reject(error ?? new Error(`${pending.what}: no answer`));
  }

  #lost(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#child !== child) return;
    this.#child = undefined;
    const how = signal ?? `code ${code}`;
    for (const [id, pending] of [...this.#pending]) {
      this.#settle(
        id,
        undefined,
        new Error(
          `${pending.what}: the process launcher exited (${how}) while the command ran; ` +
            'it may or may not have run',
        ),
      );
    }
    this.#exits++;
    if (this.#exits >= MAX_RESTARTS) this.#giveUp(`it exited ${this.#exits} times (last: ${how})`);
  }

  #giveUp(why: string): void {
    if (this.#direct) return;
    this.#direct = true;
    process.stderr.write(
      `[troika] the process launcher is off: ${why}; commands start from the backend itself\n`,
    );
  }
}

/** Holds the backend open only while a command is in flight. */
function setHeld(child: ChildProcess, held: boolean): void {
  const channel = child.channel as { ref(): void; unref(): void } | null | undefined;
  if (held) {
    child.ref();
    channel?.ref();
  } else {
    child.unref();
    channel?.unref();
  }
}

const launcher = new Launcher();

/** Runs a command to its end; never rejects for the command's own failure (see `code`, `error`). */
export function launch(
  file: string,
  args: string[],
  options: LaunchOptions = {},
): Promise<LaunchResult> {
  return launcher.run(file, args, options);
}

/**
 * Starts a command whose output is wanted as it comes (a gate, a setup
 * step): `onData` gets it, `onPid` the process id (for a time limit to end
 * its group); resolves with the exit when its output is closed.
 */
export function launchStreaming(
  file: string,
  args: string[],
  options: StreamOptions,
): Promise<LaunchResult> {
  return launcher.stream(file, args, options);
}

/**
 * A drop-in for `promisify(execFile)` with its option names (`timeout` in
 * ms, `maxBuffer`), run from the launcher.
 */
export function execFileLaunched(
  file: string,
  args: string[],
  options: { cwd?: string; timeout?: number; maxBuffer?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<{ stdout: string; stderr: string }> {
  const { timeout, ...rest } = options;
  return launchChecked(file, args, {
    ...rest,
    ...(timeout !== undefined && { timeoutMs: timeout }),
  });
}

/** As `promisify(execFile)`: stdout and stderr, or an error shaped as execFile's when it fails. */
export async function launchChecked(
  file: string,
  args: string[],
  options: LaunchOptions = {},
): Promise<{ stdout: string; stderr: string }> {
  const result = await launch(file, args, options);
  if (result.code === 0 && result.error === null)
    return { stdout: result.stdout, stderr: result.stderr };
  throw launchError(file, args, result);
}

export function launchError(file: string, args: string[], result: LaunchResult): LaunchError {
  const message =
    result.error?.message ??
    `Command failed: ${file} ${args.join(' ')}\n${result.stderr}`.trimEnd();
  return Object.assign(new Error(message), {
    code: result.error?.code ?? result.code,
    killed: result.signal !== null,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
  });
}

/** The helper's process id while it runs (for diagnostics and tests). */
export function launcherPid(): number | undefined {
  return launcher.pid;
}
