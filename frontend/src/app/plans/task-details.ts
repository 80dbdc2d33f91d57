import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  input,
  output,
  signal,
  untracked,
  type WritableSignal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatTabsModule } from '@angular/material/tabs';
import {
  TaskDiffSchema,
  TaskGatesSchema,
  type TaskDiff,
  type TaskGates,
} from '../../../../backend/protocol/payloads/plan-task-view.ts';
import type { PlanTaskStatus } from '../../../../backend/protocol/payloads/plans.ts';
import { messageOf } from '../agents/format';
import { checkResult } from '../core/inbound';
import { ProtocolClient } from '../core/protocol-client';
import { TaskDiffView } from './task-diff-view';
import { TaskGatesView } from './task-gates-view';

/**
 * The task the user clicked in a plan's graph: "Panel" (its state and a way
 * to its agent's panel), "Diff" (its work, plans.taskDiff) and "Gates"
 * (every gate run of every attempt, plans.taskGates). Both are read again
 * when the task moves on (a new attempt, a merge) or the plan changes.
 */
@Component({
  selector: 'tk-task-details',
  imports: [MatButtonModule, MatTabsModule, TaskDiffView, TaskGatesView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="details" [attr.aria-label]="'Task ' + status().taskId" data-task-details>
      <header>
        <strong>{{ status().taskId }} · {{ title() }}</strong>
        <button mat-button type="button" (click)="closed.emit()">Close</button>
      </header>
      <mat-tab-group
        class="tabs"
        animationDuration="0ms"
        [mat-stretch-tabs]="false"
        [selectedIndex]="tab()"
        (selectedIndexChange)="tab.set($event)"
      >
        <mat-tab label="Panel">
          <div class="pane" data-pane="panel">
            <p>
              <span class="label">{{ stateLabel() }}</span> · attempts {{ status().attempts }}
              @if (status().reason; as r) {
                · <span class="meta">{{ r }}</span>
              }
            </p>
            @if (status().branch; as b) {
              <p class="meta">
                Branch <code>{{ b }}</code>
              </p>
            }
            @if (status().mergedCommit; as c) {
              <p class="meta">
                Merged as <code>{{ c.slice(0, 12) }}</code>
              </p>
            }
            @if (status().agentId) {
              <button mat-flat-button type="button" (click)="reveal.emit()">
                Show its agent’s panel
              </button>
            } @else {
              <p class="meta">No agent has worked on this task yet.</p>
            }
          </div>
        </mat-tab>
        <mat-tab label="Diff">
          <div class="pane fill" data-pane="diff">
            @if (diff(); as d) {
              <tk-task-diff-view [diff]="d" />
            } @else if (!diffError()) {
              <p class="meta">Reading the diff…</p>
            }
            @if (diffError(); as e) {
              <p class="error" role="alert">{{ e }}</p>
            }
          </div>
        </mat-tab>
        <mat-tab label="Gates">
          <div class="pane" data-pane="gates">
            @if (gates(); as g) {
              <tk-task-gates-view [gates]="g" />
            } @else if (!gatesError()) {
              <p class="meta">Reading the gate runs…</p>
            }
            @if (gatesError(); as e) {
              <p class="error" role="alert">{{ e }}</p>
            }
          </div>
        </mat-tab>
      </mat-tab-group>
    </section>
  `,
  styles: `
    .details {
      margin-top: 8px;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
      padding: 4px 8px 8px;
      background: var(--mat-sys-surface);
    }
    header {
      display: flex;
      justify-content: space-between;
      align-items: center;
    }
    .pane {
      height: 380px;
      box-sizing: border-box;
      padding: 6px 2px 0;
      overflow: auto;
    }
    .pane.fill {
      display: flex;
      flex-direction: column;
      overflow: hidden;
    }
    .pane.fill > tk-task-diff-view {
      flex: 1;
      min-height: 0;
    }
    .label {
      font-weight: 600;
    }
    .meta {
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
})
export class TaskDetails {
  readonly #client = inject(ProtocolClient);
  readonly planId = input.required<string>();
  readonly status = input.required<PlanTaskStatus>();
  readonly title = input('');
  /** The task's state as the graph says it ("running in panel 2", "needs you"…). */
  readonly stateLabel = input('');
  /** "Show its agent's panel" was clicked. */
  readonly reveal = output();
  readonly closed = output();

  readonly tab = signal(0);
  readonly diff = signal<TaskDiff | null>(null);
  readonly gates = signal<TaskGates | null>(null);
  readonly diffError = signal<string | null>(null);
  readonly gatesError = signal<string | null>(null);

  /** What changes a task's diff or gate runs: another task, a new attempt, a step, a merge. */
  readonly #version = computed(() => {
    const s = this.status();
    return `${this.planId()}|${s.taskId}|${s.state}|${s.attempts}|${s.branch}|${s.mergedCommit}`;
  });
  #loads = 0;

  constructor() {
    let shownTask: string | null = null;
    effect(() => {
      this.#version();
      const taskId = this.status().taskId;
      untracked(() => {
        // Another task: its own figures, not the last task's while they load.
        if (taskId !== shownTask) {
          this.diff.set(null);
          this.gates.set(null);
          shownTask = taskId;
        }
        void this.load();
      });
    });
    inject(DestroyRef).onDestroy(() => (this.#loads = -1));
    // Brought into view under the graph: at 1280×720 it starts below the fold.
    const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    afterNextRender(() => host.scrollIntoView?.({ block: 'nearest' }));
  }

  async load(): Promise<void> {
    const load = ++this.#loads;
    const params = { id: this.planId(), taskId: this.status().taskId };
    await Promise.all([
      this.#read(load, this.diffError, async () => {
        const answer = await this.#client.request('plans.taskDiff', params);
        return () => this.diff.set(checkResult('plans.taskDiff', TaskDiffSchema, answer));
      }),
      this.#read(load, this.gatesError, async () => {
        const answer = await this.#client.request('plans.taskGates', params);
        return () => this.gates.set(checkResult('plans.taskGates', TaskGatesSchema, answer));
      }),
    ]);
  }

  /** Asks, then applies the answer unless a newer load started meanwhile; a failure is shown in its tab. */
  async #read(
    load: number,
    error: WritableSignal<string | null>,
    ask: () => Promise<() => void>,
  ): Promise<void> {
    try {
      const apply = await ask();
      if (load !== this.#loads) return;
      apply();
      error.set(null);
    } catch (e) {
      if (load === this.#loads) error.set(messageOf(e));
    }
  }
}
