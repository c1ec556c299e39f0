// psoxy's mailbox grammar: the differential corpus's email verdicts (what psoxy's Java made of
// each value), psoxy's behaviours the corpus showed, and properties of the grammar and its VM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { canonicalizeEmail, EMAIL_GRAMMAR, formatMailbox, parseAddressList, parseMailbox } from '../src/pseudonym/email.ts';
import { alt, between, capture, lazyOpt, LinearPattern, opt, regExpSource, seq, star, type Pattern } from '../src/pseudonym/linear-pattern.ts';
import { Pseudonymizer } from '../src/pseudonym/pseudonymizer.ts';

const p = new Pseudonymizer({ salt: 'salt', encryptionKey: 'secret' });
const canonical = (v: string) => {
  const m = parseMailbox(v);
  return m && canonicalizeEmail(m, 'STRICT');
};
/** `pseudonymizeEmailHeader` with URL_SAFE_TOKEN, from the email module's parts. */
const headerTokens = (v: string) => parseAddressList(v)?.map((b) => Pseudonymizer.urlSafeToken(p.pseudonymize(formatMailbox(b))!)).join(',') ?? null;

const vectors = fileURLToPath(new URL('../../shared/conformance/fuzz/vectors/', import.meta.url));
const corpusHere = existsSync(vectors + 'manifest.json');

interface Verdict { id: string; field: string; value: string; domain: string | null; hash: string | null }

/**
 * What psoxy made of each string with an `@`: its domain (null: not an email) and, for emails,
 * its hash, read from the expected output of each pseudonymize variant (rules/vectors.yaml).
 */
function corpusVerdicts(): { verdicts: Verdict[]; headers: { id: string; value: string; expected: string | null }[] } {
  const verdicts: Verdict[] = [];
  const headers: { id: string; value: string; expected: string | null }[] = [];
  const manifest = JSON.parse(readFileSync(vectors + 'manifest.json', 'utf8')) as { id: string; original: string; sanitized: string }[];
  for (const c of manifest) {
    const input = JSON.parse(readFileSync(vectors + c.original, 'utf8'));
    const expected = JSON.parse(readFileSync(vectors + c.sanitized, 'utf8'));
    const each = (field: string, f: (value: string, out: unknown) => void) =>
      (input[field] ?? []).forEach((v: unknown, i: number) => { if (typeof v === 'string' && v.includes('@')) f(v, expected[field][i]); });
    const tokenParts = (token: string) => {
      const at = token.indexOf('@');
      return { body: at < 0 ? token.slice(2) : token.slice(2, at), domain: at < 0 ? null : token.slice(at + 1) };
    };
    each('token', (value, out) => {
      const { body, domain } = tokenParts(out as string);
      verdicts.push({ id: c.id, field: 'token', value, domain, hash: body });
    });
    each('rev', (value, out) => {
      const { body, domain } = tokenParts(out as string);
      verdicts.push({ id: c.id, field: 'rev', value, domain, hash: Buffer.from(body, 'base64url').subarray(0, 32).toString('base64url') });
    });
    each('json', (value, out) => {
      const id = JSON.parse(out as string) as { domain?: string; hash: string };
      verdicts.push({ id: c.id, field: 'json', value, domain: id.domain ?? null, hash: id.hash });
    });
    each('header', (value, out) => headers.push({ id: c.id, value, expected: out as string | null }));
  }
  return { verdicts, headers };
}

test('corpus: psoxy took a value for an email exactly when we do, with the same domain and canonical form', { skip: !corpusHere && 'shared/conformance is not here' }, () => {
  const { verdicts } = corpusVerdicts();
  assert.ok(verdicts.length > 900, `only ${verdicts.length} values with an @`);
  assert.ok(verdicts.filter((v) => v.domain !== null).length > 150, 'too few emails in the corpus');
  const wrong = verdicts.filter((v) => {
    const m = parseMailbox(v.value);
    if ((m?.domain ?? null) !== v.domain) return true;
    return m !== null && p.pseudonymize(v.value)!.hash !== v.hash;
  });
  assert.deepEqual(wrong.map((v) => `${v.id} $.${v.field} ${JSON.stringify(v.value)}`), []);
});

test('corpus: pseudonymizeEmailHeader walks address lists as psoxy does', { skip: !corpusHere && 'shared/conformance is not here' }, () => {
  const { headers } = corpusVerdicts();
  assert.ok(headers.filter((h) => h.expected !== null).length > 40, 'too few valid headers in the corpus');
  const wrong = headers.filter((h) => headerTokens(h.value) !== h.expected);
  assert.deepEqual(wrong.map((h) => `${h.id} ${JSON.stringify(h.value)}`), []);
});

test('CFWS around the local part, the @, the domain and inside <…> is allowed', () => {
  for (const v of ['alice @acme.com', 'alice@ acme.com', 'Alice < alice@acme.com >', ' alice@acme.com\t', '(c) alice(x)@(y)acme.com (z)', 'alice@acme.com\r\n ']) {
    assert.equal(canonical(v), 'alice@acme.com', JSON.stringify(v));
    assert.equal(parseMailbox(v)!.domain, 'acme.com', JSON.stringify(v));
  }
});

