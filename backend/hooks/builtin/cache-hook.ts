/**
 * The `cache` built-in: the token cache in the agent loop.
 *
 * PreToolUse, for a read-only call (see `read-only-calls.ts`):
 * 1. If this conversation already received the same result and every file it
 *    depends on still has the hash it had then, the call is answered with a
 *    short reference to that earlier result instead of the content: the
 *    tokens saved are counted. A reference is only ever given to a result
 *    the model still sees: once the runtime has summarized it away or
 *    cleared it (see `tool-result-clearing.ts`), the full result is sent.
 *    If the model asks again in the turn right after a reference, it gets
 *    the full result too: it evidently could not use the earlier one, and a
 *    second reference could send it round in circles. Later asks (the model
 *    went on and came back) get a reference again while the earlier result
 *    is still in view.
 * 2. Else, if the token cache holds a result whose dependencies are
 *    unchanged, the call is answered from it and the tool does not run.
 * 3. Else the dependencies' hashes are captured before the tool runs.
 *
 * PostToolUse: a fresh read-only result is stored with the hashes captured
 * before it ran (so it can never be recorded against a newer file than it
 * saw), and remembered as received. An editor write tells the cache at once
 * (its entries stop being served) and is rehashed while the result goes back
 * to the model; a read-only call waits for pending rehashes before it looks;
 * after a shell command, the cache waits for the changes the watcher has
 * reported, and folder-wide results are no longer referenced (a command can
 * change what the tree does not track, such as `node_modules`).
 *
 * Put it after the hooks that may change a call's input or deny it, and after
 * redaction, so the cache only ever holds redacted text.
 */
import { BASH_TOOL_NAME, EDITOR_TOOL_NAME } from '../../protocol/tool-names.ts';
import { changeAnswer } from './change-answer.ts';
import type { Dependency, TokenCache } from '../../../cache/index.ts';
import type { Hook } from '../hook.ts';
import { readOnlyCall, writtenPath, type ReadOnlyCall } from './read-only-calls.ts';

export const CACHE_HOOK_NAME = 'cache';
/** Bytes per token, as the token estimate the benchmarks use (`ceil(utf8Bytes / 4)`). */
export const BYTES_PER_TOKEN = 4;
/** A result this small is cheaper to send again than to explain; references start above it. */
export const MIN_REFERENCE_TOKENS = 100;

/** Estimated tokens of a text. */
export function estimateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text) / BYTES_PER_TOKEN);
}

/** What the cache did for one agent. */
export interface CacheStats {
  /** Read-only calls looked at. */
  readonly lookups: number;
  /** Answered from the token cache (the tool did not run). */
  readonly hits: number;
  readonly misses: number;
  /** Answered with a short reference to a result the conversation already has. */
  readonly references: number;
  /** Fresh results stored in the token cache. */
  readonly stored: number;
  /** Changed files read again, answered with what changed since the model's earlier copy. */
  readonly changeAnswers: number;
  /** Tokens not sent thanks to references and change answers (content minus the answer's own size). */
  readonly tokensSaved: number;
  /** Tokens of results served from the cache instead of running the tool (still sent to the model). */
  readonly tokensServedFromCache: number;
}

interface Received {
  readonly toolUseId: string;
  readonly deps: readonly Dependency[];
  readonly tokens: number;
  readonly label: string;
  readonly folderWide: boolean;
  /** The model turn in which a reference to it was last given. */
  referencedInTurn: number | undefined;
  /** The full result the model has for this read (a file view), to answer a changed re-read with what changed. */
  readonly text?: string;
  /** Earlier results this one was given relative to (a change answer): clearing any of them loses it. */
  readonly basedOn?: readonly string[];
}

/**
 * One agent's conversation as the cache sees it: the read-only results it has
 * received, and the counters. Kept across the agent's runs.
 */
