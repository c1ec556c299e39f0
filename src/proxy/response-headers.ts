/**
 * The source's response headers a caller may see (psoxy's pass-through list), each checked
 * before it passes: printable ASCII, bounded, in its header's grammar, and free of personal data
 * (the leak guard). A header that fails is dropped, never repaired.
 */
import { scanForLeaks } from '../guard/leak-guard.ts';

const TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";
const HTTP_DATE = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const LINK_VALUE = new RegExp(`^<[^<>\\s]*>(?:\\s*;\\s*${TOKEN}(?:=(?:${TOKEN}|"[^"]*"))?)*$`);

/** Each pass-through header's grammar. */
const GRAMMAR: Record<string, (v: string) => boolean> = {
  'content-type': (v) => new RegExp(`^${TOKEN}/${TOKEN}(?:\\s*;\\s*${TOKEN}=(?:${TOKEN}|"[^"]*"))*$`).test(v),
  'cache-control': (v) => new RegExp(`^${TOKEN}(?:=(?:${TOKEN}|"[^"]*"))?(?:\\s*,\\s*${TOKEN}(?:=(?:${TOKEN}|"[^"]*"))?)*$`).test(v),
  etag: (v) => /^(?:W\/)?"[\x21\x23-\x7e]*"$/.test(v),
  link: (v) => v.split(/,(?=\s*<)/).every((part) => LINK_VALUE.test(part.trim())),
  expires: (v) => HTTP_DATE.test(v) || /^-?\d{1,10}$/.test(v),
  'last-modified': (v) => HTTP_DATE.test(v),
  'retry-after': (v) => HTTP_DATE.test(v) || /^\d{1,10}$/.test(v),
};
const RATE_LIMIT_VALUE = /^[A-Za-z0-9 .,;:=/_-]{1,256}$/;
const MAX_VALUE_LENGTH = 2048;

export function isPassThroughHeader(name: string): boolean {
  return Object.hasOwn(GRAMMAR, name) || name.startsWith('x-ratelimit');
}

/** Why a pass-through header's value is refused, or null when it may pass. */
export function headerProblem(name: string, value: string): string | null {
  if (value.length > MAX_VALUE_LENGTH) return 'too long';
  if (!/^[\x20-\x7e]*$/.test(value)) return 'not printable ASCII';
  const grammar = GRAMMAR[name] ?? ((v: string) => RATE_LIMIT_VALUE.test(v));
  if (!grammar(value)) return 'not in the grammar of its header';
  const leaks = scanForLeaks(value);
  if (leaks.email + leaks.phone + leaks.ip > 0) return 'looks like personal data';
  return null;
}

/**
 * The headers that pass, lower-cased; `dropped` hears each refused header's name and reason.
 * `reflects` says whether a value echoes something the caller must not learn (a decrypted token).
 */
export function passThroughHeaders(source: Headers, dropped: (name: string, reason: string) => void, reflects: (value: string) => boolean = () => false): Headers {
  const out = new Headers();
  source.forEach((value, rawName) => {
    const name = rawName.toLowerCase();
    if (!isPassThroughHeader(name)) return;
    const problem = headerProblem(name, value) ?? (reflects(value) ? 'echoes a decrypted token' : null);
    if (problem === null) out.set(name, value);
    else dropped(name, problem);
  });
  return out;
}