test('not mailboxes: bare CR or LF, nested comments, non-ASCII local parts, quoted pairs after whitespace in a comment', () => {
  for (const v of ['alice@acme.com\n', '\ralice@acme.com', 'alice@acme.com (a(b))', '"é"@acme.com', '( \\a)alice@acme.com', 'alice@acme.com ( \\) )', 'alice@[192.168.0.1]', 'a@localhost', 'a@b.c', 'a..b@acme.com', 'a.@acme.com', 'Bob K. Smith <bob@acme.com>', '"Ann\u0001" <ann@acme.com>']) {
    assert.equal(parseMailbox(v), null, JSON.stringify(v));
  }
  assert.notEqual(parseMailbox('(\\a)alice@acme.com'), null, 'a quoted pair right after "(" is fine');
});

test('display names: quoted ones may hold any non-control character; the first comment names a bare address', () => {
  assert.deepEqual(parseMailbox('"Ann 😀" <1{@worklytics.co>'), { local: '1{', domain: 'worklytics.co', personal: 'Ann 😀' });
  assert.deepEqual(parseMailbox('"A \\"B\\" C" <x@acme.com>'), { local: 'x', domain: 'acme.com', personal: 'A "B" C' });
  assert.deepEqual(parseMailbox('x@acme.com (Bob) (Smith)'), { local: 'x', domain: 'acme.com', personal: 'Bob' });
  assert.deepEqual(parseMailbox('Bob   Smith  <x@acme.com>'), { local: 'x', domain: 'acme.com', personal: 'Bob   Smith' });
  assert.equal(formatMailbox(parseMailbox('x@acme.com (Bob)')!), '"Bob" <x@acme.com>');
});

test('quotes around a local part go when the address parses without them', () => {
  assert.equal(parseMailbox('"a(b)"@acme.com')!.local, 'a(b)');
  assert.equal(parseMailbox('"a.b"@acme.com')!.local, 'a.b');
  assert.equal(parseMailbox('"a b"@acme.com')!.local, '"a b"');
  assert.equal(canonical('"A+B c"@Acme.com'), '"a@acme.com');
});

test('address lists: groups are walked into, their members pseudonymized', () => {
  assert.deepEqual(parseAddressList('Team: e@acme.com ;')!.map((b) => b.local + '@' + b.domain), ['e@acme.com']);
  assert.deepEqual(parseAddressList('a@acme.com, Team: b@acme.com, c@acme.com;, d@acme.com')!.map((b) => b.local), ['a', 'b', 'c', 'd']);
  assert.deepEqual(parseAddressList('Team: ;'), []);
  assert.equal(parseAddressList('a@acme.com; b@acme.com'), null);
  assert.equal(parseAddressList('a@acme.com,'), null);
  assert.equal(headerTokens('Mike Smith <mike@worklytics.co>, lois@worklytics.co'),
    't~vZ8I4uZkcdXvnp57XCjVY_bJKr9vZpkDsWBDY3m-qTs@worklytics.co,t~FRffHsKrFsvq64VMg84_x1stbyhhFwldLDdV6-8F-No@worklytics.co');
});

// Characters that matter to the grammar, so that random strings come close to mailboxes.
const piece = fc.constantFrom('a', 'B', '7', '.', '-', '+', '@', '<', '>', '(', ')', '"', '\\', ' ', '\t', '\r\n', '\r', '\n', ',', ';', ':', 'é', '\u0001', 'x.io', 'acme.com', '(c)', '"q"');
const nearMailbox = fc.array(piece, { maxLength: 9 }).map((a) => a.join(''));

/** Each grammar on both engines: the bit-state backtracker, and the Pike VM (no bits allowed). */
const engines = (grammar: Pattern) => [new LinearPattern(grammar), new LinearPattern(grammar, 0)];

test('both engines find what a backtracking engine finds (V8, same grammar, real atomic groups)', () => {
  for (const [name, grammar] of Object.entries(EMAIL_GRAMMAR)) for (const vm of engines(grammar)) {
    const withCaptures = name !== 'address'; // the address grammar holds the mailbox twice
    const whole = new RegExp(`^(?:${regExpSource(grammar, withCaptures)})$`);
    const prefix = new RegExp(`(?:${regExpSource(grammar, withCaptures)})`, 'y');
    fc.assert(fc.property(nearMailbox, fc.nat(3), (s, start) => {
      const w = whole.exec(s);
      const ours = vm.match(s, 0, true);
      assert.equal(ours !== null, w !== null, `${name} whole ${JSON.stringify(s)}`);
      for (const [group, text] of Object.entries(w?.groups ?? {})) {
        if (!group.startsWith('atomic')) assert.equal(ours!.group(group), text, `${name} ${group} ${JSON.stringify(s)}`);
      }
      prefix.lastIndex = Math.min(start, s.length);
      const pm = prefix.exec(s);
      const ourPrefix = vm.match(s, Math.min(start, s.length), false);
      assert.equal(ourPrefix?.end ?? null, pm ? prefix.lastIndex : null, `${name} prefix ${JSON.stringify(s)} from ${start}`);
    }), { numRuns: 400 });
  }
});

