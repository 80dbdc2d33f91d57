import {
  afterNextRender,
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  type ElementRef,
  inject,
  input,
  viewChild,
} from '@angular/core';
import { ReportView } from './report-view';
import { ToolCallView } from './tool-call-view';
import type { TranscriptItem } from './transcript-model';

/** How close to the end counts as "at the end": the view then follows new output. */
const STICK_PX = 48;

/** The conversation: assistant text as it streams, tool calls (collapsed), the user's messages, notices; queued steers last. */
@Component({
  selector: 'tk-transcript-view',
  imports: [ToolCallView, ReportView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div
      #scroller
      class="scroller"
      tabindex="0"
      role="region"
      [attr.aria-label]="label()"
      (scroll)="onScroll()"
    >
      @for (item of items(); track item.key) {
        @switch (item.kind) {
          @case ('assistant') {
            <div class="assistant" [class.streaming]="item.streaming">
              @if (item.persona) {
                <span class="persona" title="Persona">{{ item.persona }}</span>
              }
              <span class="text">{{ item.text }}</span>
            </div>
          }
          @case ('tool') {
            <tk-tool-call [item]="item" />
          }
          @case ('user') {
            <div
              class="user"
              [attr.data-source]="item.source"
              [attr.title]="item.source === 'task' ? item.text : null"
            >
              <span class="who">{{ userLabel(item.source) }}</span>
              <span class="text">{{ item.text }}</span>
            </div>
          }
          @case ('notice') {
            <div class="notice" [attr.data-level]="item.level">
              @if (item.source) {
                <span class="source">{{ item.source }}</span>
              }
              {{ item.text }}
            </div>
          }
          @case ('report') {
            <tk-report-view [report]="item.report" [answer]="item.answer" />
          }
        }
      } @empty {
        <p class="empty">{{ emptyText() }}</p>
      }
      @for (text of queued(); track $index) {
        <div class="user queued" data-source="queued">
          <span class="who">Steer · queued</span>
          <span class="text">{{ text }}</span>
        </div>
      }
    </div>
  `,
  styles: `
    :host {
      display: block;
      min-height: 0;
    }
    .scroller {
      height: 100%;
      overflow-y: auto;
      display: flex;
      flex-direction: column;
      gap: 4px;
      padding: 2px 2px 2px 0;
      box-sizing: border-box;
    }
    .scroller:focus-visible {
      outline: 2px solid var(--mat-sys-primary);
    }
    .assistant .text,
    .user .text {
      white-space: pre-wrap;
      word-break: break-word;
    }
    .assistant {
      font: var(--mat-sys-body-medium);
    }
    .assistant.streaming .text::after {
      content: '▍';
      opacity: 0.6;
    }
    .persona {
      display: inline-block;
      margin-right: 6px;
      padding: 0 6px;
      border-radius: 8px;
      font: var(--mat-sys-label-small);
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .user {
      align-self: flex-end;
      max-width: 90%;
      padding: 4px 10px;
      border-radius: 12px 12px 2px 12px;
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
      display: flex;
      flex-direction: column;
    }
    /* The panel's title holds the task too; a long one takes three lines here, in full on hover. */
    .user[data-source='task'] .text {
      display: -webkit-box;
      -webkit-line-clamp: 3;
      -webkit-box-orient: vertical;
      overflow: hidden;
    }
    .user.queued {
      background: transparent;
      border: 1px dashed var(--mat-sys-outline);
      color: var(--mat-sys-on-surface);
    }
    .who {
      font: var(--mat-sys-label-small);
      opacity: 0.85;
    }
    .notice {
      font: var(--mat-sys-body-small);
      padding: 2px 8px;
      border-left: 3px solid var(--mat-sys-outline);
      color: var(--mat-sys-on-surface-variant);
    }
    .notice[data-level='warning'] {
      border-color: light-dark(#b26a00, #ffb951);
      color: var(--mat-sys-on-surface);
    }
    .notice[data-level='error'] {
      border-color: var(--mat-sys-error);
      color: var(--mat-sys-error);
    }
    .source {
      margin-right: 4px;
      font: var(--mat-sys-label-small);
      text-transform: uppercase;
      letter-spacing: 0.04em;
    }
    .empty {
      margin: auto;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class TranscriptView {
  readonly items = input.required<readonly TranscriptItem[]>();
  readonly queued = input<readonly string[]>([]);
  readonly label = input('Conversation');
  readonly emptyText = input('Waiting for the first reply…');
  private readonly scroller = viewChild.required<ElementRef<HTMLElement>>('scroller');
  readonly #destroy = inject(DestroyRef);
  #stick = true;

  constructor() {
    afterRenderEffect({
      write: () => {
        this.items();
        this.queued();
        const element = this.scroller().nativeElement;
        if (this.#stick) element.scrollTop = element.scrollHeight;
      },
    });
    // A panel that grows or shrinks (window resized, panel maximised) keeps following the end.
    afterNextRender(() => {
      const element = this.scroller().nativeElement;
      const observer = new ResizeObserver(() => {
        if (this.#stick) element.scrollTop = element.scrollHeight;
      });
      observer.observe(element);
      this.#destroy.onDestroy(() => observer.disconnect());
    });
  }

  onScroll(): void {
    const element = this.scroller().nativeElement;
    this.#stick = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_PX;
  }

  userLabel(source: string): string {
    return source === 'task'
      ? 'Task'
      : source === 'note'
        ? 'Note from Troika'
        : source === 'answer'
          ? 'Answer'
          : source === 'continue'
            ? 'Message (continues the agent)'
            : 'Steer';
  }
}
