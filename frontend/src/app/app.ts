import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatToolbarModule } from '@angular/material/toolbar';
import { ProtocolClient } from './core/protocol-client';
import { AgentSlot } from './shell/agent-slot';
import { ConnectionIndicator } from './shell/connection-indicator';

@Component({
  selector: 'tk-root',
  imports: [MatToolbarModule, ConnectionIndicator, AgentSlot],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.html',
  styleUrl: './app.scss',
})
export class App {
  readonly #client = inject(ProtocolClient);
  readonly slots = signal([1, 2, 3]);
  readonly client = this.#client;
}
