import { signal } from '@angular/core';
import type { EventMap, PtySessionInfo } from '../../../../backend/protocol/index.ts';
import type { ProtocolClient } from '../core/protocol-client';
import { ACK_BATCH_CHARS, MAX_COALESCED_CHARS, MAX_WRITE_CHARS } from './constants';
import type { TerminalSink, TerminalSize, TerminalSource } from './terminal-source';

type DataEvent = EventMap['pty.data'];

/**
 * Binds one backend PTY session to a terminal view: restores it by replay,
 * splices the live stream onto the replay by stream position (no gaps, no
 * duplicates), acknowledges output once the view has parsed it, and carries
 * keystrokes and sizes back.
 */
export class PtyTerminal implements TerminalSource {
  readonly id: string;
  readonly #info;
  /** What the backend last said about the session. */
  readonly info;
  readonly #client: ProtocolClient;
  #sink: TerminalSink | undefined;
  /** Stream position of the last character given to the sink. */
  #position = 0;
  /** While a replay is on its way, live chunks wait here. */
  #held: DataEvent[] | undefined;
  /** Bumped per restore, so a late replay answer for an older one is ignored. */
  #restores = 0;
  #parsedSinceAck = 0;
  #size: TerminalSize | undefined;
  /** Live output delivered in this task, written to the sink as one piece at its end. */
  #coalesced: string[] = [];
  #coalescedChars = 0;
  #flushQueued = false;

  constructor(info: PtySessionInfo, client: ProtocolClient) {
    this.id = info.id;
    this.#info = signal(info);
    this.info = this.#info.asReadonly();
    this.#client = client;
  }

  attach(sink: TerminalSink): () => void {
    this.#sink = sink;
    void this.restore();
    return () => {
      if (this.#sink !== sink) return;
      this.#sink = undefined;
      this.#held = undefined;
      this.#coalesced = [];
      this.#coalescedChars = 0;
      this.#restores++;
    };
  }

  /** Replaces the view's content with the backend's replay, then follows the live stream. */
  async restore(): Promise<void> {
    const sink = this.#sink;
    if (!sink) return;
    const restore = ++this.#restores;
    this.#held = [];
    try {
      const replay = await this.#client.request('pty.replay', { id: this.id });
      if (restore !== this.#restores || sink !== this.#sink) return;
      // The backend restarted its acknowledgement count with this replay: the replay itself is not acknowledged.
      this.#parsedSinceAck = 0;
      sink.reset();
      sink.write(replay.data);
      this.#position = replay.seq;
      const held = this.#held ?? [];
      this.#held = undefined;
      for (const chunk of held) this.#deliver(chunk);
      if (this.#size && this.#info().alive) this.#sendResize(this.#size);
    } catch {
      // Disconnected or the session is gone: the next connection restores again.
      if (restore === this.#restores) this.#held = undefined;
    }
  }

  /** A `pty.data` event for this session. */
  receive(chunk: DataEvent): void {
    if (!this.#sink) return;
    if (this.#held) this.#held.push(chunk);
    else this.#deliver(chunk);
  }

  /** The backend's latest facts (from a list, or an exit). */
  update(info: Partial<PtySessionInfo>): void {
    this.#info.update((current) => ({ ...current, ...info }));
  }

  /** Keystrokes and pastes, to the process. */
  write(data: string): void {
    if (!this.#info().alive) return;
    for (let i = 0; i < data.length; i += MAX_WRITE_CHARS) {
      this.#client
        .request('pty.write', { id: this.id, data: data.slice(i, i + MAX_WRITE_CHARS) })
        .catch(ignore);
    }
  }

  /** The view's size, to the process (and again after each restore). */
  resize(size: TerminalSize): void {
    const changed = size.cols !== this.#size?.cols || size.rows !== this.#size?.rows;
    this.#size = size;
    if (changed && this.#info().alive) this.#sendResize(size);
  }

  #sendResize(size: TerminalSize): void {
    this.#client
      .request('pty.resize', { id: this.id, ...size })
      .then(() => this.update(size))
      .catch(ignore);
  }

  #deliver(chunk: DataEvent): void {
    const sink = this.#sink;
    if (!sink) return;
    const start = chunk.seq - chunk.data.length;
    if (chunk.seq <= this.#position) return;
    if (start > this.#position) {
      // Output was missed (events lost while a view was not listening): start over from the replay.
      void this.restore();
      return;
    }
    const data = start < this.#position ? chunk.data.slice(this.#position - start) : chunk.data;
    this.#position = chunk.seq;
    this.#coalesced.push(data);
    this.#coalescedChars += data.length;
    if (this.#coalescedChars >= MAX_COALESCED_CHARS) this.#flush();
    else if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(() => this.#flush());
    }
  }

  /**
   * Writes the output gathered in this task as one piece. Under a flood the
   * transport hands over many chunks at once; xterm.js yields to painting
   * only between writes, so one write per batch means fewer frames painted
   * per megabyte (each a full re-render of the DOM rows) and one callback and
   * acknowledgement instead of many. A lone keystroke's echo still goes out
   * at once, at the end of the task that brought it.
   */
  #flush(): void {
    this.#flushQueued = false;
    const sink = this.#sink;
    const data =
      this.#coalesced.length === 1 ? (this.#coalesced[0] as string) : this.#coalesced.join('');
    this.#coalesced = [];
    this.#coalescedChars = 0;
    if (!sink || data.length === 0) return;
    sink.write(data, () => this.#parsed(data.length));
  }

  #parsed(chars: number): void {
    this.#parsedSinceAck += chars;
    if (this.#parsedSinceAck < ACK_BATCH_CHARS) return;
    const acknowledged = this.#parsedSinceAck;
    this.#parsedSinceAck = 0;
    this.#client.request('pty.ack', { id: this.id, chars: acknowledged }).catch(ignore);
  }
}

/** Failures here mean the session exited or the connection dropped; both show elsewhere. */
function ignore(): void {}
