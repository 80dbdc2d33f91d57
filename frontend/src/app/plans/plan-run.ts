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
import { MatDialogRef } from '@angular/material/dialog';
import {
  PlanDetailSchema,
  type PlanDetail,
  type PlanTaskStatus,
} from '../../../../backend/protocol/payloads/plans.ts';
import { Agents } from '../agents/agents';
import { formatUsd, messageOf } from '../agents/format';
import { checkResult } from '../core/inbound';
import { ProtocolClient } from '../core/protocol-client';
import { TalkSettings } from './talk-settings';
import { TaskTalk } from './task-talk';

type Control = 'plans.start' | 'plans.pause' | 'plans.resume' | 'plans.stop';

/**
 * One plan at work: its controls (start, pause, resume, stop) and each
 * task's state as a person reads it (running in panel N, gating, in the
 * merge queue…), attempts and spending; a task that needs the user can be
 * retried or skipped, and clicking a task shows its agent's panel.
 */
@Component({
  selector: 'tk-plan-run',
  imports: [MatButtonModule, TaskTalk, TalkSettings],
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
        @if (d.plan.stateReason; as r) {
          <span class="reason">{{ r }}</span>
        }
      </div>
      <tk-talk-settings
        [planId]="d.plan.id"
        [settings]="d.talk?.settings"
        (changed)="detail.set($event)"
      />
      <ol class="tasks" aria-label="Plan tasks">
        @for (s of d.status; track s.taskId) {
          <li [attr.data-task]="s.taskId" [attr.data-state]="s.state">
            <button
              type="button"
              class="task"
              [disabled]="!s.agentId"
              (click)="reveal(s)"
              [title]="s.reason ?? ''"
            >
              <span class="title">{{ titleOf(d, s.taskId) }}</span>
              <span class="label" data-task-label>{{ label(s) }}</span>
              <span class="meta">attempts {{ s.attempts }} · {{ money(s.spentUsd) }}</span>
            </button>
            <tk-task-talk [talk]="d.talk" [taskId]="s.taskId" />
            @if (s.state === 'needs_user' || s.state === 'failed') {
              <button mat-button type="button" (click)="task('plans.retryTask', s)">Retry</button>
              <button mat-button type="button" (click)="task('plans.skipTask', s)">Skip</button>
            }
          </li>
        }
      </ol>
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
    .tasks {
      margin: 4px 0;
      padding-left: 20px;
      font: var(--mat-sys-body-small);
    }
    .task {
      display: inline-flex;
      gap: 10px;
      background: none;
      border: 0;
      padding: 2px 0;
      font: inherit;
      color: inherit;
      cursor: pointer;
    }
    .task:disabled {
      cursor: default;
    }
    .label {
      font-weight: 600;
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

  ngOnInit(): void {
    void this.load();
    this.#destroy.onDestroy(
      this.#client.on('plans.changed', (e) => {
        if (e.planId === this.planId()) void this.load();
      }),
    );
  }

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

  money(usd: number): string {
    return formatUsd(usd);
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
