import { effect, inject, Injectable } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { Agents } from './agents';
import { NeedsYou, type NeedsYouItem } from './needs-you';

const APP_TITLE = 'Troika';

/**
 * Flags what waits for the user beyond its panel (the "needs you" list:
 * agents' approvals and questions, plan tasks escalated to the user): the
 * window title ("(1) Troika — waiting") and, in web mode, a browser
 * notification at once (the desktop app's main process shows its own for
 * agents). Permission is asked for on a user gesture: the first agent start.
 */
@Injectable({ providedIn: 'root' })
export class Attention {
  readonly #agents = inject(Agents);
  readonly #needsYou = inject(NeedsYou);
  readonly #title = inject(Title);
  /** Waits already announced, so one wait notifies once. */
  readonly #announced = new Set<string>();

  constructor() {
    effect(() => {
      const waiting = this.#needsYou.items();
      this.#title.setTitle(
        waiting.length === 0 ? APP_TITLE : `(${waiting.length}) ${APP_TITLE} — waiting`,
      );
      const keys = new Set(waiting.map((item) => item.key));
      for (const key of [...this.#announced]) if (!keys.has(key)) this.#announced.delete(key);
      for (const item of waiting) {
        if (this.#announced.has(item.key)) continue;
        this.#announced.add(item.key);
        this.#notify(item);
      }
    });
  }

  /** Call from a click: browsers grant notifications only on a user gesture. */
  requestPermission(): void {
    if (
      typeof Notification === 'undefined' ||
      Notification.permission !== 'default' ||
      !this.#inBrowser()
    )
      return;
    void Notification.requestPermission().catch(() => undefined);
  }

  #inBrowser(): boolean {
    return this.#agents.hello()?.host !== 'electron';
  }

  #notify(item: NeedsYouItem): void {
    if (
      typeof Notification === 'undefined' ||
      Notification.permission !== 'granted' ||
      !this.#inBrowser()
    )
      return;
    try {
      const note = new Notification(item.title, {
        body: item.body.slice(0, 180),
        tag: `troika-${item.key}`,
      });
      note.onclick = () => window.focus();
    } catch {
      // Some browsers allow notifications only from a service worker; the title and the list still say it.
    }
  }
}
