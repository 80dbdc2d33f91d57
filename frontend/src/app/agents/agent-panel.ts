import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  viewChild,
} from '@angular/core';
import type { EventMap } from '../../../../backend/protocol/index.ts';
import { ConsoleActions } from '../shell/console-actions';
import { AgentControls } from './agent-controls';
import { AgentTerminal } from './agent-terminal';
import { Agents } from './agents';
import type { AgentStore } from './agent-store';
import { ApprovalCard } from './approval-card';
import { taskTitle } from './format';
import { PersonaPicker } from './persona-picker';
import { QuestionCard } from './question-card';
import { StatusChip } from './status-chip';
import { SteerBox } from './steer-box';
import { TranscriptView } from './transcript-view';
import { UsageMeter } from './usage-meter';

/** One agent: what it is doing (state, usage, conversation, terminal) and every control, flagged when it waits for the user. */
@Component({
  selector: 'tk-agent-panel',
  imports: [
    AgentControls,
    AgentTerminal,
    ApprovalCard,
    PersonaPicker,
    QuestionCard,
    StatusChip,
    SteerBox,
    TranscriptView,
    UsageMeter,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '[class.waiting]': 'agent().waiting()',
    '[class.selected]': 'selected()',
    '[class.focused]': 'focused()',
    '[attr.data-agent-id]': 'agent().id',
    '[attr.data-state]': 'agent().state()',
    '(focusin)': 'actions.select(agent().id)',
    '(pointerdown)': 'actions.select(agent().id)',
  },
  template: `
    <header class="head">
      <div class="title-row">
        <span class="index" aria-hidden="true">{{ index() }}</span>
        <h2 class="task" [title]="agent().summary().task">{{ title() }}</h2>
        <tk-status-chip
          [state]="agent().state()"
          [pending]="agent().pending()"
          [pauseRequested]="agent().pauseRequested()"
        />
      </div>
      <div class="meta">
        <tk-persona-picker class="persona-picker" [agent]="agent()" />
        <span class="model">{{ agent().summary().model }}</span>
        @if (agent().instructions(); as ins) {
          @if (ins.files.length > 0) {
            <span class="instructions" [title]="instructionsTitle(ins)"
              >{{ ins.files.length }} instruction file{{ ins.files.length === 1 ? '' : 's' }} · ~{{
                ins.tokens
              }}
              tokens</span
            >
          }
        }
        @if (agent().summary().branch; as branch) {
          <span class="branch" [title]="agent().summary().workDir">{{ branch }}</span>
        } @else {
          <span class="branch" [title]="agent().summary().workDir">{{
            agent().summary().workspace
          }}</span>
        }
      </div>
      <tk-usage-meter
        [usage]="agent().summary().usage"
        [budget]="agent().summary().budgetUsd"
        [priceKnown]="agent().priceKnown()"
        [byModel]="agent().byModel()"
        [cache]="agent().summary().cache"
        [context]="agent().summary().context"
      />
      <tk-agent-controls [agent]="agent()" />
    </header>
    @if (agent().waiting()) {
      <p class="flag" role="alert">
        {{
          agent().state() === 'waiting_approval'
            ? 'Waiting for you: approve or deny'
            : 'Waiting for you: answer the question'
        }}
      </p>
    }
    @if (agent().summary().pendingApproval) {
      <tk-approval-card [agent]="agent()" />
    }
    @if (agent().summary().pendingQuestion) {
      <tk-question-card #question [agent]="agent()" />
    }
    @if (agent().error(); as error) {
      <p class="error" role="alert">{{ error }}</p>
    }
    @if (retrying(); as retry) {
      <p class="retry" role="status">{{ retry }}</p>
    }
    <div class="body">
      <tk-transcript-view
        class="transcript"
        [items]="agent().transcript.items()"
        [queued]="agent().queued()"
        [label]="'Conversation of agent ' + index()"
      />
      <tk-agent-terminal
        class="terminal"
        [ptyId]="agent().summary().ptyId"
        [label]="'Agent ' + index()"
      />
    </div>
    <tk-steer-box #steer [agent]="agent()" [label]="'' + index()" />
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 4px;
      height: 100%;
      min-height: 0;
      min-width: 0;
      box-sizing: border-box;
      padding: 6px 8px;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
      background: var(--mat-sys-surface-container-lowest);
    }
    :host(.selected) {
      border-color: var(--mat-sys-primary);
    }
    :host(.waiting) {
      border: 2px solid var(--tk-attention);
      box-shadow: 0 0 0 3px color-mix(in srgb, var(--tk-attention) 25%, transparent);
    }
    .head {
      display: flex;
      flex-direction: column;
      gap: 2px;
    }
    .title-row {
      display: flex;
      align-items: center;
      gap: 8px;
      min-width: 0;
    }
    .index {
      flex: none;
      display: grid;
      place-items: center;
      width: 22px;
      height: 22px;
      border-radius: 50%;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
      font: var(--mat-sys-label-medium);
    }
    .task {
      flex: 1;
      min-width: 0;
      margin: 0;
      font: var(--mat-sys-title-small);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .meta {
      display: flex;
      gap: 8px;
      align-items: center;
      font: var(--mat-sys-label-small);
      color: var(--mat-sys-on-surface-variant);
      min-width: 0;
    }
    .branch {
      flex: 0 1 auto;
      max-width: 30%;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    /* Why the persona was chosen gets the room; the branch name gives way first. */
    .persona-picker {
      flex: 1 1 auto;
      min-width: 0;
    }
    .model {
      flex: none;
    }
    .instructions {
      flex: none;
      white-space: nowrap;
    }
    .flag {
      margin: 0;
      padding: 4px 8px;
      border-radius: 6px;
      background: var(--tk-attention);
      color: var(--tk-on-attention);
      font: var(--mat-sys-label-large);
    }
    .error {
      margin: 0;
      color: var(--mat-sys-error);
      font: var(--mat-sys-body-small);
    }
    .retry {
      margin: 0;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .body {
      flex: 1;
      min-height: 0;
      display: grid;
      grid-template-rows: minmax(0, 3fr) minmax(0, 2fr);
      gap: 4px;
    }
    /* On a short screen the conversation gets the larger share: at 1280x720 it shows eight entries or more. */
    @media (max-height: 900px) {
      .body {
        grid-template-rows: minmax(0, 2fr) minmax(0, 1fr);
      }
    }
    .body > * {
      min-width: 0;
      min-height: 0;
      overflow: hidden;
    }
    :host(.focused) .body {
      grid-template-rows: minmax(0, 1fr);
      grid-template-columns: minmax(0, 2fr) minmax(0, 3fr);
    }
  `,
})
export class AgentPanel {
  readonly agent = input.required<AgentStore>();
  readonly index = input.required<number>();
  readonly actions = inject(ConsoleActions);
  readonly #agents = inject(Agents);
  readonly title = computed(() => taskTitle(this.agent().summary().task));
  readonly selected = computed(() => this.actions.selected() === this.agent().id);
  readonly focused = computed(() => this.#agents.focused() === this.agent().id);
  readonly retrying = computed(() => {
    const error = this.agent().modelError();
    return error?.retrying ? error.message : null;
  });
  private readonly steer = viewChild.required<SteerBox>('steer');

  /** Which files, for the tooltip: one a line, with its tokens and what imported it. */
  instructionsTitle(ins: EventMap['agent.instructions']): string {
    return ins.files
      .map(
        (f) =>
          `${f.path} (~${f.tokens} tokens${f.importedBy ? `, imported by ${f.importedBy}` : ''})`,
      )
      .join('\n');
  }
  private readonly question = viewChild<QuestionCard>('question');

  focusSteer(): void {
    this.steer().focus();
  }

  focusAnswer(): void {
    this.question()?.focus();
  }
}
