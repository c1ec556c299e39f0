/**
 * JSON values as the sanitizer sees them, with Jackson's number and key-order fidelity.
 *
 * psoxy parses with Jackson: integers keep every digit (int/long/BigInteger) and numbers written
 * with a fraction or exponent become Java doubles printed by `Double.toString` (`1e3` → `1000.0`).
 * That text is also what gets hashed when a number is pseudonymized. We keep `JSON.parse` as the
 * fast path (every JS `number` in a document is then a safe integer) and, only when the raw text
 * may hold a number JS would print differently, re-parse with source access and keep such numbers
 * as `JSON.rawJSON` values carrying Java's text. Key order: see KEY_ORDER below.
 */
import { javaDoubleToString } from '../java/double-to-string.ts';

export { javaDoubleToString };

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

// A number in value position (after `:`, `,` or `[`; or first in the text) with a fraction, an
// exponent or 16+ digits. Strings can only cause false positives (then the exact path is just
// slower), never misses. Two tests: an alternation with `^` would slow the scan of every body.
const MAY_NEED_FIDELITY = /[:,[]\s*-?\d+(?:[.eE]|\d{15})/;
const STARTS_WITH_NUMBER = /^\s*-?\d/;

// A key that is an array index, which JS enumerates before every other key: an object holding one
// may have been written in an order a plain object cannot keep.
const MAY_HAVE_INDEX_KEY = /"(?:0|[1-9]\d{0,9})"\s*:/;

/**
 * The number Jackson reads from `source`: doubles carry Java's text, integers every digit. A double
 * out of range (`1e400`) Jackson reads as Infinity; we refuse the body instead (no JSON can hold it).
 */
function numberFromSource(source: string, value: number): JsonNumber {
  if (/[.eE]/.test(source)) {
    if (!Number.isFinite(value)) throw new SyntaxError('number outside the range of a double');
    return J.rawJSON(javaDoubleToString(value));
  }
  return Number.isSafeInteger(value) ? value : J.rawJSON(BigInt(source).toString());
}

function reviveNumber(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value !== 'number' || context?.source === undefined) return value;
  return numberFromSource(context.source, value);
}

/** Parses one JSON text (throws SyntaxError on invalid JSON). */
export function parseJson(text: string): JsonValue {
  if (MAY_HAVE_INDEX_KEY.test(text)) return parseInKeyOrder(text);
  if (!MAY_NEED_FIDELITY.test(text) && !STARTS_WITH_NUMBER.test(text)) return JSON.parse(text) as JsonValue;
  return JSON.parse(text, reviveNumber as (k: string, v: unknown) => unknown) as JsonValue;
}

/**
 * Key order. Jackson keeps an object's keys in input order; a JS object enumerates array-index keys
 * (`"10"`) first. Objects stay plain; only one whose input order differs from its JS order carries
 * that order under a symbol (invisible to JSON.stringify), and its root is marked so the writer
 * knows to honour it. Keys added later come last, deleted ones are skipped.
 */
export const KEY_ORDER = Symbol('input key order');
/** On a document's root: some object inside carries KEY_ORDER (a symbol lookup, cheaper than a WeakSet per object). */
const HAS_KEY_ORDER = Symbol('has input key order');
type Ordered = { [KEY_ORDER]?: string[]; [HAS_KEY_ORDER]?: true };

/** True when some object inside `root` has a key order its JS enumeration does not give. */
export function hasKeyOrder(root: JsonValue): boolean {
  return typeof root === 'object' && root !== null && (root as Ordered)[HAS_KEY_ORDER] === true;
}

/** Gives `copy`, a filtered copy of `source`, the key order `source` was read in. */
export function keepKeyOrder(source: object, copy: object): void {
  const order = (source as Ordered)[KEY_ORDER];
  if (order) (copy as Ordered)[KEY_ORDER] = order;
  if ((source as Ordered)[HAS_KEY_ORDER]) (copy as Ordered)[HAS_KEY_ORDER] = true;
}

