/**
 * A made-up organisation for simulators: seeded, so runs repeat, with people whose names, emails,
 * phones and ids appear in the responses the way a provider's would. Everything personal is
 * listed by `personalValues`, which leak tests look for in sanitized output.
 */

/** mulberry32: small, fast, seedable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FIRST_NAMES = ['Alice', 'Bob', 'Carmen', 'Dmitri', 'Eun-ji', 'Farah', 'Gustavo', 'Hiro', 'Ines', 'Jamal', 'Kofi', 'Lena', 'Mateo', 'Nadia', 'Olu', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Ximena', 'Yusuf', 'Zoe'];
export const LAST_NAMES = ['Anders', 'Brennan', 'Castillo', 'Dubois', 'Eriksen', 'Fujita', 'Garcia', 'Haddad', 'Ivanova', 'Johnson', 'Kowalski', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quintero', 'Rossi', 'Schmidt', 'Tanaka', 'Usman', 'Valdez', 'Weber', 'Xu', 'Yamamoto', 'Zimmermann'];

export interface FakePerson {
  /** A provider-neutral opaque id (connectors shape their own from it). */
  id: string;
  firstName: string;
  lastName: string;
  displayName: string;
  email: string;
  phone: string;
}

export interface FakeOrg {
  domain: string;
  people: FakePerson[];
  /** Seeded randomness for the connector's own values (ids, times, subjects). */
  random(): number;
  pick<T>(xs: readonly T[]): T;
  int(lo: number, hi: number): number;
  /** A random id of `n` characters from `alphabet`. */
  chars(n: number, alphabet?: string): string;
  /** An ISO-8601 time within the last `days` days of a fixed base date (runs repeat). */
  isoTime(days?: number): string;
  /** Personal values a connector adds to its responses beyond the people's own (subjects, texts). */
  extraPersonal: string[];
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE_TIME = Date.UTC(2026, 9, 1);

export function generateFakeOrg(options: { seed?: number; people?: number; domain?: string } = {}): FakeOrg {
  const random = seededRandom(options.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const chars = (n: number, alphabet = ID_CHARS) => Array.from({ length: n }, () => pick([...alphabet])).join('');
  const domain = options.domain ?? 'example-corp.com';
  const people: FakePerson[] = [];
  const emails = new Set<string>();
  for (let n = 0; n < (options.people ?? 12); n++) {
    const firstName = pick(FIRST_NAMES), lastName = pick(LAST_NAMES);
    let email = `${firstName.toLowerCase().replace(/[^a-z]/g, '')}.${lastName.toLowerCase()}@${domain}`;
    for (let k = 2; emails.has(email); k++) email = email.replace(/(\d*)@/, `${k}@`);
    emails.add(email);
    people.push({ id: chars(16), firstName, lastName, displayName: `${firstName} ${lastName}`, email, phone: `+1 ${int(200, 989)} ${int(200, 999)} ${int(1000, 9999)}` });
  }
  return {
    domain, people, random, pick, int, chars,
    isoTime: (days = 30) => new Date(BASE_TIME - int(0, days * 86400) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    extraPersonal: [],
  };
}

/**
 * The org's `i`-th person, counting round again past the last: example responses cast people by
 * position (author, reviewer, …), and an org smaller than the cast still fills every role.
 */
export function person(org: FakeOrg, i: number): FakePerson {
  return org.people[i % org.people.length];
}

/** Every personal value of the org: what must never come out of the proxy as is. */
export function personalValues(org: FakeOrg): string[] {
  return [...org.people.flatMap((p) => [p.email, p.displayName, p.phone]), ...org.extraPersonal].filter((v) => v.length >= 6);
}

/** Records a personal text (a prompt, a title, a message) a connector puts in a response, and returns it. */
export function personalText(org: FakeOrg, text: string): string {
  org.extraPersonal.push(text);
  return text;
}
