/**
 * Runs web mode as the user does (`node backend/server/main.ts`) in a child
 * process with a throwaway data folder, and reads the URL it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const START_TIMEOUT_MS = 15_000;

export interface WebAppOptions {
  env?: Record<string, string>;
}

export class WebApp {
  readonly dataDir: string;
  readonly token = randomBytes(32).toString('base64url');
  readonly #env: Record<string, string>;
  #child: ChildProcess | undefined;
  #port = 0;
  output = '';

  constructor(options: WebAppOptions = {}) {
    this.dataDir = mkdtempSync(join(tmpdir(), 'troika-e2e-'));
    this.#env = options.env ?? {};
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}/?token=${this.token}`;
  }

  /** The web-mode process, e.g. to read its memory. */
  get pid(): number {
    return this.#child?.pid ?? 0;
  }

  /** The backend's resident memory now (`VmRSS`) or at its peak so far (`VmHWM`), in MB (Linux). */
  memoryMb(field: 'VmRSS' | 'VmHWM'): number {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${this.pid}/status`, 'utf8'),
    );
    return Number(match?.[1] ?? NaN) / 1024;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Starts the server; on a restart it reuses the same port and token, as a user's pinned config would. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, [join(ROOT, 'backend/server/main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        TROIKA_DATA_DIR: this.dataDir,
        TROIKA_PORT: String(this.#port),
        TROIKA_TOKEN: this.token,
        ...this.#env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (this.output += chunk));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`web mode did not start in time:\n${this.output}`)),
        START_TIMEOUT_MS,
      );
      child.stdout?.on('data', (chunk: string) => {
        this.output += chunk;
        const match = /listening on 127\.0\.0\.1:(\d+)/.exec(this.output);
        if (match) {
          clearTimeout(timer);
          this.#port = Number(match[1]);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`web mode exited with ${code}:\n${this.output}`));
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  /** Kills the server at once (SIGKILL): no shutdown code runs, as in a crash. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
