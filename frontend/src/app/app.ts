import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatToolbarModule } from '@angular/material/toolbar';
import { ProtocolClient } from './core/protocol-client';
import { AgentConsole } from './shell/agent-console';
import { ConnectionIndicator } from './shell/connection-indicator';
import { ConsoleToolbar } from './shell/console-toolbar';
import { ShellsPanel } from './terminal/shells-panel';
import { TerminalSessions } from './terminal/terminal-sessions';

@Component({
  selector: 'tk-root',
  imports: [
    MatToolbarModule,
    MatButtonModule,
    ConnectionIndicator,
    ConsoleToolbar,
    AgentConsole,
    ShellsPanel,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.html',
  styleUrl: './app.scss',
})
export class App {
  readonly #client = inject(ProtocolClient);
  readonly client = this.#client;
  readonly #terminals = inject(TerminalSessions);
  readonly hasShells = computed(() => this.#terminals.shells().length > 0);

  openShell(): void {
    void this.#terminals.openShell();
  }
}
