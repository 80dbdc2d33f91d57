import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { PlanDetailSchema } from '../../../../backend/protocol/payloads/plans.ts';
import { messageOf } from '../agents/format';
import { checkResult } from '../core/inbound';
import { ProtocolClient } from '../core/protocol-client';

/**
 * Saves a checked plan under a name, for a repository, with an optional
 * budget, stronger model and attempts per task (the escalation: the task's
 * model that many times, then the stronger model, then the user); its tasks
 * wait for the user to start the plan.
 */
@Component({
  selector: 'tk-plan-save',
  imports: [MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="save" (submit)="$event.preventDefault(); save()">
      <label>
        Name
        <input
          name="name"
          required
          [value]="name()"
          (input)="name.set($any($event.target).value)"
        />
      </label>
      <label>
        Repository
        <input
          name="workspace"
          required
          placeholder="/path/to/repository"
          [value]="workspace()"
          (input)="workspace.set($any($event.target).value)"
        />
      </label>
      <label>
        Budget (USD)
        <input
          name="budget"
          type="number"
          min="0.01"
          step="0.01"
          [value]="budget()"
          (input)="budget.set($any($event.target).value)"
        />
      </label>
      <label>
        Stronger model
        <input
          name="strongerModel"
          placeholder="after the attempts fail"
          title="The model a task escalates to when its own model's attempts all failed, before it comes to you"
          [value]="strongerModel()"
          (input)="strongerModel.set($any($event.target).value)"
        />
      </label>
      <label>
        Attempts
        <input
          name="maxAttempts"
          type="number"
          min="1"
          max="10"
          step="1"
          placeholder="3"
          title="Attempts a task gets at its own model before it escalates"
          [value]="maxAttempts()"
          (input)="maxAttempts.set($any($event.target).value)"
        />
      </label>
      <button mat-stroked-button type="submit" [disabled]="busy()">Save plan</button>
    </form>
    @if (saved(); as s) {
      <p class="saved" role="status">Saved: its tasks will merge into {{ s }}</p>
    }
    @if (error(); as e) {
      <p class="error" role="alert">{{ e }}</p>
    }
  `,
  styles: `
    .save {
      display: flex;
      flex-wrap: wrap;
      align-items: end;
      gap: 8px;
    }
    label {
      display: flex;
      flex-direction: column;
      font: var(--mat-sys-label-medium);
    }
    input {
      padding: 6px;
      border: 1px solid var(--mat-sys-outline);
      border-radius: 4px;
      background: var(--mat-sys-surface);
      color: var(--mat-sys-on-surface);
      width: 180px;
    }
    input[name='budget'],
    input[name='maxAttempts'] {
      width: 90px;
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
})
export class PlanSave {
  readonly #client = inject(ProtocolClient);
  /** The tasks.json that was checked (what is saved, not later edits). */
  readonly text = input.required<string>();
  readonly name = signal('');
  readonly workspace = signal('');
  readonly budget = signal('');
  /** Empty: no stronger model, a task's failures come straight to the user. */
  readonly strongerModel = signal('');
  /** Empty: the product's default (three). */
  readonly maxAttempts = signal('');
  readonly busy = signal(false);
  readonly saved = signal<string | null>(null);
  readonly error = signal<string | null>(null);

  async save(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.saved.set(null);
    try {
      const budget = Number(this.budget());
      const attempts = Number(this.maxAttempts());
      const stronger = this.strongerModel().trim();
      const answer = await this.#client.request('plans.create', {
        text: this.text(),
        name: this.name(),
        workspace: this.workspace(),
        ...(this.budget().trim() !== '' && Number.isFinite(budget) && { budgetUsd: budget }),
        ...(stronger !== '' && { strongerModel: stronger }),
        ...(this.maxAttempts().trim() !== '' &&
          Number.isInteger(attempts) && { maxAttempts: attempts }),
      });
      this.saved.set(checkResult('plans.create', PlanDetailSchema, answer).plan.integrationBranch);
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.busy.set(false);
    }
  }
}
