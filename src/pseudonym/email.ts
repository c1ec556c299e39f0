/**
 * Email detection and canonicalization as psoxy does them. psoxy uses its port of bbottema's
 * RFC-2822 parser with two criteria: quoted identifiers (`Name <addr>`) and parentheses in quoted
 * local parts. Domain literals (`a@[1.2.3.4]`) are not allowed.
 *
 * A value is an email iff the whole string is one RFC-2822 `mailbox`, in bbottema's reading of the
 * grammar:
 * - comments do not nest; CFWS is at most one folding whitespace between comments; a CR or LF must
 *   be part of a CRLF followed by a space or tab;
 * - CFWS may come around the local part, the `@` and the domain, inside `<…>`, and around the words
 *   of a display name (whose atoms take no `.`);
 * - the domain is RFC-1035 labels ending in a letters-only TLD of 2–26 characters;
 * - comments and quoted local parts are ASCII only; quoted display names may hold any character
 *   but controls.
 * Parts are read the way psoxy's parser reads its regex groups (see `mailboxFrom`).
 * `linear-pattern.ts` explains why this grammar is not a JS regex.
 */
import { alt, atomic, between, capture, chars, charsOutside, LinearPattern, lazyOpt, opt, plus, regExpSource, seq, star, type Match, type Pattern } from './linear-pattern.ts';
import { isBlank, javaTrim } from '../java/text.ts';

export type EmailCanonicalization = 'STRICT' | 'IGNORE_DOTS';

export interface ParsedMailbox {
  /** As psoxy keeps it: trimmed, and unquoted when the address still parses without the quotes. */
  local: string;
  domain: string;
  /** Display name, or the first comment after the address; null when neither is there. */
  personal: string | null;
}

// RFC 2822 §3.2.1–3.2.6 (ASCII only, as in bbottema's regex).
const WSP = chars(' \t');
const FWS = seq(opt(seq(star(WSP), '\r\n')), plus(WSP));
const NO_WS_CTL = chars([1, 8], '\x0b\x0c', [0x0e, 0x1f], '\x7f');
/** Any ASCII character but NUL, CR and LF. */
const TEXT = chars([1, 9], '\x0b\x0c', [0x0e, 0x7f]);
const QUOTED_PAIR = seq('\\', TEXT);
const CTEXT = chars(NO_WS_CTL, ['!', "'"], ['*', '['], [']', '~']);
/** psoxy's regex leaves `ctext|quoted-pair` ungrouped: a quoted pair cannot follow whitespace. */
const COMMENT = seq('(', star(alt(seq(opt(FWS), CTEXT), QUOTED_PAIR)), opt(FWS), ')');
const CFWS = seq(star(seq(opt(FWS), COMMENT)), alt(seq(opt(FWS), COMMENT), FWS));
const ATEXT = chars(['a', 'z'], ['A', 'Z'], ['0', '9'], '!', ['#', "'"], '*+-/=?', ['^', '`'], ['{', '~']);
/** Quoted strings outside the local part follow RFC 6532: any character but controls, `\` and `"`. */
const QTEXT = charsOutside([0, 0x1f], '\x7f\\"');
const QUOTED_STRING = seq('"', star(atomic(seq(opt(FWS), alt(QTEXT, QUOTED_PAIR)))), opt(FWS), '"');
/** A quoted local part is ASCII (RFC 2822, parentheses allowed). */
const LOCAL_QTEXT = chars(NO_WS_CTL, '!', ['#', '['], [']', '~']);
const QUOTED_LOCAL = seq('"', star(seq(opt(FWS), atomic(alt(LOCAL_QTEXT, QUOTED_PAIR)))), opt(FWS), '"');
const ATOM = seq(opt(CFWS), plus(ATEXT), opt(CFWS));
const WORD = alt(ATOM, seq(opt(CFWS), QUOTED_STRING, opt(CFWS)));
/** Words apart by a required folding whitespace, so that `abcd` cannot be four words. */
const PHRASE = seq(WORD, star(seq(FWS, WORD)));
const DOT_ATOM_TEXT = seq(plus(ATEXT), star(seq('.', plus(ATEXT))));
// RFC 1035 names, at least two labels, the last one letters only.
const LET_DIG = chars(['a', 'z'], ['A', 'Z'], ['0', '9']);
const LABEL = seq(LET_DIG, opt(seq(between(chars(LET_DIG, '-'), 0, 61), LET_DIG)));
const DOMAIN_NAME = seq(LABEL, star(seq('.', LABEL)), '.', between(chars(['a', 'z'], ['A', 'Z']), 2, 26));

