// What of a source's error bodies and headers reaches the caller.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { summarizeSourceError } from '../src/proxy/source-error.ts';
import { headerProblem, passThroughHeaders } from '../src/proxy/response-headers.ts';
import { ConcurrencyLimit } from '../src/proxy/limits.ts';
import { ProxyError } from '../src/proxy/errors.ts';
import { utf8Bytes } from '../src/proxy/respond.ts';

const summary = (status: number, body: unknown) =>
  JSON.parse(summarizeSourceError(status, Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)))) as { error: string; status: number; sourceError?: unknown };

test("error summaries keep each source's codes and none of its text", () => {
  assert.deepEqual(summary(404, { code: 1001, message: 'User does not exist: alice@acme.com.' }).sourceError, { code: 1001 });
  assert.deepEqual(summary(404, { error: { code: 404, message: 'Not Found: bob', status: 'NOT_FOUND', errors: [{ reason: 'notFound', domain: 'global', message: 'bob' }] } }).sourceError,
    { error: { code: 404, status: 'NOT_FOUND', errors: [{ reason: 'notFound', domain: 'global' }] } });
  assert.deepEqual(summary(404, { error: { code: 'ErrorItemNotFound', message: 'x', innerError: { 'request-id': 'r', date: 'd' } } }).sourceError, { error: { code: 'ErrorItemNotFound' } });
  assert.deepEqual(summary(200, { ok: false, error: 'invalid_auth' }).sourceError, { ok: false, error: 'invalid_auth' });
  const plain = summary(500, 'Internal error for Alice Smith');
  assert.equal(plain.sourceError, undefined);
  assert.equal(plain.status, 500);
  // Codes that are really identifiers or people are dropped.
  assert.deepEqual(summary(400, { code: 1234567890, error: 'alice@acme.com', reason: 'Alice Smith', type: 'user_8372619402' }).sourceError, undefined);
  assert.deepEqual(summary(400, { status: 'alice.smith', type: 'KDcuGIm1QgePTO8WbOqwIQ', code: '555-123-4567', errors: [{ domain: 'acme.com', reason: 'alice_smith:acme.com' }] }).sourceError, undefined);
});

test('property: no string of a source error body that is not a short code survives the summary', () => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (body) => {
    const out = summarizeSourceError(418, Buffer.from(JSON.stringify(body)));
    const strings: string[] = [];
    JSON.parse(out, (_k, v: unknown) => { if (typeof v === 'string') strings.push(v); return v; });
    for (const s of strings) {
      if (s === 'API_ERROR' || s.startsWith("The source's error text")) continue;
      assert.match(s, /^[A-Za-z0-9_]{1,48}$/);
      assert.doesNotMatch(s, /@|\d{6}/);
    }
  }));
});

test('pass-through headers: grammar, length, printable ASCII and no personal data, else dropped', () => {
  const src = new Headers({
    'Content-Type': 'application/json; charset=utf-8',
    ETag: '"abc"',
    Link: '<https://api.zoom.us/v2/users?next_page_token=x>; rel="next"',
    'Retry-After': '7',
    'X-RateLimit-Remaining': '0',
    'X-RateLimit-Type': 'QPS',
    'Set-Cookie': 'a=b',
    'X-Custom': 'c',
  });
  const dropped: string[] = [];
  const out = passThroughHeaders(src, (name) => dropped.push(name));
  const names: string[] = [];
  out.forEach((_v, k) => names.push(k));
  assert.deepEqual(names.sort(), ['content-type', 'etag', 'link', 'retry-after', 'x-ratelimit-remaining', 'x-ratelimit-type']);
  assert.deepEqual(dropped, []);
  assert.equal(headerProblem('link', '<https://api.zoom.us/v2/users?email=alice@acme.com>; rel="next"'), 'looks like personal data');
  assert.equal(headerProblem('etag', 'not-an-etag alice'), 'not in the grammar of its header');
  assert.equal(headerProblem('x-ratelimit-limit', 'x'.repeat(5000)), 'too long');
  assert.equal(headerProblem('x-ratelimit-limit', 'Alice Smith <alice@acme.com>'), 'not in the grammar of its header');
  assert.equal(headerProblem('content-type', 'text/html\u0007'), 'not printable ASCII');
  assert.equal(headerProblem('retry-after', 'soon'), 'not in the grammar of its header');
  assert.equal(headerProblem('last-modified', 'Mon, 30 Nov 2026 13:00:00 GMT'), null);
});

test('concurrency: calls over the limit wait their turn; only a full queue is refused with Retry-After', async () => {
  const limit = new ConcurrencyLimit();
  let running = 0;
  let peak = 0;
  const release: (() => void)[] = [];
  const job = () => limit.run(2, new AbortController().signal, async () => {
    running++;
    peak = Math.max(peak, running);
    await new Promise<void>((r) => release.push(r));
    running--;
  });
  const jobs = Array.from({ length: 10 }, job); // 2 running + 8 waiting = the most it holds
  await new Promise((r) => setImmediate(r));
  const refused = await job().then(() => null, (e: unknown) => e);
  assert.ok(refused instanceof ProxyError);
  assert.equal(refused.status, 503);
  assert.equal(refused.code, 'TOO_MANY_CONCURRENT_REQUESTS');
  assert.equal(refused.headers['Retry-After'], '1');
  while (release.length || running) {
    release.shift()?.();
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(jobs);
  assert.equal(peak, 2);
  // A waiter whose deadline passes leaves the queue with the same refusal.
  const hold: (() => void)[] = [];
  const holders = [1, 2].map(() => limit.run(2, new AbortController().signal, () => new Promise<void>((r) => hold.push(r))));
  const late = await limit.run(2, AbortSignal.timeout(20), async () => 'ran').then(() => null, (e: unknown) => e);
  assert.ok(late instanceof ProxyError && late.code === 'TOO_MANY_CONCURRENT_REQUESTS');
  hold.forEach((r) => r());
  await Promise.all(holders);
  assert.equal(await limit.run(2, new AbortController().signal, async () => 'free'), 'free', 'slots were released');
});

test('request bodies with tokens keep their numbers as written (big integers, 1.0) when re-serialized', async () => {
  const { reverseTokensInBody } = await import('../src/proxy/request-body.ts');
  const out = reverseTokensInBody('{"id":"p~x","n":12345678901234567890123,"d":1.0,"__proto__":{"a":"p~y"}}', 'application/json', (s) => s.replace('p~', 'plain-'));
  assert.equal(out, '{"id":"plain-x","n":12345678901234567890123,"d":1.0,"__proto__":{"a":"plain-y"}}');
});

test('property: response bytes are the UTF-8 of the text, ASCII fast path or not (lone surrogates as U+FFFD)', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme-ascii' }), (any, ascii) => {
    for (const text of [any, ascii, ascii + any, `${ascii}\u0141`, `${ascii}\ud800`]) assert.deepEqual(utf8Bytes(text), Buffer.from(text, 'utf8'));
  }));
});
