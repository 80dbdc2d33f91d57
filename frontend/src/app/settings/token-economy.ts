import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import type {
  AppSettings,
  SettingsView,
  TokenEconomyView,
} from '../../../../backend/protocol/index.ts';
import { messageOf } from '../agents/format';
import { ProtocolClient } from '../core/protocol-client';

type Switch = keyof TokenEconomyView;

const SWITCHES: ReadonlyArray<{ name: Switch; label: string; hint: string }> = [
  {
    name: 'tokenCache',
    label: 'Token cache',
    hint: 'A repeated read of unchanged files is answered without running the tool.',
  },
  {
    name: 'references',
    label: 'References',
    hint: 'A read whose result the model still sees is answered with a short pointer to it.',
  },
  {
    name: 'clearing',
    label: 'Tool-result clearing',
    hint: 'Older tool results are cleared from requests when that lowers the bill.',
  },
];

/**
 * The token economy switches for every agent (each agent may override them
 * through `agentTokenEconomy`). A switch the user never set follows the
 * environment (`TROIKA_TOKEN_CACHE`, `TROIKA_REFERENCES`, `TROIKA_CLEARING`),
 * else it is on; the checkbox shows what is in force.
 */
@Component({
  selector: 'tk-token-economy',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <fieldset [disabled]="busy()">
      <legend>Token economy (agents started or resumed after a change)</legend>
      @for (s of switches; track s.name) {
        <label class="switch">
          <input
            type="checkbox"
            [attr.data-switch]="s.name"
            [checked]="view().effective.tokenEconomy[s.name]"
            (change)="toggle(s.name, $any($event.target).checked)"
          />
          <span>{{ s.label }}</span>
          <small>{{ s.hint }}</small>
        </label>
      }
    </fieldset>
    @if (error(); as e) {
      <p class="error" role="alert">{{ e }}</p>
    }
  `,
  styles: `
    fieldset {
      border: none;
      padding: 0;
      margin: 0 0 8px;
    }
    legend {
      color: var(--mat-sys-on-surface-variant);
      margin-bottom: 4px;
    }
    .switch {
      display: grid;
      grid-template-columns: auto 1fr;
      column-gap: 8px;
      margin-bottom: 6px;
    }
    small {
      grid-column: 2;
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
})
export class TokenEconomy {
  readonly #client = inject(ProtocolClient);
  readonly view = input.required<SettingsView>();
  readonly changed = output<SettingsView>();
  readonly switches = SWITCHES;
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);

  async toggle(name: Switch, on: boolean): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const change: Partial<AppSettings> = { [name]: on };
      this.changed.emit(await this.#client.request('settings.update', change));
    } catch (error) {
      this.error.set(`Could not save: ${messageOf(error)}`);
    } finally {
      this.busy.set(false);
    }
  }
}
