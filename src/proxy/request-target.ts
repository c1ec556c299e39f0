/**
 * One request target: the bytes the rules are checked against are the bytes sent upstream (apart
 * from whole `p~` tokens replaced by their plaintext, encoded for where they stand). Whatever a URL
 * parser or the source's server would change or read two ways is refused before the rules check.
 */
import { ProxyError } from './errors.ts';
import { replaceTokens } from '../pseudonym/pseudonymizer.ts';

export interface RequestTarget {
  /** Raw path, starting with `/`, still percent-encoded. */
  path: string;
  /** Raw query without `?`; null when absent. */
  query: string | null;
}

const CONTROL = /[\u0000-\u001f\u007f]/;
/** Decoding rounds when looking for hidden dot segments (`%252e%252e` is two rounds deep). */
const DECODE_ROUNDS = 4;

/** Why this target cannot be sent unchanged and unambiguous, or null when it can. */
export function targetProblem(target: RequestTarget): string | null {
  const { path, query } = target;
  const whole = query === null ? path : `${path}?${query}`;
  if (CONTROL.test(whole)) return 'must not contain control characters';
  if (whole.includes('\\')) return 'must not contain backslashes';
  if (whole.includes('#')) return 'must not contain #';
  if (!path.startsWith('/')) return 'path must start with /';
  if (path.includes('//')) return 'path must not contain empty segments (//)';
  for (const segment of path.split('/')) {
    const problem = segmentProblem(segment);
    if (problem !== null) return problem;
  }
  if (!parsesUnchanged(path, query)) return 'must be percent-encoded (spaces, quotes, <>, {}, ^, ` and non-ASCII characters are not allowed raw)';
  return null;
}

/** Throws 400 INVALID_REQUEST naming the problem. */
export function checkTarget(target: RequestTarget, label: string): void {
  const problem = targetProblem(target);
  if (problem !== null) throw new ProxyError(400, 'INVALID_REQUEST', `${label} ${problem}`);
}

const DOT_SEGMENT = "path must not contain '.' or '..' segments (raw or percent-encoded)";
/** Letters, digits and `-._~` never need encoding (RFC 3986 §2.3); encoded, servers differ on them. */
const ENCODED_UNRESERVED = /%(?:[46][1-9a-f]|[57][0-9a]|3[0-9]|2d|2e|5f|7e)/i;

/**
 * What a server could read differently in one path segment, through any number of
 * percent-decodings (`%252e%252e` is two deep): a `.` / `..` piece once split on `/` and `\`
 * (encoded separators some servers decode), cut at `;params` (`..;x`) and NFKC-normalized
 * (fullwidth dots); encoded unreserved characters (`%6Deeting_summary`); encoded control
 * characters; malformed escapes or invalid UTF-8 (overlong `%C0%AE`).
 */
function segmentProblem(segment: string): string | null {
  let s = segment;
  for (let round = 0; round <= DECODE_ROUNDS; round++) {
    if (s.split(/[/\\]/).some((piece) => /^\.{1,2}$/.test(piece.split(';')[0].normalize('NFKC')))) return DOT_SEGMENT;
    if (!s.includes('%')) return null;
    if (ENCODED_UNRESERVED.test(s)) return 'path must not percent-encode letters, digits or -._~';
    let decoded: string;
    try {
      decoded = decodeURIComponent(s);
    } catch {
      return 'path has a malformed percent-encoding or invalid UTF-8';
    }
    if (CONTROL.test(decoded)) return 'path must not contain percent-encoded control characters';
    s = decoded;
  }
  return 'path is percent-encoded too many times';
}

/** Whether a WHATWG URL parser (what fetch uses) keeps path and query byte for byte. */
function parsesUnchanged(path: string, query: string | null): boolean {
  let url: URL;
  try {
    url = new URL(`https://target.invalid${path}${query === null ? '' : `?${query}`}`);
  } catch {
    return false;
  }
  return url.pathname === path && url.search === (query === null || query === '' ? '' : `?${query}`);
}

/** Characters psoxy's upstream client leaves unescaped in a path segment (google-http-client). */
const PATH_SAFE = /[A-Za-z0-9\-_.!~*'()@:$&,;=]/;
/** Unescaped in a query value: nothing that can end the value or the parameter (`&`, `;`, `=`, `+`, `#`). */
const QUERY_SAFE = /[A-Za-z0-9\-_.!~*()@:$,/?]/;

function encodeWith(value: string, safe: RegExp): string {
  let out = '';
  for (const ch of value) out += safe.test(ch) ? ch : encodeURIComponent(ch).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return out;
}

/** Raised when a decrypted value cannot stand where its token stood. */
export class UnplaceableTokenError extends Error {}

/**
 * Replaces each `p~` token by its plaintext, percent-encoded for where it stands, so a value can
 * never add a path segment, a query or a parameter. A plaintext that would turn its segment into
 * `.` / `..`, or lone surrogates that cannot be encoded, raise `UnplaceableTokenError`.
 */
export function reverseTokensInTarget(target: RequestTarget, reverse: (token: string) => string): RequestTarget {
  const place = (text: string, safe: RegExp) => replaceTokens(text, (token) => {
    try {
      return encodeWith(reverse(token), safe);
    } catch (e) {
      if (e instanceof URIError) throw new UnplaceableTokenError('plaintext is not valid Unicode');
      throw e;
    }
  });
  const path = place(target.path, PATH_SAFE);
  const query = target.query === null ? null : place(target.query, QUERY_SAFE);
  if (path !== target.path && targetProblem({ path, query: null }) !== null) throw new UnplaceableTokenError('plaintext cannot stand in a path segment');
  return { path, query };
}

/** A header value with decrypted tokens: no control characters (no header splitting). */
export function checkHeaderValue(value: string): string {
  if (CONTROL.test(value)) throw new UnplaceableTokenError('plaintext cannot stand in a header');
  return value;
}
