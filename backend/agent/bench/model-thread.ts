/**
 * The bench's side of model-worker.ts: starts the scripted API on its own
 * thread and stands in for the Messages server the harness would own (only
 * its address and key are used while the agent runs; the recorded requests
 * come back when the session ends).
 */
import { Worker } from 'node:worker_threads';
import type { MessagesServer, RecordedRequest } from '../../testing/messages-server/index.ts';
import type { ModelCounts } from './honest-model.ts';
import type { ModelWorkerData } from './model-worker.ts';

type FromWorker =
  | { kind: 'ready'; url: string; apiKey: string }
  | { kind: 'done'; requests: RecordedRequest[]; counts: ModelCounts };

export class ModelThread {
  readonly server: MessagesServer;
  readonly #worker: Worker;

  private constructor(worker: Worker, url: string, apiKey: string) {
    this.#worker = worker;
    this.server = {
      url,
      apiKey,
      messageRequests: [],
      close: async () => {},
    } as unknown as MessagesServer;
  }

  static async start(data: ModelWorkerData): Promise<ModelThread> {
    const worker = new Worker(new URL('./model-worker.ts', import.meta.url), { workerData: data });
    const ready = await ModelThread.#next(worker);
    if (ready.kind !== 'ready') throw new Error('the model thread answered before it was ready');
    return new ModelThread(worker, ready.url, ready.apiKey);
  }

  /** Every request the scripted API received, and the honest model's counts. */
  async finish(): Promise<{ requests: RecordedRequest[]; counts: ModelCounts }> {
    const answer = ModelThread.#next(this.#worker);
    this.#worker.postMessage('finish');
    const done = await answer;
    if (done.kind !== 'done') throw new Error('the model thread did not send its requests');
    return { requests: done.requests, counts: done.counts };
  }

  async terminate(): Promise<void> {
    await this.#worker.terminate();
  }

  static #next(worker: Worker): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => {
        worker.off('message', onMessage);
        reject(error);
      };
      const onMessage = (message: FromWorker) => {
        worker.off('error', onError);
        resolve(message);
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
    });
  }
}
