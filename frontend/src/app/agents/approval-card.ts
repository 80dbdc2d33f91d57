import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Icon } from '../shell/icon';
import type { AgentStore } from './agent-store';
import { ariaShortcut, withShortcut } from './shortcuts';

/** A held tool call: why the policy asks, the command or diff it would run, approve or deny (with an optional reason for the model). */
@Component({
  selector: 'tk-approval-card',
  imports: [MatButtonModule, MatTooltipModule, Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'region', 'aria-label': 'Approval needed' },
  template: `
    @if (approval(); as a) {
      <div class="head">
        <tk-icon name="warning" /> <strong>Approve {{ a.tool }}?</strong>
        <span class="reason">{{ a.reason }}</span>
      </div>
      <pre class="preview" tabindex="0" aria-label="What it would run">{{ a.preview }}</pre>
      <div class="actions">
        <button
          #approveButton
          mat-flat-button
          type="button"
          class="approve"
          [matTooltip]="tip('Approve and run it', 'approve')"
          [attr.aria-keyshortcuts]="keys('approve')"
          [disabled]="busy()"
          (click)="agent().approve()"
        >
          <tk-icon name="check" /> Approve
        </button>
        <button
          mat-stroked-button
          type="button"
          class="deny"
          [matTooltip]="tip('Deny: the agent is told not to run it', 'deny')"
          [attr.aria-keyshortcuts]="keys('deny')"
          [disabled]="busy()"
          (click)="deny()"
        >
          <tk-icon name="close" /> Deny
        </button>
        <input
          class="why tk-input"
          type="text"
          aria-label="Reason for denying (optional, told to the agent)"
          title="Told to the agent with the denial"
          placeholder="Why not? (optional)"
          [value]="reason()"
          (input)="reason.set($any($event.target).value)"
          (keydown.enter)="deny()"
        />
      </div>
    }
  `,
  styles: `
    :host {
      display: block;
      padding: 8px 10px;
      border-radius: 8px;
      background: var(--tk-attention-container);
      color: var(--tk-on-attention-container);
    }
    .head {
      display: flex;
      align-items: center;
      gap: 6px;
      flex-wrap: wrap;
    }
    .reason {
      font: var(--mat-sys-body-small);
    }
    .preview {
      margin: 6px 0;
      padding: 6px 8px;
      max-height: 160px;
      overflow: auto;
      border-radius: 4px;
      background: var(--mat-sys-surface);
      color: var(--mat-sys-on-surface);
      font:
        12px/1.4 ui-monospace,
        Menlo,
        Consolas,
        monospace;
      white-space: pre-wrap;
      word-break: break-word;
    }
    .actions {
      display: flex;
      gap: 8px;
      align-items: center;
      flex-wrap: wrap;
    }
    .why {
      /* Wide enough for its placeholder; on a narrow panel it takes its own line. */
      flex: 1 1 150px;
      min-width: 150px;
      font: var(--mat-sys-body-small);
    }
  `,
})
export class ApprovalCard {
  readonly agent = input.required<AgentStore>();
  readonly approval = computed(() => this.agent().summary().pendingApproval);
  readonly busy = computed(() => this.agent().pending() !== null);
  readonly reason = signal('');
  readonly tip = withShortcut;
  readonly keys = ariaShortcut;

  deny(): void {
    void this.agent().deny(this.reason().trim() || undefined);
    this.reason.set('');
  }
}
