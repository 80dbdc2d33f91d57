import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { PlanDetailSchema, type PlanDetail } from '../../../../backend/protocol/payloads/plans.ts';
import type { PlanTalkSettings } from '../../../../backend/protocol/payloads/plan-talk.ts';
import { messageOf } from '../agents/format';
import { checkResult } from '../core/inbound';
import { ProtocolClient } from '../core/protocol-client';

type Size = keyof PlanTalkSettings['reviewPasses'];
const SIZES: readonly Size[] = ['XS', 'S', 'M', 'L', 'XL'];

/**
 * A plan's review and question settings: reviewer passes per task size
 * (0, 1, or 2 for a second pass), rounds of changes before the user, and
 * the planner's hop limit. A change applies from the plan's next step.
 */
@Component({
  selector: 'tk-talk-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (settings(); as s) {
      <details class="settings" data-talk-settings>
        <summary>Review and questions</summary>
        <div class="row" role="group" aria-label="Reviewer passes by size">
          <span>Reviewer passes</span>
          @for (size of sizes; track size) {
            <label>
              {{ size }}
              <select
                [value]="s.reviewPasses[size]"
                (change)="setPasses(size, $any($event.target).value)"
              >
                <option value="0">0</option>
                <option value="1">1</option>
                <option value="2">2</option>
              </select>
            </label>
          }
        </div>
        <div class="row">
          <label>
            Rounds of changes before you
            <input
              type="number"
              min="0"
              max="10"
              [value]="s.reviewRounds"
              (change)="configure({ reviewRounds: +$any($event.target).value })"
            />
          </label>
          <label>
            Questions the planner takes
            <input
              type="number"
              min="0"
              max="10"
              [value]="s.questionHops"
              (change)="configure({ questionHops: +$any($event.target).value })"
            />
          </label>
          <span class="meta">
            planner {{ s.plannerModel }} · reviewer {{ s.reviewerModel }} · a question waits
            {{ s.questionTimeoutSeconds }} s for the planner
          </span>
        </div>
        @if (error(); as e) {
          <p class="error" role="alert">{{ e }}</p>
        }
      </details>
    }
  `,
  styles: `
    .settings {
      margin: 4px 0;
      font: var(--mat-sys-body-small);
    }
    .settings summary {
      cursor: pointer;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 10px;
      align-items: center;
      margin: 4px 0;
    }
    input {
      width: 3.5em;
    }
    .meta {
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
})
export class TalkSettings {
  readonly #client = inject(ProtocolClient);
  readonly planId = input.required<string>();
  readonly settings = input<PlanTalkSettings | undefined>();
  /** The plan as it is after a change. */
  readonly changed = output<PlanDetail>();
  readonly error = signal<string | null>(null);
  readonly sizes = SIZES;

  setPasses(size: Size, value: string): void {
    void this.configure({ reviewPasses: { [size]: Number(value) } });
  }

  async configure(talk: Record<string, unknown>): Promise<void> {
    try {
      const detail = await this.#client.request('plans.configure', { id: this.planId(), talk });
      this.changed.emit(checkResult('plans.configure', PlanDetailSchema, detail));
      this.error.set(null);
    } catch (error) {
      this.error.set(messageOf(error));
    }
  }
}
