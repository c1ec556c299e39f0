/**
 * Outbound leak guard: after a response has been sanitized, look in the outgoing text (the
 * serialized JSON body, or one header value) for personal data that is not in pseudonym form.
 * Pure and synchronous; the caller applies the `LEAK_GUARD` mode (`off | log | redact | block`).
 *
 * What counts as a finding:
 * - **email**: `local@domain.tld`, `local%40domain.tld` or `local%2540domain.tld` (URL-encoded
 *   once or twice). The domain is dotted labels ending in a letters-only TLD of 2+ characters
 *   (Unicode letters allowed). The local part is the run of `[A-Za-z0-9._%+'~-]` or non-ASCII
 *   letters/digits right before the `@`; when that run starts right after a JSON escape
 *   (`\n`, `\uXXXX`, …) the escape is skipped, so a match never starts inside one.
 *   Not findings: a local part that is a psoxy token (`t~` + 43 base64url, `p~` + 43 or more
 *   base64url, optionally preceded by a non-token character or a `%XX` escape), whatever the
 *   domain (e.g. `t~…@acme.com`, `t~…@h~…`, `p~…@e~…`); a domain whose TLD is an image file
 *   extension (`icon@2x.png`: not a delegated TLD); identifiers that only look like addresses and
 *   occur in psoxy's own expected outputs: OData annotation names (`calendar@odata.navigationLink`,
 *   the annotation names only), Microsoft Teams thread / chat ids (`19:…@thread.v2`,
 *   `…@thread.tacv2`, `…@thread.skype`, `…@unq.gbl.spaces`) and SSH remotes
 *   (`git@github.com:org/repo.git`: local part exactly `git` and a `:` after the host).
 *   Guest user principal names (`alice_acme.com#EXT#@contoso.onmicrosoft.com`) are findings.
 *   The scan looks back at most 1,024 characters from each separator, so it is linear. A plain local
 *   part before psoxy's hashed or encrypted domain form (`alice@h~…`, `alice@e~…`) IS a finding:
 *   the local part is raw.
 * - **phone**: a whole JSON string value (or a whole non-JSON text, e.g. a header value) that is
 *   `+` then digits and separators (space `.` `-` `(` `)`) with 7 to 15 digits. Numbers without
 *   `+`, numeric JSON values and phones inside free text are not looked for (too many false
 *   positives: ids, counts, timestamps). `+YYYY-MM-DD` (ISO extended-year dates) are not phones.
 * - **ip**: a whole JSON string value (or whole non-JSON text) that is an IPv4 address
 *   (dotted-quad, no leading zeros) or an IPv6 address; unspecified and loopback addresses
 *   (`0.0.0.0`, `127.*`, `::`, `::1`) are not personal and not counted. IPs inside free text,
 *   with a port or in brackets are not looked for. A 4-part version string whose parts are all
 *   ≤ 255 (`"1.2.3.4"`) is indistinguishable from an address and IS counted; Zoom's
 *   client versions (`6.1.2.34567(mac)`) are not addresses.
 *
 * Not looked for: emails with a quoted local part (`"a b"@acme.com`), `@` or domain letters
 * written as `\uXXXX` escapes (JSON.stringify never writes them), phones and IPs in CSV (bulk)
 * text (only JSON strings and a whole text are "whole values"), names and other free text.
 * Machine-generated ids shaped like addresses are not findings either (see `isMachineGenerated`):
 * psoxy's own expected outputs keep Google Calendar `iCalUID`s (`…@google.com`) and Gmail
 * `Message-ID` header values, which name no one.
 *
 * Cost: `indexOf` for `@`, `%40`, `+`, `.` and `:`, then small checks around each hit; under 10 %
 * of sanitizing the same Zoom page (`npm run bench`, `leak-guard-*` lines).
 *
 * `redactLeaks` replaces each finding with `[redacted-email]`, `[redacted-phone]` or
 * `[redacted-ip]` (inside the JSON string for phones and IPs, so the quotes stay), which keeps
 * valid JSON valid: a finding never contains `"` or `\` and never starts inside an escape.
 */

export type LeakGuardMode = 'off' | 'log' | 'redact' | 'block';

