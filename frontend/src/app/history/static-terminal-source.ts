import type { TerminalSink, TerminalSource } from '../terminal/terminal-source';

/** A finished terminal's recorded output, shown once: the read-only scrollback of a past run. */
export class StaticTerminalSource implements TerminalSource {
  readonly #data: string;

  constructor(data: string) {
    this.#data = data;
  }

  attach(sink: TerminalSink): () => void {
    sink.reset();
    sink.write(this.#data);
    return () => undefined;
  }
}
