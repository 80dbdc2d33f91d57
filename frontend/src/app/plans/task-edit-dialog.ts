import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import {
  PlanDetailSchema,
  TASK_SIZES,
  type PlanDetail,
  type PlanTask,
  type TaskSize,
} from '../../../../backend/protocol/payloads/plans.ts';
import { messageOf } from '../agents/format';
import { checkResult } from '../core/inbound';
import { ProtocolClient } from '../core/protocol-client';

export interface TaskEditData {
  planId: string;
  task: PlanTask;
  /** The plan's other task ids: the dependencies the task may take. */
  others: string[];
}

/** One entry a line; blank lines dropped. */
function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/**
 * Edits one task of a plan while no agent works on it (waiting, failed,
 * needs you): its text, files, size, model and dependencies. The backend
 * validates the whole plan again; an edit that breaks it (a cycle, an
 * unknown dependency) is refused with the problem named, shown here. Closes
 * with the plan's new detail.
 */
@Component({
  selector: 'tk-task-edit-dialog',
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Edit task {{ data.task.id }}</h2>
    <mat-dialog-content class="fields">
      <mat-form-field>
        <mat-label>Title</mat-label>
        <input matInput data-field="title" [value]="title()" (input)="title.set(value($event))" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>Description</mat-label>
        <textarea
          matInput
          rows="4"
          data-field="description"
          [value]="description()"
          (input)="description.set(value($event))"
        ></textarea>
      </mat-form-field>
      <mat-form-field>
        <mat-label>Acceptance criteria (one a line)</mat-label>
        <textarea
          matInput
          rows="3"
          data-field="criteria"
          [value]="criteria()"
          (input)="criteria.set(value($event))"
        ></textarea>
      </mat-form-field>
      <mat-form-field>
        <mat-label>Test strategy</mat-label>
        <textarea
          matInput
          rows="2"
          data-field="testStrategy"
          [value]="testStrategy()"
          (input)="testStrategy.set(value($event))"
        ></textarea>
      </mat-form-field>
      <mat-form-field>
        <mat-label>Files or globs (one a line)</mat-label>
        <textarea
          matInput
          rows="2"
          data-field="files"
          [value]="files()"
          (input)="files.set(value($event))"
        ></textarea>
      </mat-form-field>
      <div class="row">
        <mat-form-field>
          <mat-label>Size</mat-label>
          <select
            matNativeControl
            data-field="size"
            [value]="size()"
            (change)="size.set($any(value($event)))"
          >
            @for (s of sizes; track s) {
              <option [value]="s">{{ s }}</option>
            }
          </select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Model</mat-label>
          <input
            matInput
            data-field="model"
            placeholder="the plan's model"
            [value]="model()"
            (input)="model.set(value($event))"
          />
        </mat-form-field>
      </div>
      <mat-form-field>
        <mat-label>Depends on (task ids, one a line)</mat-label>
        <textarea
          matInput
          rows="2"
          data-field="dependencies"
          [value]="dependencies()"
          (input)="dependencies.set(value($event))"
        ></textarea>
        <mat-hint>Tasks in the plan: {{ data.others.join(', ') || 'none' }}</mat-hint>
      </mat-form-field>
      @if (error(); as e) {
        <p class="error" role="alert">{{ e }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button
        mat-flat-button
        type="button"
        data-save
        [disabled]="busy() || !changed()"
        (click)="save()"
      >
        Save
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .fields {
      display: flex;
      flex-direction: column;
      min-width: min(560px, 90vw);
    }
    .row {
      display: flex;
      gap: 12px;
    }
    .row mat-form-field {
      flex: 1;
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
})
export class TaskEditDialog {
  readonly data = inject<TaskEditData>(MAT_DIALOG_DATA);
  readonly #client = inject(ProtocolClient);
  readonly #ref = inject<MatDialogRef<TaskEditDialog, PlanDetail>>(MatDialogRef);
  readonly sizes = TASK_SIZES;
  readonly title = signal(this.data.task.title);
  readonly description = signal(this.data.task.description);
  readonly criteria = signal(this.data.task.acceptanceCriteria.join('\n'));
  readonly testStrategy = signal(this.data.task.testStrategy);
  readonly files = signal(this.data.task.files.join('\n'));
  readonly size = signal<TaskSize>(this.data.task.size);
  readonly model = signal(this.data.task.model ?? '');
  readonly dependencies = signal(this.data.task.dependencies.join('\n'));
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);

  /** Only what differs from the task as it is: the backend records exactly what the user changed. */
  readonly changes = computed(() => {
    const t = this.data.task;
    const next = {
      title: this.title().trim(),
      description: this.description(),
      acceptanceCriteria: lines(this.criteria()),
      testStrategy: this.testStrategy(),
      files: lines(this.files()),
      size: this.size(),
      model: this.model().trim() || null,
      dependencies: lines(this.dependencies()),
    };
    const before: Record<string, unknown> = t;
    return Object.fromEntries(
      Object.entries(next).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k])),
    );
  });
  readonly changed = computed(() => Object.keys(this.changes()).length > 0);

  value(event: Event): string {
    return (event.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value;
  }

  async save(): Promise<void> {
    this.busy.set(true);
    try {
      const answer = await this.#client.request('plans.editTask', {
        id: this.data.planId,
        taskId: this.data.task.id,
        changes: this.changes(),
      });
      this.#ref.close(checkResult('plans.editTask', PlanDetailSchema, answer));
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.busy.set(false);
    }
  }
}
