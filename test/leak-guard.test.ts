// Outbound leak guard: what counts as a finding, redaction that keeps JSON valid, fast-check properties.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parseLeakGuardMode, redactLeaks, scanForLeaks, type LeakCounts } from '../src/guard/leak-guard.ts';
import { Pseudonymizer } from '../src/pseudonym/pseudonymizer.ts';
import { Sanitizer } from '../src/sanitizer/sanitizer.ts';
import { loadApiRules } from '../src/rules/load.ts';
import { builtInRulesYaml } from '../src/sources/index.ts';
import { generateOrg } from '../src/sources/zoom/simulator/org.ts';
import { paginate, participantsPage, usersPage } from '../src/sources/zoom/simulator/responses.ts';

const none: LeakCounts = { email: 0, phone: 0, ip: 0 };
const emails = (n: number): LeakCounts => ({ ...none, email: n });
/** Scan of one JSON string value, as it appears in a serialized body. */
const scanValue = (v: string) => scanForLeaks(JSON.stringify({ v }));
const redactValue = (v: string) => (JSON.parse(redactLeaks(JSON.stringify({ v })).text) as { v: string }).v;
const T43 = 'Qf4dLJ4jfqZLn9ef4VirvYjvOnRaVI5tf5oLnM65YOA';

test('parseLeakGuardMode: case-insensitive, blank is absent, anything else names the setting', () => {
  assert.equal(parseLeakGuardMode(undefined, 'log'), 'log');
  assert.equal(parseLeakGuardMode('', 'block'), 'block');
  assert.equal(parseLeakGuardMode('  ', 'off'), 'off');
  assert.equal(parseLeakGuardMode('BLOCK', 'off'), 'block');
  assert.equal(parseLeakGuardMode(' Redact ', 'off'), 'redact');
  assert.equal(parseLeakGuardMode('off', 'block'), 'off');
  assert.equal(parseLeakGuardMode('log', 'block'), 'log');
  for (const bad of ['on', 'true', 'blocked', 'warn', '1']) {
    assert.throws(() => parseLeakGuardMode(bad, 'log'), (e: Error) =>
      e.message.includes('LEAK_GUARD') && ['off', 'log', 'redact', 'block'].every((m) => e.message.includes(m)));
  }
});

test('psoxy token forms are not findings, whatever the domain handling', () => {
  for (const emailDomainHandling of ['PRESERVE', 'REDACT', 'TOKENIZE', 'ENCRYPT'] as const) {
    const pz = new Pseudonymizer({ salt: 'salt', encryptionKey: 'secret', emailDomainHandling });
    for (const email of ['alice@acme.com', 'Bob.Smith+x@sub.example.co.uk', 'josé@bücher.de']) {
      for (const reversible of [false, true]) {
        const token = pz.urlSafeToken(email, reversible)!;
        assert.deepEqual(scanValue(token), none, token);
        assert.deepEqual(scanValue(`${token},${token}`), none, 'comma-joined header values');
        assert.deepEqual(scanForLeaks(`https://h/x?u=${encodeURIComponent(token)}&v=1`), none, 'URL-encoded token');
      }
      const identity = pz.pseudonymize(email, { includeReversible: true })!;
      assert.deepEqual(scanValue(Pseudonymizer.jsonEncoded(identity)), none, 'JSON encoding without original');
    }
  }
  assert.deepEqual(scanValue(`t~${T43}@acme.com`), none);
  assert.deepEqual(scanValue(`p~${T43}${T43}@acme.com`), none);
  assert.deepEqual(scanValue(`"t~${T43}@acme.com"`), none, 'token in quotes (escaped in JSON)');
  assert.deepEqual(scanValue(`line\nt~${T43}@acme.com`), none, 'token right after an escape');
  assert.deepEqual(scanValue(`%22t~${T43}%40acme.com%22`), none, 'token after a percent-encoded quote');
  assert.deepEqual(scanValue(`t~${T43}@h~${T43}`), none);
});

