import {
  ChangeDetectionStrategy,
  Component,
  computed,
  type ElementRef,
  inject,
  input,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatTooltipModule } from '@angular/material/tooltip';
import { AgentPanel } from '../agents/agent-panel';
import { Agents } from '../agents/agents';
import type { AgentStore } from '../agents/agent-store';
import { taskTitle } from '../agents/format';
import { ariaShortcut, withShortcut } from '../agents/shortcuts';
import { ProtocolClient } from '../core/protocol-client';
import { ConsoleActions } from './console-actions';
import { Icon } from './icon';

/** One of the three places an agent lives: its panel, or an invitation to start one. */
@Component({
  selector: 'tk-agent-slot',
  imports: [AgentPanel, MatButtonModule, MatTooltipModule, Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'region', '[attr.aria-label]': 'regionLabel()' },
  template: `
    @if (agent(); as a) {
      <tk-agent-panel #panel [agent]="a" [index]="index()" />
    } @else {
      <div class="empty">
        <p>No agent here yet.</p>
        @if (agents.slotsTaken(); as why) {
          <p class="why">{{ why }}</p>
        }
        <button
          #start
          mat-stroked-button
          type="button"
          [disabled]="client.status() !== 'connected' || agents.slotsTaken() !== null"
          [matTooltip]="tip('Start an agent on a task', 'newAgent')"
          [attr.aria-keyshortcuts]="keys('newAgent')"
          (click)="actions.newAgent()"
        >
          <tk-icon name="add" /> New agent
        </button>
      </div>
    }
  `,
  styles: `
    :host {
      display: block;
      min-width: 0;
      min-height: 0;
    }
    .empty {
      height: 100%;
      box-sizing: border-box;
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      gap: 8px;
      border: 1px dashed var(--mat-sys-outline-variant);
      border-radius: 12px;
      color: var(--mat-sys-on-surface-variant);
    }
    .why {
      max-width: 40ch;
      margin: 0 12px;
      text-align: center;
      font: var(--mat-sys-body-small);
    }
  `,
})
export class AgentSlot {
  readonly index = input.required<number>();
  readonly agent = input<AgentStore | undefined>(undefined);
  readonly actions = inject(ConsoleActions);
  readonly client = inject(ProtocolClient);
  readonly agents = inject(Agents);
  readonly tip = withShortcut;
  readonly keys = ariaShortcut;
  readonly regionLabel = computed(() => {
    const agent = this.agent();
    return agent
      ? `Agent slot ${this.index()}: ${taskTitle(agent.summary().task, 60)}`
      : `Agent slot ${this.index()}`;
  });
  readonly panel = viewChild<AgentPanel>('panel');
  private readonly startButton = viewChild<ElementRef<HTMLButtonElement>>('start');

  /** Moves the keyboard to this slot: the steer box of its agent, or the button that starts one. */
  focus(): void {
    const panel = this.panel();
    if (panel) panel.focusSteer();
    else this.startButton()?.nativeElement.focus();
  }
}
