/**
 * The browser globals the benchmark's in-page functions use, typed just
 * enough: the Node type-check has no DOM library. Page functions cast
 * `globalThis` to {@link PageGlobals}; the cast is erased, so what runs in the
 * page is plain `globalThis`.
 */

export interface PageElement {
  readonly textContent: string | null;
  readonly children: Iterable<PageElement>;
  readonly style: Record<string, string>;
  append(child: PageElement): void;
  remove(): void;
}

export interface PageMessageEvent {
  readonly data: unknown;
}

export interface PageWebSocket {
  onopen: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: PageMessageEvent) => void) | null;
  addEventListener(type: 'message', listener: (event: PageMessageEvent) => void): void;
  send(data: string): void;
  close(): void;
}

export type PageWebSocketClass = new (url: string, protocols?: string | string[]) => PageWebSocket;

export interface PageTerminal {
  open(element: PageElement): void;
  loadAddon(addon: object): void;
  readonly unicode: { activeVersion: string };
  write(data: string, callback?: () => void): void;
  dispose(): void;
}

export interface PageGlobals {
  document: {
    querySelector(selector: string): PageElement | null;
    createElement(tag: string): PageElement;
    body: PageElement;
    addEventListener(type: 'keydown', listener: () => void, capture: boolean): void;
  };
  location: { host: string };
  WebSocket: PageWebSocketClass;
  fetch(url: string): Promise<{
    body: {
      getReader(): {
        read(): Promise<{ done: boolean; value: Uint8Array }>;
        cancel(): Promise<void>;
      };
    };
  }>;
  TextDecoder: new () => { decode(bytes: Uint8Array): string };
  requestAnimationFrame(callback: () => void): number;
  /** xterm.js's UMD build, once its script is added to the page. */
  Terminal: new (options: object) => PageTerminal;
  /** The unicode11 addon's UMD build. */
  Unicode11Addon: { Unicode11Addon: new () => object };
  MutationObserver: new (callback: () => void) => {
    observe(target: unknown, options: object): void;
    disconnect(): void;
  };
  /** The direct run's terminal, kept across rounds (see xtermDirect). */
  __direct?: { host: PageElement; terminal: PageTerminal };
  /** The benchmark's probe (see installProbes). */
  __probe: {
    samples: number[];
    since: number;
    /** Resolves with the time of the frame the armed marker showed in. */
    done: Promise<number> | undefined;
    /** Starts watching the terminal's rows for repaints (once they exist). */
    watch: () => void;
    /** Stops watching for repaints. */
    unwatch: () => void;
    /** Starts looking for `marker` on screen, each frame. */
    arm: (marker: string) => void;
  };
}
