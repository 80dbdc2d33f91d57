import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import type { AgentSummary } from '../../../../backend/protocol/index.ts';
import { Agents } from '../agents/agents';
import { formatDuration, formatUsd, messageOf, taskTitle } from '../agents/format';
import { ProtocolClient } from '../core/protocol-client';
import { RunDetail } from './run-detail';

const STATE_LABELS: Record<string, string> = {
  idle: 'interrupted',
  running: 'running',
  paused: 'paused',
  waiting_approval: 'needs approval',
  waiting_answer: 'has a question',
  done: 'done',
  failed: 'failed',
  stopped: 'stopped',
};

/** Past runs with status, cost and duration; one opened shows its transcript and terminal, read-only. */
@Component({
  selector: 'tk-history-dialog',
  imports: [MatDialogModule, MatButtonModule, RunDetail],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title id="history-title">History</h2>
    <mat-dialog-content class="content">
      @if (opened(); as run) {
        <tk-run-detail [run]="run" (back)="opened.set(null)" (resume)="resume($event)" />
      } @else if (runs(); as list) {
        @if (list.length === 0) {
          <p class="note">No runs yet.</p>
        } @else {
          <table class="runs">
            <caption class="visually-hidden">
              Past agent runs, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">Cost</th>
                <th scope="col" class="num">Duration</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              @for (run of list; track run.id) {
                <tr [attr.data-state]="run.state">
                  <td class="task">
                    <button type="button" class="open" [title]="run.task" (click)="opened.set(run)">
                      {{ title(run) }}
                    </button>
                  </td>
                  <td>
                    <span class="state" [attr.data-state]="run.state">{{ stateLabel(run) }}</span>
                  </td>
                  <td class="num">{{ cost(run) }}</td>
                  <td class="num">{{ duration(run) }}</td>
                  <td>{{ started(run) }}</td>
                </tr>
              }
            </tbody>
          </table>
        }
      } @else if (!error()) {
        <p class="note" role="status">Loading…</p>
      }
      @if (error(); as e) {
        <p class="error" role="alert">{{ e }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Close</button>
    </mat-dialog-actions>
  `,
  styles: `
    .content {
      height: calc(88vh - 140px);
      max-height: none;
    }
    .runs {
      width: 100%;
      border-collapse: collapse;
    }
    th,
    td {
      padding: 6px 8px;
      text-align: left;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    th {
      font: var(--mat-sys-label-large);
    }
    .num {
      text-align: right;
      font-variant-numeric: tabular-nums;
    }
    .task {
      max-width: 520px;
    }
    .open {
      all: unset;
      display: block;
      max-width: 100%;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      cursor: pointer;
      color: var(--mat-sys-primary);
      text-decoration: underline;
    }
    .open:focus-visible {
      outline: 2px solid var(--mat-sys-primary);
    }
    .state[data-state='failed'] {
      color: var(--mat-sys-error);
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
export class HistoryDialog {
  readonly #client = inject(ProtocolClient);
  readonly #agents = inject(Agents);
  readonly #ref = inject(MatDialogRef<HistoryDialog>);
  readonly runs = signal<AgentSummary[] | null>(null);
  readonly opened = signal<AgentSummary | null>(null);
  readonly error = signal<string | null>(null);
  readonly #dateFormat = new Intl.DateTimeFormat(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });

  constructor() {
    this.#client
      .request('agent.history', { limit: 200 })
      .then((runs) => this.runs.set(runs))
      .catch((error: unknown) => this.error.set(`Could not load the history: ${messageOf(error)}`));
  }

  title(run: AgentSummary): string {
    return taskTitle(run.task, 90);
  }

  stateLabel(run: AgentSummary): string {
    return STATE_LABELS[run.state] ?? run.state;
  }

  cost(run: AgentSummary): string {
    return formatUsd(run.usage.costUsd);
  }

  duration(run: AgentSummary): string {
    return formatDuration(run.updatedAt - run.createdAt);
  }

  started(run: AgentSummary): string {
    return this.#dateFormat.format(run.createdAt);
  }

  async resume(run: AgentSummary): Promise<void> {
    try {
      await this.#client.request('agent.resume', { id: run.id });
      this.#agents.show(run.id);
      this.#ref.close();
    } catch (error) {
      this.error.set(`Could not resume: ${messageOf(error)}`);
    }
  }
}
