/** Cache keys: a tool name plus its input in a canonical form. */
import { createHash } from 'node:crypto';
import { KEY_INLINE_MAX_CHARS } from './limits.ts';

/**
 * JSON with object keys sorted at every level, so inputs that differ only in
 * key order give the same string. Follows `JSON.stringify` otherwise:
 * `toJSON` is honoured, `undefined`, functions and symbols are dropped from
 * objects (and become `null` in arrays), non-finite numbers become `null`.
 * Throws on a cycle or a BigInt, as JSON does.
 */
export function stableStringify(value: unknown): string {
  return encode(value, new Set()) ?? 'null';
}

function encode(value: unknown, ancestors: Set<object>): string | undefined {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('cannot key a BigInt');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  const object = value as object;
  if (ancestors.has(object)) throw new TypeError('cannot key a cyclic value');
  ancestors.add(object);
  let out: string;
  if (Array.isArray(object)) {
    out = '[' + object.map((item: unknown) => encode(item, ancestors) ?? 'null').join(',') + ']';
  } else {
    const record = object as Record<string, unknown>;
    const parts: string[] = [];
    for (const name of Object.keys(record).sort()) {
      const encoded = encode(record[name], ancestors);
      if (encoded !== undefined) parts.push(JSON.stringify(name) + ':' + encoded);
    }
    out = '{' + parts.join(',') + '}';
  }
  ancestors.delete(object);
  return out;
}

/**
 * The cache key of a tool call: `tool:stable-json(input)`. Inputs longer than
 * {@link KEY_INLINE_MAX_CHARS} are replaced by their SHA-256, which keeps keys
 * and indexes small without letting two inputs share a key.
 */
export function cacheKey(toolName: string, input: unknown): string {
  const json = stableStringify(input);
  if (json.length <= KEY_INLINE_MAX_CHARS) return toolName + ':' + json;
  return toolName + ':sha256:' + createHash('sha256').update(json).digest('hex');
}