test('both engines keep backtracking priorities: lazy before greedy, alternatives in order, counted repeats', () => {
  const grammars = [
    seq(lazyOpt(capture('a', 'x')), capture('b', star('x')), opt('y')),
    seq(capture('a', alt('x', 'xy', seq('x', 'y', 'x'))), capture('b', star(alt('y', 'x')))),
    seq(capture('a', between('x', 1, 3)), capture('b', between(alt('x', 'y'), 0, 2, true)), opt(capture('c', 'y'))),
  ];
  for (const grammar of grammars) for (const vm of engines(grammar)) {
    const whole = new RegExp(`^(?:${regExpSource(grammar)})$`);
    const prefix = new RegExp(regExpSource(grammar), 'y');
    fc.assert(fc.property(fc.stringMatching(/^[xy]{0,6}$/), (s) => {
      for (const [re, isWhole] of [[whole, true], [prefix, false]] as const) {
        re.lastIndex = 0;
        const expected = re.exec(s);
        const ours = vm.match(s, 0, isWhole);
        assert.equal(ours?.end ?? null, expected ? expected.index + expected[0].length : null, `${re} on ${s}`);
        for (const g of ['a', 'b', 'c']) assert.equal(ours?.group(g), expected?.groups?.[g], `${re} group ${g} on ${s}`);
      }
    }), { numRuns: 200 });
  }
});

const atext = fc.constantFrom(...'abcXYZ019!#$%&\'*+-/=?^_`{|}~');
const localPart = fc.array(fc.stringMatching(/^[a-zA-Z0-9!#$%&'*\-/=?^_`{|}~]{1,6}$/), { minLength: 1, maxLength: 3 }).map((a) => a.join('.'));
const domainName = fc.tuple(fc.array(fc.stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,5}[a-zA-Z0-9])?$/), { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-zA-Z]{2,8}$/))
  .map(([labels, tld]) => [...labels, tld].join('.'));
const cfws = fc.constantFrom('', ' ', '\t', '(c)', ' (a b) ', '\r\n ', '(\\)) ');

test('property: a mailbox keeps its address and canonical form under any CFWS, display name and sub-address', () => {
  fc.assert(fc.property(localPart, domainName, cfws, cfws, cfws, fc.constantFrom('', 'Ann ', '"Ann B." ', '"Mónica" '), fc.option(fc.array(atext, { minLength: 1, maxLength: 4 }).map((a) => a.join(''))),
    (local, domain, c1, c2, c3, name, tag) => {
      const address = local + (tag === null ? '' : '+' + tag);
      for (const v of [`${c1}${address}${c2}@${c3}${domain}${c2}`, `${name}${c1}<${c2}${address}@${domain}${c3}>${c1}`]) {
        const m = parseMailbox(v);
        assert.ok(m, JSON.stringify(v));
        assert.equal(m.local, address, JSON.stringify(v));
        assert.equal(m.domain, domain, JSON.stringify(v));
        assert.equal(canonicalizeEmail(m, 'STRICT'), local.toLowerCase() + '@' + domain.toLowerCase());
        // (A name left with quotes in it, like `"Ann B." (c)`, can make the re-formatted address plain text.)
        if (!/["\\]/.test(m.personal ?? '')) assert.equal(canonicalizeEmail(parseMailbox(formatMailbox(m))!, 'STRICT'), canonicalizeEmail(m, 'STRICT'), 'psoxy re-parses the formatted address');
      }
    }), { numRuns: 300 });
});

test('property: a comma-joined list of mailboxes is an address list of those mailboxes', () => {
  fc.assert(fc.property(fc.array(fc.tuple(localPart, domainName, cfws), { minLength: 1, maxLength: 4 }), (boxes) => {
    const list = parseAddressList(boxes.map(([l, d, c]) => `${c}${l}@${d}${c}`).join(','));
    assert.deepEqual(list?.map((b) => b.local + '@' + b.domain), boxes.map(([l, d]) => l + '@' + d));
  }), { numRuns: 200 });
});

test('linear time where backtracking is exponential: many words apart by runs of whitespace and comments', () => {
  // No `<` ever comes: V8 takes ~20 s on 12 such words, doubling with each further pair.
  for (const words of ['a  (c) '.repeat(100), 'a  (c) '.repeat(4000)]) { // the backtracker's size, the VM's size
    const started = performance.now();
    assert.equal(parseMailbox(words + 'b@acme.com'), null);
    assert.equal(parseAddressList(words + ', b@acme.com'), null);
    assert.ok(performance.now() - started < 5000, `took too long on ${words.length} characters`);
  }
});
