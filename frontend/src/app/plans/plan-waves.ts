import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { DryRun, PlanTask } from '../../../../backend/protocol/payloads/plans.ts';
import { formatUsd } from '../agents/format';

/** A checked plan's dry run: its waves as columns of task cards, then why each held task waits. */
@Component({
  selector: 'tk-plan-waves',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="waves" role="list" aria-label="Waves">
      @for (wave of columns(); track $index) {
        <section class="wave" role="listitem" [attr.aria-label]="'Wave ' + ($index + 1)">
          <h4>Wave {{ $index + 1 }}</h4>
          @for (task of wave; track task.id) {
            <article class="card" [attr.data-task]="task.id">
              <div class="head">
                <span class="id">{{ task.id }}</span>
                <span class="size" [title]="'Size ' + task.size">{{ task.size }}</span>
              </div>
              <div class="title">{{ task.title }}</div>
              @if (task.dependencies.length > 0) {
                <div class="meta">after {{ task.dependencies.join(', ') }}</div>
              }
              @if (task.files.length > 0) {
                <div class="meta files" [title]="task.files.join('\\n')">
                  {{ task.files.join(', ') }}
                </div>
              }
              <div class="meta">{{ cost(task.id) }}</div>
            </article>
          }
        </section>
      }
    </div>
    @if (dryRun().holds.length > 0) {
      <h4>Held apart</h4>
      <ul class="holds">
        @for (hold of dryRun().holds; track $index) {
          <li [attr.data-kind]="hold.kind">{{ hold.reason }}</li>
        }
      </ul>
    }
  `,
  styles: `
    .waves {
      display: flex;
      gap: 12px;
      overflow-x: auto;
      padding-bottom: 8px;
    }
    .wave {
      flex: 0 0 200px;
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    h4 {
      margin: 4px 0;
      font: var(--mat-sys-title-small);
    }
    .card {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
      padding: 8px;
      background: var(--mat-sys-surface-container-low);
    }
    .head {
      display: flex;
      justify-content: space-between;
      font: var(--mat-sys-label-medium);
    }
    .size {
      padding: 0 6px;
      border-radius: 8px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .title {
      font: var(--mat-sys-body-medium);
      margin: 4px 0;
    }
    .meta {
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .files {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .holds {
      margin: 0;
      padding-left: 20px;
      font: var(--mat-sys-body-medium);
    }
  `,
})
export class PlanWaves {
  readonly tasks = input.required<readonly PlanTask[]>();
  readonly dryRun = input.required<DryRun>();

  readonly columns = computed(() => {
    const byId = new Map(this.tasks().map((t) => [t.id, t]));
    return this.dryRun().waves.map((wave) =>
      wave.map((id) => byId.get(id)).filter((t): t is PlanTask => t !== undefined),
    );
  });
  readonly #costs = computed(() => new Map(this.dryRun().estimate.tasks.map((e) => [e.taskId, e])));

  cost(taskId: string): string {
    const e = this.#costs().get(taskId);
    return e ? `≈ ${formatUsd(e.costUsd)} · ${e.model}` : '';
  }
}
