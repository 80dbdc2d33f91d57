import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  viewChildren,
} from '@angular/core';
import { Agents } from '../agents/agents';
import type { AgentStore } from '../agents/agent-store';
import { Attention } from '../agents/attention';
import { Shortcuts, type ShortcutId } from '../agents/shortcuts';
import { AgentSlot } from './agent-slot';
import { ConsoleActions } from './console-actions';

/** The three agent panels side by side (or one filling the window), and the keyboard shortcuts that drive them. */
@Component({
  selector: 'tk-agent-console',
  imports: [AgentSlot],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class.focus-mode]': 'focusedIndex() !== -1' },
  template: `
    @for (agent of agents.panels(); track $index) {
      <tk-agent-slot
        [index]="$index + 1"
        [agent]="agent"
        [class.hidden]="focusedIndex() !== -1 && focusedIndex() !== $index"
      />
    }
  `,
  styles: `
    :host {
      display: grid;
      grid-template-columns: repeat(3, minmax(0, 1fr));
      gap: 8px;
      padding: 8px;
      min-height: 0;
    }
    :host(.focus-mode) {
      grid-template-columns: minmax(0, 1fr);
    }
    .hidden {
      display: none;
    }
  `,
})
export class AgentConsole {
  readonly agents = inject(Agents);
  readonly #actions = inject(ConsoleActions);
  private readonly slots = viewChildren(AgentSlot);
  readonly focusedIndex = computed(() => {
    const id = this.agents.focused();
    return id === null ? -1 : this.agents.panels().findIndex((a) => a?.id === id);
  });

  constructor() {
    inject(Attention);
    const shortcuts = inject(Shortcuts);
    shortcuts.setHandler((id) => this.#run(id));
    inject(DestroyRef).onDestroy(() => shortcuts.setHandler(undefined));
  }

  #run(id: ShortcutId): boolean {
    switch (id) {
      case 'newAgent':
        void this.#actions.newAgent();
        return true;
      case 'history':
        void this.#actions.history();
        return true;
      case 'settings':
        void this.#actions.settings();
        return true;
      case 'panel1':
      case 'panel2':
      case 'panel3':
        return this.#goTo(Number(id.slice(-1)) - 1);
    }
    const agent = this.#target(id);
    if (!agent) return false;
    switch (id) {
      case 'pause':
        if (agent.state() === 'paused' || agent.pauseRequested() || agent.summary().resumable)
          void agent.resume(agent.raisedBudget() ?? undefined);
        else if (agent.active()) void agent.pause();
        return true;
      case 'stop':
        if (agent.active()) void this.#actions.stop(agent);
        return true;
      case 'approve':
        void agent.approve();
        return true;
      case 'deny':
        void agent.deny();
        return true;
      case 'steer':
        this.#slotOf(agent)?.panel()?.focusSteer();
        return true;
      case 'answer':
        this.#slotOf(agent)?.panel()?.focusAnswer();
        return true;
      case 'focus':
        this.agents.toggleFocus(agent.id);
        return true;
      case 'changes':
        void this.#actions.changes(agent.id);
        return true;
    }
  }

  /** The agent a shortcut acts on: approve/deny/answer go to the one waiting if the selected one is not. */
  #target(id: ShortcutId): AgentStore | undefined {
    const shown = this.agents.panels().filter((a): a is AgentStore => a !== undefined);
    const selected = shown.find((a) => a.id === this.#actions.selected()) ?? shown[0];
    if (id === 'approve' || id === 'deny') {
      return selected?.summary().pendingApproval
        ? selected
        : shown.find((a) => a.summary().pendingApproval);
    }
    if (id === 'answer')
      return selected?.summary().pendingQuestion
        ? selected
        : shown.find((a) => a.summary().pendingQuestion);
    return selected;
  }

  #slotOf(agent: AgentStore): AgentSlot | undefined {
    return this.slots().find((slot) => slot.agent()?.id === agent.id);
  }

  #goTo(index: number): boolean {
    const slot = this.slots()[index];
    if (!slot) return false;
    const agent = slot.agent();
    this.#actions.select(agent?.id ?? null);
    if (this.agents.focused() !== null && agent && agent.id !== this.agents.focused())
      this.agents.toggleFocus(agent.id);
    slot.focus();
    return true;
  }
}
