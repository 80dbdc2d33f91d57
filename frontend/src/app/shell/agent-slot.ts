import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';

/** One of the three places an agent lives; empty until the user starts one. */
@Component({
  selector: 'tk-agent-slot',
  imports: [MatCardModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'region', '[attr.aria-label]': '"Agent slot " + index()' },
  template: `
    <mat-card appearance="outlined" class="slot">
      <mat-card-header>
        <mat-card-title>Agent {{ index() }}</mat-card-title>
        <mat-card-subtitle>Empty</mat-card-subtitle>
      </mat-card-header>
      <mat-card-content class="empty">
        <p>No agent is running here.</p>
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    :host {
      display: block;
      min-width: 0;
    }
    .slot {
      height: 100%;
      box-sizing: border-box;
    }
    .empty {
      display: grid;
      place-items: center;
      min-height: 200px;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class AgentSlot {
  readonly index = input.required<number>();
}