test('anything else shaped like an email is a finding', () => {
  for (const v of ['alice@acme.com', 'ALICE@ACME.COM', 'alice+tag@sub.acme.co.uk', "o'brien@acme.com", 'first.last@acme.io',
    'Alice Smith <alice@acme.com>', 'mailto:alice@acme.com', 'contact alice@acme.com today', 'alice@acme.com.',
    'josé@acme.com', '用户@例え.jp', 'alice@bücher.de', 'alice@xn--bcher-kva.de',
    `t~${T43}x@acme.com`, `t~${T43.slice(1)}@acme.com`, `p~${T43.slice(1)}@acme.com`, `xt~${T43}@acme.com`,
    `alice@h~${T43}`, `alice@e~${T43}${T43}`, 'jdoe+x7k2m9q4w8r3t5y1@gmail.com', 'jdoe+x7k2/m9q4w8r3t5y1a@gmail.com', 'alice@contoso.onmicrosoft.com', 'alice@outlook.com']) {
    assert.deepEqual(scanValue(v), emails(1), v);
  }
  assert.deepEqual(scanValue('alice@acme.com, bob@acme.com'), emails(2));
  assert.deepEqual(scanForLeaks('{"alice@acme.com":1}'), emails(1), 'keys count too');
  assert.deepEqual(scanForLeaks('</users?email=alice%40acme.com&x=1>; rel="next"'), emails(1), 'URL-encoded');
  assert.deepEqual(scanForLeaks('q=alice%2540acme.com'), emails(1), 'URL-encoded twice');
  assert.equal(redactValue('Alice Smith <alice@acme.com>'), 'Alice Smith <[redacted-email]>');
  assert.equal(redactLeaks('x?email=alice%40acme.com&y').text, 'x?email=[redacted-email]&y');
});

test('false positives considered and left out', () => {
  for (const v of ['icon@2x.png', 'avatar@3x.JPG', 'calendar@odata.navigationLink', 'sessions@odata.nextLink', '@odata.context',
    '19:561fbdbbfca848a484f0a6f00ce9dbbd@thread.tacv2', '19:cbee7c1c860e465cebf7bee0d@thread.skype', '19:meeting_Mjdh@thread.v2',
    '19:d74fc2ed-cb0e_8c0a1a67-50ce@unq.gbl.spaces', 'git@github.com:Worklytics/psoxy.git', 'user@localhost', '@alice', 'a@b',
    'pkg@1.2.3', 'Intel(R) Xeon(R) CPU E5-2673 v4 @ 2.30GHz', '@scope/pkg', 'alice@', 'alice@acme', 'x@acme.c0m']) {
    assert.deepEqual(scanValue(v), none, v);
  }
  // Machine-generated ids psoxy passes through: no person chose them.
  assert.deepEqual(scanValue('hqj9f8j87bobk671uterv14qos@google.com'), none, 'calendar iCalUID');
  assert.deepEqual(scanValue('<rzybM0q9SeqK6pPoHirfYQ@ismtpd0169p1mdw1.sendgrid.net>'), none, 'Message-ID');
  assert.deepEqual(scanValue('<gYfSVbCsuTscGMjhOFVBKYhblBbSWLhgLyWbsjc@BN8PR12MB3427.namprd12.prod.outlook.com>'), none, 'Exchange Online Message-ID');
  assert.deepEqual(scanValue('<CAJx8pQ2=Wm5Kd3+Yt7vB9rLn4Hs1Zq0Fj6Ge@mail.gmail.com>'), none, 'Gmail Message-ID (base64 with = and +)');
  // ... but people's addresses with digits, or long ones, still are.
  for (const v of ['alexanderthegreat2023@gmail.com', 'john.smith.1987.work.account@acme.com', 'j0hn5m1th@acme.com']) {
    assert.deepEqual(scanValue(v), emails(1), v);
  }
  assert.deepEqual(scanValue('github@github.com'), emails(1), 'only the local part `git` is an SSH remote');
});

