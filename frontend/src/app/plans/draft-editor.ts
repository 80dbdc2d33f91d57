import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import {
  PlanDraftSchema,
  type PlanDraft,
} from '../../../../backend/protocol/payloads/plan-drafts.ts';
import {
  PlanDetailSchema,
  TASK_SIZES,
  type PlanDetail,
  type PlanTask,
  type TaskSize,
} from '../../../../backend/protocol/payloads/plans.ts';
import { formatUsd, messageOf } from '../agents/format';
import { checkResult } from '../core/inbound';
import { ProtocolClient } from '../core/protocol-client';
import { PlanWaves } from './plan-waves';

/** One task as the form edits it: lists as comma-separated text. */
export interface TaskRow {
  /** The task as proposed: fields the form does not show (criteria, test strategy, role…) are kept. */
  base: PlanTask;
  id: string;
  title: string;
  description: string;
  dependencies: string;
  size: TaskSize;
  files: string;
}

export function toRow(task: PlanTask): TaskRow {
  return {
    base: task,
    id: task.id,
    title: task.title,
    description: task.description,
    dependencies: task.dependencies.join(', '),
    size: task.size,
    files: task.files.join(', '),
  };
}

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function fromRow(row: TaskRow): PlanTask {
  return {
    ...row.base,
    id: row.id.trim(),
    title: row.title.trim(),
    description: row.description,
    dependencies: list(row.dependencies),
    size: row.size,
    files: list(row.files),
  };
}

type Field = 'id' | 'title' | 'description' | 'dependencies' | 'size' | 'files';

/**
 * A proposed plan before it is approved: its tasks as an editable list
 * (title, description, dependencies, size, files), the problems of the
 * last saved edit named, the dry run (waves, what is held apart and why, the
 * estimate) as the graph, and Approve, which saves it as a plan ready to start.
 */
