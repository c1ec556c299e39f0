// Pseudonym vectors from spec §5 (psoxy's own tests), plus property tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { Pseudonymizer } from '../src/pseudonym/pseudonymizer.ts';
import { canonicalizeEmail, parseMailbox } from '../src/pseudonym/email.ts';
import { canonicalIp } from '../src/pseudonym/ip.ts';
import { AesCbc, deriveKey, InvalidTokenError } from '../src/pseudonym/crypto.ts';
import { parseJson } from '../src/json/json.ts';

const p = new Pseudonymizer({ salt: 'salt', encryptionKey: 'secret' });
const token = (v: string | number, includeReversible = false) => Pseudonymizer.urlSafeToken(p.pseudonymize(typeof v === 'number' ? v : v, { includeReversible })!);

test('PBKDF2 key for salt/secret', () => {
  assert.equal(deriveKey('secret', 'salt').toString('hex'), '7a687b1daaf63cbface7cd89bcb4ae546a1292ec83ffcdf55cb7af7d4fe5618d');
});

test('deterministic and reversible tokens (vectors 1-5, 13-17)', () => {
  assert.equal(token('blah'), 't~nVPSMYD7ZO_ptGIMJ65TAFo5_vVVQQ2af5Bfg7bW0Jo');
  assert.equal(token('blah', true), 'p~nVPSMYD7ZO_ptGIMJ65TAFo5_vVVQQ2af5Bfg7bW0Jq9JIOXfBWhts_zA5Ns0r4m');
  assert.equal(token('juan@worklytics.co', true), 'p~FLIM5xLgQ5m5vrONCMIiijaoUeFSBBLdaKBXGHqa5OQcZWU39HniZ3phdmegLotuacdckYPaf9zpKnrv9Ez-SQ@worklytics.co');
  assert.equal(token('juan@internal.worklytics.co', true), 'p~b3L-lcamqefZ4pvw0gqJ2KJRVQ2H8XlW4y2QMm5ATWeQDc1khHNTXbikRg2I86-lLYcFuLJdUNdgWYGxjaf3Jw@internal.worklytics.co');
  assert.equal(token('alice@acme.com'), 't~UFdK0TvVTvZ23c6QslyCy0o2MSq2DRtDjEXfTPJyyMk@acme.com');
  assert.equal(token('test'), 't~Tt8H7clbL9y8ryN4_RLYrCEsKqbjJsWcPmKb4wOdZDI');
  assert.equal(token('test', true), 'p~Tt8H7clbL9y8ryN4_RLYrCEsKqbjJsWcPmKb4wOdZDKAHyevsJLhRTypmrf-DpBZ');
  assert.equal(token('alice@acme.com', true), 'p~UFdK0TvVTvZ23c6QslyCy0o2MSq2DRtDjEXfTPJyyMnKYUk8FJevl3wvFyZY0eF-@acme.com');
  assert.equal(p.pseudonymize('alice@acme.com')!.hash, 'UFdK0TvVTvZ23c6QslyCy0o2MSq2DRtDjEXfTPJyyMk');
  assert.equal(token('asfa', true), 'p~Z7Bnl_VVOwSmfP9kuT0_Ub-5ic4cCVI4wCHArL1hU0MzTTbTCc7BcR53imT1qZgI');
});

test('Zoom list-users vectors (§4.9): ids, numeric PMIs, emails', () => {
  assert.equal(token('z8yAAAAA8bbbQ', true), 'p~JzXCV2FA272NOeqHYQbR4PewwSZI9hznATn7Wse3j8GpsoD91NC0nDg1vNKrhPEc');
  assert.equal(token(111111111, true), 'p~LKW3WIP3bZzEQFelvQBi0lpLDZtk-1qJbWe3rHfhYhdfeki-8voee3S0wopon6Y3');
  assert.equal(token('example@example.com'), 't~8ZuLJANBU0hIFqmaE8RjwHZqRb4MezRyGZ6rLZUkKSg@example.com');
  assert.equal(p.reverse('p~JzXCV2FA272NOeqHYQbR4PewwSZI9hznATn7Wse3j8GpsoD91NC0nDg1vNKrhPEc'), 'z8yAAAAA8bbbQ');
});

