/**
 * Raw request URLs as psoxy reads them: path and query are taken verbatim (no WHATWG
 * re-encoding), query parameters are parsed with Apache `URLEncodedUtils` semantics.
 */

export interface RawUrlParts {
  path: string;
  /** Raw query without `?`; null when the URL has no `?`. */
  query: string | null;
}

export function splitRawUrl(url: string): RawUrlParts {
  let rest = url;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  const path = q >= 0 ? rest.slice(0, q) : rest;
  return { path: path === '' ? '/' : path, query: q >= 0 ? rest.slice(q + 1) : null };
}

/** Percent-decoding with form semantics (`+` → space); malformed escapes are kept literally. */
export function decodeFormComponent(s: string): string {
  if (!s.includes('%') && !s.includes('+')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '+') bytes.push(0x20);
    else if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

export interface QueryParam {
  name: string;
  value: string | null;
}

/**
 * Apache `URLEncodedUtils.parse`: separators `&` and `;`, whitespace trimmed, empty names dropped.
 * `separators` = `&` reads the query as most servers do (`;` inside a value).
 */
export function parseQuery(query: string | null, separators: RegExp = /[&;]/): QueryParam[] {
  if (query === null || query === '') return [];
  const out: QueryParam[] = [];
  for (const part of query.split(separators)) {
    const eq = part.indexOf('=');
    const rawName = (eq >= 0 ? part.slice(0, eq) : part).trim().replace(/\s+/g, ' ');
    if (rawName === '') continue;
    const rawValue = eq >= 0 ? part.slice(eq + 1).trim().replace(/\s+/g, ' ') : null;
    out.push({ name: decodeFormComponent(rawName), value: rawValue === null ? null : decodeFormComponent(rawValue) });
  }
  return out;
}
