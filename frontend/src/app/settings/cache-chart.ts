import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { RunUsage } from '../../../../backend/protocol/index.ts';
import { formatTokens, taskTitle } from '../agents/format';

/** Bars shown at most: the most recent runs; older ones are in the totals. */
const MAX_BARS = 20;
const WIDTH = 600;
const HEIGHT = 140;

/** Per run: prompt tokens read from the cache against those sent in full, as stacked bars. */
@Component({
  selector: 'tk-cache-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <svg
      [attr.viewBox]="'0 0 ' + width + ' ' + (height + 4)"
      role="img"
      [attr.aria-label]="description()"
      preserveAspectRatio="none"
    >
      @for (bar of bars(); track bar.id) {
        <g>
          <title>{{ bar.title }}</title>
          <rect
            [attr.x]="bar.x"
            [attr.width]="bar.w"
            [attr.y]="bar.yFull"
            [attr.height]="bar.hFull"
            class="full"
          />
          <rect
            [attr.x]="bar.x"
            [attr.width]="bar.w"
            [attr.y]="bar.yCached"
            [attr.height]="bar.hCached"
            class="cached"
          />
        </g>
      }
      <line x1="0" [attr.x2]="width" [attr.y1]="height" [attr.y2]="height" class="axis" />
    </svg>
    <div class="legend" aria-hidden="true">
      <span><i class="swatch cached"></i>read from the cache</span>
      <span><i class="swatch full"></i>sent in full (input and cache writes)</span>
      <span class="order">oldest → newest</span>
    </div>
  `,
  styles: `
    :host {
      display: block;
    }
    svg {
      width: 100%;
      height: 150px;
      display: block;
    }
    .full {
      fill: var(--mat-sys-outline-variant);
    }
    .cached {
      fill: var(--mat-sys-primary);
    }
    .axis {
      stroke: var(--mat-sys-outline);
    }
    .legend {
      display: flex;
      gap: 16px;
      font: var(--mat-sys-label-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .swatch {
      display: inline-block;
      width: 10px;
      height: 10px;
      margin-right: 4px;
      vertical-align: middle;
    }
    .swatch.cached {
      background: var(--mat-sys-primary);
    }
    .swatch.full {
      background: var(--mat-sys-outline-variant);
    }
    .order {
      margin-left: auto;
    }
  `,
})
export class CacheChart {
  readonly runs = input.required<readonly RunUsage[]>();
  readonly width = WIDTH;
  readonly height = HEIGHT;
  readonly bars = computed(() => {
    const runs = this.runs().slice(0, MAX_BARS).reverse();
    const max = Math.max(
      1,
      ...runs.map(
        (r) =>
          r.usage.inputTokens + r.usage.cacheCreationInputTokens + r.usage.cacheReadInputTokens,
      ),
    );
    const slot = WIDTH / Math.max(runs.length, 1);
    return runs.map((run, i) => {
      const cached = run.usage.cacheReadInputTokens;
      const full = run.usage.inputTokens + run.usage.cacheCreationInputTokens;
      const hCached = (cached / max) * HEIGHT;
      const hFull = (full / max) * HEIGHT;
      return {
        id: run.id,
        x: i * slot + slot * 0.15,
        w: slot * 0.7,
        yCached: HEIGHT - hCached,
        hCached,
        yFull: HEIGHT - hCached - hFull,
        hFull,
        title: `${taskTitle(run.task, 50)}: ${formatTokens(cached)} cached, ${formatTokens(full)} in full`,
      };
    });
  });
  readonly description = computed(() => {
    const runs = this.runs().slice(0, MAX_BARS);
    return `Prompt cache per run for the last ${runs.length} runs: ${runs
      .map((r) => `${taskTitle(r.task, 30)} ${formatTokens(r.usage.cacheReadInputTokens)} cached`)
      .join('; ')}`;
  });
}
