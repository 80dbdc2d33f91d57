import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { PtyTerminal } from './pty-terminal';
import { TerminalSessions } from './terminal-sessions';
import { TerminalView } from './terminal-view';

/** The user's own shells, side by side below the agent slots. */
@Component({
  selector: 'tk-shells-panel',
  imports: [MatButtonModule, TerminalView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    role: 'region',
    'aria-label': 'Shells',
    '[class.empty]': 'shells().length === 0 && !error()',
  },
  template: `
    @if (error(); as message) {
      <p class="error" role="alert">{{ message }}</p>
    }
    <div class="grid">
      @for (shell of shells(); track shell.id) {
        <section class="shell" [attr.aria-label]="shell.info().name">
          <header class="header">
            <span class="name">{{ shell.info().name }}</span>
            <span class="state" [class.exited]="!shell.info().alive">{{ stateOf(shell) }}</span>
            <span class="spacer"></span>
            <button
              mat-button
              type="button"
              [attr.aria-label]="'Close ' + shell.info().name"
              (click)="close(shell)"
            >
              Close
            </button>
          </header>
          <tk-terminal-view
            class="view"
            [source]="shell"
            [label]="shell.info().name"
            (typed)="shell.write($event)"
            (resized)="shell.resize($event)"
          />
        </section>
      }
    </div>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
      padding: 0 12px 12px;
    }
    :host(.empty) {
      display: none;
    }
    .grid {
      flex: 1;
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(360px, 1fr));
      grid-auto-rows: minmax(0, 1fr);
      gap: 12px;
      min-height: 0;
    }
    .shell {
      display: flex;
      flex-direction: column;
      min-width: 0;
      min-height: 0;
    }
    .header {
      display: flex;
      align-items: center;
      gap: 8px;
      font: var(--mat-sys-label-large);
    }
    .state {
      color: var(--mat-sys-on-surface-variant);
    }
    .state.exited {
      color: var(--mat-sys-error);
    }
    .spacer {
      flex: 1;
    }
    .view {
      flex: 1;
    }
    .error {
      color: var(--mat-sys-error);
      margin: 0 0 8px;
    }
  `,
})
export class ShellsPanel {
  readonly #sessions = inject(TerminalSessions);
  readonly shells = this.#sessions.shells;
  readonly error = this.#sessions.error;

  stateOf(shell: PtyTerminal): string {
    const { alive, exitCode, signal: exitSignal } = shell.info();
    if (alive) return 'running';
    return exitSignal ? `ended by ${exitSignal}` : `exited with code ${exitCode ?? '?'}`;
  }

  close(shell: PtyTerminal): void {
    void this.#sessions.close(shell.id);
  }
}
