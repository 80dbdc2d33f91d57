import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

interface DiffLine {
  kind: 'add' | 'del' | 'hunk' | 'meta' | 'ctx';
  text: string;
}

/** Lines of a patch a panel can show without slowing down; the rest is cut with a note. */
const MAX_LINES = 4000;

/** A unified diff, line by line, coloured by kind. */
@Component({
  selector: 'tk-diff-view',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <pre
      class="diff"
      tabindex="0"
      [attr.aria-label]="'Diff of ' + path()"
    ><code>@for (line of lines(); track $index) {<span class="line" [attr.data-kind]="line.kind">{{ line.text }}
</span>}</code></pre>
    @if (cut() > 0) {
      <p class="cut">{{ cut() }} more lines not shown.</p>
    }
  `,
  styles: `
    :host {
      display: block;
      min-height: 0;
    }
    .diff {
      margin: 0;
      height: 100%;
      box-sizing: border-box;
      overflow: auto;
      padding: 8px 0;
      border-radius: 6px;
      background: var(--mat-sys-surface-container-low);
      font:
        12px/1.45 ui-monospace,
        Menlo,
        Consolas,
        monospace;
    }
    .line {
      display: block;
      padding: 0 10px;
      white-space: pre;
    }
    .line[data-kind='add'] {
      background: light-dark(#e6ffec, #12361f);
      color: light-dark(#0b4b1e, #aff5b4);
    }
    .line[data-kind='del'] {
      background: light-dark(#ffebe9, #3d1216);
      color: light-dark(#7d1219, #ffc1c0);
    }
    .line[data-kind='hunk'] {
      color: light-dark(#0550ae, #79c0ff);
    }
    .line[data-kind='meta'] {
      color: var(--mat-sys-on-surface-variant);
    }
    .cut {
      font: var(--mat-sys-body-small);
    }
  `,
})
export class DiffView {
  readonly patch = input.required<string>();
  readonly path = input('');
  readonly #all = computed<DiffLine[]>(() => {
    let inHunk = false;
    return this.patch()
      .replace(/\n$/, '')
      .split('\n')
      .map((text): DiffLine => {
        if (text.startsWith('@@')) {
          inHunk = true;
          return { kind: 'hunk', text };
        }
        if (text.startsWith('diff --git')) inHunk = false;
        if (!inHunk) return { kind: 'meta', text };
        if (text.startsWith('+')) return { kind: 'add', text };
        if (text.startsWith('-')) return { kind: 'del', text };
        return { kind: 'ctx', text };
      });
  });
  readonly lines = computed(() => this.#all().slice(0, MAX_LINES));
  readonly cut = computed(() => Math.max(0, this.#all().length - MAX_LINES));
}
