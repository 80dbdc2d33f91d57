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
import { ariaShortcut, shortcutKeys } from './shortcuts';

/** Steering: a message the agent takes in at its very next step (or, when it has finished, a new turn). */
@Component({
  selector: 'tk-steer-box',
  imports: [MatButtonModule, MatTooltipModule, Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form (submit)="$event.preventDefault(); send()">
      <textarea
        #box
        rows="1"
        [attr.aria-label]="'Steer agent ' + label()"
        [attr.aria-keyshortcuts]="keys('steer')"
        [placeholder]="placeholder()"
        [value]="text()"
        (input)="text.set($any($event.target).value)"
        (keydown.enter)="onEnter($any($event))"
      ></textarea>
      <button
        mat-icon-button
        type="submit"
        aria-label="Send steering message"
        [matTooltip]="sendTip"
        [disabled]="!text().trim()"
      >
        <tk-icon name="send" />
      </button>
    </form>
  `,
  styles: `
    form {
      display: flex;
      gap: 4px;
      align-items: center;
    }
    textarea {
      flex: 1;
      resize: none;
      min-height: 36px;
      max-height: 120px;
      padding: 8px 10px;
      box-sizing: border-box;
      border: 1px solid var(--mat-sys-outline);
      border-radius: 18px;
      background: var(--mat-sys-surface-container-low);
      color: var(--mat-sys-on-surface);
      font: var(--mat-sys-body-medium);
      field-sizing: content;
    }
    textarea:focus-visible {
      outline: 2px solid var(--mat-sys-primary);
      outline-offset: 1px;
    }
  `,
})
export class SteerBox {
  readonly agent = input.required<AgentStore>();
  readonly label = input('');
  readonly text = signal('');
  readonly sendTip = `Send (Enter). Steer box: ${shortcutKeys('steer')}`;
  readonly keys = ariaShortcut;
  readonly placeholder = computed(() =>
    this.agent().active()
      ? 'Steer: a message for its next step…'
      : 'Send a message to continue this agent…',
  );
  private readonly box = viewChild.required<ElementRef<HTMLTextAreaElement>>('box');

  focus(): void {
    this.box().nativeElement.focus();
  }

  onEnter(event: KeyboardEvent): void {
    if (event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.send();
  }

  send(): void {
    const text = this.text().trim();
    if (!text) return;
    this.text.set('');
    void this.agent()
      .steer(text)
      .then((ok) => {
        if (!ok && !this.text()) this.text.set(text);
      });
  }
}
