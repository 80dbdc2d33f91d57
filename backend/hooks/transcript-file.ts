/**
 * Each agent's conversation as a file in Claude Code's transcript format, so
 * a hook's `transcript_path` names a real file that scripts written for
 * Claude Code can read: JSON Lines, one message a line,
 *
 * ```json
 * {"parentUuid":null,"isSidechain":false,"userType":"external","cwd":"/repo","sessionId":"<agent id>",
 *  "version":"troika","gitBranch":"troika/…","type":"user","message":{"role":"user","content":"…"},
 *  "uuid":"…","timestamp":"2026-01-01T00:00:00.000Z"}
 * ```
 *
 * with assistant messages as `{"id","type":"message","role":"assistant","model","content":[…]}`
 * (their `tool_use` blocks with Claude Code's tool names and inputs: `Bash`
 * with `command`, `Read` with `file_path`…, see claude-tools.ts) and tool
 * results as user messages holding `tool_result` blocks, as Claude Code
 * writes them. The file is kept current message by message (`put` is
 * called as each message is stored), so a hook always reads the
 * conversation up to the event it runs for. A message stored again (a user
 * turn that gained blocks) replaces its line. Writing never fails an agent:
 * a problem is reported once through `onError`.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toClaudeTool } from './claude-tools.ts';

/** A stored message, as the transcript table holds it. */
export interface TranscriptMessageRow {
  readonly seq: number;
  readonly role: 'user' | 'assistant';
  readonly content: readonly unknown[];
  readonly createdAt: number;
}

/** What a transcript line says about the session beside the message. */
export interface TranscriptMeta {
  readonly cwd: string;
  readonly gitBranch: string | null;
  readonly model: string;
}

export interface TranscriptFilesOptions {
  /** One `<agent id>.jsonl` per agent is written here. */
  readonly dir: string;
  /** Every stored message of an agent, in order: read once, when its file is first written. */
  readonly rows: (agentId: string) => readonly TranscriptMessageRow[];
  /** The agent's folder, branch and model; `undefined` for an unknown agent (no file is written). */
  readonly meta: (agentId: string) => TranscriptMeta | undefined;
  readonly onError?: (agentId: string, error: Error) => void;
}

/** Claude Code's transcripts carry a UUID per line; this one is stable per agent and message. */
function lineUuid(agentId: string, seq: number): string {
  const hex = createHash('sha256').update(`${agentId}\0${seq}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A `tool_use` block with Claude Code's tool name and input; any other block as it is. */
function asClaudeBlock(block: unknown, cwd: string): unknown {
  const use = block as { type?: unknown; name?: unknown; input?: unknown } | null;
  if (use?.type !== 'tool_use' || typeof use.name !== 'string') return block;
  const { toolName, toolInput } = toClaudeTool(use.name, use.input, cwd);
  return { ...use, name: toolName, input: toolInput };
}

/** One line of the file for `row`. */
export function transcriptLine(
  agentId: string,
  row: TranscriptMessageRow,
  previousSeq: number | undefined,
  meta: TranscriptMeta,
): string {
  const message =
    row.role === 'assistant'
      ? {
          id: `msg_${lineUuid(agentId, row.seq).replace(/-/g, '').slice(0, 24)}`,
          type: 'message',
          role: 'assistant',
          model: meta.model,
          content: row.content.map((block) => asClaudeBlock(block, meta.cwd)),
        }
      : { role: 'user', content: row.content };
  return `${JSON.stringify({
    parentUuid: previousSeq === undefined ? null : lineUuid(agentId, previousSeq),
    isSidechain: false,
    userType: 'external',
    cwd: meta.cwd,
    sessionId: agentId,
    version: 'troika',
    gitBranch: meta.gitBranch ?? '',
    type: row.role,
    message,
    uuid: lineUuid(agentId, row.seq),
    timestamp: new Date(row.createdAt).toISOString(),
  })}\n`;
}

interface FileState {
  /** Seqs written, in order, with the byte length of each line. */
  readonly seqs: number[];
  readonly lengths: number[];
  broken: boolean;
}

export class TranscriptFiles {
  readonly #options: TranscriptFilesOptions;
  readonly #files = new Map<string, FileState>();
  /** Agents whose failure was reported, until a write succeeds again. */
  readonly #reported = new Set<string>();

  constructor(options: TranscriptFilesOptions) {
    this.#options = options;
  }

  /** The agent's transcript file (it exists once the agent has a message). */
  path(agentId: string): string {
    // Agent ids are UUIDs; anything else is made safe for a file name.
    return join(this.#options.dir, `${agentId.replace(/[^\w-]/g, '_')}.jsonl`);
  }

  /** A message was stored (new, or stored again): the file is brought up to date. */
  put(agentId: string, row: TranscriptMessageRow): void {
    const meta = this.#options.meta(agentId);
    if (meta === undefined) return;
    const state = this.#files.get(agentId);
    try {
      if (state === undefined || state.broken) return this.#rewrite(agentId, meta, row);
      const last = state.seqs.length - 1;
      if (row.seq > (state.seqs[last] ?? -Infinity)) {
        this.#append(agentId, state, row, meta);
      } else if (row.seq === state.seqs[last]) {
        // The newest message grew: cut its line off and write it again.
        const keep = state.lengths.slice(0, last).reduce((sum, n) => sum + n, 0);
        truncateSync(this.path(agentId), keep);
        state.seqs.pop();
        state.lengths.pop();
        this.#append(agentId, state, row, meta);
      } else {
        this.#rewrite(agentId, meta, row);
      }
    } catch (error) {
      this.#failed(agentId, error as Error);
    }
  }

  /** Forget an agent (its file stays for the record). */
  forget(agentId: string): void {
    this.#files.delete(agentId);
  }

  #append(agentId: string, state: FileState, row: TranscriptMessageRow, meta: TranscriptMeta) {
    const line = transcriptLine(agentId, row, state.seqs.at(-1), meta);
    appendFileSync(this.path(agentId), line);
    state.seqs.push(row.seq);
    state.lengths.push(Buffer.byteLength(line));
  }

  /** The whole file from the stored messages: on first use (a resumed agent has some) and after an older message changed. */
  #rewrite(agentId: string, meta: TranscriptMeta, latest: TranscriptMessageRow): void {
    const state: FileState = { seqs: [], lengths: [], broken: false };
    this.#files.set(agentId, state);
    try {
      mkdirSync(this.#options.dir, { recursive: true });
      // The stored rows, with the one just put in its place (whether or not the store shows it yet).
      const rows = this.#options.rows(agentId).filter((row) => row.seq !== latest.seq);
      rows.push(latest);
      rows.sort((a, b) => a.seq - b.seq);
      const lines: string[] = [];
      for (const row of rows) {
        const line = transcriptLine(agentId, row, state.seqs.at(-1), meta);
        lines.push(line);
        state.seqs.push(row.seq);
        state.lengths.push(Buffer.byteLength(line));
      }
      writeFileSync(this.path(agentId), lines.join(''));
      this.#reported.delete(agentId);
    } catch (error) {
      this.#failed(agentId, error as Error);
    }
  }

  #failed(agentId: string, error: Error): void {
    const state = this.#files.get(agentId);
    if (state !== undefined) state.broken = true;
    if (this.#reported.has(agentId)) return;
    this.#reported.add(agentId);
    this.#options.onError?.(agentId, error);
  }
}