@Component({
  selector: 'tk-draft-editor',
  imports: [MatButtonModule, PlanWaves],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="rows" role="list" aria-label="Draft tasks">
      @for (row of rows(); track $index) {
        <fieldset class="row" role="listitem" [attr.data-task]="row.id">
          <legend>Task {{ row.id }}</legend>
          <label
            >Id <input class="id" [value]="row.id" (input)="set($index, 'id', $event)"
          /></label>
          <label class="wide"
            >Title <input [value]="row.title" (input)="set($index, 'title', $event)"
          /></label>
          <label
            >Size
            <select [value]="row.size" (change)="set($index, 'size', $event)">
              @for (s of sizes; track s) {
                <option [value]="s" [selected]="s === row.size">{{ s }}</option>
              }
            </select>
          </label>
          <label class="full"
            >Description
            <textarea
              rows="2"
              [value]="row.description"
              (input)="set($index, 'description', $event)"
            ></textarea>
          </label>
          <label class="wide"
            >After (ids)
            <input [value]="row.dependencies" (input)="set($index, 'dependencies', $event)"
          /></label>
          <label class="wide"
            >Files or globs <input [value]="row.files" (input)="set($index, 'files', $event)"
          /></label>
          <button mat-button type="button" (click)="remove($index)">Remove</button>
        </fieldset>
      }
    </div>
    <div class="actions">
      <button mat-stroked-button type="button" (click)="add()">Add task</button>
      <button mat-stroked-button type="button" [disabled]="busy() || !dirty()" (click)="save()">
        Save edits
      </button>
      <button mat-flat-button type="button" [disabled]="busy()" (click)="approve()">
        Approve plan
      </button>
    </div>
    @if (error(); as e) {
      <p class="error" role="alert">{{ e }}</p>
    }
    @if (draft().problems.length > 0) {
      <ul class="problems" role="alert" aria-label="Problems">
        @for (p of draft().problems; track $index) {
          <li [attr.data-kind]="p.kind">{{ p.message }}</li>
        }
      </ul>
    }
    @if (draft().dryRun; as run) {
      <p class="summary" role="status">
        Dry run: {{ draft().tasks.length }} tasks in {{ run.waves.length }} waves · estimate
        {{ money(run.estimate.totalUsd) }}
        <span class="basis">({{ run.estimate.basis }})</span>
      </p>
      <tk-plan-waves [tasks]="draft().tasks" [dryRun]="run" />
    }
  `,
  styles: `
    .rows {
      display: flex;
      flex-direction: column;
      gap: 6px;
    }
    .row {
      display: grid;
      grid-template-columns: 90px 1fr 80px;
      gap: 4px 8px;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 4px;
      padding: 4px 8px;
      font: var(--mat-sys-body-small);
    }
    .row label {
      display: flex;
      flex-direction: column;
    }
    .row .full {
      grid-column: 1 / -1;
    }
    .row .wide {
      grid-column: span 1;
    }
    input,
    select,
    textarea {
      font: inherit;
      padding: 2px 4px;
      background: var(--mat-sys-surface);
      color: var(--mat-sys-on-surface);
      border: 1px solid var(--mat-sys-outline);
      border-radius: 3px;
    }
    .actions {
      display: flex;
      gap: 8px;
      margin: 8px 0;
      flex-wrap: wrap;
    }
    .error,
    .problems {
      color: var(--mat-sys-error);
    }
    .basis {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class DraftEditor {
  readonly #client = inject(ProtocolClient);
  readonly draft = input.required<PlanDraft>();
  /** The draft after a saved edit. */
  readonly edited = output<PlanDraft>();
  /** The plan the draft became. */
  readonly approved = output<PlanDetail>();
  readonly sizes = TASK_SIZES;
  readonly rows = signal<TaskRow[]>([]);
  readonly dirty = signal(false);
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);
  readonly tasks = computed(() => this.rows().map(fromRow));

  constructor() {
    // A new or saved draft replaces the form; unsaved edits of the same draft stay.
    effect(() => {
      const draft = this.draft();
      if (!this.dirty()) this.rows.set(draft.tasks.map(toRow));
    });
  }

  set(index: number, field: Field, event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    this.rows.update((rows) =>
      rows.map((row, i) => (i === index ? { ...row, [field]: value } : row)),
    );
    this.dirty.set(true);
  }

  add(): void {
    const ids = new Set(this.rows().map((r) => r.id));
    let n = this.rows().length + 1;
    while (ids.has(`task-${n}`)) n++;
    const base: PlanTask = {
      id: `task-${n}`,
      title: 'New task',
      description: '',
      details: '',
      acceptanceCriteria: [],
      testStrategy: '',
      dependencies: [],
      priority: 'medium',
      size: 'M',
      role: 'builder',
      model: null,
      files: [],
      status: 'pending',
      external: {},
    };
    this.rows.update((rows) => [...rows, toRow(base)]);
    this.dirty.set(true);
  }

  remove(index: number): void {
    this.rows.update((rows) => rows.filter((_, i) => i !== index));
    this.dirty.set(true);
  }

  money(usd: number): string {
    return formatUsd(usd);
  }

  /** Sends the edited tasks; the answer names their problems (a cycle, an unknown dependency…). */
  async save(): Promise<PlanDraft | null> {
    this.busy.set(true);
    try {
      const answer = await this.#client.request('plans.editDraft', {
        id: this.draft().id,
        tasks: this.tasks(),
      });
      const draft = checkResult('plans.editDraft', PlanDraftSchema, answer);
      this.dirty.set(false);
      this.error.set(null);
      this.edited.emit(draft);
      return draft;
    } catch (error) {
      this.error.set(messageOf(error));
      return null;
    } finally {
      this.busy.set(false);
    }
  }

  /** Saves unsaved edits first; a plan with problems stays a draft, its problems named. */
  async approve(): Promise<void> {
    if (this.dirty()) {
      const saved = await this.save();
      if (!saved || saved.problems.length > 0) return;
    }
    this.busy.set(true);
    try {
      const answer = await this.#client.request('plans.approve', { id: this.draft().id });
      this.approved.emit(checkResult('plans.approve', PlanDetailSchema, answer));
      this.error.set(null);
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.busy.set(false);
    }
  }
}
