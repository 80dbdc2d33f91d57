import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  effect,
  type ElementRef,
  inject,
  input,
  output,
  signal,
  untracked,
  viewChild,
  ViewEncapsulation,
} from '@angular/core';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import { useBestRenderer, type RendererKind } from './renderer';
import type { TerminalSink, TerminalSize, TerminalSource } from './terminal-source';
import { SEARCH_DECORATIONS, XTERM_OPTIONS } from './xterm-options';

/** RIS, "reset to initial state": clears screen, scrollback and modes, in order with the writes around it. */
const FULL_RESET = '\x1bc';

/**
 * One xterm.js terminal. It knows nothing of processes: it renders what its
 * `source` writes and reports what the user types (`typed`) and the size it
 * fits its panel at (`resized`). Copy: Ctrl+Shift+C, or Ctrl+C with a
 * selection. Paste: Ctrl+V or Ctrl+Shift+V. Search: Ctrl+Shift+F.
 */
@Component({
  selector: 'tk-terminal-view',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // xterm.js builds its DOM itself, outside Angular's style scoping.
  encapsulation: ViewEncapsulation.None,
  host: {
    role: 'region',
    '[attr.aria-label]': '"Terminal " + label()',
    '[attr.data-renderer]': 'renderer()',
  },
  template: `
    <div class="tk-terminal-screen" #screen></div>
    @if (searchOpen()) {
      <div
        class="tk-terminal-search"
        role="search"
        [attr.aria-label]="'Search terminal ' + label()"
      >
        <input
          #searchInput
          type="text"
          aria-label="Find in terminal"
          placeholder="Find"
          [value]="searchTerm()"
          (input)="onSearchInput($event)"
          (keydown)="onSearchKey($event)"
        />
        <span class="tk-terminal-search-count" aria-live="polite">{{ searchStatus() }}</span>
        <button type="button" aria-label="Previous match" (click)="findPrevious()">↑</button>
        <button type="button" aria-label="Next match" (click)="findNext()">↓</button>
        <button type="button" aria-label="Close search" (click)="closeSearch()">✕</button>
      </div>
    }
  `,
  styleUrl: './terminal-view.scss',
})
export class TerminalView {
  /** The output to show. */
  readonly source = input.required<TerminalSource>();
  /** Names the terminal for people and assistive technology: "Terminal <label>". */
  readonly label = input.required<string>();
  /** What the user typed or pasted, as the terminal encodes it. */
  readonly typed = output<string>();
  /** The size the terminal fits its panel at, on first fit and on every change. */
  readonly resized = output<TerminalSize>();

  readonly renderer = signal<RendererKind | 'none'>('none');
  readonly searchOpen = signal(false);
  readonly searchTerm = signal('');
  readonly searchStatus = signal('');

  private readonly screen = viewChild.required<ElementRef<HTMLElement>>('screen');
  private readonly searchInput = viewChild<ElementRef<HTMLInputElement>>('searchInput');
  readonly #ready = signal<Terminal | undefined>(undefined);
  readonly #fit = new FitAddon();
  readonly #search = new SearchAddon();
  readonly #disposers: Array<() => void> = [];
  #frame = 0;
  #attachedOnce = false;

