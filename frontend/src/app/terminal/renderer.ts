import type { Terminal } from '@xterm/xterm';

export type RendererKind = 'webgl' | 'dom';

/**
 * Puts `terminal` on the WebGL renderer where the browser can, else leaves it
 * on xterm.js's DOM renderer: when WebGL is unavailable (creating the renderer
 * throws) and when its GPU context is lost later (a driver reset, or too many
 * contexts in one page). The addon is loaded on demand: it is a quarter of a
 * megabyte the first paint does not need.
 *
 * @returns the function that detaches the WebGL renderer (safe to call at any time)
 */
export function useBestRenderer(
  terminal: Terminal,
  onChange: (kind: RendererKind) => void,
): () => void {
  let disposed = false;
  let addonDispose: (() => void) | undefined;
  import('@xterm/addon-webgl')
    .then(({ WebglAddon }) => {
      if (disposed) return;
      const addon = new WebglAddon();
      try {
        terminal.loadAddon(addon);
      } catch (error) {
        addon.dispose();
        console.info('Terminal: WebGL is unavailable, using the DOM renderer.', error);
        onChange('dom');
        return;
      }
      addon.onContextLoss(() => {
        addon.dispose();
        addonDispose = undefined;
        console.info('Terminal: the WebGL context was lost, using the DOM renderer.');
        onChange('dom');
      });
      addonDispose = () => addon.dispose();
      onChange('webgl');
    })
    .catch((error: unknown) => {
      console.warn('Terminal: could not load the WebGL renderer, using the DOM renderer.', error);
      onChange('dom');
    });
  return () => {
    disposed = true;
    addonDispose?.();
    addonDispose = undefined;
  };
}