test('look-alike exclusions are exact: other odata / thread domains, git@ without a remote path and guest UPNs are findings', () => {
  for (const v of ['bob@thread.com', 'bob@odata.org', 'git@acme.com', 'alice_acme.com#EXT#@contoso.onmicrosoft.com']) {
    assert.deepEqual(scanValue(v), emails(1), v);
  }
});

test('scanning stays linear on hostile text (runs of %40, tokens and base64 before separators)', { timeout: 20_000 }, () => {
  // Hang guard, not a speed assertion: before the scan was bounded, 4 MB of this took hours.
  const unit = '.p~' + 'A'.repeat(43) + '%40x.co';
  assert.deepEqual(scanForLeaks(JSON.stringify({ status: unit.repeat(60_000) })), none);
  assert.deepEqual(scanForLeaks('A'.repeat(2_000_000) + '@b.co ' + 'x'.repeat(10) + '@acme.com'), emails(2));
});

test('JSON escapes: a match never starts inside one, and redaction keeps the escape', () => {
  const cases: [string, string][] = [
    ['line\nalice@acme.com', 'line\n[redacted-email]'],
    ['tab\tbob@acme.com', 'tab\t[redacted-email]'],
    ['\u0001x@acme.com', '\u0001[redacted-email]'],
    ['\u0001@acme.com', '\u0001@acme.com'],
    ['say "alice@acme.com"', 'say "[redacted-email]"'],
    ['back\\nalice@acme.com', 'back\\[redacted-email]'], // a literal backslash, then `nalice`
    ['\\\nalice@acme.com', '\\\n[redacted-email]'],
    ['\ud800u1234@acme.com', '\ud800[redacted-email]'], // lone surrogate: JSON.stringify writes \ud800
  ];
  for (const [value, expected] of cases) {
    const text = JSON.stringify({ v: value });
    const out = redactLeaks(text).text;
    assert.equal((JSON.parse(out) as { v: string }).v, expected, text);
    assert.deepEqual(scanForLeaks(out), none, out);
  }
  // A hand-written \u escape before the address (not JSON.stringify's output, still valid JSON).
  const out = redactLeaks('{"v":"\\u00e9alice@acme.com"}').text;
  assert.equal(out, '{"v":"\\u00e9[redacted-email]"}');
});

test('IP addresses: whole string values only', () => {
  for (const v of ['10.1.2.3', '192.168.0.1', '8.8.8.8', '2611:630:924b:fd2f:ed2a:782b:e5dd:232c', '2001:db8::1', 'fe80::1',
    '::ffff:192.0.2.128', '1::', '1.2.3.4']) {
    assert.deepEqual(scanValue(v), { ...none, ip: 1 }, v);
    assert.equal(redactValue(v), '[redacted-ip]');
  }
  for (const v of ['127.0.0.1', '0.0.0.0', '::', '::1', '0:0:0:0:0:0:0:1', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5',
    '1.2.3.4:8080', '[2001:db8::1]', 'from 10.1.2.3', '10.1.2.3 ', '12:30:45', '2026-08-03T12:08:00Z', '00:1a:2b:3c:4d:5e',
    '1:2:3:4:5:6:7:8:9', '1::2::3', '6.1.2.34567(mac)', 'v1.2.3.4', 'abc:def']) {
    assert.deepEqual(scanValue(v), none, v);
  }
  assert.deepEqual(scanForLeaks('{"n":1.5,"a":[1.2,3.4],"t":"12:00"}'), none, 'numbers and times');
  assert.deepEqual(scanForLeaks('{"ip":"10.1.2.3","ips":["10.1.2.4", "::ffff:10.0.0.1"]}'), { ...none, ip: 3 });
  assert.deepEqual(scanForLeaks('["a \\"10.1.2.3\\""]'), none, 'an escaped quote does not open a string');
  assert.deepEqual(scanForLeaks('"10.1.2.3"'), { ...none, ip: 1 }, 'a JSON body that is one string');
});

