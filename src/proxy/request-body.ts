/**
 * Request bodies (api-proxy.md §1.4–1.5): validation against an endpoint's `requestBody` schema
 * (before token reversal, as psoxy does) and reversal of `p~` tokens in JSON / form bodies.
 */
import type { BodySchema, Endpoint } from '../rules/types.ts';
import { compileJavaRegex } from '../regex/java-regex.ts';
import { ProxyError } from './errors.ts';
import { isJsonNumber, parseJson } from '../json/json.ts';

const PSEUDONYM = /p~[a-zA-Z0-9_-]{43,}/;

function normalizeType(contentType: string | null): string {
  const t = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return t === '' ? 'application/json' : t;
}

/** Whether the endpoint's `requestBody` rules allow this body. */
export function requestBodyAllowed(endpoint: Endpoint, contentType: string | null, body: string | null): boolean {
  const rb = endpoint.requestBody;
  if (!rb) return true;
  if (body === null) return !rb.required;
  if (!rb.content) return true;
  const schema = (contentType !== null ? rb.content[contentType] : undefined) ?? rb.content[normalizeType(contentType)];
  // psoxy allows a body of a type the rules give no schema for; then a caller could skip the
  // schema by changing Content-Type. Declared content types are the only ones accepted.
  if (!schema) return false;
  const type = normalizeType(contentType);
  let value: unknown;
  if (type === 'application/json') {
    try {
      value = JSON.parse(body);
    } catch {
      return false;
    }
  } else if (type === 'application/x-www-form-urlencoded') {
    if (schema.type !== 'object') throw new ProxyError(500, 'CONFIGURATION_FAILURE', 'form body schemas must be of type object');
    value = Object.fromEntries(new URLSearchParams(body));
  } else {
    throw new ProxyError(500, 'CONFIGURATION_FAILURE', `no request body validation for content type ${type}`);
  }
  return validate(value, schema);
}

function validate(v: unknown, s: BodySchema): boolean {
  if (s.type !== undefined) {
    const t = Array.isArray(v) ? 'array' : v === null ? 'null' : Number.isInteger(v) ? 'integer' : typeof v;
    const ok = s.type === t || (s.type === 'number' && t === 'integer');
    if (!ok) return false;
  }
  if (s.enumValues && !s.enumValues.some((e) => JSON.stringify(e) === JSON.stringify(v))) return false;
  if (typeof v === 'string') {
    if (s.pattern !== undefined && !compileJavaRegex(s.pattern).test(v)) return false;
    if (s.format === 'pseudonym' && !PSEUDONYM.test(v)) return false;
  }
  if (Array.isArray(v) && s.items) return v.every((x) => validate(x, s.items!));
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (s.required && !s.required.every((k) => Object.hasOwn(o, k))) return false;
    for (const [k, child] of Object.entries(o)) {
      const ps = s.properties?.[k];
      if (ps) { if (!validate(child, ps)) return false; continue; }
      if (s.additionalProperties === false) return false;
      if (typeof s.additionalProperties === 'object' && !validate(child, s.additionalProperties)) return false;
    }
  }
  return true;
}

/** Reverses tokens in every JSON string leaf (keys untouched) or every form value. */
export function reverseTokensInBody(body: string, contentType: string | null, reverse: (s: string) => string): string {
  if (!body.includes('p~')) return body;
  const type = normalizeType(contentType);
  if (type.includes('application/json')) {
    let parsed: unknown;
    try {
      // Big integers and doubles keep their text (JSON.rawJSON), as Jackson would.
      parsed = parseJson(body);
    } catch {
      throw new ProxyError(500, 'CONNECTION_SETUP', 'Failed to parse request; review logs', 'request body is not valid JSON');
    }
    const walk = (x: unknown): unknown =>
      typeof x === 'string' ? reverse(x)
        : Array.isArray(x) ? x.map(walk)
          : x !== null && typeof x === 'object' && !isJsonNumber(x) ? Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)]))
            : x;
    return JSON.stringify(walk(parsed));
  }
  if (type.includes('application/x-www-form-urlencoded')) {
    const params = new URLSearchParams(body);
    const out = new URLSearchParams();
    for (const [k, v] of params) out.append(k, reverse(v));
    return out.toString();
  }
  return body;
}
