import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ConsoleActions } from '../shell/console-actions';
import { Icon } from '../shell/icon';
import { Agents } from './agents';
import type { AgentStore } from './agent-store';
import { ariaShortcut, withShortcut } from './shortcuts';

/** Pause or resume, stop, changes, fill the window, close: one click each, each with its shortcut in the tooltip. */
@Component({
  selector: 'tk-agent-controls',
  imports: [MatButtonModule, MatTooltipModule, Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (canResume()) {
      <button
        mat-flat-button
        type="button"
        [matTooltip]="tip('Resume', 'pause')"
        [attr.aria-keyshortcuts]="keys('pause')"
        [disabled]="busy()"
        (click)="agent().resume(agent().raisedBudget() ?? undefined)"
      >
        <tk-icon name="play" />
        {{ agent().raisedBudget() === null ? 'Resume' : 'Resume with ' + raisedLabel() }}
      </button>
    } @else {
      <button
        mat-stroked-button
        type="button"
        [matTooltip]="tip('Pause at the next step', 'pause')"
        [attr.aria-keyshortcuts]="keys('pause')"
        [disabled]="!agent().active() || busy()"
        (click)="agent().pause()"
      >
        <tk-icon name="pause" /> Pause
      </button>
    }
    <button
      mat-stroked-button
      type="button"
      [matTooltip]="tip('Stop: end the run, after saying what it ends (it can be resumed)', 'stop')"
      [attr.aria-keyshortcuts]="keys('stop')"
      [disabled]="!agent().active() || busy()"
      (click)="actions.stop(agent())"
    >
      <tk-icon name="stop" /> Stop
    </button>
    <span class="spacer"></span>
    <button
      mat-icon-button
      type="button"
      [matTooltip]="tip('Changes in its worktree', 'changes')"
      aria-label="Changes"
      [attr.aria-keyshortcuts]="keys('changes')"
      (click)="actions.changes(agent().id)"
    >
      <tk-icon name="diff" />
    </button>
    @if (agent().summary().branch && !agent().active()) {
      <button
        mat-icon-button
        type="button"
        [matTooltip]="'Merge into the branch it started from'"
        aria-label="Merge"
        (click)="actions.merge(agent().id)"
      >
        <tk-icon name="merge" />
      </button>
    }
    <button
      mat-icon-button
      type="button"
      [matTooltip]="tip(focused() ? 'Back to side by side' : 'Fill the window', 'focus')"
      [attr.aria-label]="focused() ? 'Back to side by side' : 'Fill the window'"
      [attr.aria-pressed]="focused()"
      [attr.aria-keyshortcuts]="keys('focus')"
      (click)="agents.toggleFocus(agent().id)"
    >
      <tk-icon [name]="focused() ? 'collapse' : 'expand'" />
    </button>
    @if (!agent().active()) {
      <button
        mat-icon-button
        type="button"
        matTooltip="Close this panel (the run stays in history)"
        aria-label="Close panel"
        (click)="actions.closePanel(agent())"
      >
        <tk-icon name="close" />
      </button>
    }
  `,
  styles: `
    :host {
      display: flex;
      align-items: center;
      gap: 8px;
      flex-wrap: wrap;
      /* Compact rows: the panel's height belongs to the conversation. */
      --mat-button-outlined-container-height: 30px;
      --mat-button-filled-container-height: 30px;
      --mat-icon-button-state-layer-size: 32px;
    }
    .spacer {
      flex: 1;
    }
    button tk-icon {
      margin-right: 2px;
    }
  `,
})
export class AgentControls {
  readonly agent = input.required<AgentStore>();
  readonly agents = inject(Agents);
  readonly actions = inject(ConsoleActions);
  readonly busy = computed(() => this.agent().pending() !== null);
  readonly focused = computed(() => this.agents.focused() === this.agent().id);
  readonly canResume = computed(() => {
    const agent = this.agent();
    return agent.state() === 'paused' || agent.pauseRequested() || agent.summary().resumable;
  });
  readonly raisedLabel = computed(() => `$${(this.agent().raisedBudget() ?? 0).toFixed(2)} budget`);
  readonly tip = withShortcut;
  readonly keys = ariaShortcut;
}
