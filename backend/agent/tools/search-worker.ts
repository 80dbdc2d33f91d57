/** The worker thread `search_files` runs its search in (see search-scan.ts for why). */
import { parentPort, workerData } from 'node:worker_threads';
import type { SearchRequest, SearchWorkerMessage } from './search-protocol.ts';
import { scan } from './search-scan.ts';

const port = parentPort;
if (!port) throw new Error('search-worker runs only as a worker thread');
const post = (message: SearchWorkerMessage) => port.postMessage(message);

scan(workerData as SearchRequest, (line) => post({ type: 'match', line })).then(
  (stoppedAtLimit) => post({ type: 'done', stoppedAtLimit }),
  (error: unknown) =>
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
);
