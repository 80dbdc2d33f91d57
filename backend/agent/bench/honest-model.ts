/**
 * The token benchmark's scripted model, and the one place its rules live.
 * It plays a fixed plan of steps, but decides each turn from the request it
 * is sent, as a real model does from what it sees:
 *
 * 1. It never reads again what is still in its view: a read whose result is
 *    in the request in full (or whose lines a view of the same file shows:
 *    the lines the result holds, for the editor cuts a long file in the
 *    middle), with no change to the file since, is not made.
 * 2. A result it needs that is not in view is read again, and so paid for:
 *    one cleared to a placeholder (Troika's or the API's), a reference or a
 *    pointer (`tool_use_id …`) to a result that is itself not in view, or a
 *    view older than a change to the file (its own edit, or a shell command
 *    the plan says changes the file).
 * 3. An edit needs the file in view (the model must know the text it
 *    replaces); when it is not, the model reads it first, in a turn of its own.
 * 4. A read it made whose result came back unusable (cleared in the request
 *    that delivered it) is made again, at most {@link MAX_ATTEMPTS} times in all.
 *
 * The plan lists what the model needs and does; which calls it makes (and so
 * what they cost) follows from rules 1 to 4 and the requests, so every run of
 * the benchmark pays for what its mechanisms hide from the model.
 */
import type {
  ContentBlock,
  RecordedRequest,
  ReplyTurn,
  ScriptedToolUse,
  TurnHandler,
} from '../../testing/messages-server/index.ts';

/** One thing the model does in a step; `changes` names the files a shell command rewrites. */
export interface Intent {
  readonly use: ScriptedToolUse;
  readonly changes?: readonly string[];
}

/** One step of the plan: what the model needs and does at that point. */
export type Step = readonly Intent[];

/** Reads of one step are made at most this many times before the model gives up on them. */
export const MAX_ATTEMPTS = 3;

/** A read's identity: what it shows. Ranges are 1-based and inclusive; `undefined` is the whole file. */
export interface ReadId {
  readonly kind: 'view' | 'search' | 'list';
  readonly path: string;
  readonly key: string;
  readonly range?: readonly [number, number] | undefined;
}

/** One tool call of the conversation, as the request shows it. */
interface SeenCall {
  readonly id: string;
  readonly name: string;
  readonly input: Record<string, unknown>;
  /** Position in the conversation (the order of calls). */
  readonly at: number;
  readonly result: string | undefined;
  readonly isError: boolean;
}

const norm = (path: unknown): string =>
  String(path ?? '')
    .replace(/^\.\/?/, '')
    .replace(/\/$/, '');

/** The read a call makes, or undefined for a call that is not a read. */
export function readOf(use: { name: string; input: Record<string, unknown> }): ReadId | undefined {
  const i = use.input;
  if (use.name === 'str_replace_based_edit_tool' && i['command'] === 'view') {
    const range = Array.isArray(i['view_range'])
      ? ([Number(i['view_range'][0]), Number(i['view_range'][1])] as const)
      : undefined;
    const path = norm(i['path']);
    return { kind: 'view', path, key: `view ${path}`, range };
  }
  if (use.name === 'search_files')
    return {
      kind: 'search',
      path: norm(i['path']),
      key: `search ${String(i['pattern'])} in ${norm(i['path'])}`,
    };
  if (use.name === 'list_files')
    return { kind: 'list', path: norm(i['path']), key: `list ${norm(i['path'])}` };
  return undefined;
}

/** The files a call changes (an editor write; a shell command per the plan). */
function changedBy(call: SeenCall, shellChanges: ReadonlyMap<string, readonly string[]>): string[] {
  if (call.isError) return [];
  const i = call.input;
  if (call.name === 'str_replace_based_edit_tool' && i['command'] !== 'view')
    return [norm(i['path'])];
  if (call.name === 'bash') return [...(shellChanges.get(String(i['command'])) ?? [])];
  return [];
}

/** Whether a change to `file` can change what `read` shows. */
function affects(read: ReadId, file: string): boolean {
  if (read.kind === 'view') return read.path === file;
  return read.path === '' || file === read.path || file.startsWith(`${read.path}/`);
}

/** The line numbers an editor view's result shows (`     12\tcode`): a long result is cut in the middle. */
export function shownLines(result: string): Set<number> {
  const found = new Set<number>();
  for (const match of result.matchAll(/^ *(\d+)\t/gm)) found.add(Number(match[1]));
  return found;
}

/**
 * Whether a result of `shown` answers `wanted`: the same read, or a view
 * whose result shows every line of the wanted range. What counts is what the
 * result shows, not what was asked: the editor cuts a long result in the
 * middle (tools/truncate.ts), and the lines cut out were never seen.
 */
