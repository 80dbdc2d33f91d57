/** Runs web mode (`node backend/server/main.ts`) as a child process for the benchmark, and reads its memory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const START_TIMEOUT_MS = 15_000;

export class WebModeProcess {
  readonly token = randomBytes(32).toString('base64url');
  readonly #dataDir = mkdtempSync(join(tmpdir(), 'troika-bench-'));
  #child: ChildProcess | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/?token=${this.token}`;
  }

  get pid(): number {
    return this.#child?.pid ?? 0;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [join(ROOT, 'backend/server/main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        TROIKA_DATA_DIR: this.#dataDir,
        TROIKA_PORT: '0',
        TROIKA_TOKEN: this.token,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.#child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`web mode did not start:\n${output}`)),
        START_TIMEOUT_MS,
      );
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        const match = /listening on 127\.0\.0\.1:(\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          this.port = Number(match[1]);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`web mode exited with ${code}:\n${output}`));
      });
    });
  }

  /** Resident memory now (`VmRSS`) or at its peak so far (`VmHWM`), in MB. */
  memoryMb(field: 'VmRSS' | 'VmHWM'): number {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${this.pid}/status`, 'utf8'),
    );
    return Number(match?.[1] ?? NaN) / 1024;
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.#dataDir, { recursive: true, force: true });
  }
}
