/**
 * Differential testing of two rules files on the same engine: psoxy's file for a connector and our
 * built-in rules for it must give the same output for the same response, except where we chose to
 * differ (each choice listed with its reason, and only in the direction that protects more).
 */
import fc from 'fast-check';
import { isJsonNumber, isJsonObject, numberValue, orderedKeys, parseJson, type JsonValue } from '../../src/json/json.ts';
import { isBlank as javaIsBlank } from '../../src/java/text.ts';
import type { Sanitizer } from '../../src/sanitizer/sanitizer.ts';

/** What one rules file did with one response. */
export type Outcome = { out: JsonValue[] } | { blocked: true } | { error: string };

export function outcome(s: Sanitizer, method: string, url: string, body: string): Outcome {
  if (!s.isAllowed(method, url)) return { blocked: true };
  try {
    const text = s.sanitize(method, url, body);
    return { out: text === '' ? [] : text.split('\n').map((line) => parseJson(line)) };
  } catch (e) {
    return { error: (e as Error).name };
  }
}

/** One place where the two outputs differ: the location (indices as `[*]`), psoxy's value and ours (undefined: absent). */
export interface Difference {
  at: string;
  psoxy: JsonValue | undefined;
  ours: JsonValue | undefined;
}

const same = (a: JsonValue, b: JsonValue): boolean => {
  if (isJsonNumber(a) || isJsonNumber(b)) return isJsonNumber(a) && isJsonNumber(b) && numberValue(a) === numberValue(b);
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return a === b;
  return false;
};

/** Every difference between psoxy's output and ours, key order included (reported at the object as `{order}`). */
export function differences(psoxy: JsonValue | undefined, ours: JsonValue | undefined, at = '$', found: Difference[] = []): Difference[] {
  if (psoxy === undefined || ours === undefined) {
    if (psoxy !== ours) found.push({ at, psoxy, ours });
    return found;
  }
  if (isJsonObject(psoxy) && isJsonObject(ours)) {
    const pk = orderedKeys(psoxy), ok = orderedKeys(ours);
    for (const k of pk) differences(psoxy[k], Object.hasOwn(ours, k) ? ours[k] : undefined, `${at}.${k}`, found);
    for (const k of ok) if (!Object.hasOwn(psoxy, k)) found.push({ at: `${at}.${k}`, psoxy: undefined, ours: ours[k] });
    const common = pk.filter((k) => Object.hasOwn(ours, k));
    if (common.join('\u0000') !== ok.filter((k) => Object.hasOwn(psoxy, k)).join('\u0000')) found.push({ at: `${at}.{order}`, psoxy: common, ours: ok });
    return found;
  }
  if (Array.isArray(psoxy) && Array.isArray(ours) && psoxy.length === ours.length) {
    psoxy.forEach((v, i) => differences(v, ours[i], `${at}[*]`, found));
    return found;
  }
  if (!same(psoxy, ours)) found.push({ at, psoxy, ours });
  return found;
}

/**
 * How our output protects more than psoxy's at one place:
 * - `drops`: ours leaves the value out (psoxy keeps it);
 * - `pseudonymizes`: ours has a token (`t~`, `p~`, or a JSON pseudonym) where psoxy has the value as is;
 * - `empties`: ours has `""` or null where psoxy has a text or other value (null where psoxy has `""`);
 * - `omits-original`: both are JSON pseudonyms, psoxy's with an `original` field (the plain address), ours without it;
 * - `fails-closed`: the whole response fails with ours (nothing is released) where psoxy's rules pass it.
 */
export type Relation = 'drops' | 'pseudonymizes' | 'empties' | 'omits-original' | 'fails-closed';

export interface DeliberateDifference {
  /** Our connector ids (with variant) this applies to. */
  connectors: RegExp;
  /** The location in the output (`$.value[*].subject`). */
  at: RegExp;
  ours: Relation;
  reason: string;
}

