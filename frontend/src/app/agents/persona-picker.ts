import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatMenuModule } from '@angular/material/menu';
import { MatTooltipModule } from '@angular/material/tooltip';
import type { PersonaInfo } from '../../../../backend/protocol/index.ts';
import { ProtocolClient } from '../core/protocol-client';
import type { AgentStore } from './agent-store';

/**
 * The agent's persona and why it was chosen (the triggers that matched, or
 * "pinned by the user"), shown in the panel; a click lists the personas and
 * one more pins another, while the agent runs or after it finished.
 */
@Component({
  selector: 'tk-persona-picker',
  imports: [MatMenuModule, MatTooltipModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button
      type="button"
      class="chip"
      [matMenuTriggerFor]="menu"
      (menuOpened)="load()"
      [matTooltip]="'Persona ' + label() + ': ' + reason() + '. Click to change it.'"
      [attr.aria-label]="'Persona: ' + label() + ', ' + reason() + '. Change persona'"
    >
      <span class="name">{{ label() }}</span>
    </button>
    <span class="why" data-persona-reason>{{ reason() }}</span>
    <mat-menu #menu="matMenu" aria-label="Change persona">
      @for (p of personas(); track p.name) {
        <button
          mat-menu-item
          type="button"
          [disabled]="p.name === current()"
          [title]="p.description"
          (click)="choose(p.name)"
        >
          {{ p.name }}
        </button>
      } @empty {
        <button mat-menu-item type="button" disabled>Loading personas…</button>
      }
      <button mat-menu-item type="button" [disabled]="current() === null" (click)="choose(null)">
        No persona
      </button>
    </mat-menu>
  `,
  styles: `
    :host {
      display: inline-flex;
      align-items: baseline;
      gap: 6px;
      min-width: 0;
    }
    .chip {
      flex: none;
      padding: 0 6px;
      border: none;
      border-radius: 8px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
      font: inherit;
      cursor: pointer;
    }
    .chip:focus-visible {
      outline: 2px solid var(--mat-sys-primary);
    }
    .why {
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
  `,
})
export class PersonaPicker {
  readonly agent = input.required<AgentStore>();
  readonly #client = inject(ProtocolClient);
  readonly personas = signal<readonly PersonaInfo[]>([]);
  readonly current = computed(() => this.agent().summary().activePersona?.name ?? null);
  readonly label = computed(() => {
    const active = this.agent().summary().activePersona;
    if (active) return `${active.name}${active.pinned ? ' (pinned)' : ''}`;
    return this.agent().summary().persona ?? 'no persona';
  });
  readonly reason = computed(() => {
    const active = this.agent().summary().activePersona;
    if (active) return active.reason;
    return this.agent().summary().persona ? 'pinned at the start' : 'no trigger matched the task';
  });

  async load(): Promise<void> {
    if (this.personas().length > 0) return;
    const list = await this.#client.request('personas.list', {}).catch(() => null);
    if (list) this.personas.set(list.personas);
  }

  choose(name: string | null): void {
    void this.agent().setPersona(name);
  }
}
