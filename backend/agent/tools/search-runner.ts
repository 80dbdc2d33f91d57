/**
 * Runs a search in its own worker thread (search-worker.ts), off the backend's
 * event loop: a catastrophic pattern or a huge tree costs that thread only, and
 * a time limit or the user's Stop terminates it at once.
 */
import { Worker } from 'node:worker_threads';
import type { SearchRequest, SearchWorkerMessage } from './search-protocol.ts';

/**
 * The worker's own extension: `.ts` when Node runs the sources, `.js` in dist/node,
 * where tsc emits search-worker.js next to this file.
 */
const WORKER_URL = new URL(
  `./search-worker${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`,
  import.meta.url,
);
/** A search holds at most a 1 MB file and 500 matches; more heap than this is a runaway. */
const WORKER_HEAP_MB = 256;

export type SearchOutcome =
  | { status: 'done' | 'limit' | 'timeout' | 'aborted'; matches: string[] }
  | { status: 'failed'; matches: string[]; message: string };

export function runSearch(
  request: SearchRequest,
  options: { timeLimitMs: number; signal: AbortSignal },
): Promise<SearchOutcome> {
  const matches: string[] = [];
  if (options.signal.aborted) return Promise.resolve({ status: 'aborted', matches });
  const worker = new Worker(WORKER_URL, {
    workerData: request,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  return new Promise<SearchOutcome>((resolve) => {
    let settled = false;
    const settle = (outcome: SearchOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      // Not awaited: the answer must not wait for the thread to wind down.
      void worker.terminate();
      resolve(outcome);
    };
    const onAbort = () => settle({ status: 'aborted', matches });
    const timer = setTimeout(() => settle({ status: 'timeout', matches }), options.timeLimitMs);
    options.signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: SearchWorkerMessage) => {
      if (message.type === 'match') matches.push(message.line);
      else if (message.type === 'done')
        settle({ status: message.stoppedAtLimit ? 'limit' : 'done', matches });
      else settle({ status: 'failed', matches, message: message.message });
    });
    worker.on('error', (error) => settle({ status: 'failed', matches, message: error.message }));
    worker.on('exit', (code) =>
      settle({ status: 'failed', matches, message: `the search thread exited (code ${code})` }),
    );
  });
}
