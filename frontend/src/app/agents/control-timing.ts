import { afterNextRender, DOCUMENT, inject, Injectable, Injector } from '@angular/core';

/** An input event older than this did not cause the control (a control called from code, say): timing starts at the call. */
const INPUT_WINDOW_MS = 1000;

/**
 * Performance measures around the console's controls, read by the UI
 * benchmark (e2e/bench/ui.bench.ts): `tk-control:<name>` runs from the input
 * event (the click or key press, by its timestamp) to the first render
 * showing the control's effect (the optimistic state), `tk-confirm:<name>` to
 * the render after the backend's answer. Measured, never asserted.
 */
@Injectable({ providedIn: 'root' })
export class ControlTiming {
  readonly #injector = inject(Injector);
  #lastInput = -Infinity;

  constructor() {
    const document = inject(DOCUMENT);
    const note = (event: Event) => (this.#lastInput = event.timeStamp);
    for (const type of ['click', 'keydown'])
      document.addEventListener(type, note, { capture: true, passive: true });
  }

  /** Call in the control's handler, before changing any state; returns the function to call once the backend answered. */
  begin(control: string): () => void {
    const now = performance.now();
    const start = now - this.#lastInput < INPUT_WINDOW_MS ? this.#lastInput : now;
    this.#afterRender(() =>
      performance.measure(`tk-control:${control}`, { start, end: performance.now() }),
    );
    return () =>
      this.#afterRender(() =>
        performance.measure(`tk-confirm:${control}`, { start, end: performance.now() }),
      );
  }

  #afterRender(action: () => void): void {
    afterNextRender({ read: action }, { injector: this.#injector });
  }
}