test('phone numbers: whole string values with a leading +', () => {
  for (const v of ['+1 555 123 4567', '+15551234567', '+44 (20) 7946-0958', '+49.30.1234567', '+5564981205182', '+1234567']) {
    assert.deepEqual(scanValue(v), { ...none, phone: 1 }, v);
    assert.equal(redactValue(v), '[redacted-phone]');
  }
  for (const v of ['+123456', '+1234567890123456', '555-123-4567', '(555) 123-4567', '+2024-01-01', '+002024-01-01',
    'call +1 555 123 4567', '+1 555 123 4567 ext', '+', '+1.5', '+12:30']) {
    assert.deepEqual(scanValue(v), none, v);
  }
  assert.deepEqual(scanForLeaks('{"phone":15551234567}'), none, 'numbers are not looked at');
});

test('header values: the whole value may be an address or a phone number', () => {
  assert.deepEqual(scanForLeaks('10.1.2.3'), { ...none, ip: 1 });
  assert.deepEqual(scanForLeaks(' +1 555 123 4567'), { ...none, phone: 1 });
  assert.equal(redactLeaks(' +1 555 123 4567').text, ' [redacted-phone]');
  assert.deepEqual(scanForLeaks('W/"1.2.3.4"'), { ...none, ip: 1 }, 'a quoted etag is a whole string');
  for (const v of ['application/json; charset=utf-8', 'no-store', 'W/"abc"', 'Tue, 15 Nov 2026 08:12:31 GMT', '30', '1.0', '10.1.2.3, 10.1.2.4']) {
    assert.deepEqual(scanForLeaks(v), none, v);
  }
});

test('redactLeaks: counts match scanForLeaks, a clean text comes back as is', () => {
  const text = JSON.stringify({ a: 'alice@acme.com', b: ['+1 555 123 4567', '10.0.0.7'], c: `t~${T43}@acme.com`, d: 'x bob%40acme.com y' }, null, 2);
  const { text: out, counts } = redactLeaks(text);
  assert.deepEqual(counts, { email: 2, phone: 1, ip: 1 });
  assert.deepEqual(counts, scanForLeaks(text));
  assert.deepEqual(JSON.parse(out), { a: '[redacted-email]', b: ['[redacted-phone]', '[redacted-ip]'], c: `t~${T43}@acme.com`, d: 'x [redacted-email] y' });
  const clean = '{"users":[{"id":"p~abc","email":"t~' + T43 + '@acme.com"}]}';
  assert.equal(redactLeaks(clean).text, clean);
  assert.deepEqual(redactLeaks(clean).counts, none);
  assert.deepEqual(scanForLeaks(''), none);
});

test('Zoom pages: raw bodies have findings, bodies sanitized by the built-in rules have none', () => {
  const sanitizer = new Sanitizer(loadApiRules(builtInRulesYaml('zoom')!), new Pseudonymizer({ salt: 's', encryptionKey: 'k' }));
  const org = generateOrg({ seed: 3, users: 60, meetingsPerUser: 1, participantsPerMeeting: 30 });
  const meeting = org.meetings[0];
  const pages = [
    { url: '/v2/users?page_size=300', body: JSON.stringify(usersPage(paginate(org.users, 300, null)!)) },
    { url: `/v2/report/meetings/${encodeURIComponent(meeting.uuid)}/participants?page_size=300`, body: JSON.stringify(participantsPage(paginate(meeting.participants, 300, null)!, true)) },
  ];
  for (const p of pages) {
    const raw = scanForLeaks(p.body);
    assert.ok(raw.email > 0, p.url);
    assert.deepEqual(scanForLeaks(sanitizer.sanitize('GET', p.url, p.body)), none, p.url);
  }
  assert.ok(scanForLeaks(pages[0].body).phone > 0, 'Zoom phone numbers are `+1 …`');
});

// ---------------------------------------------------------------------------------------------
// Properties

const localPart = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._+'-]{0,12}$/);
const domainName = fc.tuple(fc.array(fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,6}[a-z0-9])?$/), { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-z]{2,6}$/))
  .filter(([, tld]) => !['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp', 'ico', 'tif', 'tiff', 'heic'].includes(tld))
  .filter(([labels]) => !['odata', 'thread', 'unq'].includes(labels[0]))
  .map(([labels, tld]) => [...labels, tld].join('.'));
