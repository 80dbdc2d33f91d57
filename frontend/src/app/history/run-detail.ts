import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  output,
  signal,
  effect,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { AgentSummary } from '../../../../backend/protocol/index.ts';
import { formatDuration, formatUsd, messageOf, taskTitle } from '../agents/format';
import { TranscriptModel } from '../agents/transcript-model';
import { TranscriptView } from '../agents/transcript-view';
import { ProtocolClient } from '../core/protocol-client';
import { ConsoleActions } from '../shell/console-actions';
import { TerminalView } from '../terminal/terminal-view';
import { StaticTerminalSource } from './static-terminal-source';

/** One past run, read-only: its transcript and its terminal's scrollback. */
@Component({
  selector: 'tk-run-detail',
  imports: [MatButtonModule, TranscriptView, TerminalView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="head">
      <button mat-button type="button" (click)="back.emit()">← All runs</button>
      <h3 class="task" [title]="run().task">{{ title() }}</h3>
      <span class="facts"
        >{{ run().state }} · {{ cost() }} · {{ duration() }} · {{ run().model }}</span
      >
      @if (run().resumable) {
        <button mat-flat-button type="button" (click)="resume.emit(run())">Resume</button>
      }
      @if (run().branch) {
        <button mat-stroked-button type="button" (click)="actions.merge(run().id)">Merge…</button>
      }
    </header>
    @if (run().stateReason; as reason) {
      <p class="reason">{{ reason }}</p>
    }
    @if (error(); as e) {
      <p class="error" role="alert">{{ e }}</p>
    }
    <div class="body">
      <tk-transcript-view
        class="transcript"
        [items]="transcript.items()"
        label="Transcript (read-only)"
        emptyText="No messages were stored."
      />
      @if (scrollback(); as source) {
        <tk-terminal-view class="terminal" [source]="source" label="scrollback (read-only)" />
      } @else {
        <p class="none">
          {{ loadingScrollback() ? 'Loading the terminal…' : 'No terminal output was recorded.' }}
        </p>
      }
    </div>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 8px;
      height: 100%;
      min-height: 0;
    }
    .head {
      display: flex;
      align-items: center;
      gap: 12px;
      flex-wrap: wrap;
    }
    .task {
      margin: 0;
      font: var(--mat-sys-title-medium);
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .facts {
      color: var(--mat-sys-on-surface-variant);
    }
    .reason {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      color: var(--mat-sys-error);
    }
    .body {
      flex: 1;
      min-height: 0;
      display: grid;
      grid-template-columns: minmax(0, 2fr) minmax(0, 3fr);
      gap: 12px;
    }
    .body > * {
      min-width: 0;
      min-height: 0;
      overflow: hidden;
    }
    .none {
      display: grid;
      place-items: center;
      margin: 0;
      border-radius: 4px;
      background: #1e1e1e;
      color: #cccccc;
    }
  `,
})
export class RunDetail {
  readonly run = input.required<AgentSummary>();
  readonly back = output<void>();
  readonly resume = output<AgentSummary>();
  readonly actions = inject(ConsoleActions);
  readonly #client = inject(ProtocolClient);
  readonly transcript = new TranscriptModel();
  readonly scrollback = signal<StaticTerminalSource | null>(null);
  readonly loadingScrollback = signal(true);
  readonly error = signal<string | null>(null);
  readonly title = computed(() => taskTitle(this.run().task));
  readonly cost = computed(() => formatUsd(this.run().usage.costUsd));
  readonly duration = computed(() => formatDuration(this.run().updatedAt - this.run().createdAt));

  constructor() {
    effect(() => {
      const id = this.run().id;
      untracked(() => void this.#load(id));
    });
  }

  async #load(id: string): Promise<void> {
    this.loadingScrollback.set(true);
    try {
      const [detail, scrollback] = await Promise.all([
        this.#client.request('agent.get', { id }),
        this.#client
          .request('history.scrollback', { id })
          .catch(() => ({ data: '', truncated: false })),
      ]);
      this.transcript.setPersona(detail.activePersona?.name ?? detail.persona);
      this.transcript.load(detail.transcript);
      if (detail.stateReason)
        this.transcript.notice(detail.state === 'failed' ? 'error' : 'info', detail.stateReason);
      this.scrollback.set(scrollback.data ? new StaticTerminalSource(scrollback.data) : null);
    } catch (error) {
      this.error.set(`Could not load this run: ${messageOf(error)}`);
    } finally {
      this.loadingScrollback.set(false);
    }
  }
}
