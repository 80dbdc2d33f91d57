import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  inject,
  input,
  signal,
  type OnInit,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import {
  PlanExportSchema,
  PlanListSchema,
  type PlanSummary,
} from '../../../../backend/protocol/payloads/plans.ts';
import { formatUsd, messageOf } from '../agents/format';
import { checkResult } from '../core/inbound';
import { ProtocolClient } from '../core/protocol-client';
import { PlanRun } from './plan-run';

/** The saved plans, newest first, each with its branch, state, progress and budget, and its tasks.json to download. */
@Component({
  selector: 'tk-saved-plans',
  imports: [MatButtonModule, PlanRun],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h4>Saved plans</h4>
    @if (plans().length === 0) {
      <p class="note">None yet.</p>
    } @else {
      <table class="plans" aria-label="Saved plans">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Branch</th>
            <th scope="col">State</th>
            <th scope="col">Merged</th>
            <th scope="col">Spent / budget</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          @for (p of plans(); track p.id) {
            <tr [attr.data-plan]="p.slug">
              <td>{{ p.name }}</td>
              <td class="branch">{{ p.integrationBranch }}</td>
              <td [title]="p.stateReason ?? ''">{{ p.state }}</td>
              <td>{{ p.mergedCount }} of {{ p.taskCount }}</td>
              <td>{{ money(p) }}</td>
              <td>
                <button mat-button type="button" (click)="toggle(p)">
                  {{ open() === p.id ? 'Hide' : 'Open' }}
                </button>
                <button mat-button type="button" (click)="download(p)">Export tasks.json</button>
              </td>
            </tr>
          }
        </tbody>
      </table>
      @if (open(); as id) {
        <tk-plan-run [planId]="id" />
      }
    }
    @if (error(); as e) {
      <p class="error" role="alert">{{ e }}</p>
    }
  `,
  styles: `
    h4 {
      margin: 12px 0 4px;
    }
    .plans {
      border-collapse: collapse;
      width: 100%;
      font: var(--mat-sys-body-small);
    }
    .plans th,
    .plans td {
      text-align: left;
      padding: 2px 6px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .branch {
      font-family: var(--tk-mono, monospace);
    }
    .note {
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      color: var(--mat-sys-error);
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
  `,
})
export class SavedPlans implements OnInit {
  readonly #client = inject(ProtocolClient);
  readonly #destroy = inject(DestroyRef);
  readonly plans = signal<PlanSummary[]>([]);
  readonly error = signal<string | null>(null);
  /** The plan whose run is shown under the list. */
  readonly open = signal<string | null>(null);
  /** The plan to show open at first. */
  readonly initialOpen = input<string | null>(null);

  toggle(p: PlanSummary): void {
    this.open.update((id) => (id === p.id ? null : p.id));
  }

  ngOnInit(): void {
    const initial = this.initialOpen();
    if (initial) this.open.set(initial);
    void this.load();
    this.#destroy.onDestroy(this.#client.on('plans.changed', () => void this.load()));
  }

  money(p: PlanSummary): string {
    const spent = formatUsd(p.spentUsd);
    return p.budgetUsd === null ? `${spent} (no cap)` : `${spent} / ${formatUsd(p.budgetUsd)}`;
  }

  async load(): Promise<void> {
    try {
      const answer = await this.#client.request('plans.list', {});
      this.plans.set(checkResult('plans.list', PlanListSchema, answer).plans);
    } catch (error) {
      this.error.set(messageOf(error));
    }
  }

  /** Saves the plan's tasks.json through the browser's download (the desktop app asks where). */
  async download(p: PlanSummary): Promise<void> {
    try {
      const answer = await this.#client.request('plans.export', { id: p.id });
      const file = checkResult('plans.export', PlanExportSchema, answer);
      const url = URL.createObjectURL(new Blob([file.text], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = file.fileName;
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      this.error.set(messageOf(error));
    }
  }
}