/** An object's keys in Jackson's order, without deleted ones (marked undefined: jsonpath/evaluate.ts). */
export function orderedKeys(o: JsonObject): string[] {
  const keys = Object.keys(o);
  const order = (o as Ordered)[KEY_ORDER];
  if (order) {
    const known = new Set(order);
    return [...order.filter((k) => o[k] !== undefined && Object.hasOwn(o, k)), ...keys.filter((k) => !known.has(k) && o[k] !== undefined)];
  }
  for (const k of keys) if (o[k] === undefined) return keys.filter((x) => o[x] !== undefined);
  return keys;
}

/** Reads well-formed JSON (JSON.parse has checked it) keeping each object's input key order. */
class KeyOrderReader {
  private pos = 0;
  private readonly text: string;
  reordered = false;

  constructor(text: string) {
    this.text = text;
  }

  value(): JsonValue {
    this.skipSpace();
    switch (this.text.charCodeAt(this.pos)) {
      case 0x7b: return this.object();
      case 0x5b: return this.array();
      case 0x22: return this.string();
      case 0x74: this.pos += 4; return true;
      case 0x66: this.pos += 5; return false;
      case 0x6e: this.pos += 4; return null;
      default: return this.number();
    }
  }

  private object(): JsonObject {
    const obj: JsonObject = {};
    const order: string[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return obj;
    }
    do {
      this.skipSpace();
      const key = this.string();
      this.skipSpace();
      this.pos++; // ':'
      const v = this.value();
      // A repeated key keeps its first place and its last value, in Jackson as in JSON.parse.
      if (!Object.hasOwn(obj, key)) order.push(key);
      setOwn(obj, key, v);
      this.skipSpace();
    } while (this.text[this.pos++] === ',');
    if (Object.keys(obj).some((k, i) => k !== order[i])) {
      (obj as Ordered)[KEY_ORDER] = order;
      this.reordered = true;
    }
    return obj;
  }

  private array(): JsonValue[] {
    const arr: JsonValue[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return arr;
    }
    do {
      arr.push(this.value());
      this.skipSpace();
    } while (this.text[this.pos++] === ',');
    return arr;
  }

  private string(): string {
    const start = ++this.pos;
    let escaped = false;
    for (let c = this.text.charCodeAt(this.pos); c !== 0x22; c = this.text.charCodeAt(this.pos)) {
      if (c === 0x5c) {
        escaped = true;
        this.pos++;
      }
      this.pos++;
    }
    const raw = this.text.slice(start, this.pos++);
    return escaped ? (JSON.parse('"' + raw + '"') as string) : raw;
  }

  private number(): JsonNumber {
    const start = this.pos;
    while (/[-+.\deE]/.test(this.text[this.pos] ?? '')) this.pos++;
    const source = this.text.slice(start, this.pos);
    return numberFromSource(source, Number(source));
  }

  private skipSpace(): void {
    let c = this.text.charCodeAt(this.pos);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = this.text.charCodeAt(++this.pos);
  }
}

function parseInKeyOrder(text: string): JsonValue {
  JSON.parse(text); // the syntax check, with JSON.parse's errors
  const reader = new KeyOrderReader(text);
  const value = reader.value();
  if (reader.reordered) (value as Ordered)[HAS_KEY_ORDER] = true;
  return value;
}

/**
 * `JSON.parse` alone: no scan for numbers or keys needing fidelity. Only for a reader that keeps
 * nothing where that fidelity shows (see ResponseSchemaFilter.keepsOnlyPlainValues) and throws
 * PlainParseInsufficient on a number it cannot read exactly, so the caller parses again exactly.
 */
export const parsePlainJson = (text: string): JsonValue => JSON.parse(text) as JsonValue;

/** A value read by parsePlainJson needs parseJson: an integer beyond 2^53 or a number beyond doubles. */
export class PlainParseInsufficient extends Error {}

/**
 * Parses a stream of JSON values (NDJSON or concatenated values), as Jackson's
 * `readValues` does for a response body. Whitespace-only input gives no values.
 */
export function parseJsonStream(text: string, parse: (text: string) => JsonValue = parseJson): JsonValue[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    return [parse(trimmed)];
  } catch (first) {
    const values: JsonValue[] = [];
    let start = 0;
    for (const end of topLevelValueEnds(trimmed)) {
      values.push(parse(trimmed.slice(start, end)));
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
