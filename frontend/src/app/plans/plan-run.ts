import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  input,
  signal,
  type OnInit,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogRef } from '@angular/material/dialog';
import {
  PlanDetailSchema,
  PlanExportSchema,
  type PlanDetail,
  type PlanTaskStatus,
} from '../../../../backend/protocol/payloads/plans.ts';
import { Agents } from '../agents/agents';
import { formatUsd, messageOf } from '../agents/format';
import { checkResult } from '../core/inbound';
import { ProtocolClient } from '../core/protocol-client';
import { downloadText } from './download';
import { TalkSettings } from './talk-settings';
import { TaskDetails } from './task-details';
import { TaskHands } from './task-hands';
import { TaskTalk } from './task-talk';

type Control = 'plans.start' | 'plans.pause' | 'plans.resume' | 'plans.stop';

/**
 * One plan at work: its controls (start, pause, resume, stop, PR
 * description), its budget, and its graph — the waves as columns — with
 * each task's state as a person reads it (running in panel N, gating, in the
 * merge queue…), attempts and spending; a task that needs the user can be
 * retried or skipped. Clicking a task opens its details under the graph:
 * its agent's panel, its diff and its gate runs.
 */
@Component({
  selector: 'tk-plan-run',
  imports: [MatButtonModule, TaskDetails, TaskHands, TaskTalk, TalkSettings],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (detail(); as d) {
      <div class="controls" role="group" [attr.aria-label]="'Run ' + d.plan.name">
        <span class="state" data-plan-state>{{ d.plan.state }}</span>
        @switch (d.plan.state) {
          @case ('draft') {
            <button mat-flat-button type="button" (click)="control('plans.start')">Start</button>
          }
          @case ('running') {
            <button mat-button type="button" (click)="control('plans.pause')">Pause</button>
            <button mat-button type="button" (click)="control('plans.stop')">Stop</button>
          }
          @case ('done') {}
          @default {
            <button mat-flat-button type="button" (click)="control('plans.resume')">Resume</button>
          }
        }
        <button
          mat-button
          type="button"
          title="A pull-request description of the plan, as Markdown"
          (click)="describe()"
        >
          PR description
        </button>
        <span class="meta" data-plan-budget>{{ planBudget(d) }}</span>
        @if (d.plan.stateReason; as r) {
          <span class="reason">{{ r }}</span>
        }
      </div>
      <tk-talk-settings
        [planId]="d.plan.id"
        [settings]="d.talk?.settings"
        (changed)="detail.set($event)"
      />
      <!-- The graph: one column per wave, each task's card with its state. -->
      <div class="graph" role="list" aria-label="Plan tasks">
        @for (wave of columns(); track $index) {
          <div class="wave" [attr.aria-label]="'Wave ' + ($index + 1)" data-wave>
            <h4>Wave {{ $index + 1 }}</h4>
            @for (s of wave; track s.taskId) {
              <div
                class="card"
                role="listitem"
                [attr.data-task]="s.taskId"
                [attr.data-state]="s.state"
                [attr.data-selected]="selected() === s.taskId"
              >
                <button
                  type="button"
                  class="task"
                  [attr.aria-expanded]="selected() === s.taskId"
                  aria-controls="plan-task-details"
                  (click)="select(s)"
                  [title]="s.reason ?? ''"
                >
                  <span class="title">{{ s.taskId }} · {{ titleOf(d, s.taskId) }}</span>
                  <span class="label" data-task-label>{{ label(s) }}</span>
                  <span class="meta" data-task-budget
                    >attempts {{ s.attempts }} · {{ taskBudget(s) }}</span
                  >
                </button>
                <tk-task-talk [talk]="d.talk" [taskId]="s.taskId" />
                @for (o of s.overlaps; track o.withTaskId) {
                  <span class="overlap" data-overlap [attr.data-with]="o.withTaskId" role="status">
                    overlaps {{ o.withTaskId }} in {{ o.files.join(', ') }}
                  </span>
                }
                @if (s.state === 'needs_user' || s.state === 'failed') {
                  <div class="task-actions">
                    <button mat-button type="button" (click)="task('plans.retryTask', s)">
                      Retry
                    </button>
                    <button mat-button type="button" (click)="task('plans.skipTask', s)">
                      Skip
                    </button>
                  </div>
                }
                <div class="task-actions">
                  <tk-task-hands
                    [planId]="d.plan.id"
                    [status]="s"
                    [tasks]="d.tasks"
                    (changed)="detail.set($event)"
                  />
                </div>
              </div>
            }
          </div>
        }
      </div>
      @if (selectedStatus(); as s) {
        <tk-task-details
          id="plan-task-details"
          [planId]="d.plan.id"
          [status]="s"
          [title]="titleOf(d, s.taskId)"
          [stateLabel]="label(s)"
          (reveal)="reveal(s)"
          (closed)="selected.set(null)"
        />
      }
    }
    @if (error(); as e) {
      <p class="error" role="alert">{{ e }}</p>
    }
  `,
  styles: `
    .controls {
      display: flex;
      gap: 8px;
      align-items: center;
    }
    .state {
      font-weight: 600;
    }
    .reason,
    .meta {
      color: var(--mat-sys-on-surface-variant);
    }
    .graph {
      display: flex;
      gap: 10px;
      overflow-x: auto;
      padding: 4px 0 8px;
      font: var(--mat-sys-body-small);
    }
    .wave {
      flex: 0 0 190px;
      display: flex;
      flex-direction: column;
      gap: 6px;
    }
    h4 {
      margin: 2px 0;
      font: var(--mat-sys-title-small);
    }
    .card {
      border: 1px solid var(--mat-sys-outline-variant);
      border-left: 4px solid var(--mat-sys-outline);
      border-radius: 8px;
      padding: 6px 8px;
      background: var(--mat-sys-surface-container-low);
    }
    .card[data-state='running'],
    .card[data-state='gating'] {
      border-left-color: var(--mat-sys-primary);
    }
    .card[data-state='merge_queue'],
    .card[data-state='merging'] {
      border-left-color: var(--mat-sys-tertiary);
    }
    .card[data-state='merged'] {
      border-left-color: var(--tk-success, #2e7d32);
    }
    .card[data-state='needs_user'],
    .card[data-state='failed'] {
      border-left-color: var(--tk-attention);
    }
    .task {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      text-align: left;
      width: 100%;
      gap: 2px;
      background: none;
      border: 0;
      padding: 2px 0;
      font: inherit;
      color: inherit;
      cursor: pointer;
    }
    .card[data-selected='true'] {
      outline: 2px solid var(--mat-sys-primary);
      outline-offset: 1px;
    }
    .label {
      font-weight: 600;
    }
    .overlap {
      display: inline-block;
      margin-top: 4px;
      padding: 0 6px;
      border-radius: 8px;
      background: var(--tk-attention-container);
      color: var(--tk-on-attention-container);
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
})
export class PlanRun implements OnInit {
  readonly #client = inject(ProtocolClient);
  readonly #agents = inject(Agents);
  readonly #destroy = inject(DestroyRef);
  readonly #dialog = inject(MatDialogRef, { optional: true });
  readonly planId = input.required<string>();
  readonly detail = signal<PlanDetail | null>(null);
  readonly error = signal<string | null>(null);
  /** The task whose details (panel, diff, gates) show under the graph. */
  readonly selected = signal<string | null>(null);
  readonly selectedStatus = computed(
    () => this.detail()?.status.find((s) => s.taskId === this.selected()) ?? null,
  );

  ngOnInit(): void {
    void this.load();
    this.#destroy.onDestroy(
      this.#client.on('plans.changed', (e) => {
        if (e.planId === this.planId()) void this.load();
      }),
    );
  }

  /** The tasks' states by wave, in the dry run's columns. */
  readonly columns = computed(() => {
    const d = this.detail();
    if (!d) return [];
    const byId = new Map(d.status.map((s) => [s.taskId, s]));
    return d.dryRun.waves.map((wave) =>
      wave.map((id) => byId.get(id)).filter((s): s is PlanTaskStatus => s !== undefined),
    );
  });

  titleOf(d: PlanDetail, taskId: string): string {
    return d.tasks.find((t) => t.id === taskId)?.title ?? taskId;
  }

  /** The task's state in words; a running one names the panel its agent is in. */
  label(s: PlanTaskStatus): string {
    switch (s.state) {
      case 'running': {
        const panel = this.#agents.panels().findIndex((p) => p?.id === s.agentId);
        return panel === -1 ? 'running' : `running in panel ${panel + 1}`;
      }
      case 'merge_queue':
        return 'in merge queue';
      case 'needs_user':
        return 'needs you';
      default:
        return s.state;
    }
  }

  /** Spent, and against the task's share of the budget what is left (or how far over). */
  taskBudget(s: PlanTaskStatus): string {
    const spent = formatUsd(s.spentUsd);
    if (s.budgetUsd === null || s.remainingUsd === null) return `${spent} spent`;
    const left =
      s.remainingUsd < 0
        ? `${formatUsd(-s.remainingUsd)} over`
        : `${formatUsd(s.remainingUsd)} left`;
    return `${spent} of ${formatUsd(s.budgetUsd)} · ${left}`;
  }

  planBudget(d: PlanDetail): string {
    const spent = formatUsd(d.plan.spentUsd);
    if (d.plan.budgetUsd === null || d.plan.remainingUsd === null) return `${spent} spent (no cap)`;
    return `${spent} of ${formatUsd(d.plan.budgetUsd)} spent · ${formatUsd(d.plan.remainingUsd)} left`;
  }

  /** Opens the task's details, or closes them when they are open. */
  select(s: PlanTaskStatus): void {
    this.selected.update((id) => (id === s.taskId ? null : s.taskId));
  }

  /** Shows the task's agent in a panel, and the console under this dialog. */
  reveal(s: PlanTaskStatus): void {
    if (!s.agentId) return;
    this.#agents.show(s.agentId);
    this.#dialog?.close();
  }

  async control(method: Control): Promise<void> {
    await this.#apply(() => this.#client.request(method, { id: this.planId() }), method);
  }

  async task(method: 'plans.retryTask' | 'plans.skipTask', s: PlanTaskStatus): Promise<void> {
    await this.#apply(
      () => this.#client.request(method, { id: this.planId(), taskId: s.taskId }),
      method,
    );
  }

  /** Downloads the plan's pull-request description as a .md file. */
  async describe(): Promise<void> {
    try {
      const answer = await this.#client.request('plans.describe', { id: this.planId() });
      const file = checkResult('plans.describe', PlanExportSchema, answer);
      downloadText(file.fileName, file.text, 'text/markdown');
      this.error.set(null);
    } catch (error) {
      this.error.set(messageOf(error));
    }
  }

  async load(): Promise<void> {
    await this.#apply(() => this.#client.request('plans.get', { id: this.planId() }), 'plans.get');
  }

  async #apply(call: () => Promise<unknown>, method: string): Promise<void> {
    try {
      this.detail.set(checkResult(method, PlanDetailSchema, await call()));
      this.error.set(null);
    } catch (error) {
      this.error.set(messageOf(error));
    }
  }
}
