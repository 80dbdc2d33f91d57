import { afterNextRender, inject, Injectable, Injector } from '@angular/core';

/**
 * Performance marks around the console's controls, read by the UI benchmark
 * (e2e/bench/ui.bench.ts): `tk-control:<name>` measures from the click to the
 * first render showing its effect (the optimistic state), `tk-confirm:<name>`
 * to the render after the backend's answer. Measured, never asserted.
 */
@Injectable({ providedIn: 'root' })
export class ControlTiming {
  readonly #injector = inject(Injector);
  #seq = 0;

  /** Call in the click handler, before changing any state; returns the function to call once the backend answered. */
  begin(control: string): () => void {
    const start = `tk-start:${control}:${++this.#seq}`;
    performance.mark(start);
    this.#afterRender(() => performance.measure(`tk-control:${control}`, start));
    return () => this.#afterRender(() => performance.measure(`tk-confirm:${control}`, start));
  }

  #afterRender(action: () => void): void {
    afterNextRender({ read: action }, { injector: this.#injector });
  }
}
