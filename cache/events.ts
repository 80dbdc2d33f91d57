/** A minimal typed listener registry: no inheritance, no `'error'` special case, explicit unsubscribe. */
export class Listeners<T> {
  readonly #listeners = new Set<(event: T) => void>();

  /** Add a listener; returns the function that removes it. */
  add(listener: (event: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Call every listener; one that throws does not stop the others. */
  emit(event: T): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  get size(): number {
    return this.#listeners.size;
  }

  clear(): void {
    this.#listeners.clear();
  }
}
