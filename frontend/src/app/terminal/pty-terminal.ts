import { signal } from '@angular/core';
import type { PtyOutputFrame } from '../../../../backend/protocol/frames.ts';
import type { PtySessionInfo } from '../../../../backend/protocol/index.ts';
import type { ProtocolClient } from '../core/protocol-client';
import { ACK_BATCH_BYTES, MAX_WRITE_CHARS } from './constants';
import type { TerminalSink, TerminalSize, TerminalSource } from './terminal-source';

/**
 * Binds one backend PTY session to a terminal view: restores it by replay,
 * splices the live stream onto the replay by stream position (no gaps, no
 * duplicates), acknowledges output once the view has parsed it, and carries
 * keystrokes and sizes back. Live output comes as bytes and goes to xterm.js
 * as bytes (it decodes UTF-8 itself, characters split across chunks
 * included); positions count bytes.
 */
export class PtyTerminal implements TerminalSource {
  readonly id: string;
  readonly #info;
  /** What the backend last said about the session. */
  readonly info;
  readonly #client: ProtocolClient;
  #sink: TerminalSink | undefined;
  /** Stream position (in bytes) of the end of the output given to the sink. */
  #position = 0;
  /** While a replay is on its way, live chunks wait here. */
  #held: PtyOutputFrame[] | undefined;
  /** Bumped per restore, so a late replay answer for an older one is ignored. */
  #restores = 0;
  #parsedSinceAck = 0;
  #size: TerminalSize | undefined;

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

  /** Output of this session. */
  receive(chunk: PtyOutputFrame): void {
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

  #deliver(chunk: PtyOutputFrame): void {
    const sink = this.#sink;
    if (!sink) return;
    const start = chunk.seq - chunk.bytes.length;
    if (chunk.seq <= this.#position) return;
    if (start > this.#position) {
      // Output was missed (events lost while a view was not listening): start over from the replay.
      void this.restore();
      return;
    }
    const bytes =
      start < this.#position ? chunk.bytes.subarray(this.#position - start) : chunk.bytes;
    this.#position = chunk.seq;
    sink.write(bytes, () => this.#parsed(bytes.length));
  }

  #parsed(bytes: number): void {
    this.#parsedSinceAck += bytes;
    if (this.#parsedSinceAck < ACK_BATCH_BYTES) return;
    const acknowledged = this.#parsedSinceAck;
    this.#parsedSinceAck = 0;
    this.#client.request('pty.ack', { id: this.id, bytes: acknowledged }).catch(ignore);
  }
}

/** Failures here mean the session exited or the connection dropped; both show elsewhere. */
function ignore(): void {}
