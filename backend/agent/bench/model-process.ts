/**
 * The bench's side of model-worker.ts: starts the scripted API in its own
 * process and stands in for the Messages server the harness would own (only
 * its address and key are used while the agent runs; the recorded requests
 * come back when the session ends).
 *
 * In the product the model is a remote service: its CPU is not the user's.
 * Here it shares the machine with the process whose hook times are measured,
 * so it runs at the lowest scheduling priority (`nice -n 19`, where the
 * platform has `nice`): when Troika's main thread has work, the stand-in
 * gives way. Its own process, not a worker thread, so that its garbage
 * collection does not queue on the measured process's V8 helper threads.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MessagesServer, RecordedRequest } from '../../testing/messages-server/index.ts';
import type { ModelCounts } from './honest-model.ts';
import type { ModelWorkerData } from './model-worker.ts';

type FromWorker =
  | { kind: 'ready'; url: string; apiKey: string }
  | { kind: 'done'; requests: RecordedRequest[]; counts: ModelCounts };

const NICE = ['/usr/bin/nice', '/bin/nice'].find((path) => existsSync(path));

export class ModelProcess {
  readonly server: MessagesServer;
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess, url: string, apiKey: string) {
    this.#child = child;
    this.server = {
      url,
      apiKey,
      messageRequests: [],
      close: async () => {},
    } as unknown as MessagesServer;
  }

  static async start(data: ModelWorkerData): Promise<ModelProcess> {
    const script = fileURLToPath(new URL('./model-worker.ts', import.meta.url));
    const child = fork(script, [JSON.stringify(data)], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      ...(NICE !== undefined && {
        execPath: NICE,
        execArgv: ['-n', '19', process.execPath, ...process.execArgv],
      }),
    });
    const ready = await ModelProcess.#next(child);
    if (ready.kind !== 'ready') throw new Error('the model process answered before it was ready');
    return new ModelProcess(child, ready.url, ready.apiKey);
  }

  /** Every request the scripted API received, and the honest model's counts. */
  async finish(): Promise<{ requests: RecordedRequest[]; counts: ModelCounts }> {
    const answer = ModelProcess.#next(this.#child);
    this.#child.send('finish');
    const done = await answer;
    if (done.kind !== 'done') throw new Error('the model process did not send its requests');
    return { requests: done.requests, counts: done.counts };
  }

  async terminate(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.kill();
    await exited;
  }

  static #next(child: ChildProcess): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => {
        child.off('message', onMessage);
        reject(new Error(`the model process exited (${code}) before it answered`));
      };
      const onMessage = (message: FromWorker) => {
        child.off('exit', onExit);
        resolve(message);
      };
      child.once('message', onMessage);
      child.once('exit', onExit);
    });
  }
}
