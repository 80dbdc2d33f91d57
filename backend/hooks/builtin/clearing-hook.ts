/**
 * The `clearing` built-in: tool-result clearing (see
 * `tool-result-clearing.ts`) as a ModelRequest hook. Before every model
 * request it clears older tool results from the messages the request sends
 * (the stored conversation is untouched), and tells the token cache's
 * ledger, so that no later call is answered with a reference to a result the
 * model can no longer see. Results the ledger knows are superseded by a
 * newer full copy go in the same batch.
 */
import type { Hook } from '../hook.ts';
import type { CacheLedger } from './cache-hook.ts';
import type { Clearing, ToolResultClearing } from './tool-result-clearing.ts';

export const CLEARING_HOOK_NAME = 'clearing';

export interface ClearingHookOptions {
  /** The agent's clearing state: what was cleared so far (it only grows, for prompt caching). */
  readonly clearing: ToolResultClearing;
  /** The agent's cache ledger (shared with the cache hook). */
  readonly ledger: CacheLedger;
  /** Told about each clearing that cleared more results. */
  readonly onCleared?: (clearing: Clearing) => void;
}

export function clearingHook(options: ClearingHookOptions): Hook {
  const { clearing, ledger } = options;
  return {
    name: CLEARING_HOOK_NAME,
    modelRequest(state) {
      if (state.messages === undefined) return undefined;
      const view = clearing.apply(state.messages, ledger.superseded());
      if (view.clearing === undefined)
        return view.messages === state.messages ? undefined : { messages: view.messages };
      // A reference to a cleared result would point at a placeholder: the next ask gets the content.
      ledger.forgetResults(view.clearing.toolUseIds);
      options.onCleared?.(view.clearing);
      return { messages: view.messages };
    },
  };
}
