import {
  ChangeDetectionStrategy,
  Component,
  computed,
  type ElementRef,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Icon } from '../shell/icon';
import type { AgentStore } from './agent-store';
import { ariaShortcut, withShortcut } from './shortcuts';

/** The agent's question and the box to answer it. */
@Component({
  selector: 'tk-question-card',
  imports: [MatButtonModule, MatTooltipModule, Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'region', 'aria-label': 'Question from the agent' },
  template: `
    @if (question(); as q) {
      <div class="head"><tk-icon name="question" /> <strong>The agent asks:</strong></div>
      <p class="question">{{ q.question }}</p>
      <form class="answer" (submit)="$event.preventDefault(); send()">
        <textarea
          class="tk-input"
          #box
          rows="2"
          aria-label="Your answer"
          placeholder="Your answer (Enter sends, Shift+Enter for a new line)"
          [attr.aria-keyshortcuts]="keys('answer')"
          [value]="text()"
          (input)="text.set($any($event.target).value)"
          (keydown.enter)="onEnter($any($event))"
        ></textarea>
        <button
          mat-flat-button
          type="submit"
          [matTooltip]="tip('Send the answer', 'answer')"
          [disabled]="!text().trim() || busy()"
        >
          <tk-icon name="send" /> Answer
        </button>
      </form>
    }
  `,
  styles: `
    :host {
      display: block;
      padding: 8px 10px;
      border-radius: 8px;
      background: var(--tk-attention-container);
      color: var(--tk-on-attention-container);
    }
    .head {
      display: flex;
      align-items: center;
      gap: 6px;
    }
    .question {
      margin: 6px 0;
      white-space: pre-wrap;
    }
    .answer {
      display: flex;
      gap: 8px;
      align-items: flex-end;
    }
    textarea {
      flex: 1;
      resize: vertical;
    }
  `,
})
export class QuestionCard {
  readonly agent = input.required<AgentStore>();
  readonly question = computed(() => this.agent().summary().pendingQuestion);
  readonly busy = computed(() => this.agent().pending() !== null);
  readonly text = signal('');
  readonly tip = withShortcut;
  readonly keys = ariaShortcut;
  private readonly box = viewChild<ElementRef<HTMLTextAreaElement>>('box');

  focus(): void {
    this.box()?.nativeElement.focus();
  }

  onEnter(event: KeyboardEvent): void {
    if (event.shiftKey) return;
    event.preventDefault();
    this.send();
  }

  send(): void {
    const text = this.text().trim();
    if (!text || this.busy()) return;
    void this.agent().answer(text);
    this.text.set('');
  }
}
