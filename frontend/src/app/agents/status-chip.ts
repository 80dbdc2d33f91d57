import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { AgentState } from '../../../../backend/protocol/index.ts';
import type { PendingControl } from './agent-store';

const LABELS: Record<AgentState, string> = {
  idle: 'Idle',
  running: 'Running',
  paused: 'Paused',
  waiting_approval: 'Needs approval',
  waiting_answer: 'Has a question',
  done: 'Done',
  failed: 'Failed',
  stopped: 'Stopped',
};

const PENDING: Record<PendingControl, string> = {
  pause: 'Pausing…',
  resume: 'Resuming…',
  stop: 'Stopping…',
  approve: 'Approving…',
  deny: 'Denying…',
  answer: 'Answering…',
};

/** The agent's state in a word, coloured by what it asks of the user; a control on its way shows at once. */
@Component({
  selector: 'tk-status-chip',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    role: 'status',
    '[attr.data-state]': 'state()',
    '[attr.data-pending]': 'pending()',
    '[attr.aria-label]': '"Status: " + label()',
  },
  template: `<span class="dot" aria-hidden="true"></span>{{ label() }}`,
  styles: `
    :host {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      padding: 2px 10px;
      border-radius: 12px;
      font: var(--mat-sys-label-medium);
      white-space: nowrap;
      background: var(--mat-sys-surface-container-high);
      color: var(--mat-sys-on-surface);
    }
    .dot {
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: var(--mat-sys-outline);
    }
    :host([data-state='running']) .dot {
      background: light-dark(#1b7f3b, #5bd47c);
      animation: pulse 1.4s ease-in-out infinite;
    }
    :host([data-state='waiting_approval']),
    :host([data-state='waiting_answer']) {
      background: var(--tk-attention-container);
      color: var(--tk-on-attention-container);
      font-weight: 600;
    }
    :host([data-state='waiting_approval']) .dot,
    :host([data-state='waiting_answer']) .dot {
      background: var(--tk-attention);
    }
    :host([data-state='failed']) {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    :host([data-state='done']) .dot {
      background: var(--mat-sys-primary);
    }
    @keyframes pulse {
      50% {
        opacity: 0.35;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      :host([data-state='running']) .dot {
        animation: none;
      }
    }
  `,
})
export class StatusChip {
  readonly state = input.required<AgentState>();
  readonly pending = input<PendingControl | null>(null);
  readonly pauseRequested = input(false);
  readonly label = computed(() => {
    const pending = this.pending();
    if (pending) return PENDING[pending];
    if (this.pauseRequested() && this.state() === 'running') return 'Pausing at next step…';
    return LABELS[this.state()];
  });
}