export interface LeakCounts {
  email: number;
  phone: number;
  ip: number;
}

const MODES: readonly LeakGuardMode[] = ['off', 'log', 'redact', 'block'];

/**
 * The `LEAK_GUARD` setting: case-insensitive, surrounding blanks ignored; undefined or blank →
 * `fallback`; anything else is a configuration error naming the setting and the allowed values.
 */
export function parseLeakGuardMode(value: string | undefined, fallback: LeakGuardMode): LeakGuardMode {
  const v = value?.trim().toLowerCase();
  if (v === undefined || v === '') return fallback;
  if ((MODES as readonly string[]).includes(v)) return v as LeakGuardMode;
  throw new Error(`LEAK_GUARD must be one of ${MODES.join(', ')} (case-insensitive); got ${JSON.stringify(value!.slice(0, 40))}`);
}

type Kind = keyof LeakCounts;
interface Finding { start: number; end: number; kind: Kind }

const MARKERS: Record<Kind, string> = { email: '[redacted-email]', phone: '[redacted-phone]', ip: '[redacted-ip]' };

/** Counts of findings in `text` (zero counts when there is nothing personal-looking). */
export function scanForLeaks(text: string): LeakCounts {
  const counts: LeakCounts = { email: 0, phone: 0, ip: 0 };
  for (const f of findLeaks(text)) counts[f.kind]++;
  return counts;
}

/** `text` with every finding replaced by its marker, and the counts of what was replaced. */
export function redactLeaks(text: string): { text: string; counts: LeakCounts } {
  const counts: LeakCounts = { email: 0, phone: 0, ip: 0 };
  const found = findLeaks(text);
  if (found.length === 0) return { text, counts };
  let out = '';
  let at = 0;
  for (const f of found) {
    counts[f.kind]++;
    out += text.slice(at, f.start) + MARKERS[f.kind];
    at = f.end;
  }
  return { text: out + text.slice(at), counts };
}

// ---------------------------------------------------------------------------------------------
// Emails

/** ASCII characters of a local part as we scan it (a practical subset of RFC 5322 atext). */
const LOCAL_ASCII = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+'~-#") LOCAL_ASCII[c.charCodeAt(0)] = 1;
const B64URL = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-') B64URL[c.charCodeAt(0)] = 1;
const WORD_NON_ASCII = /^[\p{L}\p{N}\p{M}]$/u;

function isLocalChar(c: number): boolean {
  if (c < 128) return LOCAL_ASCII[c] === 1;
  if (c >= 0xd800 && c <= 0xdfff) return true; // astral letters; both halves are taken together
  return WORD_NON_ASCII.test(String.fromCharCode(c));
}

const isHex = (c: number) => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);

/** Dotted domain ending in a letters TLD, at a given position (sticky). */
const DOMAIN = /(?:[\p{L}\p{N}\p{M}](?:[\p{L}\p{N}\p{M}-]*[\p{L}\p{N}\p{M}])?\.)+(\p{L}{2,63})(?![\p{L}\p{N}\p{M}-])/uy;
/** psoxy's hashed / encrypted email domain (`h~…`, `e~…`), at a given position (sticky). */
const TOKEN_DOMAIN = /[he]~[A-Za-z0-9_-]{16,}/y;
/** The email separator: `@`, `%40` or `%2540`. */
const SEPARATOR = /@|%(?:25)?40/g;
/** Image file extensions are not delegated TLDs: `icon@2x.png` is a file name. */
const NOT_TLDS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp', 'ico', 'tif', 'tiff', 'heic']);
/** Identifiers shaped like addresses: OData annotations, Teams thread / chat ids (exact names only). */
// Message-ID hosts, never mailboxes: Gmail's `<CAJ…=…+…@mail.gmail.com>` and Exchange Online's
// `<…@BN8PR12MB3427.namprd12.prod.outlook.com>` (mailboxes there are `@contoso.com` / `@….onmicrosoft.com`).
const NOT_MAIL_DOMAINS = /^(?:odata\.(?:context|nextLink|deltaLink|type|id|etag|count|navigationLink|associationLink|readLink|editLink|mediaReadLink|mediaEditLink|mediaContentType|mediaEtag|bind|removed)|thread\.(?:v2|tacv2|skype)|unq\.gbl\.spaces|mail\.gmail\.com|(?:[A-Za-z0-9-]+\.)+prod\.outlook\.com)$/;
/**
 * How far back from an `@` a local part (or a token) is looked for. Real local parts are at most
 * 64 characters and psoxy tokens of emails under 400; the bound keeps a scan linear whatever the
 * text (a run of `%40`s or base64 would otherwise be rescanned from each separator).
 */
