/**
 * Quitting with agents at work: ask first, then stop agents, end every PTY and
 * flush the database (the backend process does the last three, in order).
 * Runs once; a second quit request while asking or shutting down waits for
 * the first.
 */
export interface QuitDependencies {
  /** How many agents are running or waiting for the user; undefined when the backend does not answer. */
  busyAgents(): Promise<number | undefined>;
  /** Branches holding work not landed anywhere, one line each with where it is. */
  unlandedWork?(): Promise<string[]>;
  /** Asks the user; resolves true to quit anyway. `busyAgents` and `unlanded` as above. */
  confirm(busyAgents: number | undefined, unlanded: string[]): Promise<boolean>;
  /** Stops agents, ends PTYs, closes the database, ends the backend process. */
  shutdown(): Promise<void>;
}

export type QuitOutcome = 'quit' | 'cancelled';

export class QuitFlow {
  readonly #deps: QuitDependencies;
  #asking: Promise<boolean> | undefined;
  #shutdown: Promise<void> | undefined;
  #done = false;

  constructor(deps: QuitDependencies) {
    this.#deps = deps;
  }

  /** True once shutdown finished: the app may now really quit. */
  get done(): boolean {
    return this.#done;
  }

  /** True once the user agreed to quit (shutdown under way or done). */
  get quitting(): boolean {
    return this.#shutdown !== undefined;
  }

  async request(): Promise<QuitOutcome> {
    if (!this.#shutdown) {
      this.#asking ??= this.#ask().finally(() => (this.#asking = undefined));
      if (!(await this.#asking)) return 'cancelled';
      this.#shutdown ??= this.#deps.shutdown().finally(() => {
        this.#done = true;
      });
    }
    await this.#shutdown;
    return 'quit';
  }

  async #ask(): Promise<boolean> {
    const busy = await this.#deps.busyAgents();
    const unlanded = (await this.#deps.unlandedWork?.()) ?? [];
    return (busy === 0 && unlanded.length === 0) || this.#deps.confirm(busy, unlanded);
  }
}
