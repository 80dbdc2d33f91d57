/** A minimal typed event with disposable subscriptions (the VS Code `Emitter` shape). */

/** Something holding a resource until disposed. */
export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (value: T) => void;

export class Emitter<T> {
  readonly #listeners = new Set<Listener<T>>();
  readonly #onListenerError: (error: unknown) => void;

  /** `onListenerError` hears a listener's exception; the default logs it, so one buggy listener cannot break the data path. */
  constructor(
    onListenerError: (error: unknown) => void = (error) =>
      console.error('[troika] listener failed:', error),
  ) {
    this.#onListenerError = onListenerError;
  }

  /** Subscribes; dispose the result to unsubscribe. */
  readonly event = (listener: Listener<T>): Disposable => {
    // Wrapped so the same function may subscribe twice and unsubscribe once each.
    const entry: Listener<T> = (value) => listener(value);
    this.#listeners.add(entry);
    return { dispose: () => void this.#listeners.delete(entry) };
  };

  /** Calls every listener; one that throws does not stop the others. */
  fire(value: T): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  dispose(): void {
    this.#listeners.clear();
  }
}
