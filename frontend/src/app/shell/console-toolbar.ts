import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatMenuModule } from '@angular/material/menu';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Agents } from '../agents/agents';
import { NeedsYou, type NeedsYouItem } from '../agents/needs-you';
import { ariaShortcut, withShortcut } from '../agents/shortcuts';
import { ProtocolClient } from '../core/protocol-client';
import { ConsoleActions } from './console-actions';
import { Icon, type IconName } from './icon';
import { Theme } from './theme';

const THEME_LABELS = {
  system: 'Theme: as the system',
  light: 'Theme: light',
  dark: 'Theme: dark',
} as const;

/** The toolbar's console actions: new agent, history, settings, theme. */
@Component({
  selector: 'tk-console-toolbar',
  imports: [MatButtonModule, MatMenuModule, MatTooltipModule, Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (needsYou().length > 0) {
      <!-- The one "needs you" list: every approval, question and plan escalation. -->
      <button
        type="button"
        class="waiting"
        aria-haspopup="menu"
        [matMenuTriggerFor]="needsYouMenu"
        matTooltip="Approvals, questions and plan tasks waiting for you"
      >
        {{ needsYou().length }} {{ needsYou().length === 1 ? 'needs' : 'need' }} you
      </button>
    }
    <mat-menu #needsYouMenu="matMenu" class="tk-needs-you" aria-label="Needs you">
      @for (item of needsYou(); track item.key) {
        <button
          mat-menu-item
          type="button"
          [attr.data-needs-you]="item.kind"
          [title]="item.body"
          (click)="open(item)"
        >
          <span class="kind">{{ kindLabel[item.kind] }}</span> {{ clip(item.body) }}
        </button>
      }
    </mat-menu>
    @if (slotsTaken(); as why) {
      <!-- Said before any form: which agents hold the slots, and what frees one. -->
      <span id="tk-slots-taken" class="slots-taken" role="status" [matTooltip]="why">{{
        why
      }}</span>
    }
    <button
      mat-flat-button
      type="button"
      [disabled]="!connected() || slotsTaken() !== null"
      [matTooltip]="tip('Start an agent on a task', 'newAgent')"
      [attr.aria-keyshortcuts]="keys('newAgent')"
      [attr.aria-describedby]="slotsTaken() ? 'tk-slots-taken' : null"
      (click)="actions.newAgent()"
    >
      <tk-icon name="add" /> New agent
    </button>
    <button
      mat-stroked-button
      type="button"
      [disabled]="!connected()"
      matTooltip="Check a plan of tasks (tasks.json): its waves and cost"
      (click)="actions.plans()"
    >
      Plan
    </button>
    <button
      mat-icon-button
      type="button"
      aria-label="History"
      [disabled]="!connected()"
      [matTooltip]="tip('History of runs', 'history')"
      [attr.aria-keyshortcuts]="keys('history')"
      (click)="actions.history()"
    >
      <tk-icon name="history" />
    </button>
    <button
      mat-icon-button
      type="button"
      aria-label="Worktrees"
      [disabled]="!connected()"
      matTooltip="Worktrees and branches agents made"
      (click)="actions.worktrees()"
    >
      <tk-icon name="worktrees" />
    </button>
    <button
      mat-icon-button
      type="button"
      aria-label="Settings"
      [disabled]="!connected()"
      [matTooltip]="tip('Settings, cache and usage', 'settings')"
      [attr.aria-keyshortcuts]="keys('settings')"
      (click)="actions.settings()"
    >
      <tk-icon name="settings" />
    </button>
    <button
      mat-icon-button
      type="button"
      [attr.aria-label]="themeLabel()"
      [matTooltip]="themeLabel() + ' (click to change)'"
      (click)="theme.cycle()"
    >
      <tk-icon [name]="themeIcon()" />
    </button>
  `,
  styles: `
    :host {
      display: flex;
      align-items: center;
      gap: 4px;
      min-width: 0;
    }
    .slots-taken {
      min-width: 0;
      max-width: 60vw;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .waiting {
      margin-right: 8px;
      padding: 2px 10px;
      border: 0;
      cursor: pointer;
      border-radius: 12px;
      background: var(--tk-attention);
      color: var(--tk-on-attention);
      font: var(--mat-sys-label-large);
    }
    .kind {
      font-weight: 600;
    }
    button tk-icon {
      margin-right: 2px;
    }
  `,
})
export class ConsoleToolbar {
  readonly actions = inject(ConsoleActions);
  readonly theme = inject(Theme);
  readonly #client = inject(ProtocolClient);
  readonly #agents = inject(Agents);
  readonly connected = computed(() => this.#client.status() === 'connected');
  readonly needsYou = inject(NeedsYou).items;
  readonly kindLabel = {
    approval: 'Approval',
    question: 'Question',
    escalation: 'Plan task',
  } as const;
  readonly slotsTaken = this.#agents.slotsTaken;
  readonly themeLabel = computed(() => THEME_LABELS[this.theme.mode()]);
  readonly themeIcon = computed<IconName>(() => {
    const mode = this.theme.mode();
    return mode === 'system' ? 'auto' : mode;
  });
  readonly tip = withShortcut;

  clip(text: string): string {
    const line = text.replace(/\s+/g, ' ');
    return line.length > 90 ? `${line.slice(0, 89)}…` : line;
  }

  /** An agent's wait opens its panel; a plan task opens its plan. */
  open(item: NeedsYouItem): void {
    if (item.planId) void this.actions.plans(item.planId);
    else if (item.agentId) this.#agents.show(item.agentId);
  }
  readonly keys = ariaShortcut;
}
