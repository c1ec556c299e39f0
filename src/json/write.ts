/**
 * JSON text as psoxy's Jackson writes it: compact, keys in input order (json.ts KEY_ORDER),
 * non-ASCII raw, control characters as `\uXXXX` with upper-case hex, and lone surrogates as `?`
 * (Java's UTF-8 encoder writes them so in the response bytes).
 */
import { hasKeyOrder, isJsonObject, orderedKeys, type JsonValue } from './json.ts';

// Escapes JSON.stringify writes differently from Jackson; `\\` pairs are matched so that an escaped
// backslash followed by `u` is never mistaken for an escape.
const JS_ONLY_ESCAPE = /\\(?:u(00[01][0-9a-f]|d[89a-f][0-9a-f]{2})|\\)/g;

function jacksonEscapes(json: string): string {
  if (!json.includes('\\u')) return json;
  return json.replace(JS_ONLY_ESCAPE, (escape: string, hex: string | undefined) => {
    if (hex === undefined) return escape;
    return hex.startsWith('00') ? '\\u' + hex.toUpperCase() : '?';
  });
}

/** Recursive writer for documents with objects whose key order JSON.stringify would not keep. */
function inKeyOrder(v: JsonValue): string {
  if (Array.isArray(v)) return '[' + v.map(inKeyOrder).join(',') + ']';
  if (!isJsonObject(v)) return JSON.stringify(v);
  return '{' + orderedKeys(v).map((k) => JSON.stringify(k) + ':' + inKeyOrder(v[k])).join(',') + '}';
}

export function writeJson(v: JsonValue): string {
  return jacksonEscapes(hasKeyOrder(v) ? inKeyOrder(v) : JSON.stringify(v));
}
