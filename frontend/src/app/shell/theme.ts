import { DOCUMENT, inject, Injectable, signal } from '@angular/core';

export type ThemeMode = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'troika.theme';
const ORDER: readonly ThemeMode[] = ['system', 'light', 'dark'];

/**
 * Light, dark, or the OS's choice (the default). The Material theme uses
 * `light-dark()`, so a class that pins `color-scheme` on <html> is all a
 * choice takes (see styles.scss).
 */
@Injectable({ providedIn: 'root' })
export class Theme {
  readonly #document = inject(DOCUMENT);
  readonly #mode = signal<ThemeMode>(this.#stored());
  readonly mode = this.#mode.asReadonly();

  constructor() {
    this.#apply(this.#mode());
  }

  /** System → light → dark → system. */
  cycle(): void {
    this.set(ORDER[(ORDER.indexOf(this.#mode()) + 1) % ORDER.length] as ThemeMode);
  }

  set(mode: ThemeMode): void {
    this.#mode.set(mode);
    this.#apply(mode);
    try {
      localStorage.setItem(STORAGE_KEY, mode);
    } catch {
      // Storage may be off (private mode); the choice holds for this page.
    }
  }

  #apply(mode: ThemeMode): void {
    const root = this.#document.documentElement;
    root.classList.toggle('theme-light', mode === 'light');
    root.classList.toggle('theme-dark', mode === 'dark');
  }

  #stored(): ThemeMode {
    try {
      const value = localStorage.getItem(STORAGE_KEY);
      return value === 'light' || value === 'dark' ? value : 'system';
    } catch {
      return 'system';
    }
  }
}
