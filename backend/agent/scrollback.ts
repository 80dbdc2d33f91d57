/**
 * Records what each agent's terminal showed, so a past run's scrollback can
 * be read after its terminal is gone (and after a restart). Listens on the
 * event bus: `agent.state` says which terminal is whose, `pty.data` carries
 * the output. Kept per agent in memory (bounded, newest part) and written to
 * `<dataDir>/agents/<id>/terminal.log` shortly after output and on exit.
 * Secrets a command printed are redacted as the output arrives, so the
 * recording never holds one, not even in memory: each terminal's output
 * passes a {@link RedactingStream}, which holds an unfinished line until its
 * end (a secret split across chunks is still found whole) and looks through
 * colour escapes. The recording is redacted again when written and read, so
 * a value the redactor learned since (from a tool result, say) is hidden too.
 * The live terminal shows what the shell printed; the record keeps no secret.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Scrollback } from '../protocol/history.ts';
import type { Redactor } from '../redaction/redact.ts';
import { RedactingStream } from '../redaction/stream.ts';
import type { EventBus } from '../bus/events.ts';

/** About 5,000 lines of 100 characters: the scrollback a terminal view keeps anyway. */
export const MAX_SCROLLBACK_CHARS = 512 * 1024;
/** Output is written at most this often: an agent's build log must not turn into a disk write per chunk. */
const FLUSH_DELAY_MS = 1000;

interface Recording {
  data: string;
  truncated: boolean;
  dirty: boolean;
  /** The file's earlier content has been read in (a resumed run appends to it). */
  loaded: boolean;
}

export class ScrollbackRecorder {
  readonly #dataDir: string;
  readonly #ptyToAgent = new Map<string, string>();
  /** Each agent terminal's redacting stream: what it holds (an unfinished line) is not recorded yet. */
  readonly #streams = new Map<string, RedactingStream>();
  readonly #recordings = new Map<string, Recording>();
  readonly #unsubscribe: () => void;
  readonly #redactor: Redactor;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `redactor`: the one the agents' tool results pass, so values it learned there are hidden here too. */
  constructor(events: EventBus, dataDir: string, redactor: Redactor) {
    this.#dataDir = dataDir;
    this.#redactor = redactor;
    this.#unsubscribe = events.subscribe((event, data) => {
      if (event === 'agent.state') {
        const { agentId, agent } = data as { agentId: string; agent: { ptyId: string | null } };
        if (agent.ptyId) this.#ptyToAgent.set(agent.ptyId, agentId);
      } else if (event === 'pty.data') {
        // The text is decoded when read (backend/pty/handlers.ts): read it only for an agent's terminal.
        const output = data as { id: string; data: string };
        const agentId = this.#ptyToAgent.get(output.id);
        if (agentId) this.#append(agentId, this.#stream(output.id).push(output.data));
      } else if (event === 'pty.exit' || event === 'pty.closed') {
        const { id } = data as { id: string };
        const agentId = this.#ptyToAgent.get(id);
        if (agentId === undefined) return;
        // The terminal is done: its last, unfinished line is final.
        const rest = this.#streams.get(id)?.flush() ?? '';
        this.#streams.delete(id);
        if (rest !== '') this.#append(agentId, rest);
        this.flush();
        if (event === 'pty.closed') this.#ptyToAgent.delete(id);
      }
    });
  }

  /** The agent's recorded terminal output. */
  read(agentId: string): Scrollback {
    const recording = this.#load(agentId);
    return { data: this.#redactor.redactTerminal(recording.data), truncated: recording.truncated };
  }

  /** Writes every recording with unsaved output. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const [agentId, recording] of this.#recordings) {
      if (!recording.dirty) continue;
      const file = this.#file(agentId);
      try {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(
          `${file}.tmp`,
          JSON.stringify({ truncated: recording.truncated }) +
            '\n' +
            this.#redactor.redactTerminal(recording.data),
        );
        renameSync(`${file}.tmp`, file);
        recording.dirty = false;
      } catch (error) {
        console.error(
          `[troika] could not save the terminal output of agent ${agentId}: ${(error as Error).message}`,
        );
      }
    }
  }

  dispose(): void {
    this.#unsubscribe();
    this.flush();
  }

  #file(agentId: string): string {
    return join(this.#dataDir, 'agents', agentId, 'terminal.log');
  }

  #load(agentId: string): Recording {
    let recording = this.#recordings.get(agentId);
    if (recording?.loaded) return recording;
    const file = this.#file(agentId);
    let stored = { data: '', truncated: false };
    if (/^[\w-]+$/.test(agentId) && existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      const newline = text.indexOf('\n');
      try {
        const header = JSON.parse(text.slice(0, newline)) as { truncated?: boolean };
        stored = { data: text.slice(newline + 1), truncated: header.truncated === true };
      } catch {
        stored = { data: text, truncated: true };
      }
    }
    recording = recording
      ? {
          ...recording,
          data: stored.data + recording.data,
          truncated: stored.truncated || recording.truncated,
          loaded: true,
        }
      : { ...stored, dirty: false, loaded: true };
    this.#bound(recording);
    this.#recordings.set(agentId, recording);
    return recording;
  }

  #stream(ptyId: string): RedactingStream {
    let stream = this.#streams.get(ptyId);
    if (stream === undefined) {
      stream = new RedactingStream(this.#redactor, { terminal: true });
      this.#streams.set(ptyId, stream);
    }
    return stream;
  }

  #append(agentId: string, chunk: string): void {
    if (chunk === '') return;
    const recording = this.#recordings.get(agentId) ?? this.#load(agentId);
    recording.data += chunk;
    recording.dirty = true;
    this.#bound(recording);
    this.#timer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS);
    this.#timer.unref?.();
  }

  #bound(recording: Recording): void {
    if (recording.data.length <= MAX_SCROLLBACK_CHARS) return;
    const cut = recording.data.length - MAX_SCROLLBACK_CHARS;
    // Start at a line so the view does not begin inside an escape sequence.
    const newline = recording.data.indexOf('\n', cut);
    recording.data = recording.data.slice(newline === -1 ? cut : newline + 1);
    recording.truncated = true;
  }
}