export class CacheLedger {
  readonly #received = new Map<string, Received>();
  /** Every full read-only result the conversation holds, by tool_use_id: its key. */
  readonly #fullResults = new Map<string, string>();
  /** The newest full result of each key: older ones are superseded. */
  readonly #latestFull = new Map<string, string>();
  #turn = 0;
  readonly #stats = {
    lookups: 0,
    hits: 0,
    misses: 0,
    references: 0,
    changeAnswers: 0,
    stored: 0,
    tokensSaved: 0,
    tokensServedFromCache: 0,
  };

  stats(): CacheStats {
    return { ...this.#stats };
  }

  /**
   * The conversation no longer holds earlier results (the runtime summarized
   * older turns): nothing may be answered with a reference to them.
   */
  forgetReceived(): void {
    this.#received.clear();
    this.#fullResults.clear();
    this.#latestFull.clear();
  }

  /**
   * These results were cleared from the model's view (tool-result clearing):
   * a call that asks for one of them again gets the full result, never a
   * reference to the placeholder.
   */
  forgetResults(toolUseIds: Iterable<string>): void {
    const ids = new Set(toolUseIds);
    for (const [key, entry] of this.#received)
      if (ids.has(entry.toolUseId) || entry.basedOn?.some((id) => ids.has(id)))
        this.#received.delete(key);
    for (const id of ids) {
      const key = this.#fullResults.get(id);
      this.#fullResults.delete(id);
      if (key !== undefined && this.#latestFull.get(key) === id) this.#latestFull.delete(key);
    }
  }

  /**
   * Results the conversation holds a newer full copy of (the same read, made
   * again after a change or sent again in full): the model works from the newer one.
   */
  superseded(): Set<string> {
    const found = new Set<string>();
    for (const [id, key] of this.#fullResults) if (this.#latestFull.get(key) !== id) found.add(id);
    return found;
  }

  /** A model request is about to be sent: results given from now on are seen in the model's next turn. */
  nextTurn(): void {
    this.#turn++;
  }

  /** @internal */
  get turn(): number {
    return this.#turn;
  }

  /** @internal */
  get counters(): { -readonly [K in keyof CacheStats]: number } {
    return this.#stats;
  }

  /** @internal */
  received(key: string): Received | undefined {
    return this.#received.get(key);
  }

  /** @internal */
  remember(key: string, entry: Omit<Received, 'referencedInTurn'>): void {
    this.#received.set(key, { ...entry, referencedInTurn: undefined });
    // A change answer is no full copy: the result it builds on is not superseded.
    if (entry.basedOn !== undefined) return;
    this.#fullResults.set(entry.toolUseId, key);
    this.#latestFull.set(key, entry.toolUseId);
  }

  /** @internal */
  forgetFolderWide(): void {
    for (const [key, entry] of this.#received) if (entry.folderWide) this.#received.delete(key);
  }
}

export interface CacheHookOptions {
  /** The token cache over the agent's workspace (its root is the session's `cwd`). */
  readonly cache: TokenCache;
  readonly ledger: CacheLedger;
  /** Told after every call the cache answered or missed. */
  readonly onStats?: (stats: CacheStats) => void;
  /** Default {@link MIN_REFERENCE_TOKENS}. */
  readonly minReferenceTokens?: number;
  /** Answer repeated reads from the token cache (the `tokenCache` switch). Default true. */
  readonly answers?: boolean;
  /** Answer repeated reads still in view with a reference (the `references` switch). Default true. */
  readonly references?: boolean;
}

function referenceText(call: ReadOnlyCall, earlier: Received): string {
  return (
    `[Unchanged: you already received this exact result in tool_use_id ${earlier.toolUseId} (${call.label}), ` +
    'and the files it depends on have not changed since. Use that earlier result. ' +
    'If it is no longer in your context, make the same call again and the full result will be sent.]'
  );
}

/** A reference given in this turn or the one before: the model has just been told, and asks again. */
function justReferenced(entry: Received, turn: number): boolean {
  return entry.referencedInTurn !== undefined && turn - entry.referencedInTurn <= 1;
}

/** An editor call that writes (create, str_replace, insert, …): anything but `view`. */
function isEditorWrite(toolName: string, input: unknown): boolean {
  return (
    toolName === EDITOR_TOOL_NAME &&
    (input as { command?: unknown } | null | undefined)?.command !== 'view'
  );
}

/** The cache hook for one run of one agent. */

export function cacheHook(options: CacheHookOptions): Hook {
  const { cache, ledger } = options;
  const minReferenceTokens = options.minReferenceTokens ?? MIN_REFERENCE_TOKENS;
  const answers = options.answers ?? true;
  const references = options.references ?? true;
  const counters = ledger.counters;
  /** Calls that missed, with the hashes captured before they ran. */
  const pending = new Map<string, { call: ReadOnlyCall; deps: Dependency[] }>();
  const info = (path: string) => cache.info(path);
  const unchanged = (deps: readonly Dependency[]) =>
    deps.every(
      (dep) =>
        cache.capture([{ path: dep.path, ...(dep.kind !== undefined && { kind: dep.kind }) }])?.[0]
          ?.hash === dep.hash,
    );
  const report = () => options.onStats?.(ledger.stats());

  return {
    name: CACHE_HOOK_NAME,
    async preToolUse(event, context) {
      // The editor's writes read nothing from the cache: they do not wait for the rehash below.
      if (isEditorWrite(event.toolName, event.toolInput)) return undefined;
      // A file the editor wrote is rehashed in the background (postToolUse): a read waits for it
      // here, where the model's round trip has almost always given it the time it needs.
      await cache.settled();
      const call = readOnlyCall(event.toolName, event.toolInput, context.session.cwd, info);
      if (call === undefined) return undefined;
      counters.lookups++;
      const earlier = ledger.received(call.key);
      if (
        references &&
        earlier !== undefined &&
        !justReferenced(earlier, ledger.turn) &&
        earlier.tokens >= minReferenceTokens &&
        unchanged(earlier.deps)
      ) {
        const content = referenceText(call, earlier);
        earlier.referencedInTurn = ledger.turn;
        counters.references++;
        counters.tokensSaved += Math.max(0, earlier.tokens - estimateTokens(content));
        report();
        return { response: { content, isError: false } };
      }
      const value = answers ? cache.get(call.key) : undefined;
      if (typeof value === 'string') {
        const tokens = estimateTokens(value);
        counters.hits++;
        counters.tokensServedFromCache += tokens;
        const deps = cache.capture(call.deps);
        if (deps !== undefined) {
          ledger.remember(call.key, {
            toolUseId: event.toolUseId,
            deps,
            tokens,
            label: call.label,
            folderWide: isFolderWide(deps),
            ...(isWholeFileView(event.toolName, event.toolInput) && { text: value }),
          });
        }
        report();
        return { response: { content: value, isError: false } };
      }
      counters.misses++;
      const deps = cache.capture(call.deps);
      if (deps !== undefined) pending.set(event.toolUseId, { call, deps });
      report();
      return undefined;
    },
    async postToolUse(event, context) {
      if (event.answeredBy === CACHE_HOOK_NAME) return undefined;
      const written = writtenPath(event.toolName, event.toolInput, context.session.cwd);
      if (written !== undefined) {
        // Entries depending on it stop being served at once; the rehash goes on without holding
        // the result back (the next read waits for it, in preToolUse). It never rejects.
        void cache.touched([written]);
        return undefined;
      }
      if (event.toolName === BASH_TOOL_NAME) {
        ledger.forgetFolderWide();
        await cache.settled();
        return undefined;
      }
      const miss = pending.get(event.toolUseId);
      pending.delete(event.toolUseId);
      if (miss === undefined || event.toolResponse.isError) return undefined;
      const content = event.toolResponse.content;
      // A result showing a path the tree does not track could change unseen.
      if (miss.call.shownPaths(content).some((path) => info(path) === undefined)) return undefined;
      const tokens = estimateTokens(content);
      if (answers && cache.set(miss.call.key, content, { deps: miss.deps, tokens }))
        counters.stored++;
      const entry = {
        toolUseId: event.toolUseId,
        deps: miss.deps,
        tokens,
        label: miss.call.label,
        folderWide: isFolderWide(miss.deps),
        ...(isWholeFileView(event.toolName, event.toolInput) && { text: content }),
      };
      const earlier = ledger.received(miss.call.key);
      const change =
        references && entry.text !== undefined && earlier?.text !== undefined
          ? changeAnswer(earlier.toolUseId, miss.call.label, earlier.text, content)
          : undefined;
      if (change === undefined || earlier === undefined) {
        ledger.remember(miss.call.key, entry);
        return undefined;
      }
      // The model's copy is the earlier result plus this change: clearing the earlier one loses it.
      ledger.remember(miss.call.key, {
        ...entry,
        basedOn: [earlier.toolUseId, ...(earlier.basedOn ?? [])],
      });
      counters.changeAnswers++;
      counters.tokensSaved += Math.max(0, tokens - estimateTokens(change));
      report();
      return { updatedResponse: { content: change, isError: false } };
    },
  };
}

/** An editor view of a whole file (not a range): the results a change answer can stand for. */
function isWholeFileView(toolName: string, input: unknown): boolean {
  const i = input as Record<string, unknown> | null;
  return (
    toolName === EDITOR_TOOL_NAME && i?.['command'] === 'view' && i['view_range'] === undefined
  );
}

function isFolderWide(deps: readonly Dependency[]): boolean {
  return deps.some((dep) => dep.kind === 'folder');
}
