import { effect, inject, Injectable } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { Agents } from './agents';
import type { AgentStore } from './agent-store';
import { taskTitle } from './format';

const APP_TITLE = 'Troika';

/**
 * Flags agents that wait for the user beyond their panel: the window title
 * ("(1) Troika — waiting") and, in web mode, a browser notification (the
 * desktop app's main process shows its own). Permission is asked for on a
 * user gesture: the first agent start.
 */
@Injectable({ providedIn: 'root' })
export class Attention {
  readonly #agents = inject(Agents);
  readonly #title = inject(Title);
  /** Agents already announced for their current wait, so one wait notifies once. */
  readonly #announced = new Set<string>();

  constructor() {
    effect(() => {
      const waiting = this.#agents.waiting();
      this.#title.setTitle(
        waiting.length === 0 ? APP_TITLE : `(${waiting.length}) ${APP_TITLE} — waiting`,
      );
      const ids = new Set(waiting.map((a) => a.id));
      for (const id of [...this.#announced]) if (!ids.has(id)) this.#announced.delete(id);
      for (const agent of waiting) {
        if (this.#announced.has(agent.id)) continue;
        this.#announced.add(agent.id);
        this.#notify(agent);
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

  #notify(agent: AgentStore): void {
    if (
      typeof Notification === 'undefined' ||
      Notification.permission !== 'granted' ||
      !this.#inBrowser()
    )
      return;
    const summary = agent.summary();
    const title =
      summary.state === 'waiting_approval'
        ? 'An agent asks for approval'
        : 'An agent has a question';
    const body =
      summary.pendingApproval?.preview ??
      summary.pendingQuestion?.question ??
      taskTitle(summary.task);
    try {
      const note = new Notification(title, { body: body.slice(0, 180), tag: `troika-${agent.id}` });
      note.onclick = () => window.focus();
    } catch {
      // Some browsers allow notifications only from a service worker; the title and the panel still say it.
    }
  }
}
