import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type {
  GateCheck,
  GateRun,
  TaskGates,
} from '../../../../backend/protocol/payloads/plan-task-view.ts';

/** Output longer than this many lines shows its end, collapsed, until "Show all". */
const COLLAPSED_LINES = 12;

const WHERE: Record<GateRun['where'], string> = {
  task: 'Gates in the task’s worktree',
  integration: 'Gates on the merge into the plan’s branch',
};

/** A command's output, monospace and scrollable; a long one shows its end (where failures are) until "Show all". */
@Component({
  selector: 'tk-gate-output',
  imports: [MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (text().trim() === '') {
      <p class="empty">(no output)</p>
    } @else {
      <pre
        tabindex="0"
        aria-label="Output"
        [attr.data-all]="!collapsed()"
      ><code>{{ shown() }}</code></pre>
      @if (hidden() > 0) {
        <div class="more">
          {{ hidden() }} earlier {{ hidden() === 1 ? 'line' : 'lines' }} hidden
          <button mat-button type="button" (click)="all.set(true)">Show all</button>
        </div>
      } @else if (all() && lines().length > collapsedLines) {
        <button mat-button type="button" (click)="all.set(false)">Show less</button>
      }
    }
  `,
  styles: `
    pre {
      margin: 4px 0 0;
      padding: 6px 8px;
      max-height: 240px;
      overflow: auto;
      border-radius: 6px;
      background: var(--mat-sys-surface-container-low);
      font:
        12px/1.45 ui-monospace,
        Menlo,
        Consolas,
        monospace;
      white-space: pre;
    }
    pre[data-all='true'] {
      max-height: 480px;
    }
    .more,
    .empty {
      margin: 2px 0 0;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class GateOutput {
  readonly text = input.required<string>();
  readonly all = signal(false);
  readonly collapsedLines = COLLAPSED_LINES;
  readonly lines = computed(() => this.text().replace(/\n+$/, '').split('\n'));
  readonly collapsed = computed(() => !this.all() && this.lines().length > COLLAPSED_LINES);
  readonly hidden = computed(() => (this.collapsed() ? this.lines().length - COLLAPSED_LINES : 0));
  readonly shown = computed(() =>
    this.collapsed() ? this.lines().slice(-COLLAPSED_LINES).join('\n') : this.lines().join('\n'),
  );
}

/**
 * A task's gate runs by attempt: for each run where it ran and whether it
 * passed, then each command with its status, exit code, time and output
 * (monospace, scrollable; a long one collapsed to its end until "Show all").
 */
@Component({
  selector: 'tk-task-gates-view',
  imports: [GateOutput],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (gates().attempts.length === 0) {
      <p class="note">No attempt yet: the gates run once an agent has built the task.</p>
    }
    @for (a of gates().attempts; track a.attempt) {
      <section class="attempt" [attr.data-attempt]="a.attempt" [attr.aria-label]="attemptTitle(a)">
        <h5>{{ attemptTitle(a) }}</h5>
        @if (a.runs.length === 0) {
          <p class="note">No gate ran in this attempt.</p>
        }
        @for (run of a.runs; track $index) {
          <div class="run" [attr.data-where]="run.where" [attr.data-passed]="run.passed">
            <div class="run-head">
              <span class="verdict" [attr.data-passed]="run.passed">{{
                run.passed ? 'passed' : 'failed'
              }}</span>
              <span class="where">{{ where(run) }}</span>
              @if (run.durationMs !== null) {
                <span class="meta">{{ time(run.durationMs) }}</span>
              }
            </div>
            @for (check of run.checks; track $index) {
              <div class="check" [attr.data-status]="check.status">
                <div class="check-head">
                  <span class="status" [attr.data-status]="check.status">{{
                    statusText(check)
                  }}</span>
                  <code class="command">$ {{ check.command }}</code>
                  <span class="meta">{{ checkMeta(check) }}</span>
                </div>
                <tk-gate-output [text]="check.output" />
              </div>
            } @empty {
              <tk-gate-output [text]="run.output" />
            }
          </div>
        }
      </section>
    }
  `,
  styles: `
    :host {
      display: block;
      font: var(--mat-sys-body-small);
    }
    h5 {
      margin: 8px 0 4px;
      font: var(--mat-sys-title-small);
    }
    .note,
    .meta {
      color: var(--mat-sys-on-surface-variant);
    }
    .run {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 6px;
      padding: 6px 8px;
      margin-bottom: 6px;
    }
    .run-head,
    .check-head {
      display: flex;
      gap: 8px;
      align-items: baseline;
      flex-wrap: wrap;
    }
    .check {
      margin-top: 6px;
    }
    .verdict,
    .status {
      padding: 0 6px;
      border-radius: 8px;
      font-weight: 600;
      background: light-dark(#ffebe9, #3d1216);
      color: light-dark(#7d1219, #ffc1c0);
    }
    .verdict[data-passed='true'],
    .status[data-status='passed'] {
      background: light-dark(#e6ffec, #12361f);
      color: light-dark(#0b4b1e, #aff5b4);
    }
    .command {
      font:
        12px/1.45 ui-monospace,
        Menlo,
        Consolas,
        monospace;
      overflow-wrap: anywhere;
    }
  `,
})
export class TaskGatesView {
  readonly gates = input.required<TaskGates>();

  attemptTitle(a: TaskGates['attempts'][number]): string {
    if (a.attempt === 0) return 'Before any recorded attempt';
    const level =
      a.level === 'stronger' ? ' · stronger model' : a.level === 'user' ? ' · by you' : '';
    return `Attempt ${a.attempt}${level}${a.model ? ` · ${a.model}` : ''}`;
  }

  where(run: GateRun): string {
    return WHERE[run.where];
  }

  statusText(check: GateCheck): string {
    return check.status === 'timed_out' ? 'timed out' : check.status;
  }

  time(ms: number): string {
    return duration(ms);
  }

  checkMeta(check: GateCheck): string {
    const parts: string[] = [];
    if (check.exitCode !== null && check.status !== 'passed') parts.push(`exit ${check.exitCode}`);
    if (check.durationMs !== null) parts.push(duration(check.durationMs));
    return parts.join(' · ');
  }
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
