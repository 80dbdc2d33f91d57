/**
 * Web mode: serves the built app and the protocol on 127.0.0.1 only, behind
 * {@link AccessPolicy}. The same backend the desktop app hosts.
 *
 * The app talks over a downlink (a streamed response) and an uplink
 * WebSocket (see downlink.ts). A WebSocket opened without a downlink carries
 * the whole protocol as JSON both ways, for scripts and tests.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ProtocolEndpoint } from '../bus/endpoint.ts';
import { AccessPolicy } from './access.ts';
import { Connection } from './connection.ts';
import { DOWNLINK_PATH, Downlinks, receiveFrom, UPLINK_PARAM } from './downlink.ts';
import {
  answerClientError,
  answerRaw,
  guardRequests,
  guardUpgrades,
  requestUrl,
} from './guards.ts';
import { serveStatic } from './static-files.ts';

/** The WebSocket path of the protocol endpoint. */
export const PROTOCOL_PATH = '/ws';
/**
 * Frames above this are dropped by ws with close code 1009. It is larger than
 * the protocol's own limit so a merely oversized message still gets an error
 * reply and the connection lives on.
 */
const WS_MAX_FRAME_BYTES = 8 * 1024 * 1024;

export interface WebServerOptions {
  backend: ProtocolEndpoint;
  /** Folder of the built Angular app (index.html and bundles). */
  staticRoot: string;
  port: number;
  token?: string | undefined;
  log?: (message: string) => void;
}

export interface WebServer {
  readonly port: number;
  readonly token: string;
  /** The URL to open: it carries the token. */
  readonly url: string;
  close(): Promise<void>;
}

function securityHeaders(port: number): Record<string, string> {
  const self = `http://127.0.0.1:${port} http://localhost:${port}`;
  return {
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      // Angular injects component styles as <style> elements.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      `connect-src 'self' ${self.replaceAll('http://', 'ws://')}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { backend, staticRoot, log } = options;
  const token = options.token ?? randomBytes(32).toString('base64url');
  const sockets = new Set<Socket>();
  const connections = new Set<Connection>();
  const downlinks = new Downlinks(backend, log);
  // Known only once the server listens (the port may be chosen by the OS).
  const ready: { policy?: AccessPolicy; headers: Record<string, string> } = { headers: {} };

  const http: Server = createServer(
    guardRequests((request, response) => {
      const { policy, headers } = ready;
      if (!policy) return void response.writeHead(503).end();
      const verdict = policy.checkHttp(request);
      if (!verdict.ok) {
        response
          .writeHead(verdict.status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' })
          .end(verdict.reason);
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, headers).end();
        return;
      }
      const url = requestUrl(request);
      if (!url) {
        response.writeHead(400, headers).end('Bad request URL');
        return;
      }
      if (url.searchParams.has('token')) {
        // Trade the token in the URL for a cookie and drop it from the address bar and history.
        url.searchParams.delete('token');
        const cookie = `${policy.cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`;
        response
          .writeHead(302, { ...headers, 'Set-Cookie': cookie, Location: sameSiteLocation(url) })
          .end();
        return;
      }
      if (url.pathname === DOWNLINK_PATH) {
        const access = policy.checkDownlink(request);
        if (access.ok) downlinks.open(response, headers);
        else response.writeHead(access.status, headers).end(access.reason);
        return;
      }
      return serveStatic(staticRoot, url.pathname, response, headers);
    }, log),
  );
  // A request Node's parser cannot read: answer it alone, never the process.
  http.on('clientError', answerClientError);

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: WS_MAX_FRAME_BYTES,
  });
  http.on(
    'upgrade',
    guardUpgrades((request: IncomingMessage, socket: Socket, head: Buffer) => {
      const url = requestUrl(request);
      const verdict = ready.policy?.checkUpgrade(request) ?? {
        ok: false as const,
        status: 403 as const,
        reason: 'Not ready',
      };
      if (!verdict.ok) return answerRaw(socket, verdict.status, verdict.reason);
      if (!url) return answerRaw(socket, 400, 'Bad request URL');
      const uplinkOf = url.searchParams.get(UPLINK_PARAM);
      const found =
        url.pathname === PROTOCOL_PATH && (uplinkOf === null || downlinks.awaitsUplink(uplinkOf));
      if (!found) return answerRaw(socket, 404, 'Not found');
      wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
        if (uplinkOf !== null) return downlinks.attachUplink(uplinkOf, ws);
        const connection = new Connection({
          router: backend.router,
          events: backend.events,
          send: (message) => {
            if (ws.readyState === ws.OPEN) ws.send(message);
          },
          ...(log ? { log } : {}),
        });
        connections.add(connection);
        ws.on('error', (error) => log?.(`websocket error: ${error.message}`));
        receiveFrom(ws, connection, log);
        ws.on('close', () => {
          connection.close();
          connections.delete(connection);
        });
      });
    }, log),
  );
  http.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  ready.policy = new AccessPolicy(token, port);
  ready.headers = securityHeaders(port);

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    async close() {
      for (const connection of connections) connection.close();
      downlinks.closeAll();
      for (const client of wss.clients) client.terminate();
      wss.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/**
 * Where the token trade sends the browser back to: the same path on this
 * server. Leading slashes are collapsed because a Location of `//host/...` is
 * protocol-relative and would send the browser (cookie freshly set) off-site.
 */
export function sameSiteLocation(url: URL): string {
  return '/' + url.pathname.replace(/^\/+/, '') + url.search;
}