function covers(shown: ReadId, wanted: ReadId, result: string | undefined): boolean {
  if (shown.kind !== wanted.kind || shown.path !== wanted.path) return false;
  if (shown.kind !== 'view') return shown.key === wanted.key;
  if (wanted.range === undefined) return shown.range === undefined;
  if (JSON.stringify(shown.range) === JSON.stringify(wanted.range)) return true;
  if (result === undefined) return false;
  const lines = shownLines(result);
  const last = Math.max(0, ...lines);
  // The file ends at the last line shown when the view asked for all of it, or for more than it has.
  const endsFile = shown.range === undefined || shown.range[1] === -1 || last < shown.range[1];
  const asked = wanted.range[1] === -1 ? Infinity : wanted.range[1];
  const end = endsFile ? Math.min(asked, last) : asked;
  if (end === Infinity) return false;
  if (lines.size === 0 || wanted.range[0] > last) return false;
  for (let line = wanted.range[0]; line <= end; line++) if (!lines.has(line)) return false;
  return true;
}

/** Text a result shows in place of content that is not there: a placeholder of either clearing. */
export function isPlaceholder(text: string): boolean {
  return /^\[Tool result cleared/.test(text);
}

/** A result that stands for an earlier one (a reference, a diff or a range answer): the id it points to. */
export function pointsTo(text: string): string | undefined {
  if (!text.startsWith('[')) return undefined;
  return /tool_use_id (\S+?)[\s,.)\]]/.exec(text.slice(0, 400))?.[1];
}

function resultText(block: ContentBlock): string {
  const content = block['content'];
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((inner) =>
      inner && typeof inner === 'object' && 'text' in inner ? String(inner.text) : '',
    )
    .join('');
}

/** What the model can see in one request: its calls and their results, and what is in view. */
export class ModelView {
  readonly calls: SeenCall[] = [];
  readonly #byId = new Map<string, SeenCall>();
  readonly #shellChanges: ReadonlyMap<string, readonly string[]>;

  constructor(
    request: Pick<RecordedRequest, 'params'>,
    shellChanges: ReadonlyMap<string, readonly string[]> = new Map(),
  ) {
    this.#shellChanges = shellChanges;
    const results = new Map<string, { text: string; isError: boolean }>();
    const uses: Array<Omit<SeenCall, 'result' | 'isError' | 'at'>> = [];
    for (const message of request.params?.messages ?? []) {
      if (typeof message.content === 'string') continue;
      for (const block of message.content) {
        if (block.type === 'tool_use')
          uses.push({
            id: String(block['id']),
            name: String(block['name']),
            input: (block['input'] ?? {}) as Record<string, unknown>,
          });
        if (block.type === 'tool_result')
          results.set(String(block['tool_use_id']), {
            text: resultText(block),
            isError: block['is_error'] === true,
          });
      }
    }
    uses.forEach((use, at) => {
      const result = results.get(use.id);
      const call = { ...use, at, result: result?.text, isError: result?.isError ?? false };
      this.calls.push(call);
      this.#byId.set(call.id, call);
    });
  }

  /** Whether the content of call `id` is in view: shown in full, or pointed to from a result that is. */
  shows(id: string, depth = 0): boolean {
    const call = this.#byId.get(id);
    if (call === undefined || call.result === undefined || call.isError || depth > 8) return false;
    if (isPlaceholder(call.result)) return false;
    const target = pointsTo(call.result);
    return target === undefined || this.shows(target, depth + 1);
  }