test('numbers are hashed as Java prints them (1e3 → "1000.0")', () => {
  const d = parseJson('[1e3, 1000, 12345678901234567890]') as never[];
  assert.equal(p.pseudonymize(d[0])!.hash, p.pseudonymize('1000.0')!.hash);
  assert.equal(p.pseudonymize(d[1])!.hash, p.pseudonymize('1000')!.hash);
  assert.equal(p.pseudonymize(d[2])!.hash, p.pseudonymize('12345678901234567890')!.hash);
});

test('reverseAll replaces tokens with and without domain, leaves short fakes (vectors 7-9)', () => {
  const t = token('blah', true);
  assert.equal(p.reverseAll(`/users/${t}/messages?x=${t}`), '/users/blah/messages?x=blah');
  assert.equal(p.reverseAll('/users/p~12adsfasdfasdf31'), '/users/p~12adsfasdfasdf31');
  assert.equal(p.reverseAll('user=' + token('juan@worklytics.co', true)), 'user=juan@worklytics.co');
  // psoxy's CBC vector decrypts, but its hash half is not the hash of "blah": reverse refuses it.
  const vector = Buffer.from('NHXWS5CZDysDs3ETExXiMZxM2DfffirkjgmA64R9hCenHbNbPsOt4W-Hx8SDUaQY', 'base64url');
  assert.equal(new AesCbc(deriveKey('secret', 'salt')).decrypt(vector.subarray(0, 16), vector.subarray(32)).toString('utf8'), 'blah');
  assert.throws(() => p.reverse('p~NHXWS5CZDysDs3ETExXiMZxM2DfffirkjgmA64R9hCenHbNbPsOt4W-Hx8SDUaQY'), InvalidTokenError);
  assert.throws(() => new Pseudonymizer({ salt: 'salt', encryptionKey: 'other' }).reverse(t), InvalidTokenError);
});

test('reverse authenticates tokens: any altered byte, truncation or bad encoding is the same InvalidTokenError', () => {
  const genuine = token('alice.longer-name@acme-corporation.com', true);
  const body = genuine.slice(2, genuine.indexOf('@'));
  const bytes = Buffer.from(body, 'base64url');
  const messages = new Set<string>();
  const fails = (t: string) => {
    try {
      p.reverse(t);
    } catch (e) {
      assert.ok(e instanceof InvalidTokenError);
      messages.add(e.message);
      return true;
    }
    return false;
  };
  for (let i = 0; i < bytes.length; i++) {
    for (const bit of [1, 0x80]) {
      const b = Buffer.from(bytes);
      b[i] ^= bit;
      assert.ok(fails('p~' + b.toString('base64url')), `byte ${i} bit ${bit}`);
    }
  }
  assert.ok(fails('p~' + bytes.subarray(0, 48).toString('base64url')));
  assert.ok(fails('p~' + body.slice(0, -1) + '*'));
  assert.ok(fails('p~' + body + 'A'));
  assert.equal(messages.size, 1, 'one message for every failure');
  assert.equal(p.reverse(genuine), 'alice.longer-name@acme-corporation.com');
  assert.equal(p.reverse(p.tokenize('x')), 'x');
  assert.equal(p.reverse(p.encryptIp('10.0.0.1')!), '10.0.0.1');
  assert.equal(p.reverse(token('"Alice" <Alice.B+x@Acme.com>', true)), '"Alice" <Alice.B+x@Acme.com>');
});