/** Local part with the capture names of one address form (`<prefix>Atom` / `<prefix>Quoted`). */
const localPart = (prefix: string) => alt(
  seq(opt(CFWS), capture(prefix + 'Atom', DOT_ATOM_TEXT), opt(CFWS)),
  seq(opt(CFWS), capture(prefix + 'Quoted', QUOTED_LOCAL), opt(CFWS)),
);
const ANGLE_ADDR = seq(opt(CFWS), '<', localPart('angleLocal'), '@', opt(CFWS), capture('angleDomain', DOMAIN_NAME), opt(CFWS), '>', opt(capture('angleCfws', CFWS)));
const NAME_ADDR = seq(lazyOpt(capture('displayName', PHRASE)), ANGLE_ADDR);
const ADDR_SPEC_ONLY = seq(localPart('local'), '@', opt(CFWS), capture('domain', DOMAIN_NAME), opt(capture('cfws', CFWS)));
const MAILBOX = alt(capture('nameAddr', NAME_ADDR), ADDR_SPEC_ONLY);
const GROUP_PREFIX = seq(PHRASE, ':');
const MAILBOX_LIST = seq(MAILBOX, star(seq(',', MAILBOX)));
const ADDRESS = alt(MAILBOX, seq(GROUP_PREFIX, opt(alt(CFWS, MAILBOX_LIST)), ';', opt(CFWS)));

/** The grammars psoxy's parser matches with, by what they recognize. */
export const EMAIL_GRAMMAR = {
  mailbox: MAILBOX,
  addrSpec: seq(localPart('local'), '@', opt(CFWS), DOMAIN_NAME, opt(CFWS)),
  comment: COMMENT,
  quotedString: QUOTED_STRING,
  groupPrefix: GROUP_PREFIX,
  address: ADDRESS,
} satisfies Record<string, Pattern>;

/**
 * Each grammar is compiled on its first use, not at import: compiling them all took ~7 ms of a
 * cold start, and most values (bare addresses among them, see BARE_ADDRESS) need none.
 */
function compiledOnUse(grammar: Pattern): () => LinearPattern {
  let compiled: LinearPattern | undefined;
  return () => (compiled ??= new LinearPattern(grammar));
}
const mailboxPattern = compiledOnUse(EMAIL_GRAMMAR.mailbox);
const addrSpecPattern = compiledOnUse(EMAIL_GRAMMAR.addrSpec);
const commentPattern = compiledOnUse(EMAIL_GRAMMAR.comment);
const quotedStringPattern = compiledOnUse(EMAIL_GRAMMAR.quotedString);
const groupPrefixPattern = compiledOnUse(EMAIL_GRAMMAR.groupPrefix);
const addressPattern = compiledOnUse(EMAIL_GRAMMAR.address);
/** Most emails are a bare `local@domain`: V8 matches those directly (same grammar, same parts). */
const BARE_ADDRESS = new RegExp(`^(${regExpSource(DOT_ATOM_TEXT)})@(${regExpSource(DOMAIN_NAME)})$`);

/** `s` without its first and last characters when they are `open` and `close`. */
function unbound(open: string, close: string, s: string): string {
  return s.length >= 2 && s.startsWith(open) && s.endsWith(close) ? s.slice(1, -1) : s;
}

/** The first comment in some CFWS, without its parentheses (psoxy's name for `a@b.com (Name)`). */
function firstComment(cfws: string | undefined): string | null {
  if (cfws === undefined) return null;
  for (let i = cfws.indexOf('('); i >= 0; i = cfws.indexOf('(', i + 1)) {
    const m = commentPattern().match(cfws, i, false);
    if (m) return unbound('(', ')', javaTrim(cfws.slice(i, m.end)));
  }
  return null;
}

/** A display name: trimmed; a lone quoted string loses its quotes and `\\`, `\"` escapes. */
function cleanPersonal(name: string): string {
  const text = javaTrim(name);
  if (!quotedStringPattern().match(text, 0, true)) return text;
  return javaTrim(unbound('"', '"', text).replaceAll('\\\\', '\\').replaceAll('\\"', '"'));
}

