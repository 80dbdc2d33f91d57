/**
 * Runs one shell command for a gate or a setup step: output streamed as it
 * comes and its tail kept, killed (its whole process group) at its time
 * limit. A command that is killed counts as failed.
 */
import { spawn } from 'node:child_process';

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
  return new Promise((resolve) => {
    // Its own process group, so the limit kills what the command started too (npm → node → …).
    const child = spawn('sh', ['-c', command], {
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: '1', FORCE_COLOR: '1', ...options.env },
    });
    let output = '';
    let timedOut = false;
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-KEPT_OUTPUT_CHARS);
      options.onOutput?.(text);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    let hardKill: NodeJS.Timeout | undefined;
    const limit = setTimeout(() => {
      timedOut = true;
      const note = `\r\n[troika] time limit of ${Math.round(options.timeoutMs / 1000)} s reached: stopped\r\n`;
      take(Buffer.from(note));
      killGroup('SIGTERM');
      hardKill = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    }, options.timeoutMs);
    let done = false;
    const finish = (exitCode: number | null) => {
      if (done) return;
      done = true;
      clearTimeout(limit);
      if (hardKill) clearTimeout(hardKill);
      // Whatever the command left running in its group goes with it.
      killGroup('SIGKILL');
      resolve({
        exitCode,
        timedOut,
        durationMs: Math.round(performance.now() - started),
        output,
      });
    };
    child.on('error', (error) => {
      take(Buffer.from(`[troika] could not start: ${error.message}\n`));
      finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}
