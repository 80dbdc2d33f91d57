/**
 * Who may talk to web mode: requests must name our own host (blocks DNS
 * rebinding), carry the per-run token (in the URL once, then an HttpOnly
 * cookie), and WebSocket upgrades must come from our own origin (blocks other
 * web pages, which a browser lets open WebSockets anywhere).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { requestUrl } from './guards.ts';

export type AccessVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

export class AccessPolicy {
  readonly #token: Buffer;
  readonly #port: number;

  constructor(token: string, port: number) {
    this.#token = Buffer.from(token);
    this.#port = port;
  }

  /** Per-port, because browsers share cookies across ports of one host. */
  get cookieName(): string {
    return `troika_token_${this.#port}`;
  }

  allowedHosts(): string[] {
    return [`127.0.0.1:${this.#port}`, `localhost:${this.#port}`];
  }

  allowedOrigins(): string[] {
    return this.allowedHosts().map((host) => `http://${host}`);
  }

  tokenMatches(candidate: string | undefined): boolean {
    if (candidate === undefined) return false;
    const given = Buffer.from(candidate);
    return given.length === this.#token.length && timingSafeEqual(given, this.#token);
  }

  /**
   * The tokens a request offers: the query string's, else every value of our
   * cookie. Every value, because a page on another port of this host can
   * plant a cookie of our name (browsers share cookies across ports) with a
   * longer path, which the browser then sends before ours.
   */
  tokensOf(request: IncomingMessage): string[] {
    const fromQuery = requestUrl(request)?.searchParams.get('token');
    if (fromQuery !== null && fromQuery !== undefined) return [fromQuery];
    return readCookies(request.headers.cookie, this.cookieName);
  }

  checkHttp(request: IncomingMessage): AccessVerdict {
    if (!this.allowedHosts().includes(request.headers.host ?? '')) {
      return { ok: false, status: 403, reason: 'Host not allowed' };
    }
    if (!this.tokensOf(request).some((token) => this.tokenMatches(token))) {
      return {
        ok: false,
        status: 401,
        reason: 'Missing or wrong access token: open the URL Troika printed at start-up',
      };
    }
    return { ok: true };
  }

  /**
   * The downlink (a streamed GET): fetched by our own page only. Browsers
   * mark where a request comes from; another site's page is refused even
   * before the cookie (SameSite=Strict) would be.
   */
  checkDownlink(request: IncomingMessage): AccessVerdict {
    const http = this.checkHttp(request);
    if (!http.ok) return http;
    const site = request.headers['sec-fetch-site'];
    const origin = request.headers.origin;
    if (
      (site !== undefined && site !== 'same-origin') ||
      (origin !== undefined && !this.allowedOrigins().includes(origin))
    ) {
      return { ok: false, status: 403, reason: 'Only the Troika page may open the downlink' };
    }
    return { ok: true };
  }

  checkUpgrade(request: IncomingMessage): AccessVerdict {
    const http = this.checkHttp(request);
    if (!http.ok) return http;
    if (!this.allowedOrigins().includes(request.headers.origin ?? '')) {
      return { ok: false, status: 403, reason: 'Origin not allowed' };
    }
    return { ok: true };
  }
}

/**
 * Every value of cookie `name` in a Cookie header, decoded. A value that is
 * not valid percent-encoding (`%E0`) is left out, as if absent: cookies come
 * from the browser's jar, where any page of this host may have put one.
 */
export function readCookies(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || part.slice(0, eq).trim() !== name) continue;
    const value = safeDecodeURIComponent(part.slice(eq + 1).trim());
    if (value !== undefined) values.push(value);
  }
  return values;
}

/** The first well-formed value of cookie `name`, if any (see {@link readCookies}). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  return readCookies(header, name)[0];
}

function safeDecodeURIComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
