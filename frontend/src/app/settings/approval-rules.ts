import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { ApprovalRuleView } from '../../../../backend/protocol/index.ts';
import { messageOf } from '../agents/format';
import { ProtocolClient } from '../core/protocol-client';

/**
 * What asks for approval before an agent's command runs, and why: the
 * backend's rule table, read-only (the rules are built into the gate).
 */
@Component({
  selector: 'tk-approval-rules',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (rules(); as list) {
      <p class="note">
        Commands are read as the agent's shell reads them, through <code>bash -c</code>,
        <code>sudo</code>, <code>env</code> and the like. Anything that cannot be understood asks.
      </p>
      <ul aria-label="Approval rules">
        @for (r of list; track r.what) {
          <li [attr.data-decision]="r.decision">
            <span class="decision">{{ r.decision === 'deny' ? 'Refused' : 'Asks' }}</span>
            <code class="what">{{ r.what }}</code>
            <span class="why">{{ r.why }}</span>
          </li>
        }
      </ul>
    } @else if (error(); as e) {
      <p class="error" role="alert">{{ e }}</p>
    } @else {
      <p role="status">Loading…</p>
    }
  `,
  styles: `
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      font: var(--mat-sys-body-small);
    }
    li {
      display: grid;
      grid-template-columns: 4.5em minmax(0, 1fr) minmax(0, 1fr);
      gap: 8px;
      padding: 3px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .decision {
      font: var(--mat-sys-label-small);
      color: var(--mat-sys-on-surface-variant);
    }
    [data-decision='deny'] .decision {
      color: var(--mat-sys-error);
    }
    .what {
      overflow-wrap: anywhere;
    }
    .why {
      color: var(--mat-sys-on-surface-variant);
    }
    .note {
      margin: 0 0 8px;
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
})
export class ApprovalRules {
  readonly #client = inject(ProtocolClient);
  readonly rules = signal<ApprovalRuleView[] | null>(null);
  readonly error = signal<string | null>(null);

  constructor() {
    this.#client
      .request('settings.approvalRules', {})
      .then(({ rules }) => this.rules.set(rules))
      .catch((error: unknown) =>
        this.error.set(`Could not load the approval rules: ${messageOf(error)}`),
      );
  }
}
