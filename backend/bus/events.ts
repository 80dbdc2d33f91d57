/** The backend's event stream: services publish, every connection forwards. */
import type { EventMap, EventName } from '../protocol/index.ts';

/**
 * `bytes`, when given, is the event's payload as raw bytes (a `pty.data`
 * event's output as the process wrote it): a transport that carries bytes
 * sends those instead of the JSON event (see backend/protocol/frames.ts).
 */
export type EventListener = <E extends EventName>(
  event: E,
  data: EventMap[E],
  bytes?: Uint8Array,
) => void;

export class EventBus {
  readonly #listeners = new Set<EventListener>();

  publish<E extends EventName>(event: E, data: EventMap[E], bytes?: Uint8Array): void {
    for (const listener of this.#listeners) listener(event, data, bytes);
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
