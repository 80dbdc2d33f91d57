/**
 * Identifiers in the shapes the API uses: `msg_…`, `toolu_…`, `req_…`.
 * The docs say their format may change, so nothing should parse them.
 */
import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Real ids look like `msg_01XFDUDYJgAACzvnptvVoYEL`: "01" then 22 base62 characters. */
const RANDOM_CHARS = 22;

function randomBase62(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += BASE62[byte % BASE62.length];
  return out;
}

export function newMessageId(): string {
  return `msg_01${randomBase62(RANDOM_CHARS)}`;
}

export function newToolUseId(): string {
  return `toolu_01${randomBase62(RANDOM_CHARS)}`;
}

export function newRequestId(): string {
  return `req_01${randomBase62(RANDOM_CHARS)}`;
}