const email = fc.tuple(localPart, fc.constantFrom('@', '%40', '%2540'), domainName)
  .filter(([local]) => local !== 'git')
  .map(([l, sep, d]) => l + sep + d);
const token = fc.tuple(fc.constantFrom('t', 'p'), fc.stringMatching(/^[A-Za-z0-9_-]{43,60}$/), domainName)
  .map(([k, body, d]) => `${k}~${k === 't' ? body.slice(0, 43) : body}@${d}`);
/** Characters JSON.stringify escapes, and others that sit next to addresses. */
const tricky = fc.constantFrom('\n', '\t', '\r', '\b', '\f', '"', '\\', '\\n', '\\u', '\u0001', '\u001f', '\ud800', '\udfff', '\u2028',
  ' ', '<', '>', '.', '%', '%22', '@', '+', ':', 'é', '用', '\u{1F600}', 'u1234', 'n', 't');
const fragment = fc.oneof({ weight: 3, arbitrary: email }, { weight: 4, arbitrary: tricky }, { weight: 2, arbitrary: fc.string({ maxLength: 6 }) }, { weight: 1, arbitrary: token });
const text = fc.array(fragment, { maxLength: 8 }).map((xs) => xs.join(''));
const { value: jsonValue } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 })),
}));

/** Every string (keys and values) of a parsed JSON value. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push(k); strings(x, out); }
  return out;
}

test('property: redacting serialized JSON keeps it valid and leaves no email-like finding', () => {
  fc.assert(fc.property(jsonValue, fc.constantFrom(undefined, 2), (v, indent) => {
    const text = JSON.stringify(v, null, indent);
    const { text: out, counts } = redactLeaks(text);
    assert.deepEqual(counts, scanForLeaks(text));
    const parsed: unknown = JSON.parse(out);
    assert.deepEqual(scanForLeaks(out), none);
    for (const s of strings(parsed)) assert.equal(scanForLeaks(s).email, 0, s);
    if (counts.email + counts.phone + counts.ip === 0) assert.equal(out, text);
  }), { numRuns: 800 });
});

test('property: an address in a string is found, wherever it stands among escapes', () => {
  fc.assert(fc.property(text, email, text, (before, address, after) => {
    const body = JSON.stringify({ v: before + ' ' + address + ' ' + after });
    assert.ok(scanForLeaks(body).email >= 1, body);
  }), { numRuns: 500 });
});

test('property: token-form addresses are never findings', () => {
  fc.assert(fc.property(fc.array(fc.tuple(token, fc.constantFrom(' ', ',', '"', '\n', '<')), { maxLength: 6 }), (parts) => {
    const body = JSON.stringify({ v: parts.map(([t, sep]) => t + sep).join('') });
    assert.deepEqual(scanForLeaks(body), none, body);
  }));
});

// ---------------------------------------------------------------------------------------------
// psoxy's expected outputs (../shared/conformance, read in place; skipped when absent)

const root = fileURLToPath(new URL('../../shared/conformance/', import.meta.url));
const present = existsSync(root + 'manifest.json');

test('psoxy example outputs: no findings, so LEAK_GUARD=block passes every one', { skip: !present && 'shared/conformance is not here' }, () => {
  const cases = JSON.parse(readFileSync(root + 'manifest.json', 'utf8')) as { kind: string; connector: string; sanitized?: string }[];
  const flagged = new Map<string, LeakCounts>();
  let n = 0;
  for (const c of cases) {
    if ((c.kind !== 'example' && c.kind !== 'bulk') || !c.sanitized) continue;
    n++;
    const counts = scanForLeaks(readFileSync(root + 'psoxy/' + c.sanitized, 'utf8'));
    if (counts.email + counts.phone + counts.ip > 0) flagged.set(c.sanitized.split('/').slice(-4).join('/'), counts);
  }
  assert.ok(n >= 210, `only ${n} outputs`);
  assert.deepEqual(Object.fromEntries(flagged), {});
});