const isBlank = (s: string) => javaIsBlank(s);

const jsonPseudonym = (v: JsonValue | undefined): Record<string, unknown> | null => {
  if (typeof v !== 'string' || !v.startsWith('{')) return null;
  try {
    const o: unknown = JSON.parse(v);
    return typeof o === 'object' && o !== null && !Array.isArray(o) && 'hash' in o ? (o as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/** A token our pseudonymizer made: `t~` + a SHA-256 in base64url (an email keeps `@domain`), `p~` + more, or a JSON pseudonym. */
const isToken = (v: JsonValue | undefined): boolean =>
  typeof v === 'string' && (/^[tp]~[\w-]{43,}(@|$)/.test(v) || jsonPseudonym(v) !== null);


/** Whether `d` is ours protecting more than psoxy in the way `relation` says. */
export function holds(relation: Relation, d: Difference): boolean {
  switch (relation) {
    case 'drops': return d.psoxy !== undefined && d.ours === undefined;
    case 'pseudonymizes': {
      if (typeof d.psoxy === 'string' && isBlank(d.psoxy)) return d.ours === null; // a blank value pseudonymized is null
      return d.psoxy !== undefined && d.psoxy !== null && (typeof d.psoxy !== 'object' || isJsonNumber(d.psoxy)) && !isToken(d.psoxy) && isToken(d.ours);
    }
    case 'empties': return d.psoxy !== undefined && d.psoxy !== null && (d.ours === null || (d.psoxy !== '' && d.ours === ''));
    case 'fails-closed': return d.at === '(outcome)' && d.psoxy === 'output' && typeof d.ours === 'string' && d.ours.startsWith('error');
    case 'omits-original': {
      // psoxy may have pseudonymized its own pseudonym again (two of its paths reach the value): only `original` counts.
      const p = jsonPseudonym(d.psoxy), o = jsonPseudonym(d.ours);
      return p !== null && o !== null && 'original' in p && !('original' in o);
    }
  }
}

/** The differences no listed choice explains (each listed choice must also hold in its direction). */
export function unexplained(id: string, found: readonly Difference[], deliberate: readonly DeliberateDifference[], used?: Map<string, number>): Difference[] {
  return found.filter((d) => {
    const why = deliberate.find((x) => x.connectors.test(id) && x.at.test(d.at) && holds(x.ours, d));
    if (why && used) used.set(why.reason, (used.get(why.reason) ?? 0) + 1);
    return !why;
  });
}

export const show = (d: Difference): string => {
  const text = (v: JsonValue | undefined) => (v === undefined ? '(absent)' : (JSON.stringify(v) ?? '').slice(0, 160));
  return `${d.at}: psoxy ${text(d.psoxy)}, ours ${text(d.ours)}`;
};

// --- Variations of a response -------------------------------------------------------------------

type Plain = null | boolean | number | string | Plain[] | { [k: string]: Plain };

/** Odd values: emails in every form, ids, tokens, control characters, numbers, nested arrays and objects. */
export const ODD_VALUES: readonly Plain[] = [
  null, '', ' ', 'alice@acme.com', 'Alice Smith <alice.smith@acme.com>', 'a@b.io, c@d.io', ' bob@example.org ', 'UPPER.CASE@EXAMPLE.COM',
  'not-an-email@', '@acme.com', '用户@例え.jp', 'p~notAToken', 't~notAToken', 'USLACKBOT', 'tab\there', 'line\nbreak', '\u0000nul', 'x'.repeat(300),
  'mailto:carol@acme.com', 'https://acme.com/u/dave@acme.com', '192.168.1.20', '+1 555 010 9999', '0', 'true',
  0, -1, 1.5, 2 ** 53 + 2, 1e21, true, false,
  [], {}, ['alice@acme.com', 'bob@acme.com'], [['nested@acme.com']], [null, 'x'], { email: 'erin@acme.com', id: 'U0ERIN', displayName: 'Erin Ek' },
  { emailAddress: { name: 'Frank Fu', address: 'frank@acme.com' } }, [{ user: { id: 'U1', email: 'gina@acme.com' } }],
];

/** Keys added to objects, beside keys that already occur in the response. */
export const ODD_KEYS: readonly string[] = [
  'email', 'emailAddress', 'mail', 'userPrincipalName', 'id', 'user', 'userId', 'user_id', 'displayName', 'name', 'address', 'text', 'description',
  'subject', 'title', 'body', 'content', 'phone', 'members', 'attendees', 'organizer', 'creator', 'owner', 'author', 'extra', 'unknownField',
];

interface Node { parent: Plain[] | { [k: string]: Plain } | null; key: string | number; value: Plain }

function nodes(root: Plain): Node[] {
  const all: Node[] = [{ parent: null, key: '', value: root }];
  for (let i = 0; i < all.length; i++) {
    const v = all[i].value;
    if (Array.isArray(v)) v.forEach((x, k) => all.push({ parent: v, key: k, value: x }));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) all.push({ parent: v, key: k, value: x });
  }
  return all;
}

function keysOf(root: Plain): string[] {
  return [...new Set(nodes(root).flatMap((n) => (typeof n.key === 'string' && n.key !== '' ? [n.key] : [])))];
}

function stringsOf(root: Plain): string[] {
  return nodes(root).flatMap((n) => (typeof n.value === 'string' ? [n.value] : []));
}

/** One change to a response; the numbers pick the node, key and value modulo what there is. */
export interface Mutation { kind: number; at: number; key: number; value: number }

export const mutationArb: fc.Arbitrary<Mutation[]> = fc.array(
  fc.record({ kind: fc.nat(8), at: fc.nat(), key: fc.nat(), value: fc.nat() }),
  { minLength: 1, maxLength: 4 },
);

const set = (n: Node, v: Plain) => {
  if (n.parent === null) return v;
  (n.parent as Record<string | number, Plain>)[n.key] = v;
  return undefined;
};

/** `body` (JSON text) with the mutations applied: values replaced, keys added and removed, arrays wrapped, emptied, duplicated. */
export function mutate(body: string, mutations: readonly Mutation[]): string {
  let root = JSON.parse(body) as Plain;
  for (const m of mutations) {
    const all = nodes(root);
    const n = all[m.at % all.length];
    const keys = [...keysOf(root), ...ODD_KEYS];
    const strings = stringsOf(root);
    const values: Plain[] = [...ODD_VALUES, ...strings.slice(0, 40)];
    const value = structuredClone(values[m.value % values.length]);
    const replaced = (v: Plain) => { const r = set(n, v); if (r !== undefined) root = r; };
    switch (m.kind) {
      case 0: case 1: replaced(value); break;
      case 2: {
        const objects = all.filter((x) => x.value !== null && typeof x.value === 'object' && !Array.isArray(x.value));
        if (objects.length) (objects[m.at % objects.length].value as Record<string, Plain>)[keys[m.key % keys.length]] = value;
        break;
      }
      case 3: if (n.parent && !Array.isArray(n.parent)) delete n.parent[n.key as string]; break;
      case 4: replaced([structuredClone(n.value)]); break;
      case 5: replaced(null); break;
      case 6: if (Array.isArray(n.value)) n.value.push(structuredClone(n.value[m.value % Math.max(1, n.value.length)] ?? value)); else replaced(value); break;
      case 7: if (Array.isArray(n.value)) n.value.length = 0; else replaced(typeof n.value === 'object' ? JSON.stringify(n.value) : String(n.value)); break;
      case 8: { // an existing key's value moved under another key (e.g. an email where a name was)
        const str = strings.length ? strings[m.value % strings.length] : 'x';
        replaced(str);
        break;
      }
    }
  }
  return JSON.stringify(root);
}
