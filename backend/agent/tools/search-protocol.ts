/** What the `search_files` tool and its worker thread (search-worker.ts) send each other. */

/** The search to run, passed as the worker's `workerData`. */
export interface SearchRequest {
  /** The workspace (a real path): nothing outside it is read. */
  workspace: string;
  /** The real path to search: a folder, or one file. */
  root: string;
  rootIsDirectory: boolean;
  /** `root` as the model named it, prefixed to a single file's matches. */
  shown: string;
  pattern: string;
  flags: string;
  glob?: string;
  /** Matches after which the search stops. */
  limit: number;
}

/** From the worker: each match as it is found (so a search stopped midway still has them), then the end. */
export type SearchWorkerMessage =
  | { type: 'match'; line: string }
  | { type: 'done'; stoppedAtLimit: boolean }
  | { type: 'failed'; message: string };
