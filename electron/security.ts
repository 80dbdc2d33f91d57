/**
 * The desktop app's security rules as plain functions, so Node tests reach
 * them without a display: which frame may talk to the backend, which URLs may
 * open outside, the Content-Security-Policy, and how app:// URLs map to files.
 */
import { normalize, join, sep } from 'node:path';

/** The app is served from this custom scheme, never from a remote URL. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'troika';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** IPC channel of the protocol transport (the only one). Mirrored in preload.cts, which cannot import. */
export const PROTOCOL_CHANNEL = 'troika:protocol';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Angular injects component styles as <style> elements.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Only the app's own top-level frame may send protocol messages. */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  if (!frameUrl || !isMainFrame) return false;
  try {
    const url = new URL(frameUrl);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Links the user clicked may open in the default browser only when they are http(s). */
export function isAllowedExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.username === '' &&
      url.password === ''
    );
  } catch {
    return false;
  }
}

/** Maps an app:// URL to a file under `root`, or undefined when it would escape it or is not ours. */
export function resolveAppFile(root: string, rawUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  const relative = normalize(path).replace(/^([/\\])+/, '') || 'index.html';
  const file = join(root, relative);
  return file.startsWith(root + sep) ? file : undefined;
}
