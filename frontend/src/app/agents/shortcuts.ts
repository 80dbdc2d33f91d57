import { DOCUMENT, inject, Injectable } from '@angular/core';

/**
 * The console's keyboard shortcuts: Alt+Shift plus one key, matched by
 * physical key (`event.code`) so they work on any layout and on macOS, where
 * Option changes the character typed. Alt+Shift leaves the browser's and the
 * desktop menu's own shortcuts (Ctrl+Shift+…, Alt+letter mnemonics) alone,
 * and the terminal's copy/paste/search (Ctrl+Shift+C/V/F).
 */
export const SHORTCUTS = {
  pause: { code: 'KeyP', key: 'P', label: 'Pause or resume' },
  stop: { code: 'KeyX', key: 'X', label: 'Stop' },
  steer: { code: 'KeyS', key: 'S', label: 'Write a steering message' },
  approve: { code: 'KeyA', key: 'A', label: 'Approve' },
  deny: { code: 'KeyD', key: 'D', label: 'Deny' },
  answer: { code: 'KeyQ', key: 'Q', label: 'Answer the question' },
  focus: { code: 'KeyF', key: 'F', label: 'Fill the window' },
  changes: { code: 'KeyC', key: 'C', label: 'Changes' },
  newAgent: { code: 'KeyN', key: 'N', label: 'New agent' },
  history: { code: 'KeyH', key: 'H', label: 'History' },
  settings: { code: 'KeyK', key: 'K', label: 'Settings' },
  panel1: { code: 'Digit1', key: '1', label: 'Go to agent 1' },
  panel2: { code: 'Digit2', key: '2', label: 'Go to agent 2' },
  panel3: { code: 'Digit3', key: '3', label: 'Go to agent 3' },
} as const;

export type ShortcutId = keyof typeof SHORTCUTS;

const BY_CODE = new Map(
  Object.entries(SHORTCUTS).map(([id, s]) => [s.code as string, id as ShortcutId]),
);

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** For tooltips: "Alt+Shift+P", or "⌥⇧P" on a Mac. */
export function shortcutKeys(id: ShortcutId): string {
  return isMac ? `⌥⇧${SHORTCUTS[id].key}` : `Alt+Shift+${SHORTCUTS[id].key}`;
}

/** For `aria-keyshortcuts`. */
export function ariaShortcut(id: ShortcutId): string {
  return `Alt+Shift+${SHORTCUTS[id].key}`;
}

/** "Pause (Alt+Shift+P)". */
export function withShortcut(label: string, id: ShortcutId): string {
  return `${label} (${shortcutKeys(id)})`;
}

/** Routes the shortcuts to one handler (the console), ahead of the terminal and text fields. */
@Injectable({ providedIn: 'root' })
export class Shortcuts {
  #handler: ((id: ShortcutId) => boolean) | undefined;

  constructor() {
    // Capture phase: xterm.js would otherwise take the keys of a focused terminal.
    inject(DOCUMENT).addEventListener('keydown', (event) => this.#onKey(event), { capture: true });
  }

  /** The handler returns whether it acted (then the key goes no further). */
  setHandler(handler: ((id: ShortcutId) => boolean) | undefined): void {
    this.#handler = handler;
  }

  #onKey(event: KeyboardEvent): void {
    if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey || event.repeat) return;
    const id = BY_CODE.get(event.code);
    if (!id || !this.#handler?.(id)) return;
    event.preventDefault();
    event.stopPropagation();
  }
}
