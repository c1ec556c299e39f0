/**
 * Email address detection and canonicalization as psoxy does it (its port of the bbottema
 * RFC-2822 validator with quoted identifiers allowed and domain literals not allowed).
 *
 * A mailbox is `local@domain` or `Display Name <local@domain>`, with optional comments and
 * whitespace. The domain must be RFC-1035 labels ending in a letters-only TLD of 2–26 characters.
 */

export type EmailCanonicalization = 'STRICT' | 'IGNORE_DOTS';

export interface ParsedMailbox {
  local: string;
  domain: string;
  /** Display name, when given as `Name <addr>`. */
  personal: string | null;
}

const ATEXT = /[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]/;
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?:\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TLD = /^[A-Za-z]{2,26}$/;

class Scanner {
  i = 0;
  readonly s: string;
  constructor(s: string) { this.s = s; }
  get done(): boolean { return this.i >= this.s.length; }
  peek(): string { return this.s[this.i] ?? ''; }

  /** Skips whitespace and (nested) comments; false on an unterminated comment. */
  skipCfws(): boolean {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') { this.i++; continue; }
      if (c === '(') {
        let depth = 0;
        do {
          const d = this.peek();
          if (d === '') return false;
          if (d === '\\') this.i++;
          else if (d === '(') depth++;
          else if (d === ')') depth--;
          this.i++;
        } while (depth > 0);
        continue;
      }
      return true;
    }
  }

  /** A quoted string including its quotes, or null. */
  quoted(): string | null {
    if (this.peek() !== '"') return null;
    const start = this.i++;
    while (!this.done) {
      const c = this.peek();
      if (c === '\\') { this.i += 2; continue; }
      this.i++;
      if (c === '"') return this.s.slice(start, this.i);
    }
    return null;
  }

  atom(allowDot: boolean): string {
    const start = this.i;
    while (!this.done && (ATEXT.test(this.peek()) || (allowDot && this.peek() === '.'))) this.i++;
    return this.s.slice(start, this.i);
  }
}

function validDomain(domain: string): boolean {
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  return labels.every((l) => LABEL.test(l)) && TLD.test(labels[labels.length - 1]);
}

function parseAddrSpec(sc: Scanner): { local: string; domain: string } | null {
  let local: string;
  const q = sc.quoted();
  if (q !== null) {
    const inner = q.slice(1, -1);
    local = DOT_ATOM.test(inner) ? inner : q;
  } else {
    local = sc.atom(true);
    if (!DOT_ATOM.test(local)) return null;
  }
  if (sc.peek() !== '@') return null;
  sc.i++;
  const domain = sc.atom(true);
  if (!validDomain(domain)) return null;
  return { local, domain };
}

const SIMPLE_ADDR = /^([A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?:\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*)@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,26})$/;

/** Parses a single mailbox; null when the whole string is not one. */
export function parseMailbox(value: string): ParsedMailbox | null {
  // Fast path for the common bare `local@domain`.
  const simple = SIMPLE_ADDR.exec(value);
  if (simple) return { local: simple[1], domain: simple[2], personal: null };
  const sc = new Scanner(value);
  if (!sc.skipCfws()) return null;
  // Try addr-spec first.
  const save = sc.i;
  const addr = parseAddrSpec(sc);
  if (addr && sc.skipCfws() && sc.done) return { ...addr, personal: null };
  sc.i = save;
  // name-addr: [phrase] <addr-spec>
  const words: string[] = [];
  for (;;) {
    if (!sc.skipCfws()) return null;
    if (sc.peek() === '<' || sc.done) break;
    const q = sc.quoted();
    if (q !== null) { words.push(q.slice(1, -1).replace(/\\(.)/g, '$1')); continue; }
    const a = sc.atom(false);
    if (a === '') return null;
    words.push(a);
  }
  if (sc.peek() !== '<') return null;
  sc.i++;
  const inner = parseAddrSpec(sc);
  if (!inner || sc.peek() !== '>') return null;
  sc.i++;
  if (!sc.skipCfws() || !sc.done) return null;
  return { ...inner, personal: words.length ? words.join(' ') : null };
}

/** Splits an address-list header value on top-level commas; null if unbalanced. */
export function splitAddressList(value: string): string[] | null {
  const parts: string[] = [];
  let depthParen = 0;
  let inQuote = false;
  let inAngle = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') { i++; continue; }
    if (inQuote) { if (c === '"') inQuote = false; continue; }
    if (c === '"') inQuote = true;
    else if (c === '(') depthParen++;
    else if (c === ')') depthParen--;
    else if (c === '<') inAngle = true;
    else if (c === '>') inAngle = false;
    else if (c === ',' && depthParen === 0 && !inAngle) { parts.push(value.slice(start, i)); start = i + 1; }
  }
  if (inQuote || depthParen !== 0 || inAngle) return null;
  parts.push(value.slice(start));
  return parts;
}

export function canonicalizeEmail(m: ParsedMailbox, mode: EmailCanonicalization): string {
  let local = m.local.toLowerCase();
  const plus = local.indexOf('+');
  if (plus >= 0) local = local.slice(0, plus);
  if (mode === 'IGNORE_DOTS') local = local.replaceAll('.', '');
  return local + '@' + m.domain.toLowerCase();
}

/** The address as psoxy re-formats it: `"personal" <local@domain>` or `local@domain`. */
export function formatMailbox(m: ParsedMailbox): string {
  const addr = m.local + '@' + m.domain;
  return m.personal === null ? addr : `"${m.personal}" <${addr}>`;
}
