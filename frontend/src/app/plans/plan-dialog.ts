import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule } from '@angular/material/dialog';
import { PlanCheckSchema, type PlanCheck } from '../../../../backend/protocol/payloads/plans.ts';
import { formatUsd, messageOf } from '../agents/format';
import { checkResult } from '../core/inbound';
import { ProtocolClient } from '../core/protocol-client';
import { PlanPropose } from './plan-propose';
import { PlanSave } from './plan-save';
import { PlanWaves } from './plan-waves';
import { SavedPlans } from './saved-plans';

const PROBLEM_LABELS: Record<string, string> = {
  invalid_json: 'Not JSON',
  invalid_shape: 'Wrong shape',
  no_tasks: 'No tasks',
  duplicate_id: 'Duplicate id',
  unknown_dependency: 'Unknown dependency',
  cycle: 'Cycle',
  no_description: 'No description',
};

/**
 * A plan from a tasks.json (Task Master's shape, imported or pasted):
 * its problems named, or its tasks, the waves they would run in, what is
 * held apart and why, and an estimate of the cost, without running it.
 */
@Component({
  selector: 'tk-plan-dialog',
  imports: [MatDialogModule, MatButtonModule, PlanPropose, PlanWaves, PlanSave, SavedPlans],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title id="plan-title">Plan</h2>
    <mat-dialog-content class="content">
      <div class="source">
        <label for="plan-text">tasks.json</label>
        <textarea
          id="plan-text"
          spellcheck="false"
          placeholder='{ "master": { "tasks": [ { "id": 1, "title": "…", "description": "…", "dependencies": [] } ] } }'
          [value]="text()"
          (input)="text.set($any($event.target).value)"
        ></textarea>
        <div class="actions">
          <input
            #file
            type="file"
            accept=".json,application/json"
            hidden
            (change)="importFile(file)"
          />
          <button mat-stroked-button type="button" (click)="file.click()">
            Import tasks.json…
          </button>
          <button
            mat-flat-button
            type="button"
            [disabled]="busy() || !text().trim()"
            (click)="check()"
          >
            Check plan
          </button>
        </div>
      </div>
      <div class="result" aria-live="polite">
        @if (error(); as e) {
          <p class="error" role="alert">{{ e }}</p>
        }
        @if (result(); as r) {
          @if (!r.valid) {
            <h3>
              The plan has {{ r.problems.length }}
              {{ r.problems.length === 1 ? 'problem' : 'problems' }}
            </h3>
            <ul class="problems" role="alert">
              @for (p of r.problems; track $index) {
                <li [attr.data-kind]="p.kind">
                  <strong>{{ label(p.kind) }}:</strong> {{ p.message }}
                </li>
              }
            </ul>
          } @else if (r.dryRun; as run) {
            <p class="summary" role="status">
              {{ r.tasks.length }} tasks in {{ run.waves.length }} waves · estimate {{ total() }}
              <span class="basis">({{ run.estimate.basis }})</span>
            </p>
            <tk-plan-save [text]="checkedText()" />
            <tk-plan-waves [tasks]="r.tasks" [dryRun]="run" />
            <h4>Tasks</h4>
            <table class="tasks">
              <thead>
                <tr>
                  <th scope="col">Id</th>
                  <th scope="col">Title</th>
                  <th scope="col">After</th>
                  <th scope="col">Size</th>
                  <th scope="col">Priority</th>
                  <th scope="col">Role</th>
                  <th scope="col">Files</th>
                </tr>
              </thead>
              <tbody>
                @for (t of r.tasks; track t.id) {
                  <tr>
                    <td>{{ t.id }}</td>
                    <td [title]="t.description">{{ t.title }}</td>
                    <td>{{ t.dependencies.join(', ') || '—' }}</td>
                    <td>{{ t.size }}</td>
                    <td>{{ t.priority }}</td>
                    <td>{{ t.role }}</td>
                    <td class="files">{{ t.files.join(', ') || '—' }}</td>
                  </tr>
                }
              </tbody>
            </table>
          }
        }
        <tk-plan-propose />
        <tk-saved-plans />
      </div>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Close</button>
    </mat-dialog-actions>
  `,
  styles: `
    .content {
      display: grid;
      grid-template-columns: minmax(260px, 1fr) 2fr;
      gap: 16px;
      height: calc(88vh - 140px);
      max-height: none;
    }
    .source {
      display: flex;
      flex-direction: column;
      gap: 8px;
      min-height: 0;
    }
    textarea {
      flex: 1;
      min-height: 120px;
      resize: none;
      font: 12px/1.4 var(--tk-mono, monospace);
      padding: 8px;
      border: 1px solid var(--mat-sys-outline);
      border-radius: 4px;
      background: var(--mat-sys-surface);
      color: var(--mat-sys-on-surface);
    }
    .actions {
      display: flex;
      gap: 8px;
      flex-wrap: wrap;
    }
    .result {
      overflow: auto;
      min-width: 0;
    }
    .problems li {
      margin-bottom: 4px;
    }
    .error,
    .problems {
      color: var(--mat-sys-error);
    }
    .basis {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .tasks {
      border-collapse: collapse;
      width: 100%;
      font: var(--mat-sys-body-small);
    }
    .tasks th,
    .tasks td {
      text-align: left;
      padding: 4px 6px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .tasks .files {
      max-width: 200px;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
  `,
})
export class PlanDialog {
  readonly #client = inject(ProtocolClient);
  readonly text = signal('');
  /** The text the shown result is for; saving takes this, not later edits. */
  readonly checkedText = signal('');
  readonly busy = signal(false);
  readonly result = signal<PlanCheck | null>(null);
  readonly error = signal<string | null>(null);
  readonly total = computed(() => formatUsd(this.result()?.dryRun?.estimate.totalUsd ?? 0));

  label(kind: string): string {
    return PROBLEM_LABELS[kind] ?? kind;
  }

  async importFile(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    this.text.set(await file.text());
    await this.check();
  }

  async check(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const text = this.text();
      const answer = await this.#client.request('plans.check', { text });
      this.result.set(checkResult('plans.check', PlanCheckSchema, answer));
      this.checkedText.set(text);
    } catch (error) {
      this.result.set(null);
      this.error.set(messageOf(error));
    } finally {
      this.busy.set(false);
    }
  }
}
