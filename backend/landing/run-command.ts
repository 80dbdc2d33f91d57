/**
 * Runs one shell command for a gate or a setup step: output streamed as it
 * comes and its tail kept, killed (its whole process group) at its time
 * limit. A command that is killed counts as failed.
 */
import { launchStreaming } from '../../native/process-launcher.ts';

/** What a result keeps of the output; all of it was streamed. */
const KEPT_OUTPUT_CHARS = 64 * 1024;
/** After SIGTERM at the limit, how long before SIGKILL. */
const KILL_GRACE_MS = 2000;

export interface CommandRun {
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  output: string;
}

export function runCommand(
  command: string,
  options: {
    cwd: string;
    timeoutMs: number;
    onOutput?: (chunk: string) => void;
    env?: NodeJS.ProcessEnv;
  },
): Promise<CommandRun> {
  const started = performance.now();
  let output = '';
  let timedOut = false;
  let pid: number | undefined;
  let ended = false;
  const take = (text: string) => {
    output = (output + text).slice(-KEPT_OUTPUT_CHARS);
    options.onOutput?.(text);
  };
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (pid !== undefined) process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };
  let hardKill: NodeJS.Timeout | undefined;
  const limit = setTimeout(() => {
    timedOut = true;
    take(
      `\r\n[troika] time limit of ${Math.round(options.timeoutMs / 1000)} s reached: stopped\r\n`,
    );
    killGroup('SIGTERM');
    hardKill = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
  }, options.timeoutMs);
  // Started by the launcher (no fork of the backend); its own process group, so the limit
  // kills what the command started too (npm → node → …).
  return launchStreaming('sh', ['-c', command], {
    cwd: options.cwd,
    detached: true,
    env: { ...process.env, CI: '1', FORCE_COLOR: '1', ...options.env },
    onData: take,
    onPid: (started) => {
      pid = started;
      // The limit passed before the process id arrived.
      if (timedOut || ended) killGroup('SIGKILL');
    },
  })
    .then(
      (result) => {
        if (result.error !== null) take(`[troika] could not start: ${result.error.message}\n`);
        return result.error !== null ? null : result.code;
      },
      (error: Error) => {
        take(`[troika] ${error.message}\n`);
        return null;
      },
    )
    .then((exitCode) => {
      ended = true;
      clearTimeout(limit);
      if (hardKill) clearTimeout(hardKill);
      // Whatever the command left running in its group goes with it.
      killGroup('SIGKILL');
      return {
        exitCode,
        timedOut,
        durationMs: Math.round(performance.now() - started),
        output,
      };
    });
}