/** The parts of a mailbox match, as psoxy's parser reads its groups. */
function mailboxFrom(m: Match): ParsedMailbox {
  const angle = m.group('nameAddr') !== undefined;
  const local = javaTrim((angle ? m.group('angleLocalAtom') ?? m.group('angleLocalQuoted') : m.group('localAtom') ?? m.group('localQuoted'))!);
  const domain = javaTrim((angle ? m.group('angleDomain') : m.group('domain'))!);
  const name = (angle ? m.group('displayName') : undefined) ?? firstComment(angle ? m.group('angleCfws') : m.group('cfws'));
  const unquoted = unbound('"', '"', local);
  return {
    local: addrSpecPattern().match(unquoted + '@' + domain, 0, true) ? unquoted : local,
    domain,
    personal: name === null ? null : cleanPersonal(name),
  };
}

/** Parses a single mailbox; null when the whole string is not one. */
export function parseMailbox(value: string): ParsedMailbox | null {
  const bare = BARE_ADDRESS.exec(value);
  if (bare) return { local: bare[1], domain: bare[2], personal: null };
  const m = mailboxPattern().match(value, 0, true);
  return m && mailboxFrom(m);
}

/** Whether the value is an RFC-2822 address list: addresses (mailboxes or groups) joined by commas. */
function isAddressList(value: string): boolean {
  for (let start = 0; ;) {
    const m = addressPattern().match(value, start, false);
    if (!m) return false;
    if (m.end === value.length) return true;
    if (value[m.end] !== ',') return false;
    start = m.end + 1;
  }
}

/**
 * The mailboxes of an address list, walked as psoxy walks them: mailboxes up to a `,` or `;`,
 * group prefixes (`Team:`) skipped, a group that does not parse skipped up to its `;`, anything
 * else ends the walk.
 */
function mailboxesOf(value: string): ParsedMailbox[] {
  const found: ParsedMailbox[] = [];
  const max = value.length;
  let at = 0;
  let inGroup = false;
  let afterGroup = false;
  let resumeFrom = -1;
  for (;;) {
    if (afterGroup) {
      const comma = value.indexOf(',', resumeFrom);
      if (comma < 0 || comma >= max - 1) break;
      at = comma + 1;
      afterGroup = false;
    }
    if (value[at] === ';') {
      inGroup = false;
      at++;
      if (at >= max) break;
      afterGroup = true;
      resumeFrom = at;
    }
    const m = mailboxPattern().match(value, at, false);
    if (m) {
      inGroup = false;
      // psoxy only re-reads "after a group" when neither the end nor a comma follows.
      const endsHere = m.end === max || value[m.end] === ',' || (afterGroup = value[m.end] === ';');
      if (!endsHere) break;
      found.push(mailboxFrom(m));
      if (m.end >= max - 1) break;
      if (afterGroup) resumeFrom = m.end + 1;
      else at = m.end + 1;
      continue;
    }
    const prefix = groupPrefixPattern().match(value, at, false);
    if (prefix) {
      if (prefix.end >= max) break;
      at = prefix.end;
      inGroup = true;
    } else if (inGroup) {
      const semicolon = value.indexOf(';', at);
      if (semicolon < 0 || semicolon >= max - 1) break;
      at = semicolon + 1;
      inGroup = false;
      afterGroup = true;
      resumeFrom = at;
    } else if (!afterGroup) break;
  }
  return found;
}

/**
 * The mailboxes of an email header value (`pseudonymizeEmailHeader`): [] when blank, null when
 * the value is not an address list.
 */
export function parseAddressList(value: string): ParsedMailbox[] | null {
  if (isBlank(value)) return [];
  return isAddressList(value) ? mailboxesOf(value) : null;
}

/**
 * psoxy's canonical email: local part lower-cased and cut at its first `+`, dots removed under
 * IGNORE_DOTS, `@`, domain lower-cased. (A quoted local part keeps its quotes.)
 */
export function canonicalizeEmail(m: ParsedMailbox, mode: EmailCanonicalization): string {
  let local = m.local.toLowerCase();
  const plus = local.indexOf('+');
  if (plus >= 0) local = local.slice(0, plus);
  if (mode === 'IGNORE_DOTS') local = local.replaceAll('.', '');
  return local + '@' + m.domain.toLowerCase();
}

/** The address as psoxy re-formats it: `"personal" <local@domain>`, or `local@domain` without a name. */
export function formatMailbox(m: ParsedMailbox): string {
  const addr = m.local + '@' + m.domain;
  return m.personal ? `"${m.personal}" <${addr}>` : addr;
}