const MAX_LOCAL_SCAN = 1024;

/** True when an odd number of backslashes ends at `i` (so the character after `i` is escaped). */
function escapedAfter(text: string, i: number): boolean {
  let n = 0;
  while (i >= 0 && text.charCodeAt(i) === 92) { n++; i--; }
  return (n & 1) === 1;
}

/** Length of the JSON escape whose letter is at `i` (after its backslash): `\uXXXX` 5, `\n` etc. 1, else 0. */
function escapeLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 117 /* u */) {
    for (let k = 1; k <= 4; k++) if (!isHex(text.charCodeAt(i + k))) return 0;
    return 5;
  }
  return c === 98 || c === 102 || c === 110 || c === 114 || c === 116 ? 1 : 0; // b f n r t
}

/** True when the local part `text[s, at)` ends in a psoxy token standing on its own. */
function isTokenLocal(text: string, s: number, at: number): boolean {
  let b = at;
  while (b > s && B64URL[text.charCodeAt(b - 1)] === 1) b--;
  const n = at - b;
  if (n < 43 || b - 2 < s || text.charCodeAt(b - 1) !== 126 /* ~ */) return false;
  const kind = text.charCodeAt(b - 2);
  if (!(kind === 116 /* t */ && n === 43) && !(kind === 112 /* p */)) return false;
  const p = b - 2;
  if (p === s) return true;
  const before = text.charCodeAt(p - 1);
  if (before >= 128 || (B64URL[before] !== 1 && before !== 126)) return true; // `.`, `%`, `+`, `'`, `é`
  // `%22t~…`: a token after a percent-encoded character.
  return p - 3 >= s && text.charCodeAt(p - 3) === 37 && isHex(text.charCodeAt(p - 2)) && isHex(before);
}

/** Start of a `t~`/`p~` token ending right before `at`, or -1. */
function tokenStartBefore(text: string, at: number): number {
  let b = at;
  const floor = Math.max(0, at - MAX_LOCAL_SCAN);
  while (b > floor && B64URL[text.charCodeAt(b - 1)] === 1) b--;
  const n = at - b;
  if (n < 43 || b < 2 || text.charCodeAt(b - 1) !== 126 /* ~ */) return -1;
  const kind = text.charCodeAt(b - 2);
  return (kind === 116 /* t */ && n === 43) || kind === 112 /* p */ ? b - 2 : -1;
}

function findEmails(text: string, out: Finding[]): void {
  // `%40` is rare: without it, plain indexOf is the cheapest way from one `@` to the next.
  const encoded = text.indexOf('%40') >= 0 || text.indexOf('%2540') >= 0;
  SEPARATOR.lastIndex = 0;
  let lower = 0; // a local part never reaches back into the previous finding
  let next = 0;
  for (;;) {
    let at: number, sepLength: number;
    if (encoded) {
      SEPARATOR.lastIndex = next;
      const m = SEPARATOR.exec(text);
      if (m === null) return;
      at = m.index;
      sepLength = m[0].length;
    } else {
      at = text.indexOf('@', next);
      if (at < 0) return;
      sepLength = 1;
    }
    next = at + sepLength;
    // Fast path: `"t~…@domain"`, a token that is the whole local part.
    const token = tokenStartBefore(text, at);
    if (token >= lower && (token === lower || !isLocalChar(text.charCodeAt(token - 1)))) continue;
    const afterAt = at + sepLength;
    let end: number;
    DOMAIN.lastIndex = afterAt;
    const d = DOMAIN.exec(text);
    if (d !== null) {
      if (NOT_TLDS.has(d[1].toLowerCase()) || NOT_MAIL_DOMAINS.test(d[0])) continue;
      end = afterAt + d[0].length;
    } else {
      TOKEN_DOMAIN.lastIndex = afterAt;
      if (!TOKEN_DOMAIN.test(text)) continue;
      end = TOKEN_DOMAIN.lastIndex;
    }
    let s = at;
    const floor = Math.max(lower, at - MAX_LOCAL_SCAN);
    while (s > floor && isLocalChar(text.charCodeAt(s - 1))) s--;
    // `\nalice@…`: the run starts with the letter of an escape; skip the escape.
    if (s < at && s > 0 && text.charCodeAt(s - 1) === 92 && escapedAfter(text, s - 1)) s += escapeLength(text, s);
    if (s >= at || isTokenLocal(text, s, at)) continue;
    if (at - s === 3 && text.startsWith('git', s) && text.charCodeAt(end) === 58 /* : */) continue; // SSH remotes: git@github.com:org/repo
    if (isMachineGenerated(text, s, at)) continue;
    out.push({ start: s, end, kind: 'email' });
    lower = next = end;
  }
}

