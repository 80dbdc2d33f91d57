import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import type {
  TaskDiff,
  TaskDiffFile,
} from '../../../../backend/protocol/payloads/plan-task-view.ts';
import { DiffView } from '../changes/diff-view';

const STATUS_MARK: Record<TaskDiffFile['status'], string> = {
  added: 'A',
  modified: 'M',
  deleted: 'D',
  renamed: 'R',
};

/**
 * A plan task's diff: what it is compared with, every file with its +/−
 * counts, and the chosen file's unified diff (added and removed lines
 * coloured); what the size limits left out is said, in files and bytes.
 */
@Component({
  selector: 'tk-task-diff-view',
  imports: [DiffView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (!diff().available) {
      <p class="note" data-diff-reason>{{ diff().reason }}</p>
    } @else {
      <p class="summary" data-diff-summary>
        {{ source() }}: {{ diff().totals.files }} {{ diff().totals.files === 1 ? 'file' : 'files' }}
        <span class="add">+{{ diff().totals.additions }}</span
        >&ngsp;<span class="del">−{{ diff().totals.deletions }}</span>
        @if (diff().note; as n) {
          <span class="note">{{ n }}</span>
        }
      </p>
      @if (omitted(); as o) {
        <p class="cut" role="status" data-diff-omitted>{{ o }}</p>
      }
      @if (diff().files.length === 0) {
        <p class="note">No change.</p>
      } @else {
        <div class="split">
          <ul class="files" role="listbox" aria-label="Files changed by the task">
            @for (file of diff().files; track file.path) {
              <li
                role="option"
                tabindex="0"
                [attr.data-file]="file.path"
                [attr.aria-selected]="file.path === selected()?.path"
                (click)="chosen.set(file.path)"
                (keydown.enter)="chosen.set(file.path)"
                (keydown.space)="$event.preventDefault(); chosen.set(file.path)"
              >
                <span
                  class="mark"
                  [attr.data-status]="file.status"
                  [attr.aria-label]="file.status"
                  >{{ mark(file) }}</span
                >
                <span class="path" [title]="file.path">{{ file.path }}</span>
                <span class="counts">
                  @if (file.binary) {
                    <span class="meta">binary</span>
                  } @else {
                    <span class="add">+{{ file.additions }}</span>
                    <span class="del">−{{ file.deletions }}</span>
                  }
                </span>
              </li>
            }
          </ul>
          <section class="patch" aria-label="Diff of the selected file">
            @if (selected(); as file) {
              <div class="file-head">
                <strong>{{ file.oldPath ? file.oldPath + ' → ' : '' }}{{ file.path }}</strong>
                @if (file.truncated) {
                  <span class="cut">{{
                    file.patch ? 'cut at the size limit' : 'left out: the diff is too large'
                  }}</span>
                }
              </div>
              @if (file.patch) {
                <tk-diff-view class="view" [patch]="file.patch" [path]="file.path" />
              }
            }
          </section>
        </div>
      }
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
      height: 100%;
      font: var(--mat-sys-body-small);
    }
    p {
      margin: 4px 0;
    }
    .note,
    .meta {
      color: var(--mat-sys-on-surface-variant);
    }
    .cut {
      color: var(--tk-on-attention-container, inherit);
      background: var(--tk-attention-container, transparent);
      border-radius: 6px;
      padding: 0 6px;
    }
    .add {
      color: light-dark(#1a7f37, #3fb950);
    }
    .del {
      color: light-dark(#cf222e, #f85149);
    }
    .split {
      flex: 1;
      display: grid;
      grid-template-columns: minmax(160px, 240px) 1fr;
      gap: 8px;
      min-height: 0;
    }
    .files {
      list-style: none;
      margin: 0;
      padding: 0;
      overflow: auto;
      border-right: 1px solid var(--mat-sys-outline-variant);
    }
    .files li {
      display: flex;
      gap: 6px;
      align-items: baseline;
      padding: 3px 6px;
      cursor: pointer;
      border-radius: 4px;
    }
    .files li[aria-selected='true'] {
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .mark {
      font-family: ui-monospace, Menlo, Consolas, monospace;
      font-weight: 600;
    }
    .path {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .counts {
      display: flex;
      gap: 4px;
      white-space: nowrap;
    }
    .patch {
      display: flex;
      flex-direction: column;
      min-width: 0;
      min-height: 0;
      gap: 4px;
    }
    .file-head {
      display: flex;
      gap: 8px;
      align-items: baseline;
      overflow-wrap: anywhere;
    }
    .view {
      flex: 1;
      min-height: 0;
    }
  `,
})
export class TaskDiffView {
  readonly diff = input.required<TaskDiff>();
  /** The file the user picked; the first file until then (or when it is gone). */
  readonly chosen = signal<string | null>(null);
  readonly selected = computed(() => {
    const files = this.diff().files;
    return files.find((f) => f.path === this.chosen()) ?? files[0] ?? null;
  });

  readonly source = computed(() => {
    const d = this.diff();
    return d.source === 'merge'
      ? `Merge ${d.head} on the plan’s branch`
      : `Branch ${d.branch ?? ''} since ${d.base}`;
  });

  /** What the size limits left out, in words; null when nothing was. */
  readonly omitted = computed(() => {
    const { files, bytes } = this.diff().omitted;
    if (files === 0 && bytes === 0) return null;
    return `The diff is too large to show whole: ${files} ${files === 1 ? 'file' : 'files'} cut or left out, ${size(bytes)} not shown.`;
  });

  mark(file: TaskDiffFile): string {
    return STATUS_MARK[file.status];
  }
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
