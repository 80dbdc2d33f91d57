import type { ITerminalOptions, ITheme } from '@xterm/xterm';
import { SCROLLBACK_LINES } from './constants';

/** A dark theme close to VS Code's default terminal colours; readable in a light or dark app. */
const THEME: ITheme = {
  background: '#1e1e1e',
  foreground: '#cccccc',
  cursor: '#aeafad',
  selectionBackground: '#264f78',
  black: '#000000',
  red: '#cd3131',
  green: '#0dbc79',
  yellow: '#e5e510',
  blue: '#2472c8',
  magenta: '#bc3fbc',
  cyan: '#11a8cd',
  white: '#e5e5e5',
  brightBlack: '#666666',
  brightRed: '#f14c4c',
  brightGreen: '#23d18b',
  brightYellow: '#f5f543',
  brightBlue: '#3b8eea',
  brightMagenta: '#d670d6',
  brightCyan: '#29b8db',
  brightWhite: '#e5e5e5',
};

export const XTERM_OPTIONS: ITerminalOptions = {
  // The unicode11 addon's API is still "proposed" in xterm.js 6.
  allowProposedApi: true,
  scrollback: SCROLLBACK_LINES,
  fontFamily:
    'ui-monospace, "Cascadia Mono", "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace',
  fontSize: 13,
  cursorBlink: true,
  theme: THEME,
};

/** Search highlights; the addon reports result counts only when decorations are on. */
export const SEARCH_DECORATIONS = {
  matchBackground: '#515c6a',
  matchOverviewRuler: '#d186167e',
  activeMatchBackground: '#a0522d',
  activeMatchColorOverviewRuler: '#a0522d',
};
