/** The backend's event stream: services publish, every connection forwards. */
import type { EventMap, EventName } from '../protocol/index.ts';

export type EventListener = <E extends EventName>(event: E, data: EventMap[E]) => void;

export class EventBus {
  readonly #listeners = new Set<EventListener>();

  publish<E extends EventName>(event: E, data: EventMap[E]): void {
    for (const listener of this.#listeners) listener(event, data);
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