test('IP hashing and encryption (vectors 24-32)', () => {
  assert.equal(p.hashIp('123.234.252.12'), 't~7USliSM4GiS0Xfk1DXIAH-4nK-UkLJlSAA_5ZqQh_CI');
  assert.equal(p.hashIp('10.0.0.1'), 't~3BU4goNN07w3ofq8v5ig2enxSWj9xnAnPOThel4mHTk');
  assert.equal(p.hashIp('2001:0db8::1'), 't~njBikXo6n6-7z6JEg8zs_E89aJQ0lje1vW3O9EkS__8');
  assert.equal(p.hashIp('2001:db8:0:0:0:0:2:1'), 't~I8-OlnbGQkV5ClnMrM_O79TR_r8JroRmUbd056Hs2x4');
  assert.equal(p.hashIp('0:0:0:0:0:ffff:c000:0280'), 't~SUZ6xYqAE2gCw90EnrhS7ait6lh2xPKj2-SSQVm8o9A');
  assert.equal(p.hashIp('::ffff:192.0.2.128'), 't~SUZ6xYqAE2gCw90EnrhS7ait6lh2xPKj2-SSQVm8o9A');
  assert.equal(p.hashIp('not an ip'), null);
  assert.equal(p.encryptIp('123.234.252.12'), 'p~7USliSM4GiS0Xfk1DXIAH-4nK-UkLJlSAA_5ZqQh_CJStJlrfaIPHLZUvx-dHHQp');
  assert.equal(p.encryptIp('10.0.0.1'), 'p~3BU4goNN07w3ofq8v5ig2enxSWj9xnAnPOThel4mHTmrZBJVaY3CjxNEDJYfGEk_');
  assert.equal(canonicalIp('2001:0db8::1'), '2001:db8:0:0:0:0:0:1');
});

test('email domain handling (vectors 33-35)', () => {
  const base = { salt: 'salt', encryptionKey: 'asdfasdf', saltEmailDomains: 'salt-domains' };
  assert.equal(new Pseudonymizer({ ...base, emailDomainHandling: 'REDACT' }).pseudonymize('alice@acme.com')!.domain, undefined);
  assert.equal(new Pseudonymizer({ ...base, emailDomainHandling: 'TOKENIZE' }).pseudonymize('alice@acme.com')!.domain, 'h~XeVeXr3msNs83nxpGuEjUO0Cv7JfkmYhnprXIY-BEgs');
  assert.equal(new Pseudonymizer({ ...base, emailDomainHandling: 'ENCRYPT', encryptionKeyEmailDomains: 'asdfasdf' }).pseudonymize('alice@acme.com')!.domain, 'e~XeVeXr3msNs83nxpGuEjUO0Cv7JfkmYhnprXIY-BEgtyvcXqtDujwfr0b5vLmXHQ');
});

test('email canonicalization (vectors 36-39)', () => {
  const h = (v: string, mode: 'STRICT' | 'IGNORE_DOTS' = 'STRICT') => new Pseudonymizer({ salt: 'salt', emailCanonicalization: mode }).pseudonymize(v)!.hash;
  const alice = h('alice@worklytics.co');
  assert.equal(alice, 'Qf4dLJ4jfqZLn9ef4VirvYjvOnRaVI5tf5oLnM65YOA');
  for (const v of ['Alice Example <alice@worklytics.co>', '"Alice Different Last name" <alice@worklytics.co>', 'Alice@worklytics.co', 'AlIcE@worklytics.co', 'alice+test@worklytics.co']) assert.equal(h(v), alice, v);
  for (const v of ['al.ice@worklytics.co', '"Alice Different Last name" <alice+t@worklytics.co>']) assert.equal(h(v, 'IGNORE_DOTS'), alice, v);
  for (const v of ['bob@worklytics.co', 'alice2@worklytics.co', 'alice-a@worklytics.co', 'Alice@somewhere-else.co', 'AlIcE.Other@worklytics.co']) assert.notEqual(h(v), alice, v);
  assert.equal(parseMailbox('Alice.Example@worklytics.co')!.domain, 'worklytics.co');
  for (const notEmail of ['a@localhost', 'a@b.c', 'a@1.2.3.4', 'plain', '@x.com']) assert.equal(parseMailbox(notEmail), null, notEmail);
  assert.equal(canonicalizeEmail(parseMailbox('Al.Ice+x@Acme.COM')!, 'STRICT'), 'al.ice@acme.com');
});

