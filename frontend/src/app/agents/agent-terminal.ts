import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { TerminalSessions } from '../terminal/terminal-sessions';
import { TerminalView } from '../terminal/terminal-view';

/**
 * The agent's own terminal, live. Read-only: keystrokes would land in the
 * middle of the agent's commands; the size still follows the panel.
 */
@Component({
  selector: 'tk-agent-terminal',
  imports: [TerminalView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (terminal(); as t) {
      <tk-terminal-view class="view" [source]="t" [label]="label()" (resized)="t.resize($event)" />
    } @else {
      <p class="none">
        {{ ptyId() ? 'Connecting the terminal…' : 'The terminal opens when the agent runs.' }}
      </p>
    }
  `,
  styles: `
    :host {
      display: block;
      min-height: 0;
    }
    .view {
      height: 100%;
    }
    .none {
      display: grid;
      place-items: center;
      height: 100%;
      margin: 0;
      border-radius: 4px;
      background: #1e1e1e;
      color: #cccccc;
      font: var(--mat-sys-body-small);
    }
  `,
})
export class AgentTerminal {
  readonly ptyId = input.required<string | null>();
  readonly label = input.required<string>();
  readonly #sessions = inject(TerminalSessions);
  readonly terminal = computed(() => {
    const id = this.ptyId();
    this.#sessions.all();
    return id ? this.#sessions.get(id) : undefined;
  });
}
