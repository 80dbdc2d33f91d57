import type { TerminalSink, TerminalSource } from '../terminal/terminal-source';

/** Output that arrives while a view may or may not be attached (gate output): kept, and forwarded as it comes. */
export class LiveTerminalSource implements TerminalSource {
  #data = '';
  readonly #sinks = new Set<TerminalSink>();

  write(chunk: string): void {
    // xterm wants CR LF; gate output is plain program output with bare LFs.
    const text = chunk.replace(/\r?\n/g, '\r\n');
    this.#data += text;
    for (const sink of this.#sinks) sink.write(text);
  }

  get text(): string {
    return this.#data;
  }

  attach(sink: TerminalSink): () => void {
    sink.reset();
    if (this.#data) sink.write(this.#data);
    this.#sinks.add(sink);
    return () => this.#sinks.delete(sink);
  }
}