test('property: an email hashes as its canonical address, in both pseudonym paths (bare, upper case, + tags, names, comments, quotes, non-ASCII)', () => {
  const variant = fc.tuple(fc.emailAddress(), fc.constantFrom('', 'upper', 'plus', 'name', 'comment', 'quoted', 'unicode')).map(([a, how]) => {
    const [local, domain] = [a.slice(0, a.lastIndexOf('@')), a.slice(a.lastIndexOf('@') + 1)];
    switch (how) {
      case 'upper': return a.toUpperCase();
      case 'plus': return `${local}+tag@${domain}`;
      case 'name': return `Some One <${a}>`;
      case 'comment': return `${a} (x)`;
      case 'quoted': return `"${local}"@${domain}`;
      case 'unicode': return `${local}\u00c9@${domain}`;
      default: return a;
    }
  });
  for (const mode of ['STRICT', 'IGNORE_DOTS'] as const) {
    const pz = new Pseudonymizer({ salt: 'salt', emailCanonicalization: mode });
    fc.assert(fc.property(variant, (v) => {
      const mailbox = parseMailbox(v);
      fc.pre(mailbox !== null);
      const hash = createHash('sha256').update(canonicalizeEmail(mailbox!, mode) + 'salt', 'utf8').digest('base64url');
      assert.equal(pz.pseudonymize(v)!.hash, hash, v);
      assert.equal(pz.urlSafeToken(v, false), `t~${hash}@${mailbox!.domain}`, v);
    }), { numRuns: 300 });
  }
});

test('blank and null values have no pseudonym (vector 40)', () => {
  for (const v of [null, '', '    ']) assert.equal(p.pseudonymize(v), null);
});

test("blank is Java's String.isBlank: separators and U+001C–U+001F are blank, non-breaking spaces and U+FEFF are not", () => {
  for (const v of ['\t\n\u000b\f\r ', '\u001c\u001f', '\u2003\u2028\u2029\u3000\u1680\u205f']) {
    assert.equal(p.pseudonymize(v), null, JSON.stringify(v));
    assert.equal(p.urlSafeToken(v, true), null, JSON.stringify(v));
  }
  for (const v of ['\u00a0', '\u2007', '\u202f', '\ufeff', ' \u00a0 ']) {
    assert.match(p.urlSafeToken(v, false)!, /^t~[\w-]{43}$/, JSON.stringify(v));
    assert.equal(p.urlSafeToken(v, false), Pseudonymizer.urlSafeToken(p.pseudonymize(v)!));
  }
});

test('property: t~ tokens are deterministic, 45 chars, and differ from p~ only after the hash', () => {
  fc.assert(fc.property(fc.string({ minLength: 1 }).filter((s) => s.trim() !== '' && !s.includes('@')), (s) => {
    const t = token(s);
    assert.equal(t, token(s));
    assert.equal(t.length, 45);
    const rev = token(s, true);
    assert.equal(Buffer.from(rev.slice(2), 'base64url').subarray(0, 32).toString('base64url'), t.slice(2));
  }), { numRuns: 300 });
});

test('property: reversible tokens decrypt to the original', () => {
  fc.assert(fc.property(fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''), (s) => {
    const id = p.pseudonymize(s, { includeReversible: true })!;
    assert.equal(p.reverse(id.reversible!), s);
    assert.equal(p.reverseAll(`x/${id.reversible}/y`), `x/${s}/y`);
  }), { numRuns: 300 });
});

test('property: the token fast path equals the identity path (any text, long or Unicode, emails, numbers)', () => {
  const values = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.string({ minLength: 4000, maxLength: 5000 }),
    fc.emailAddress(),
    fc.integer().map((n) => n as number),
  );
  fc.assert(fc.property(values, fc.boolean(), (v, reversible) => {
    const id = p.pseudonymize(v as string, { includeReversible: reversible });
    assert.equal(p.urlSafeToken(v as string, reversible), id === null ? null : Pseudonymizer.urlSafeToken(id));
  }), { numRuns: 400 });
});
