/**
 * JSON values as the sanitizer sees them, with Jackson's number fidelity.
 *
 * psoxy parses with Jackson: integers keep every digit (int/long/BigInteger) and numbers written
 * with a fraction or exponent become Java doubles printed by `Double.toString` (`1e3` → `1000.0`).
 * That text is also what gets hashed when a number is pseudonymized. We keep `JSON.parse` as the
 * fast path (every JS `number` in a document is then a safe integer) and, only when the raw text
 * may hold a number JS would print differently, re-parse with source access and keep such numbers
 * as `JSON.rawJSON` values carrying Java's text.
 */

/** A `JSON.rawJSON` number; the phantom member keeps it distinct from JsonObject for the type checker. */
export type RawJson = { readonly rawJSON: string; readonly __notAnObject?: () => never };
export type JsonNumber = number | RawJson;
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

type JsonWithRaw = typeof JSON & {
  rawJSON(text: string): RawJson;
  isRawJSON(value: unknown): value is RawJson;
};
const J = JSON as JsonWithRaw;

export const isRawJson = (v: unknown): v is RawJson => J.isRawJSON(v);

export function isJsonNumber(v: unknown): v is JsonNumber {
  return typeof v === 'number' || J.isRawJSON(v);
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !J.isRawJSON(v);
}

/** The text Java would print for this number (and hash when pseudonymizing it). */
export function numberText(v: JsonNumber): string {
  return typeof v === 'number' ? String(v) : v.rawJSON;
}

export function numberValue(v: JsonNumber): number {
  return typeof v === 'number' ? v : Number(v.rawJSON);
}

/** True when the number was written as a Java double (fraction or exponent). */
export function isDoubleNumber(v: JsonNumber): boolean {
  return typeof v !== 'number' && /[.eE]/.test(v.rawJSON);
}

export function rawNumber(text: string): RawJson {
  return J.rawJSON(text);
}

/** Java's `Double.toString` for a finite double (Java 19+: shortest round-trip digits). */
export function javaDoubleToString(d: number): string {
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : s + '.0';
  }
  const [mantissa, exp] = d.toExponential().split('e');
  const m = mantissa.includes('.') ? mantissa : mantissa + '.0';
  return m + 'E' + (exp.startsWith('+') ? exp.slice(1) : exp);
}

// A number in value position (after `:`, `,` or `[`) with a fraction, an exponent or 16+ digits.
// Strings can only cause false positives (then the exact path is just slower), never misses.
const MAY_NEED_FIDELITY = /[:,[]\s*-?\d+(?:[.eE]|\d{15})/;

function reviveNumber(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value !== 'number' || context?.source === undefined) return value;
  const source = context.source;
  if (/[.eE]/.test(source)) return J.rawJSON(javaDoubleToString(value));
  if (Number.isSafeInteger(value)) return value;
  return J.rawJSON(BigInt(source).toString());
}

/** Parses one JSON text (throws SyntaxError on invalid JSON). */
export function parseJson(text: string): JsonValue {
  if (!MAY_NEED_FIDELITY.test(text)) return JSON.parse(text) as JsonValue;
  return JSON.parse(text, reviveNumber as (k: string, v: unknown) => unknown) as JsonValue;
}

/**
 * Parses a stream of JSON values (NDJSON or concatenated values), as Jackson's
 * `readValues` does for a response body. Whitespace-only input gives no values.
 */
export function parseJsonStream(text: string): JsonValue[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    return [parseJson(trimmed)];
  } catch (first) {
    const values: JsonValue[] = [];
    let start = 0;
    for (const end of topLevelValueEnds(trimmed)) {
      values.push(parseJson(trimmed.slice(start, end)));
      start = end;
    }
    if (values.length <= 1 || trimmed.slice(start).trim() !== '') throw first;
    return values;
  }
}

/** Offsets just past each top-level JSON value in a concatenation of values. */
function* topLevelValueEnds(text: string): Generator<number> {
  let depth = 0;
  let inString = false;
  let inScalar = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (depth === 0) yield i + 1;
      }
      continue;
    }
    const ws = c === ' ' || c === '\n' || c === '\r' || c === '\t';
    if (inScalar) {
      if (ws || c === '{' || c === '[' || c === '"') {
        inScalar = false;
        yield i;
      } else continue;
    }
    if (ws) continue;
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) yield i + 1;
    } else if (depth === 0) inScalar = true;
  }
  if (inScalar) yield text.length;
}

/**
 * Sets an own property, even for the key `__proto__` (which JSON.parse creates as an own
 * property but plain assignment would treat as the prototype setter, leaving the raw value).
 */
export function setOwn(obj: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}
