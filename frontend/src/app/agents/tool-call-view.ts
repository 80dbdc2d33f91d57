import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { TranscriptItem } from './transcript-model';

type ToolItem = Extract<TranscriptItem, { kind: 'tool' }>;

/** The longest result shown inline; the rest is in the terminal or the transcript file. */
const MAX_RESULT_CHARS = 20_000;

function inputSummary(name: string, input: unknown): string {
  const i = (input ?? {}) as Record<string, unknown>;
  if (name === 'bash')
    return typeof i['command'] === 'string'
      ? `$ ${i['command']}`
      : i['restart']
        ? 'restart the shell'
        : '';
  if (name === 'str_replace_based_edit_tool')
    return `${String(i['command'] ?? '')} ${String(i['path'] ?? '')}`.trim();
  if (name === 'ask_user') return String(i['question'] ?? '');
  if (typeof i['path'] === 'string') return i['path'];
  if (typeof i['pattern'] === 'string') return i['pattern'];
  return '';
}

/**
 * The exit code a finished command reported, if not 0: the bash tool ends its
 * result with "Exit code: N" (backend/agent/tools/bash.ts), or says "(exit
 * code N)" when the command was interrupted.
 */
export function exitCodeOf(item: ToolItem): number | null {
  if (item.name !== 'bash' || !item.result) return null;
  const match =
    /\n\nExit code: (-?\d+)$/.exec(item.result.content.trimEnd()) ??
    /\(exit code (-?\d+)\)\.?$/.exec(item.result.content.trimEnd());
  return match ? Number(match[1]) : null;
}

/** A tool call's outcome in a word or two: a command that exited non-zero failed, with its code. */
export function toolStatus(item: ToolItem): string {
  if (item.decision === 'awaiting approval' && !item.result) return 'held';
  if (item.running) return 'running…';
  if (!item.result) return 'pending';
  const code = exitCodeOf(item);
  if (code !== null && code !== 0) return `failed (exit ${code})`;
  return item.result.isError ? 'failed' : 'ok';
}

/** One tool call: name and a one-line summary; expanded, its input and result. Collapsed by default. */
@Component({
  selector: 'tk-tool-call',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <details [attr.data-tool]="item().name" [attr.data-decision]="item().decision">
      <summary>
        <span class="name">{{ item().name }}</span>
        <span class="what">{{ summary() }}</span>
        @if (item().decision; as decision) {
          <span class="badge" [attr.data-kind]="decision">{{ decision }}</span>
        }
        <span class="state" [attr.data-status]="statusKind()">{{ status() }}</span>
      </summary>
      <div class="section-label">Input</div>
      <pre tabindex="0">{{ inputText() }}</pre>
      @if (item().result; as result) {
        <div class="section-label">{{ statusKind() === 'failed' ? 'Error' : 'Result' }}</div>
        <pre tabindex="0" [class.error]="statusKind() === 'failed'">{{ resultText() }}</pre>
      }
    </details>
  `,
  styles: `
    details {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 6px;
      background: var(--mat-sys-surface-container-low);
    }
    summary {
      display: flex;
      gap: 6px;
      align-items: center;
      padding: 2px 8px;
      cursor: pointer;
      font: var(--mat-sys-body-small);
      min-width: 0;
    }
    .name {
      font-weight: 600;
      flex: none;
    }
    .what {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-family: ui-monospace, Menlo, Consolas, monospace;
    }
    .badge {
      flex: none;
      padding: 0 6px;
      border-radius: 8px;
      font: var(--mat-sys-label-small);
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .badge[data-kind='denied by you'],
    .badge[data-kind='blocked by policy'] {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .badge[data-kind='awaiting approval'] {
      background: var(--tk-attention-container);
      color: var(--tk-on-attention-container);
    }
    .state {
      flex: none;
      font: var(--mat-sys-label-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .state[data-status='failed'] {
      color: var(--mat-sys-error);
    }
    .section-label {
      padding: 2px 8px 0;
      font: var(--mat-sys-label-small);
      color: var(--mat-sys-on-surface-variant);
    }
    pre {
      margin: 0 8px 6px;
      padding: 6px;
      max-height: 240px;
      overflow: auto;
      border-radius: 4px;
      background: var(--mat-sys-surface);
      font:
        12px/1.4 ui-monospace,
        Menlo,
        Consolas,
        monospace;
      white-space: pre-wrap;
      word-break: break-word;
    }
    pre.error {
      color: var(--mat-sys-error);
    }
  `,
})
export class ToolCallView {
  readonly item = input.required<ToolItem>();
  readonly summary = computed(() => inputSummary(this.item().name, this.item().input));
  readonly status = computed(() => toolStatus(this.item()));
  /** For styling and tests: `failed` whatever the code. */
  readonly statusKind = computed(() => this.status().split(' ')[0]);
  readonly inputText = computed(() => {
    const input = this.item().input;
    const i = (input ?? {}) as Record<string, unknown>;
    if (this.item().name === 'bash' && typeof i['command'] === 'string') return i['command'];
    return JSON.stringify(input, null, 2);
  });
  readonly resultText = computed(() => {
    const content = this.item().result?.content ?? '';
    return content.length > MAX_RESULT_CHARS
      ? `${content.slice(0, MAX_RESULT_CHARS)}\n… (${content.length - MAX_RESULT_CHARS} more characters)`
      : content;
  });
}
