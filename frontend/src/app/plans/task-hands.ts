import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import {
  PlanDetailSchema,
  TAKEN_OVER_REASON,
  type PlanDetail,
  type PlanTask,
  type PlanTaskStatus,
} from '../../../../backend/protocol/payloads/plans.ts';
import { messageOf } from '../agents/format';
import { checkResult } from '../core/inbound';
import { ProtocolClient } from '../core/protocol-client';
import { INITIAL_SIZE } from '../terminal/constants';
import { TaskEditDialog, type TaskEditData } from './task-edit-dialog';

/**
 * The user's hands on one task beside Retry and Skip: Edit it while no agent
 * works on it; Take over a task that needs them (its branch opened in a
 * shell in its worktree, below the agent panels); then "Done, run the
 * gates" (their work committed, gated, reviewed and merged as usual) or
 * Give back (an agent continues from their work).
 */
@Component({
  selector: 'tk-task-hands',
  imports: [MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (takenOver()) {
      <span class="taken" data-taken-over role="status">taken over by you</span>
      <button mat-button type="button" [disabled]="busy()" (click)="openTerminal()">
        Open terminal
      </button>
      <button mat-flat-button type="button" [disabled]="busy()" (click)="act('plans.handBack')">
        Done, run the gates
      </button>
      <button mat-button type="button" [disabled]="busy()" (click)="act('plans.giveBack')">
        Give back
      </button>
    } @else {
      @if (editable()) {
        <button mat-button type="button" [disabled]="busy()" (click)="edit()">Edit</button>
      }
      @if (status().state === 'needs_user' || status().state === 'failed') {
        <button mat-button type="button" [disabled]="busy()" (click)="openTerminal()">
          Take over
        </button>
      }
    }
    @if (worktree(); as w) {
      <span class="where" data-worktree>shell opened in {{ w }}</span>
    }
    @if (error(); as e) {
      <span class="error" role="alert">{{ e }}</span>
    }
  `,
  styles: `
    :host {
      display: contents;
    }
    .taken {
      font-weight: 600;
      align-self: center;
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
})
export class TaskHands {
  readonly #client = inject(ProtocolClient);
  readonly #dialog = inject(MatDialog);
  readonly planId = input.required<string>();
  readonly status = input.required<PlanTaskStatus>();
  readonly tasks = input.required<readonly PlanTask[]>();
  /** The plan's detail after the user's step. */
  readonly changed = output<PlanDetail>();
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);
  /** Where the last terminal was opened (shown for the user to find it). */
  readonly worktree = signal<string | null>(null);

  readonly takenOver = computed(
    () => this.status().state === 'needs_user' && this.status().reason === TAKEN_OVER_REASON,
  );
  readonly editable = computed(() => {
    const state = this.status().state;
    return state === 'waiting' || state === 'failed' || state === 'needs_user';
  });

  edit(): void {
    const s = this.status();
    const task = this.tasks().find((t) => t.id === s.taskId);
    if (!task) return;
    const data: TaskEditData = {
      planId: this.planId(),
      task,
      others: this.tasks()
        .map((t) => t.id)
        .filter((id) => id !== task.id),
    };
    this.#dialog
      .open<TaskEditDialog, TaskEditData, PlanDetail>(TaskEditDialog, {
        data,
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .subscribe((detail) => {
        if (detail) this.changed.emit(detail);
      });
  }

  /** Takes the task over (or, taken over already, finds its worktree again) and opens a shell there. */
  async openTerminal(): Promise<void> {
    await this.#run(async () => {
      const { worktree } = await this.#client.request('plans.takeOver', {
        id: this.planId(),
        taskId: this.status().taskId,
      });
      this.worktree.set(worktree);
      await this.#client.request('pty.spawn', {
        ...INITIAL_SIZE,
        cwd: worktree,
        name: `Task ${this.status().taskId}`.slice(0, 64),
      });
    });
  }

  async act(method: 'plans.handBack' | 'plans.giveBack'): Promise<void> {
    await this.#run(async () => {
      const answer = await this.#client.request(method, {
        id: this.planId(),
        taskId: this.status().taskId,
      });
      this.changed.emit(checkResult(method, PlanDetailSchema, answer));
    });
  }

  async #run(step: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    try {
      await step();
      this.error.set(null);
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.busy.set(false);
    }
  }
}
