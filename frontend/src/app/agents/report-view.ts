import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { FinishReport } from '../../../../backend/protocol/index.ts';

const LABELS: Record<FinishReport['status'], string> = {
  COMPLETE: 'Complete',
  NEEDS_CLARIFICATION: 'Needs clarification',
  BLOCKED: 'Blocked',
};

/** The agent's closing report: status, summary, assumptions, blockers, and the question it asked with the answer. */
@Component({
  selector: 'tk-report-view',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    role: 'group',
    'aria-label': 'Report from the agent',
    '[attr.data-status]': 'report().status',
  },
  template: `
    <div class="head">
      <span class="badge">{{ label() }}</span> <strong>Report</strong>
    </div>
    <p class="summary">{{ report().summary }}</p>
    @if (report().assumptions.length > 0) {
      <div class="section">Assumptions</div>
      <ul>
        @for (item of report().assumptions; track $index) {
          <li>{{ item }}</li>
        }
      </ul>
    }
    @if (report().blockers.length > 0) {
      <div class="section">Blockers</div>
      <ul>
        @for (item of report().blockers; track $index) {
          <li>{{ item }}</li>
        }
      </ul>
    }
    @if (report().question; as question) {
      <div class="section">Question</div>
      <p class="question">{{ question }}</p>
      @if (answer(); as a) {
        <div class="section">Your answer</div>
        <p>{{ a }}</p>
      }
    }
  `,
  styles: `
    :host {
      display: block;
      padding: 6px 10px;
      border-radius: 8px;
      border: 1px solid var(--mat-sys-outline-variant);
      background: var(--mat-sys-surface-container);
      font: var(--mat-sys-body-medium);
    }
    .head {
      display: flex;
      align-items: center;
      gap: 6px;
    }
    .badge {
      padding: 0 8px;
      border-radius: 8px;
      font: var(--mat-sys-label-medium);
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    :host([data-status='BLOCKED']) .badge {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    :host([data-status='NEEDS_CLARIFICATION']) .badge {
      background: var(--tk-attention-container);
      color: var(--tk-on-attention-container);
    }
    .section {
      margin-top: 4px;
      font: var(--mat-sys-label-small);
      color: var(--mat-sys-on-surface-variant);
    }
    p,
    ul {
      margin: 2px 0;
      white-space: pre-wrap;
    }
    ul {
      padding-left: 18px;
    }
  `,
})
export class ReportView {
  readonly report = input.required<FinishReport>();
  readonly answer = input<string | null>(null);
  readonly label = computed(() => LABELS[this.report().status]);
}
