// The request target: what is refused before the rules check, and how decrypted values are placed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { reverseTokensInTarget, targetProblem, UnplaceableTokenError } from '../src/proxy/request-target.ts';
import { parseQuery } from '../src/rules/url.ts';

const TOKEN = 'p~' + 'A'.repeat(86);

test('traversal, backslashes, control characters and raw specials are refused; Zoom double-encoded UUIDs pass', () => {
  const refused = [
    '/v2/meetings/123\\..\\..\\past_meetings\\123', '/v2/meetings/%2e%2e/users', '/v2/meetings/%2E%2e/users',
    '/v2/meetings/.%2e/users', '/v2/meetings/./users', '/v2/meetings/..', '/v2/x/..;/y', '/v2/x/%252e%252e/y',
    '/v2/x/a%2F..%2Fb', '/v2/x/a%5C..%5Cb', '/v2/x/%00', '/v2/x/%7f', '/v2/x/\t', '/v2/users/a b', '/v2/é', '/v2/x"y',
    '/v2/x{y}', '/v2/x<y>', '/v2/x#y', 'v2/users', '//api/users', '/v2//users',
    '/v2/meetings/abc/%6Deeting_summary', '/v2/past_meetings/x/%70articipants', '/v2/x/%2541', '/v2/x/%C0%AE%C0%AE',
    '/v2/x/%EF%BC%8E%EF%BC%8E', '/v2/x/%zz', '/v2/x/%252500',
  ];
  for (const path of refused) assert.notEqual(targetProblem({ path, query: null }), null, path);
  for (const query of ['a=b c', "a='b'", 'a=\u0001', 'a=\\', 'a=#']) assert.notEqual(targetProblem({ path: '/v2/users', query }), null, query);
  const allowed = [
    '/v2/meetings/abc%252Fdef%253D%253D/meeting_summary', '/v2/past_meetings/%2F%2Fabc%3D%3D/instances', '/v2/users',
    '/v2/x/...', '/v2/x/a.b', '/v2/x/.hidden', '/v2/users/p~abc@acme.com', '/v2/x/a;b=c',
  ];
  for (const path of allowed) assert.equal(targetProblem({ path, query: null }), null, path);
  assert.equal(targetProblem({ path: '/v2/report/users/x/meetings', query: 'from=2026-01-01&to=x%2By&page_size=30' }), null);
});

test('property: an accepted target is what a WHATWG URL parser (fetch) would send, byte for byte', () => {
  const char = fc.constantFrom('a', 'Z', '0', '.', '%', '2', 'e', 'E', 'f', '/', '\\', ';', '?', '#', ' ', '"', "'", 'é', '\u0000', '~', '@', '+', '=', '&');
  fc.assert(fc.property(fc.array(fc.string({ unit: char, maxLength: 8 }), { maxLength: 5 }), fc.option(fc.string({ unit: char, maxLength: 12 })), (segments, query) => {
    const path = '/' + segments.join('/');
    if (query !== null && query.includes('#')) return;
    if (targetProblem({ path, query }) !== null) return;
    const url = new URL(`https://h${path}${query === null ? '' : `?${query}`}`);
    assert.equal(url.pathname, path);
    assert.equal(url.search, query ? `?${query}` : '');
  }), { numRuns: 3000 });
});

/** A value some server could read as a `.` / `..` segment once decoded (any number of times), each piece read as NFKC reads it (`․` is `.`), as the proxy does. */
const makesDotSegment = (v: string): boolean => {
  for (let s = v, i = 0; i < 6; i++) {
    if (s.split(/[/\\]/).some((piece) => /^\.{1,2}$/.test(piece.split(';')[0].normalize('NFKC')))) return true;
    const next = s.replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    if (next === s) return false;
    s = next;
  }
  return true;
};

test('property: a decrypted value never adds a segment, a parameter or a query', () => {
  const unit = fc.oneof(fc.constantFrom('.', '/', '\\', ';', '?', '&', '=', '#', '%', '+', ' ', '%2e', '%2F', '%252e'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
  fc.assert(fc.property(fc.string({ unit, maxLength: 12 }), (plaintext) => {
    const target = { path: `/v2/users/${TOKEN}/meetings`, query: `user=${TOKEN}&page_size=3` };
    let out;
    try {
      out = reverseTokensInTarget(target, () => plaintext);
    } catch (e) {
      assert.ok(e instanceof UnplaceableTokenError);
      // Only dot segments, empty segments, or percent signs (which a server decoding twice reads as escapes) are refused.
      assert.ok(makesDotSegment(plaintext) || plaintext === '' || plaintext.includes('%'), `refused: ${JSON.stringify(plaintext)}`);
      return;
    }
    assert.ok(!makesDotSegment(plaintext) && plaintext !== '', `accepted ${JSON.stringify(plaintext)}`);
    assert.equal(out.path.split('/').length, 5);
    assert.equal(targetProblem({ path: out.path, query: out.query }), null);
    const params = parseQuery(out.query);
    assert.deepEqual(params.map((p) => p.name), ['user', 'page_size']);
    assert.equal(decodeURIComponent(out.path.split('/')[3]), plaintext);
    assert.equal(decodeURIComponent(out.query!.split('&')[0].slice('user='.length)), plaintext);
  }), { numRuns: 2000 });
});

test('decrypted values are encoded as psoxy sends them (path: google-http-client set; query: nothing that ends a value)', () => {
  const out = reverseTokensInTarget({ path: `/v2/users/${TOKEN}`, query: `a=${TOKEN}` }, () => "a/b?c#d&e=f+g h'é@x:y");
  assert.equal(out.path, "/v2/users/a%2Fb%3Fc%23d&e=f%2Bg%20h'%C3%A9@x:y");
  assert.equal(out.query, 'a=a/b?c%23d%26e%3Df%2Bg%20h%27%C3%A9@x:y');
  assert.throws(() => reverseTokensInTarget({ path: `/v2/users/${TOKEN}/x`, query: null }, () => '..'), UnplaceableTokenError);
  assert.throws(() => reverseTokensInTarget({ path: `/v2/users/${TOKEN}/x`, query: null }, () => '\ud800'), UnplaceableTokenError);
});
