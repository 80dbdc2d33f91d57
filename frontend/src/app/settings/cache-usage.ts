import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import type { UsageSummary } from '../../../../backend/protocol/index.ts';
import { Agents } from '../agents/agents';
import {
  cacheHitRatio,
  formatPercent,
  formatTokens,
  formatUsd,
  messageOf,
  taskTitle,
} from '../agents/format';
import { ProtocolClient } from '../core/protocol-client';
import { CacheChart } from './cache-chart';

/**
 * Prompt cache and usage: hit ratio and tokens read from the cache, per agent
 * of this session and over recent runs, with a chart. Only figures the
 * backend reports are shown.
 */
@Component({
  selector: 'tk-cache-usage',
  imports: [CacheChart],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (summary(); as s) {
      <!-- Two caches with two jobs; side by side, each says which it is. -->
      <dl class="legend">
        <div>
          <dt>Prompt cache</dt>
          <dd>
            Anthropic's: the API keeps the unchanged start of each request (system prompt, tools,
            earlier turns) and bills tokens read from it at a tenth of the input price.
          </dd>
        </div>
        <div>
          <dt>Token cache</dt>
          <dd>
            Troika's own: a file or command result the conversation already holds, unchanged, is
            answered by a short reference instead of being sent again.
          </dd>
        </div>
      </dl>
      <dl class="totals">
        <div>
          <dt>Prompt cache hit ratio</dt>
          <dd data-total="hit-ratio">{{ ratio(s.total) }}</dd>
        </div>
        <div>
          <dt>Tokens read from cache</dt>
          <dd data-total="cache-read">{{ tokens(s.total.cacheReadInputTokens) }}</dd>
        </div>
        <div>
          <dt>Written to cache</dt>
          <dd>{{ tokens(s.total.cacheCreationInputTokens) }}</dd>
        </div>
        <div>
          <dt>Uncached input</dt>
          <dd>{{ tokens(s.total.inputTokens) }}</dd>
        </div>
        <div>
          <dt>Output</dt>
          <dd>{{ tokens(s.total.outputTokens) }}</dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd>{{ usd(s.total.costUsd) }}</dd>
        </div>
        <div>
          <dt>Saved by the token cache</dt>
          <dd data-total="token-cache-saved">{{ tokens(s.tokenCache.savedTokens) }}</dd>
        </div>
        <div>
          <dt>Token cache hits</dt>
          <dd>{{ s.tokenCache.hits + s.tokenCache.references }} of {{ s.tokenCache.lookups }}</dd>
        </div>
      </dl>
      <p class="scope">
        Over the last {{ s.runs.length }} run{{ s.runs.length === 1 ? '' : 's' }}.
      </p>
      @if (s.runs.length > 0) {
        <tk-cache-chart [runs]="s.runs" />
      }
      @if (session().length > 0) {
        <table class="agents">
          <caption>
            Agents of this session
          </caption>
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col" class="num">Hit ratio</th>
              <th scope="col" class="num">Read from cache</th>
              <th scope="col" class="num">Saved</th>
              <th scope="col" class="num">Cost</th>
            </tr>
          </thead>
          <tbody>
            @for (a of session(); track a.id) {
              <tr>
                <td>{{ a.title }}</td>
                <td class="num">{{ a.ratio }}</td>
                <td class="num">{{ a.cached }}</td>
                <td class="num">{{ a.saved }}</td>
                <td class="num">{{ a.cost }}</td>
              </tr>
            }
          </tbody>
        </table>
      }
    } @else if (error(); as e) {
      <p class="error" role="alert">{{ e }}</p>
    } @else {
      <p role="status">Loading…</p>
    }
  `,
  styles: `
    .totals {
      display: grid;
      grid-template-columns: repeat(3, 1fr);
      gap: 8px 16px;
      margin: 0 0 4px;
    }
    dt {
      font: var(--mat-sys-label-small);
      color: var(--mat-sys-on-surface-variant);
    }
    dd {
      margin: 0;
      font: var(--mat-sys-title-medium);
      font-variant-numeric: tabular-nums;
    }
    .legend {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 4px 16px;
      margin: 0 0 12px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .legend dt {
      font: var(--mat-sys-label-large);
      color: var(--mat-sys-on-surface);
    }
    .legend dd {
      margin: 0;
    }
    .scope {
      margin: 0 0 8px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .agents {
      width: 100%;
      margin-top: 12px;
      border-collapse: collapse;
    }
    caption {
      text-align: left;
      font: var(--mat-sys-label-large);
      padding-bottom: 4px;
    }
    th,
    td {
      padding: 4px 6px;
      text-align: left;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .num {
      text-align: right;
      font-variant-numeric: tabular-nums;
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
})
export class CacheUsage {
  readonly #client = inject(ProtocolClient);
  readonly #agents = inject(Agents);
  readonly summary = signal<UsageSummary | null>(null);
  readonly error = signal<string | null>(null);
  readonly session = computed(() =>
    this.#agents.all().map((agent) => {
      const usage = agent.summary().usage;
      return {
        id: agent.id,
        title: taskTitle(agent.summary().task, 60),
        ratio: this.ratio(usage),
        cached: formatTokens(usage.cacheReadInputTokens),
        saved: formatTokens(agent.summary().cache.savedTokens),
        cost: formatUsd(usage.costUsd),
      };
    }),
  );

  constructor() {
    this.#client
      .request('usage.summary', { limit: 100 })
      .then((s) => this.summary.set(s))
      .catch((error: unknown) => this.error.set(`Could not load usage: ${messageOf(error)}`));
  }

  ratio(usage: Parameters<typeof cacheHitRatio>[0]): string {
    const ratio = cacheHitRatio(usage);
    return ratio === null ? '—' : formatPercent(ratio);
  }

  tokens(n: number): string {
    return formatTokens(n);
  }

  usd(n: number): string {
    return formatUsd(n);
  }
}