/**
 * A local part no person chose: 20+ characters of `[A-Za-z0-9_-]` (no dots) that switch between
 * letters and digits 4+ times, as generated ids do (Google Calendar's `iCalUID`
 * `1hbtigvntr4a3qcn3cmll391u0@google.com`, Message-IDs `<rzybM0q9SeqK6pPoHirfYQ@…sendgrid.net>`).
 */
function isMachineGenerated(text: string, s: number, at: number): boolean {
  if (at - s < 20) return false;
  let switches = 0;
  let wasDigit: boolean | null = null;
  for (let i = s; i < at; i++) {
    const c = text.charCodeAt(i);
    const digit = isDigit(c);
    if (!digit && !(c >= 65 && c <= 90) && !(c >= 97 && c <= 122) && c !== 95 && c !== 45) return false;
    if (wasDigit !== null && digit !== wasDigit) switches++;
    wasDigit = digit;
  }
  return switches >= 4;
}

// ---------------------------------------------------------------------------------------------
// Phones and IPs: whole string values only

const PHONE = /^\+[0-9(][0-9 ().-]*$/;
const ISO_EXTENDED_DATE = /^\+[0-9]{4,6}-[0-9]{2}-[0-9]{2}$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;
const IPV6_CHARS = /^[0-9A-Fa-f:.]+$/;

function wholeValueKind(v: string): Kind | null {
  const c = v.charCodeAt(0);
  if (c === 43 /* + */) {
    if (!PHONE.test(v) || ISO_EXTENDED_DATE.test(v)) return null;
    let digits = 0;
    for (let i = 1; i < v.length; i++) if (v.charCodeAt(i) >= 48 && v.charCodeAt(i) <= 57) digits++;
    return digits >= 7 && digits <= 15 ? 'phone' : null;
  }
  if (IPV4.test(v)) return v === '0.0.0.0' || v.startsWith('127.') ? null : 'ip';
  if (v.includes(':') && IPV6_CHARS.test(v)) {
    const g = ipv6Groups(v);
    // `::` and `::1` (unspecified, loopback) are not personal.
    if (g !== null) return g.slice(0, 7).every((x) => x === 0) && g[7] <= 1 ? null : 'ip';
  }
  return null;
}

/** RFC 4291 text form (eight hex groups, one `::`, optional IPv4 tail) → the eight groups. */
function ipv6Groups(v: string): number[] | null {
  let head = v;
  let tail: number[] = [];
  const lastColon = v.lastIndexOf(':');
  if (v.indexOf('.', lastColon) >= 0) {
    const v4 = v.slice(lastColon + 1);
    if (!IPV4.test(v4)) return null;
    const b = v4.split('.').map(Number);
    tail = [(b[0] << 8) | b[1], (b[2] << 8) | b[3]];
    head = v.slice(0, lastColon + 1);
    if (!head.endsWith('::')) head = head.slice(0, -1); // `a:…:f:1.2.3.4` → `a:…:f`
  }
  const double = head.indexOf('::');
  if (double >= 0 && head.indexOf('::', double + 1) >= 0) return null;
  const split = (p: string) => (p === '' ? [] : p.split(':'));
  const left = split(double >= 0 ? head.slice(0, double) : head);
  const right = double >= 0 ? split(head.slice(double + 2)) : [];
  if (![...left, ...right].every((g) => g.length >= 1 && g.length <= 4)) return null;
  const hex = (xs: string[]) => xs.map((g) => parseInt(g, 16));
  const n = left.length + right.length + tail.length;
  if (double >= 0 ? n > 7 : n !== 8) return null;
  return [...hex(left), ...new Array<number>(8 - n).fill(0), ...hex(right), ...tail];
}

/** Characters of a phone number or an IP address. */
const WHOLE_CHARS = new Uint8Array(128);
for (const c of '0123456789ABCDEFabcdef:.+() -') WHOLE_CHARS[c.charCodeAt(0)] = 1;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isHexOrColon = (c: number) => isHex(c) || c === 58;

/**
 * The JSON string opening at quote `q` when its whole content is a phone or an IP address: the
 * finding is pushed. Returns the index of the closing quote, or -1 when there is none nearby.
 */
function wholeStringAt(text: string, q: number, out: Finding[]): number {
  // An escaped quote (`\"1.2.3.4"`) does not open a string: not a whole value.
  if (q > 0 && text.charCodeAt(q - 1) === 92 && escapedAfter(text, q - 1)) return -1;
  const max = Math.min(text.length, q + 48);
  let e = q + 1;
  while (e < max && WHOLE_CHARS[text.charCodeAt(e)] === 1) e++;
  if (e >= max || text.charCodeAt(e) !== 34) return -1;
  const kind = wholeValueKind(text.slice(q + 1, e));
  if (kind !== null) out.push({ start: q + 1, end: e, kind });
  return e;
}

/**
 * Whole-string phones and IPs, found from rare characters rather than from every quote:
 * `"+` (phones), digit `.` digit (IPv4), colons between hex digits or `"::` (IPv6).
 */
function findWholeValues(text: string, out: Finding[]): void {
  for (let i = text.indexOf('+'); i >= 0; i = text.indexOf('+', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 34) wholeStringAt(text, i - 1, out);
  }
  for (let i = text.indexOf('.'); i >= 0; i = text.indexOf('.', i + 1)) {
    if (i === 0 || !isDigit(text.charCodeAt(i - 1)) || !isDigit(text.charCodeAt(i + 1))) continue;
    let j = i - 1;
    while (j > i - 4 && j > 0 && isDigit(text.charCodeAt(j - 1))) j--;
    if (text.charCodeAt(j - 1) !== 34) continue;
    i = Math.max(i, wholeStringAt(text, j - 1, out));
  }
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) {
    if (i === 0) continue;
    const before = text.charCodeAt(i - 1);
    const after = text.charCodeAt(i + 1);
    if (!(isHexOrColon(before) && isHexOrColon(after)) && !(before === 34 && after === 58)) continue;
    let j = i;
    while (j > i - 46 && j > 0 && (isHexOrColon(text.charCodeAt(j - 1)) || text.charCodeAt(j - 1) === 46)) j--;
    if (j === 0 || text.charCodeAt(j - 1) !== 34) continue;
    i = Math.max(i, wholeStringAt(text, j - 1, out));
  }
}

// ---------------------------------------------------------------------------------------------

const WHOLE_TEXT_FIRST = /^\s*[+0-9A-Fa-f:]/;

function findLeaks(text: string): Finding[] {
  const out: Finding[] = [];
  if (text.indexOf('@') >= 0 || text.indexOf('%40') >= 0 || text.indexOf('%2540') >= 0) findEmails(text, out);
  findWholeValues(text, out);
  // Not JSON (e.g. a header value): the whole text may be a phone number or an address.
  if (out.length === 0 && text.length <= 64 && WHOLE_TEXT_FIRST.test(text)) {
    const v = text.trim();
    const kind = wholeValueKind(v);
    if (kind !== null) {
      const start = text.indexOf(v);
      out.push({ start, end: start + v.length, kind });
    }
  }
  if (out.length <= 1) return out;
  // The searches cannot overlap (a phone or IP string holds no `@`); kept safe for redaction anyway.
  out.sort((a, b) => a.start - b.start);
  let end = 0;
  return out.filter((f) => f.start >= end && ((end = f.end), true));
}
