import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatTooltipModule } from '@angular/material/tooltip';
import type {
  AgentCacheUsage,
  AgentContextUsage,
  AgentUsage,
  ModelUsage,
} from '../../../../backend/protocol/index.ts';
import { cacheHitRatio, formatPercent, formatTokens, formatUsd } from './format';

/** Tokens, cost, what the prompt cache and the token cache saved, the context window, and the spend against the agent's budget. */
@Component({
  selector: 'tk-usage-meter',
  imports: [MatTooltipModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dl class="counters">
      <div matTooltip="Input tokens sent without the cache, and output tokens written">
        <dt>Tokens</dt>
        <dd data-counter="tokens">{{ tokens() }}</dd>
      </div>
      <div
        [matTooltip]="
          priceKnown()
            ? 'Cost of this agent so far'
            : 'Estimated at the highest known rates: this model has no price on file'
        "
      >
        <dt>Cost</dt>
        <dd data-counter="cost">{{ cost() }}{{ priceKnown() ? '' : ' (est.)' }}</dd>
      </div>
      @if (byModel().length > 1) {
        <div matTooltip="After a fallback, each model is billed at its own rates">
          <dt>By model</dt>
          <dd data-counter="cost-by-model">{{ costByModel() }}</dd>
        </div>
      }
      <div
        matTooltip="Prompt cache (Anthropic's): input tokens the API read from its cache of the unchanged start of each request, billed at a tenth of the input price, and their share of the prompt"
      >
        <dt>Prompt cache</dt>
        <dd data-counter="cache">{{ cached() }}</dd>
      </div>
      @if (cache(); as c) {
        <div [matTooltip]="savedTip()">
          <dt>Token cache</dt>
          <dd data-counter="saved">{{ saved() }}</dd>
        </div>
      }
      @if (context(); as ctx) {
        <div [matTooltip]="contextTip()">
          <dt>Context</dt>
          <dd data-counter="context">{{ contextShare() }}</dd>
        </div>
      }
    </dl>
    @if (budget() !== null) {
      <div
        class="budget"
        role="progressbar"
        aria-valuemin="0"
        [attr.aria-valuemax]="budget()"
        [attr.aria-valuenow]="usage().costUsd"
        [attr.aria-valuetext]="budgetText()"
        [attr.aria-label]="'Budget'"
        [matTooltip]="budgetText()"
        [attr.data-level]="level()"
      >
        <div class="fill" [style.width.%]="percent()"></div>
      </div>
    } @else {
      <div class="no-budget">No budget cap</div>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .counters {
      display: flex;
      gap: 2px 14px;
      margin: 0;
      flex-wrap: wrap;
    }
    .counters div {
      display: flex;
      gap: 4px;
      align-items: baseline;
    }
    dt {
      font: var(--mat-sys-label-small);
      color: var(--mat-sys-on-surface-variant);
    }
    dd {
      margin: 0;
      font: var(--mat-sys-label-large);
      font-variant-numeric: tabular-nums;
    }
    .budget {
      height: 6px;
      border-radius: 3px;
      background: var(--mat-sys-surface-container-highest);
      overflow: hidden;
    }
    .fill {
      height: 100%;
      background: var(--mat-sys-primary);
      transition: width 200ms;
    }
    .budget[data-level='high'] .fill {
      background: light-dark(#b26a00, #ffb951);
    }
    .budget[data-level='over'] .fill {
      background: var(--mat-sys-error);
    }
    .no-budget {
      font: var(--mat-sys-label-small);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class UsageMeter {
  readonly usage = input.required<AgentUsage>();
  readonly budget = input<number | null>(null);
  readonly priceKnown = input(true);
  /** Cost per model that answered; shown when more than one did. */
  readonly byModel = input<ModelUsage[]>([]);
  readonly costByModel = computed(() =>
    this.byModel()
      .map((m) => `${m.model} ${formatUsd(m.costUsd)}`)
      .join(' · '),
  );
  /** The token cache's figures; absent from a backend that does not report them. */
  readonly cache = input<AgentCacheUsage | undefined>(undefined);
  readonly context = input<AgentContextUsage | null | undefined>(undefined);
  readonly saved = computed(() => {
    const cache = this.cache();
    return cache ? `${formatTokens(cache.savedTokens)} tok` : '';
  });
  readonly savedTip = computed(() => {
    const c = this.cache();
    return c
      ? `Token cache (Troika's own, not the API's prompt cache): tokens never sent, because a file or result the conversation already holds, unchanged, was answered by reference. ${c.hits} cache hits, ${c.references} references, ${c.misses} misses of ${c.lookups} lookups.`
      : '';
  });
  readonly contextShare = computed(() => {
    const ctx = this.context();
    return ctx ? formatPercent(ctx.tokens / ctx.window) : '';
  });
  readonly contextTip = computed(() => {
    const ctx = this.context();
    return ctx
      ? `About ${formatTokens(ctx.tokens)} of the model's ${formatTokens(ctx.window)}-token context window${ctx.compactions ? `; older turns summarized ${ctx.compactions} time${ctx.compactions === 1 ? '' : 's'}` : ''}.`
      : '';
  });

  readonly tokens = computed(
    () =>
      `${formatTokens(this.usage().inputTokens + this.usage().cacheCreationInputTokens)} in · ${formatTokens(this.usage().outputTokens)} out`,
  );
  readonly cost = computed(() => formatUsd(this.usage().costUsd));
  readonly cached = computed(() => {
    const ratio = cacheHitRatio(this.usage());
    return ratio === null
      ? '—'
      : `${formatTokens(this.usage().cacheReadInputTokens)} (${formatPercent(ratio)})`;
  });
  readonly percent = computed(() => {
    const budget = this.budget();
    return budget ? Math.min(100, (this.usage().costUsd / budget) * 100) : 0;
  });
  readonly level = computed(() =>
    this.percent() >= 100 ? 'over' : this.percent() >= 80 ? 'high' : 'ok',
  );
  readonly budgetText = computed(() => {
    const budget = this.budget();
    return budget === null
      ? 'No budget'
      : `${formatUsd(this.usage().costUsd)} of ${formatUsd(budget)} budget (${Math.round(this.percent())}%)`;
  });
}
