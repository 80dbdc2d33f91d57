import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule } from '@angular/material/dialog';
import type { WorktreeEntry, WorktreeState } from '../../../../backend/protocol/index.ts';
import { messageOf, taskTitle } from '../agents/format';
import { ProtocolClient } from '../core/protocol-client';

const STATE_LABELS: Record<WorktreeState, string> = {
  uncommitted: 'uncommitted changes',
  unlanded: 'commits not in its target',
  merged: 'merged',
  empty: 'empty',
  missing: 'missing',
};

/**
 * Every worktree and branch Troika made, with what it holds. Merged and empty
 * ones are cleaned when the list is read; one holding work found nowhere
 * else is removed only after the user confirmed the files it would lose.
 */
@Component({
  selector: 'tk-worktrees-dialog',
  imports: [MatDialogModule, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title id="worktrees-title">Worktrees</h2>
    <mat-dialog-content class="content">
      @if (entries(); as list) {
        @if (list.length === 0) {
          <p class="note" role="status">
            No Troika worktrees or branches are left: everything landed or was empty.
          </p>
        } @else {
          <ul class="entries" aria-label="Troika branches">
            @for (e of list; track e.branch) {
              <li [attr.data-state]="e.state">
                <div class="head">
                  <code class="branch">{{ e.branch }}</code>
                  <span class="state" [attr.data-state]="e.state">{{ label(e.state) }}</span>
                  @if (e.commits > 0) {
                    <span class="note">{{ e.commits }} commit{{ e.commits === 1 ? '' : 's' }}</span>
                  }
                  @if (e.target) {
                    <span class="note">→ {{ e.target }}</span>
                  }
                  <span class="spacer"></span>
                  @if (e.running) {
                    <span class="note">in use by a running agent</span>
                  } @else if (confirming() === e.branch) {
                    <button
                      mat-flat-button
                      type="button"
                      class="danger"
                      [disabled]="busy()"
                      (click)="remove(e, true)"
                    >
                      Yes, delete this work
                    </button>
                    <button mat-button type="button" (click)="confirming.set(null)">Cancel</button>
                  } @else {
                    <button
                      mat-stroked-button
                      type="button"
                      [disabled]="busy()"
                      (click)="remove(e, false)"
                    >
                      Remove…
                    </button>
                  }
                </div>
                @if (e.active && !e.running && (e.state === 'merged' || e.state === 'empty')) {
                  <div class="note">
                    Cleaned up automatically once its agent's terminal is closed (or at the next
                    start).
                  </div>
                }
                @if (e.task) {
                  <div class="task" [title]="e.task">{{ title(e.task) }}</div>
                }
                @if (e.worktree) {
                  <div class="note path">{{ e.worktree }}</div>
                }
                @if (e.files.length > 0) {
                  <details [open]="confirming() === e.branch">
                    <summary>
                      {{ e.files.length }} file{{ e.files.length === 1 ? '' : 's' }} not landed
                    </summary>
                    <ul class="files">
                      @for (f of e.files; track f) {
                        <li>{{ f }}</li>
                      }
                    </ul>
                  </details>
                }
                @if (confirming() === e.branch) {
                  <p class="error" role="alert">
                    Removing {{ e.branch }} deletes this work for good: {{ e.files.join(', ') }}.
                  </p>
                }
              </li>
            }
          </ul>
        }
      } @else if (!error()) {
        <p class="note" role="status">Reading the worktrees…</p>
      }
      @if (error(); as e) {
        <p class="error" role="alert">{{ e }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions>
      <button mat-button type="button" [disabled]="busy()" (click)="load()">Refresh</button>
      <span class="spacer"></span>
      <button mat-button type="button" mat-dialog-close>Close</button>
    </mat-dialog-actions>
  `,
  styles: `
    .entries {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .entries > li {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 6px;
      padding: 8px;
    }
    .head {
      display: flex;
      gap: 8px;
      align-items: center;
      flex-wrap: wrap;
    }
    .state {
      font: var(--mat-sys-label-medium);
      padding: 1px 8px;
      border-radius: 10px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .state[data-state='uncommitted'],
    .state[data-state='unlanded'] {
      background: var(--tk-attention, #f0c674);
      color: var(--tk-on-attention, #000);
    }
    .path {
      font:
        12px ui-monospace,
        monospace;
    }
    .files {
      margin: 4px 0;
      font:
        12px ui-monospace,
        monospace;
    }
    .note {
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      color: var(--mat-sys-error);
    }
    .danger {
      background: var(--mat-sys-error);
      color: var(--mat-sys-on-error);
    }
    .spacer {
      flex: 1;
    }
  `,
})
export class WorktreesDialog {
  readonly #client = inject(ProtocolClient);
  readonly entries = signal<WorktreeEntry[] | null>(null);
  readonly error = signal<string | null>(null);
  readonly busy = signal(false);
  /** The branch whose removal waits for the user's yes. */
  readonly confirming = signal<string | null>(null);

  constructor() {
    void this.load();
  }

  label(state: WorktreeState): string {
    return STATE_LABELS[state];
  }

  title(task: string): string {
    return taskTitle(task, 90);
  }

  async load(): Promise<void> {
    await this.#run(() => this.#client.request('landing.worktrees', {}));
  }

  async remove(entry: WorktreeEntry, confirmed: boolean): Promise<void> {
    // Work found in no other branch: removal waits for the user's yes on its file list.
    const holdsWork =
      (entry.state === 'uncommitted' || entry.state === 'unlanded') && entry.files.length > 0;
    if (holdsWork && !confirmed) {
      this.confirming.set(entry.branch);
      return;
    }
    this.confirming.set(null);
    await this.#run(async () => {
      const result = await this.#client.request('landing.clean', {
        branch: entry.branch,
        ...(holdsWork && { confirmFiles: entry.files }),
      });
      return result.entries;
    });
  }

  async #run(call: () => Promise<WorktreeEntry[]>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      this.entries.set(await call());
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.busy.set(false);
    }
  }
}