  /** The text call `id`'s result shows, following a reference to the result it points to. */
  #content(id: string, depth = 0): string | undefined {
    const result = this.#byId.get(id)?.result;
    const target = result === undefined ? undefined : pointsTo(result);
    if (target === undefined || depth > 8) return result;
    return this.#content(target, depth + 1);
  }

  /** Whether anything changed `read`'s content after position `at` (and before `until`). */
  changedSince(read: ReadId, at: number, until = Infinity): boolean {
    return this.calls.some(
      (call) =>
        call.at > at &&
        call.at < until &&
        changedBy(call, this.#shellChanges).some((f) => affects(read, f)),
    );
  }

  /** Rules 1 and 2: whether `wanted` is in view, current. */
  inView(wanted: ReadId): boolean {
    return this.calls.some((call) => {
      const shown = readOf(call);
      return (
        shown !== undefined &&
        this.shows(call.id) &&
        covers(shown, wanted, this.#content(call.id)) &&
        !this.changedSince(wanted, call.at)
      );
    });
  }

  /** Whether `wanted` was received, unchanged since, but is no longer in view (cleared, or pointed away). */
  seenBefore(wanted: ReadId): boolean {
    return this.calls.some((call) => {
      const shown = readOf(call);
      return (
        shown !== undefined &&
        call.result !== undefined &&
        covers(shown, wanted, call.result) &&
        !call.isError &&
        !this.changedSince(wanted, call.at)
      );
    });
  }

  /**
   * Rule 3: whether the model can edit `file`: some view of it is in view,
   * changed since only by the model's own editor writes (it knows what those did).
   */
  canEdit(file: string): boolean {
    const read: ReadId = { kind: 'view', path: file, key: `view ${file}` };
    return this.calls.some((call) => {
      const shown = readOf(call);
      if (shown?.kind !== 'view' || shown.path !== file || !this.shows(call.id)) return false;
      return !this.calls.some(
        (later) =>
          later.at > call.at &&
          later.name === 'bash' &&
          changedBy(later, this.#shellChanges).some((f) => affects(read, f)),
      );
    });
  }
}

const viewOf = (path: string): ScriptedToolUse => ({
  name: 'str_replace_based_edit_tool',
  input: { command: 'view', path },
});

/** What the model did, for the benchmark's report. */
export interface ModelCounts {
  /** Reads the plan lists that the model skipped: their content was in view (rule 1). */
  skippedInView: number;
  /** Reads made again because what came back, or what a result pointed to, was not in view (rules 2 and 4). */
  rereadsNotInView: number;
  /** Reads made before an edit because the file was not in view (rule 3). */
  readsBeforeEdit: number;
}

/** The shell commands of `plan` that change files, and the files they change. */
export function shellChangesOf(plan: readonly Step[]): Map<string, readonly string[]> {
  return new Map(
    plan
      .flat()
      .flatMap((intent) =>
        intent.use.name === 'bash' && intent.changes !== undefined
          ? [[String(intent.use.input['command']), intent.changes] as const]
          : [],
      ),
  );
}

/** The scripted model over `plan`: a handler for the messages server. */
export class HonestModel {
  readonly counts: ModelCounts = { skippedInView: 0, rereadsNotInView: 0, readsBeforeEdit: 0 };
  readonly #plan: readonly Step[];
  readonly #shellChanges: Map<string, readonly string[]>;
  #step = 0;
  /** Reads of the current step made so far (attempts); 0 before the step was played. */
  #attempts = 0;
  #played = false;

  constructor(plan: readonly Step[]) {
    this.#plan = plan;
    this.#shellChanges = shellChangesOf(plan);
  }

  readonly handler: TurnHandler = (request) => this.next(request);

  /** The model's next turn for `request`. */
  next(request: Pick<RecordedRequest, 'params'>): ReplyTurn | undefined {
    const view = new ModelView(request, this.#shellChanges);
    while (this.#step < this.#plan.length) {
      const step = this.#plan[this.#step] as Step;
      const reads = step.flatMap((intent) => {
        const read = readOf(intent.use);
        return read === undefined ? [] : [{ intent, read }];
      });
      const missing = reads.filter(({ read }) => !view.inView(read));
      if (this.#played) {
        // Rule 4: what the step read must have arrived usable.
        if (missing.length > 0 && this.#attempts < MAX_ATTEMPTS) {
          this.#attempts++;
          this.counts.rereadsNotInView += missing.length;
          return { toolUses: missing.map(({ intent }) => intent.use) };
        }
        this.#step++;
        this.#played = false;
        this.#attempts = 0;
        continue;
      }
      const actions = step.filter((intent) => readOf(intent.use) === undefined);
      const unreadable = [
        ...new Set(
          actions.flatMap(({ use }) =>
            use.name === 'str_replace_based_edit_tool' && !view.canEdit(norm(use.input['path']))
              ? [norm(use.input['path'])]
              : [],
          ),
        ),
      ];
      if (unreadable.length > 0 && this.#attempts < MAX_ATTEMPTS) {
        this.#attempts++;
        this.counts.readsBeforeEdit += unreadable.length;
        return { toolUses: unreadable.map(viewOf) };
      }
      this.counts.skippedInView += reads.length - missing.length;
      // A read the plan repeats because it was cleared or pointed away counts as a re-read.
      this.counts.rereadsNotInView += missing.filter(({ read }) => view.seenBefore(read)).length;
      const uses = [...missing.map(({ intent }) => intent.use), ...actions.map(({ use }) => use)];
      this.#played = true;
      this.#attempts = 1;
      if (uses.length === 0) continue;
      return { toolUses: uses };
    }
    return undefined;
  }
}