  constructor() {
    afterNextRender(() => this.#open());
    effect((onCleanup) => {
      const terminal = this.#ready();
      const source = this.source();
      if (!terminal) return;
      if (this.#attachedOnce) terminal.reset();
      this.#attachedOnce = true;
      const sink: TerminalSink = {
        write: (data, parsed) => terminal.write(data, parsed),
        reset: () => terminal.write(FULL_RESET),
      };
      onCleanup(untracked(() => source.attach(sink)));
    });
    effect(() => {
      if (this.searchOpen()) this.searchInput()?.nativeElement.focus();
    });
    inject(DestroyRef).onDestroy(() => this.#dispose());
  }

  /** Moves keyboard focus into the terminal. */
  focus(): void {
    this.#ready()?.focus();
  }

  openSearch(): void {
    const selection = this.#ready()?.getSelection();
    if (selection && !selection.includes('\n')) this.searchTerm.set(selection);
    this.searchOpen.set(true);
    this.searchInput()?.nativeElement.select();
  }

  closeSearch(): void {
    this.searchOpen.set(false);
    this.#search.clearDecorations();
    this.focus();
  }

  findNext(): void {
    this.#search.findNext(this.searchTerm(), { decorations: SEARCH_DECORATIONS });
  }

  findPrevious(): void {
    this.#search.findPrevious(this.searchTerm(), { decorations: SEARCH_DECORATIONS });
  }

  onSearchInput(event: Event): void {
    this.searchTerm.set((event.target as HTMLInputElement).value);
    this.#search.findNext(this.searchTerm(), {
      decorations: SEARCH_DECORATIONS,
      incremental: true,
    });
  }

  onSearchKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      if (event.shiftKey) this.findPrevious();
      else this.findNext();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.closeSearch();
    }
  }

  #open(): void {
    const terminal = new Terminal(XTERM_OPTIONS);
    terminal.loadAddon(this.#fit);
    terminal.loadAddon(this.#search);
    terminal.loadAddon(new WebLinksAddon());
    terminal.loadAddon(new Unicode11Addon());
    terminal.unicode.activeVersion = '11';
    terminal.attachCustomKeyEventHandler((event) => this.#onKey(terminal, event));
    terminal.open(this.screen().nativeElement);
    this.#disposers.push(
      () => terminal.dispose(),
      useBestRenderer(terminal, (kind) => this.renderer.set(kind)),
    );
    const subscriptions = [
      terminal.onData((data) => this.typed.emit(data)),
      terminal.onResize(({ cols, rows }) => this.resized.emit({ cols, rows })),
      this.#search.onDidChangeResults(({ resultIndex, resultCount }) =>
        this.searchStatus.set(
          resultCount === 0
            ? 'No results'
            : resultIndex >= 0
              ? `${resultIndex + 1} of ${resultCount}`
              : `${resultCount}+`,
        ),
      ),
    ];
    this.#disposers.push(() => subscriptions.forEach((s) => s.dispose()));
    const observer = new ResizeObserver(() => this.#scheduleFit());
    observer.observe(this.screen().nativeElement);
    this.#disposers.push(() => observer.disconnect());
    this.#fitNow(terminal);
    // The first size goes out even when the fit did not change xterm.js's default.
    this.resized.emit({ cols: terminal.cols, rows: terminal.rows });
    this.#ready.set(terminal);
  }

  #scheduleFit(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = requestAnimationFrame(() => {
      const terminal = this.#ready();
      if (terminal) this.#fitNow(terminal);
    });
  }

  #fitNow(terminal: Terminal): void {
    const element = this.screen().nativeElement;
    // A hidden panel measures 0×0; fitting it would shrink the process's terminal to nothing.
    if (element.clientWidth === 0 || element.clientHeight === 0) return;
    const size = this.#fit.proposeDimensions();
    if (
      size &&
      Number.isFinite(size.cols) &&
      Number.isFinite(size.rows) &&
      (size.cols !== terminal.cols || size.rows !== terminal.rows)
    ) {
      terminal.resize(Math.max(2, size.cols), Math.max(1, size.rows));
    }
  }

  /** Copy, paste and search keys; everything else goes to the terminal. */
  #onKey(terminal: Terminal, event: KeyboardEvent): boolean {
    if (event.type !== 'keydown' || event.altKey || event.metaKey || !event.ctrlKey) return true;
    const key = event.key.toLowerCase();
    if (event.shiftKey) {
      if (key === 'f') this.openSearch();
      else if (key === 'c') void this.#copy(terminal);
      else if (key === 'v') void this.#paste(terminal);
      else return true;
      event.preventDefault();
      return false;
    }
    if (key === 'c' && terminal.hasSelection()) {
      event.preventDefault();
      void this.#copy(terminal);
      return false;
    }
    // Let the browser turn Ctrl+V into a paste event, which xterm.js handles (bracketed paste included).
    if (key === 'v') return false;
    return true;
  }

  async #copy(terminal: Terminal): Promise<void> {
    const text = terminal.getSelection();
    if (!text) return;
    await navigator.clipboard
      .writeText(text)
      .catch((error: unknown) => console.warn('Terminal: copy failed', error));
    terminal.clearSelection();
  }

  async #paste(terminal: Terminal): Promise<void> {
    const text = await navigator.clipboard.readText().catch((error: unknown) => {
      console.warn('Terminal: paste failed', error);
      return '';
    });
    if (text) terminal.paste(text);
  }

  #dispose(): void {
    cancelAnimationFrame(this.#frame);
    for (const dispose of this.#disposers.splice(0).reverse()) dispose();
    this.#ready.set(undefined);
  }
}
