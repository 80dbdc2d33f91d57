/**
 * Quitting with agents at work: ask first, then stop agents, end every PTY and
 * flush the database (the backend's dispose does the last three, in order).
 * Runs once; a second quit request while shutting down waits for the first.
 */
export interface QuitDependencies {
  /** How many agents are running or waiting for the user. */
  busyAgents(): number;
  /** Asks the user; resolves true to quit anyway. */
  confirm(busyAgents: number): Promise<boolean>;
  /** Stops agents, ends PTYs, closes the database. */
  shutdown(): Promise<void>;
}

export type QuitOutcome = 'quit' | 'cancelled';

export class QuitFlow {
  readonly #deps: QuitDependencies;
  #shutdown: Promise<void> | undefined;
  #done = false;

  constructor(deps: QuitDependencies) {
    this.#deps = deps;
  }

  /** True once shutdown finished: the app may now really quit. */
  get done(): boolean {
    return this.#done;
  }

  async request(): Promise<QuitOutcome> {
    if (!this.#shutdown) {
      const busy = this.#deps.busyAgents();
      if (busy > 0 && !(await this.#deps.confirm(busy))) return 'cancelled';
      this.#shutdown ??= this.#deps.shutdown().finally(() => {
        this.#done = true;
      });
    }
    await this.#shutdown;
    return 'quit';
  }
}
