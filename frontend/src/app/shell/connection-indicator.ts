import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ProtocolClient } from '../core/protocol-client';

const LABELS = {
  connecting: 'Connecting…',
  connected: 'Connected',
  disconnected: 'Disconnected — reconnecting',
} as const;

/** Shows whether the backend is reachable; the transport reconnects by itself. */
@Component({
  selector: 'tk-connection-indicator',
  imports: [MatTooltipModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <span
      class="indicator"
      role="status"
      aria-live="polite"
      [attr.data-status]="status()"
      [matTooltip]="tooltip()"
    >
      <span class="dot" aria-hidden="true"></span>
      {{ label() }}
    </span>
  `,
  styles: `
    .indicator {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font: var(--mat-sys-label-large);
    }
    .dot {
      width: 10px;
      height: 10px;
      border-radius: 50%;
      background: var(--mat-sys-outline);
    }
    [data-status='connected'] .dot {
      background: #2e7d32;
    }
    [data-status='disconnected'] .dot {
      background: var(--mat-sys-error);
    }
  `,
})
export class ConnectionIndicator {
  readonly #client = inject(ProtocolClient);
  readonly status = this.#client.status;
  readonly label = computed(() => LABELS[this.status()]);
  readonly tooltip = computed(() =>
    this.status() === 'disconnected'
      ? 'The backend is not reachable. Troika retries with backoff; if the server restarted with a new token, open its new URL.'
      : 'Connection to the Troika backend',
  );
}
