/** Serves the built Angular app; unknown paths without an extension get index.html (client routes). */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export async function serveStatic(
  root: string,
  urlPath: string,
  response: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  const decoded = safeDecode(urlPath);
  const relative = normalize(decoded ?? '/').replace(/^([/\\])+/, '');
  let file = join(root, relative);
  if (decoded === undefined || (file !== root && !file.startsWith(root + sep))) {
    response.writeHead(400, headers).end('Bad path');
    return;
  }
  let info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => undefined);
  }
  if (!info && extname(relative) === '') {
    file = join(root, 'index.html');
    info = await stat(file).catch(() => undefined);
  }
  if (!info?.isFile()) {
    response.writeHead(404, headers).end('Not found');
    return;
  }
  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  // index.html must never be cached: it names the hashed bundles of this build.
  const cache = file.endsWith('index.html') ? 'no-store' : 'private, max-age=31536000, immutable';
  response.writeHead(200, {
    ...headers,
    'Content-Type': type,
    'Content-Length': info.size,
    'Cache-Control': cache,
  });
  // pipeline, not pipe: a read error (the file went away, or is unreadable) would otherwise
  // be an 'error' event with no listener, which ends the process. A client
  // that leaves mid-file is no failure.
  await pipeline(createReadStream(file), response).catch((error: unknown) => {
    if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
  });
}

function safeDecode(path: string): string | undefined {
  try {
    const decoded = decodeURIComponent(path);
    return decoded.includes('\0') ? undefined : decoded;
  } catch {
    return undefined;
  }
}
