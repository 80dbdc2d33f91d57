import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import type { AgentChanges, FileChange } from '../../../../backend/protocol/index.ts';
import { Agents } from '../agents/agents';
import { messageOf, taskTitle } from '../agents/format';
import { ProtocolClient } from '../core/protocol-client';
import { confirmAction } from '../shell/confirm-dialog';
import { ConsoleActions } from '../shell/console-actions';
import { DiffView } from './diff-view';

const STATUS_MARK: Record<FileChange['status'], string> = {
  added: 'A',
  modified: 'M',
  deleted: 'D',
  renamed: 'R',
};

/** An agent's changes against where it started, file by file; keep them (a commit on its branch) or discard them. */
@Component({
  selector: 'tk-changes-dialog',
  imports: [MatDialogModule, MatButtonModule, DiffView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title id="changes-title">Changes · {{ title() }}</h2>
    <mat-dialog-content class="content">
      @if (changes(); as c) {
        @if (!c.available) {
          <p class="note">{{ c.reason }}</p>
        } @else {
          <p class="summary">
            Branch <code>{{ c.branch }}</code> since <code>{{ c.base }}</code>:
            {{ c.files.length }} file{{ c.files.length === 1 ? '' : 's' }} changed,
            {{ c.commits }} commit{{ c.commits === 1 ? '' : 's' }}.
            @if (c.reason) {
              <span class="note">{{ c.reason }}</span>
            }
          </p>
          @if (c.files.length === 0) {
            <p class="note">No changes since the start.</p>
          } @else {
            <div class="split">
              <ul class="files" role="listbox" aria-label="Changed files">
                @for (file of c.files; track file.path) {
                  <li
                    role="option"
                    tabindex="0"
                    [attr.aria-selected]="file.path === selected()?.path"
                    (click)="select(file.path)"
                    (keydown.enter)="select(file.path)"
                    (keydown.space)="$event.preventDefault(); select(file.path)"
                  >
                    <span
                      class="mark"
                      [attr.data-status]="file.status"
                      [attr.aria-label]="file.status"
                      >{{ mark(file) }}</span
                    >
                    <span class="path" [title]="file.path">{{ file.path }}</span>
                    <span class="counts"
                      ><span class="add">+{{ file.additions }}</span>
                      <span class="del">−{{ file.deletions }}</span></span
                    >
                    @if (!file.uncommitted) {
                      <span class="kept" title="Committed on the agent's branch">committed</span>
                    }
                  </li>
                }
              </ul>
              <section class="patch" aria-label="Selected file">
                @if (selected(); as file) {
                  <div class="file-head">
                    <strong>{{ file.oldPath ? file.oldPath + ' → ' : '' }}{{ file.path }}</strong>
                    @if (c.actionable) {
                      <button
                        mat-button
                        type="button"
                        (click)="discardFile(file)"
                        [disabled]="busy()"
                      >
                        Discard this file…
                      </button>
                    }
                  </div>
                  @if (file.binary) {
                    <p class="note">Binary file: no text diff.</p>
                  } @else {
                    <tk-diff-view class="diff" [patch]="file.patch" [path]="file.path" />
                  }
                  @if (file.truncated) {
                    <p class="note">The diff is cut at its size limit.</p>
                  }
                }
              </section>
            </div>
          }
        }
      } @else if (!error()) {
        <p class="note" role="status">Reading the changes…</p>
      }
      @if (error(); as e) {
        <p class="error" role="alert">{{ e }}</p>
      }
      @if (confirming()) {
        <p class="confirm" role="alert">
          Discard every change this agent made (its commits too) and go back to where it started?
          Lost: {{ allLost() }}. This cannot be undone.
        </p>
      }
    </mat-dialog-content>
    <mat-dialog-actions>
      @if (changes()?.actionable && (changes()?.files?.length ?? 0) > 0) {
        @if (confirming()) {
          <button
            mat-flat-button
            type="button"
            class="danger"
            [disabled]="busy()"
            (click)="discard()"
          >
            Yes, discard all
          </button>
          <button mat-button type="button" (click)="confirming.set(false)">Cancel</button>
        } @else {
          <button
            mat-stroked-button
            type="button"
            [disabled]="busy()"
            (click)="confirming.set(true)"
          >
            Discard all…
          </button>
          <input
            class="message tk-input"
            type="text"
            aria-label="Commit message"
            [placeholder]="defaultMessage()"
            [value]="message()"
            (input)="message.set($any($event.target).value)"
          />
          <button
            mat-flat-button
            type="button"
            [disabled]="busy() || !hasUncommitted()"
            (click)="keep()"
          >
            Keep (commit)
          </button>
        }
      }
      <span class="spacer"></span>
      @if (changes()?.branch && !confirming()) {
        <button mat-stroked-button type="button" (click)="merge()">Merge…</button>
      }
      <button mat-button type="button" mat-dialog-close>Close</button>
    </mat-dialog-actions>
  `,
  styles: `
    .content {
      display: flex;
      flex-direction: column;
      height: calc(85vh - 140px);
      max-height: none;
    }
    .summary {
      margin: 0 0 8px;
    }
    .split {
      flex: 1;
      min-height: 0;
      display: grid;
      grid-template-columns: minmax(220px, 1fr) minmax(0, 3fr);
      gap: 12px;
    }
    .files {
      list-style: none;
      margin: 0;
      padding: 0;
      overflow: auto;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 6px;
    }
    .files li {
      display: flex;
      gap: 6px;
      align-items: center;
      padding: 4px 8px;
      cursor: pointer;
      font: var(--mat-sys-body-small);
    }
    .files li[aria-selected='true'] {
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .mark {
      font-family: ui-monospace, monospace;
      font-weight: 700;
    }
    .path {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .add {
      color: light-dark(#116329, #7ee2a8);
    }
    .del {
      color: light-dark(#a40e26, #ffa198);
    }
    .kept {
      font: var(--mat-sys-label-small);
      opacity: 0.8;
    }
    .patch {
      display: flex;
      flex-direction: column;
      min-height: 0;
    }
    .file-head {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
    }
    .diff {
      flex: 1;
    }
    .note {
      color: var(--mat-sys-on-surface-variant);
    }
    .error,
    .confirm {
      color: var(--mat-sys-error);
    }
    .message {
      flex: 1;
      min-width: 160px;
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
export class ChangesDialog {
  readonly #client = inject(ProtocolClient);
  readonly #data = inject<{ agentId: string }>(MAT_DIALOG_DATA);
  readonly #agents = inject(Agents);
  readonly #dialog = inject(MatDialog);
  readonly #actions = inject(ConsoleActions);
  readonly changes = signal<AgentChanges | null>(null);
  readonly error = signal<string | null>(null);
  readonly busy = signal(false);
  readonly confirming = signal(false);
  readonly message = signal('');
  readonly #selectedPath = signal<string | null>(null);
  readonly selected = computed(() => {
    const files = this.changes()?.files ?? [];
    return files.find((f) => f.path === this.#selectedPath()) ?? files[0];
  });
  readonly hasUncommitted = computed(() =>
    (this.changes()?.files ?? []).some((f) => f.uncommitted),
  );
  readonly title = computed(() => {
    const agent = this.#agents.get(this.#data.agentId);
    return agent ? taskTitle(agent.summary().task, 60) : this.#data.agentId;
  });
  readonly defaultMessage = computed(() => `Troika agent: ${this.title()}`);

  constructor() {
    void this.#run(() => this.#client.request('changes.get', { id: this.#data.agentId }));
    // A merge or a conflict hand-over from the merge dialog above changes the worktree: read it again.
    const off = this.#client.on('changes.updated', ({ agentId }) => {
      if (agentId === this.#data.agentId && !this.busy())
        void this.#run(() => this.#client.request('changes.get', { id: agentId }));
    });
    inject(DestroyRef).onDestroy(off);
  }

  /** Opens the merge dialog over this one; the changes are read again when it closes. */
  merge(): void {
    void this.#actions.merge(this.#data.agentId);
  }

  mark(file: FileChange): string {
    return STATUS_MARK[file.status];
  }

  select(path: string): void {
    this.#selectedPath.set(path);
  }

  keep(): Promise<void> {
    const message = this.message().trim();
    return this.#run(() =>
      this.#client.request(
        'changes.keep',
        message ? { id: this.#data.agentId, message } : { id: this.#data.agentId },
      ),
    );
  }

  /** What "Discard all" throws away, file by file. */
  readonly allLost = computed(() => {
    const c = this.changes();
    const files = (c?.files ?? []).map((f) => `${f.path} (+${f.additions} −${f.deletions})`);
    const commits = c?.commits ?? 0;
    return [
      ...files,
      ...(commits > 0 ? [`${commits} commit${commits === 1 ? '' : 's'}`] : []),
    ].join(', ');
  });

  /** Discards one file's changes once the user has seen what goes. */
  async discardFile(file: FileChange): Promise<void> {
    const go = await confirmAction(this.#dialog, {
      title: `Discard the changes to ${file.path}?`,
      lost: [
        file.binary
          ? `The agent's version of ${file.path} (a binary file).`
          : `${file.additions} added and ${file.deletions} removed line${file.deletions === 1 ? '' : 's'} in ${file.path}${file.uncommitted ? '' : ', committed on its branch'}.`,
        file.status === 'added'
          ? 'The file is deleted: it did not exist when the agent started.'
          : 'The file goes back to how it was when the agent started. This cannot be undone.',
      ],
      action: 'Discard this file',
    });
    if (go) await this.discard(file.path);
  }

  discard(path?: string): Promise<void> {
    this.confirming.set(false);
    return this.#run(() =>
      this.#client.request(
        'changes.discard',
        path === undefined ? { id: this.#data.agentId } : { id: this.#data.agentId, path },
      ),
    );
  }

  async #run(call: () => Promise<AgentChanges>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      this.changes.set(await call());
    } catch (error) {
      this.error.set(messageOf(error));
    } finally {
      this.busy.set(false);
    }
  }
}
