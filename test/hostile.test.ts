// Hostile callers and hostile upstreams, at the HTTP level (issue 8 contract): a real proxy on
// 127.0.0.1 in front of test/fakes/hostile-upstream.ts (or the Zoom simulator where real Zoom
// shapes matter). Every attack must fail closed: the right status and X-Psoxy-Error, a body free
// of personal data, and exactly the expected bytes (or nothing) reaching the source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { HostileUpstream, behaviours as b, type Behaviour } from './fakes/hostile-upstream.ts';
import { serveLocalProxy } from '../src/runtimes/node/serve.ts';
import { MemoryStore } from '../src/config/store.ts';
import { memoryLogger } from '../src/logging/logger.ts';
import { Pseudonymizer } from '../src/pseudonym/pseudonymizer.ts';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';
import type { RunningServer } from '../src/runtimes/node/server.ts';

type Json = Record<string, unknown>;

const SALT = 'hostile-salt-Vb7';
const ENCRYPTION_KEY = 'hostile-encryption-key-Kq2';
const CLIENT_ID = 'hostile-client-id';
const CLIENT_SECRET = 'hostile-client-secret-3f9Qz';
const ACCOUNT_ID = 'hostile-account-id';
const EMAIL = 'alice.hostile@acme-corp.com';
const MiB = 1024 * 1024;

const pz = new Pseudonymizer({ salt: SALT, encryptionKey: ENCRYPTION_KEY });
/** A real reversible `p~` token for `plain` (no `@`, so no domain suffix). */
const tokenFor = (plain: string) => Pseudonymizer.urlSafeToken(pz.pseudonymize(plain, { includeReversible: true })!);
const enc2 = (s: string) => encodeURIComponent(encodeURIComponent(s));

// ---- the stack ---------------------------------------------------------------------------------

interface Stack {
  up: HostileUpstream;
  proxy: RunningServer;
  url: string;
  logs: string[];
  get(path: string, init?: RequestInit): Promise<Response>;
  /** Asserts that no log line contains a secret, the test email, the fake's access token or `extra`. */
  assertLogsClean(extra?: string[]): void;
  close(): Promise<void>;
}

/** fetch that fails the test with a clear message instead of hanging (default 8 s). */
async function fetchWithin(url: string, init: RequestInit = {}, ms = 8000): Promise<Response> {
  try {
    return await fetch(url, { signal: AbortSignal.timeout(ms), ...init });
  } catch (e) {
    if ((e as Error).name === 'TimeoutError') assert.fail(`${init.method ?? 'GET'} ${new URL(url).pathname}: no answer within ${ms} ms`);
    throw e;
  }
}

async function hostileStack(env: Record<string, string | undefined> = {}, up = new HostileUpstream()): Promise<Stack> {
  if (!up.port) await up.start();
  const fullEnv: Record<string, string> = {
    TARGET_HOST: up.url, REFRESH_ENDPOINT: `${up.url}/oauth/token`,
    PSOXY_ZOOM_ACCOUNT_ID: ACCOUNT_ID, PSOXY_ZOOM_CLIENT_ID: CLIENT_ID, PSOXY_ZOOM_CLIENT_SECRET: CLIENT_SECRET,
    PSOXY_SALT: SALT, PSOXY_ENCRYPTION_KEY: ENCRYPTION_KEY,
  };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete fullEnv[k];
    else fullEnv[k] = v;
  }
  const logger = memoryLogger();
  const proxy = await serveLocalProxy({ source: 'zoom', env: fullEnv, store: new MemoryStore(), logger, tokenTimings: { lockRetryMs: 20 } });
  return {
    up, proxy, url: proxy.url, logs: logger.lines,
    get: (path, init) => fetchWithin(proxy.url + path, init),
    assertLogsClean(extra = []) {
      const text = logger.lines.join('\n');
      for (const secret of [EMAIL, CLIENT_SECRET, SALT, ENCRYPTION_KEY, up.accessToken, ...extra]) {
        assert.ok(!text.includes(secret), `a log line contains ${JSON.stringify(secret)}`);
      }
    },
    close: async () => {
      await proxy.close();
      await up.stop();
    },
  };
}

// ---- HTTP clients that do not normalize --------------------------------------------------------

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  error?: string;
}

function parseRawResponse(buf: Buffer): RawResponse {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: '', error: `no complete response head (${buf.length} bytes)` };
  const [statusLine, ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    const k = line.slice(0, i).trim().toLowerCase();
    const v = line.slice(i + 1).trim();
    headers[k] = k in headers ? `${headers[k]}, ${v}` : v;
  }
  let rest = buf.subarray(end + 4);
  if ((headers['transfer-encoding'] ?? '').toLowerCase().includes('chunked')) {
    const parts: Buffer[] = [];
    for (;;) {
      const nl = rest.indexOf('\r\n');
      if (nl < 0) break;
      const size = parseInt(rest.subarray(0, nl).toString('latin1'), 16);
      if (!size) break;
      parts.push(rest.subarray(nl + 2, nl + 2 + size));
      rest = rest.subarray(nl + 2 + size + 2);
    }
    rest = Buffer.concat(parts);
  } else if (headers['content-length'] !== undefined) {
    rest = rest.subarray(0, Number(headers['content-length']));
  }
  return { status: Number(statusLine.split(' ')[1]) || 0, headers, body: rest.toString('utf8') };
}

/** Sends `head` (and `body`) byte for byte on a fresh connection and reads the answer until close. */
function rawRequest(baseUrl: string, head: string, body?: Buffer, timeoutMs = 5000): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname);
    const timer = setTimeout(() => { socket.destroy(); resolve({ ...parseRawResponse(Buffer.concat(chunks)), error: 'timeout' }); }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => { clearTimeout(timer); resolve(parseRawResponse(Buffer.concat(chunks))); });
    socket.write(Buffer.from(head, 'latin1'));
    if (body) socket.write(body);
  });
}

/** `METHOD target HTTP/1.1` with the target exactly as given (latin1 bytes). */
function rawCall(baseUrl: string, target: string, o: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const headers = { Host: new URL(baseUrl).host, Connection: 'close', ...o.headers };
  const head = `${o.method ?? 'GET'} ${target} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return rawRequest(baseUrl, head);
}

interface UploadResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  written: number;
  error?: string;
}

/**
 * Streams `total` bytes of request body in 64 KiB chunks (one reused buffer), with back-pressure,
 * and stops writing as soon as a response arrives. `abort()` cuts the upload (memory watchdog).
 */
function upload(url: string, o: { method?: string; total: number; headers?: Record<string, string>; timeoutMs?: number; end?: boolean }): { done: Promise<UploadResult>; abort(): void } {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let abort = () => undefined as void;
  const done = new Promise<UploadResult>((resolve) => {
    let written = 0;
    let responded = false;
    let settled = false;
    const settle = (r: UploadResult) => { if (!settled) { settled = true; clearTimeout(timer); resolve(r); } };
    const req = httpRequest(url, { method: o.method ?? 'POST', headers: { 'Content-Type': 'application/json', ...o.headers } }, (res) => {
      responded = true;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => settle({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8'), written }));
      res.on('error', () => settle({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8'), written }));
    });
    const timer = setTimeout(() => { req.destroy(); settle({ status: 0, headers: {}, body: '', written, error: 'no response in time' }); }, o.timeoutMs ?? 10_000);
    abort = () => { req.destroy(); settle({ status: 0, headers: {}, body: '', written, error: 'aborted by the memory watchdog' }); };
    req.on('error', (e) => { if (!responded) settle({ status: 0, headers: {}, body: '', written, error: (e as Error).message }); });
    void (async () => {
      while (written < o.total && !responded && !req.destroyed) {
        const n = Math.min(chunk.length, o.total - written);
        written += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          await new Promise<void>((r) => {
            const done = () => { req.off('drain', done); clearInterval(t); r(); };
            const t = setInterval(() => { if (responded || req.destroyed) done(); }, 10);
            req.on('drain', done);
          });
        }
      }
      if (o.end !== false && !responded && !req.destroyed && written >= o.total) req.end();
    })();
  });
  return { done, abort: () => abort() };
}

// ---- memory ------------------------------------------------------------------------------------

/**
 * Runs `fn` while sampling RSS every 5 ms; `onExceed` fires once when growth passes `limit`
 * (so a proxy that buffers everything is stopped instead of exhausting the machine).
 */
async function watchMemory<T>(limit: number, onExceed: () => void, fn: () => Promise<T>): Promise<{ result: T; peakGrowth: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage().rss;
  let peak = 0;
  let fired = false;
  const sample = () => {
    const growth = process.memoryUsage().rss - base;
    peak = Math.max(peak, growth);
    if (growth > limit && !fired) { fired = true; onExceed(); }
  };
  const timer = setInterval(sample, 5);
  try {
    const result = await fn();
    sample();
    return { result, peakGrowth: peak };
  } finally {
    clearInterval(timer);
  }
}

const MEMORY_LIMIT = 300 * MiB;
const headerObject = (h: Headers): Record<string, string> => {
  const o: Record<string, string> = {};
  h.forEach((v, k) => { o[k] = v; });
  return o;
};
const mb = (n: number) => `${Math.round(n / MiB)} MB`;

// ---- assertions --------------------------------------------------------------------------------

async function refusal(res: Response | RawResponse, status: number, code: string | null, label: string): Promise<string> {
  const body = res instanceof Response ? await res.text() : res.body;
  const header = res instanceof Response ? res.headers.get('x-psoxy-error') : (res.headers['x-psoxy-error'] ?? null);
  assert.equal(res.status, status, `${label}: status (body: ${body.slice(0, 200)})`);
  if (code !== null) assert.equal(header, code, `${label}: X-Psoxy-Error`);
  return body;
}

function assertNothingUpstream(up: HostileUpstream, label: string, before = 0): void {
  assert.deepEqual(up.requests.slice(before).map((r) => `${r.method} ${r.rawUrl}`), [], `${label}: reached the source`);
}

const BUILT_IN_OK: Behaviour = b.json(200, { users: [{ id: 'u-1', email: EMAIL, status: 'active' }], page_size: 1 });

// =================================================================================================
// 1. Request target
// =================================================================================================

test('path traversal, backslashes, encoded dots and control characters: 400 INVALID_REQUEST, nothing sent upstream', async () => {
  const s = await hostileStack();
  try {
    const targets = [
      '/v2/meetings/123\\..\\..\\past_meetings\\123',
      '/v2/meetings/..\\users',
      '/v2/meetings/../users',
      '/v2/meetings/%2e%2e/users',
      '/v2/meetings/%2E%2e/users',
      '/v2/meetings/%2E%2E/users',
      '/v2/meetings/.%2e/users',
      '/v2/meetings/%2e./users',
      '/v2/meetings/..;/users',
      '/v2/meetings/..;x/users',
      '/v2/meetings/%2e%2e;x/users',
      '/v2/meetings/%252e%252e/users',
      '/v2/meetings/%252E%252E%252Fusers',
      '/v2/meetings/abc%2F..%2F..%2Fusers',
      '/v2/meetings/abc%2f%2e%2e%2fusers',
      '/v2/meetings/abc%252F..%252Fusers',
      '/v2/meetings/..',
      '/v2/meetings/.',
      '/v2/meetings/%2e',
      '/v2/users/./meetings',
      '/v2/users/%2e/meetings',
      '/v2/users/u1%5C..%5C..%5Cgroups/meetings',
      '/v2/meetings/123%00',
      '/v2/meetings/123%0d%0aX-Injected:%201',
      '/v2/meetings/123%0A',
      '/v2/meetings/123%1f',
      '/v2/meetings/123%7F',
      '/v2/meetings/123#frag',
      '/v2/meetings/"123"',
      '/v2/meetings/<123>',
      '/v2/meetings/{123}',
      '/v2/meetings/12`3',
      '/v2/users?page_size=1\\',
      '/v2/users?page_size=1#frag',
      '/v2/users?page_size="1"',
    ];
    const wrong: string[] = [];
    for (const target of targets) {
      const res = await rawCall(s.url, target);
      if (res.status !== 400 || res.headers['x-psoxy-error'] !== 'INVALID_REQUEST' || res.body.trim() === '') {
        wrong.push(`${target} → ${res.status} ${res.headers['x-psoxy-error'] ?? '-'} ${JSON.stringify(res.body.slice(0, 80))}`);
      }
    }
    assert.deepEqual(wrong, [], 'not refused with 400 INVALID_REQUEST and a body naming the problem');
    assertNothingUpstream(s.up, 'traversal');
    s.assertLogsClean();
  } finally {
    await s.close();
  }
});

test('raw spaces, raw control characters and raw non-ASCII in the request target: 400, nothing sent upstream', async () => {
  const s = await hostileStack();
  try {
    const wrong: string[] = [];
    for (const target of ['/v2/meetings/1 2', '/v2/users?page_size=1 2', '/v2/meetings/1\x01', '/v2/meetings/1\x7f', '/v2/meetings/1\t', '/v2/meetings/1\x00', '/v2/meetings/\x80\xff']) {
      const res = await rawCall(s.url, target);
      // Node's HTTP parser may refuse these before the proxy sees them (no X-Psoxy-Error then).
      if (res.status !== 400) wrong.push(`${JSON.stringify(target)} → ${res.status} ${res.error ?? ''}`);
    }
    assert.deepEqual(wrong, []);
    assertNothingUpstream(s.up, 'raw control characters');
  } finally {
    await s.close();
  }
});

test('X-Psoxy-TargetPath / X-Psoxy-TargetQuery get the same target checks: 400 INVALID_REQUEST, nothing sent upstream', async () => {
  const s = await hostileStack();
  try {
    const cases: [string, string][] = [
      ['X-Psoxy-TargetPath', '/v2/meetings/..\\users'],
      ['X-Psoxy-TargetPath', '/v2/meetings/123\\..\\..\\past_meetings\\123'],
      ['X-Psoxy-TargetPath', '/v2/meetings/../users'],
      ['X-Psoxy-TargetPath', '/v2/meetings/%2e%2e/users'],
      ['X-Psoxy-TargetPath', '/v2/meetings/.%2E/users'],
      ['X-Psoxy-TargetPath', '/v2/meetings/..;/users'],
      ['X-Psoxy-TargetPath', '/v2/meetings/%252e%252e/users'],
      ['X-Psoxy-TargetPath', '/v2/meetings/abc%2F..%2Fusers'],
      ['X-Psoxy-TargetPath', '/v2/meetings/1%00'],
      ['X-Psoxy-TargetPath', '/v2/meetings/1%0d%0a'],
      ['X-Psoxy-TargetPath', '/v2/meetings/1\t2'],
      ['X-Psoxy-TargetQuery', 'page_size=1\\'],
      ['X-Psoxy-TargetQuery', 'page_size=1#x'],
    ];
    const wrong: string[] = [];
    for (const [name, value] of cases) {
      const res = await rawCall(s.url, '/v2/users', { headers: { [name]: value } });
      if (res.status !== 400 || res.headers['x-psoxy-error'] !== 'INVALID_REQUEST') wrong.push(`${name}: ${JSON.stringify(value)} → ${res.status} ${res.headers['x-psoxy-error'] ?? '-'}`);
    }
    assert.deepEqual(wrong, [], 'not refused with 400 INVALID_REQUEST');
    assertNothingUpstream(s.up, 'overrides');
  } finally {
    await s.close();
  }
});

test('absolute-form targets, protocol-relative overrides and Host headers never redirect the call to another host', async () => {
  const s = await hostileStack();
  const other = new HostileUpstream();
  await other.start();
  try {
    const attempts: RawResponse[] = [
      await rawCall(s.url, `${other.url}/v2/users`),
      await rawCall(s.url, `//127.0.0.1:${other.port}/v2/users`),
      await rawCall(s.url, '/v2/users', { headers: { 'X-Psoxy-TargetPath': `//127.0.0.1:${other.port}/v2/users` } }),
      await rawCall(s.url, '/v2/users', { headers: { Host: `127.0.0.1:${other.port}` } }),
    ];
    for (const [i, res] of attempts.entries()) assert.ok(res.status === 200 || (res.status >= 400 && res.status < 500), `attempt ${i}: status ${res.status}`);
    assert.deepEqual(other.requests.concat(other.tokenRequests).map((r) => r.rawUrl), [], 'the other host received requests');
    // Whatever reached the configured source is a plain origin-form path.
    for (const r of s.up.requests) assert.match(r.rawUrl, /^\/v2\/users(\?|$)/);
  } finally {
    await other.stop();
    await s.close();
  }
});

test('Zoom double-encoded meeting UUIDs (%252F) still work and reach the source with exactly those bytes', async () => {
  const sim = new ZoomSimulator({ orgOptions: { seed: 3, users: 20, meetingsPerUser: 2, participantsPerMeeting: 5 } });
  await sim.start();
  const up = new HostileUpstream();
  await up.start();
  up.behave(b.forwardTo(sim.url));
  up.tokenBehaviour = b.forwardTo(sim.url);
  const s = await hostileStack({ ...sim.credentialSettings() }, up);
  try {
    const meeting = sim.org.meetings.find((m) => m.summary && m.uuid.includes('/'));
    assert.ok(meeting, 'the seeded org has a summarized meeting whose UUID contains /');
    const paths = [
      `/v2/meetings/${enc2(meeting.uuid)}/meeting_summary`,
      `/v2/past_meetings/${enc2(meeting.uuid)}/participants?page_size=30`,
      `/v2/report/meetings/${encodeURIComponent(meeting.uuid)}/participants?page_size=30`,
    ];
    for (const path of paths) {
      const before = up.requests.length;
      const res = await s.get(path);
      const text = await res.text();
      assert.equal(res.status, 200, `${path}: ${text.slice(0, 200)}`);
      assert.deepEqual(up.requests.slice(before).map((r) => r.rawUrl), [path], `${path}: bytes sent to the source`);
    }
  } finally {
    await s.close();
    await sim.stop();
  }
});

// =================================================================================================
// 2. Reversible tokens
// =================================================================================================

/** Invalid variants of a real token (all must get the same refusal). */
let invalidTokenCache: Record<string, string> | null = null;
function invalidTokens(): Record<string, string> {
  invalidTokenCache ??= makeInvalidTokens();
  return invalidTokenCache;
}

function makeInvalidTokens(): Record<string, string> {
  const good = tokenFor('u-plain-1234567');
  const bytes = Buffer.from(good.slice(2), 'base64url');
  const mutate = (f: (x: Buffer) => Buffer) => 'p~' + f(Buffer.from(bytes)).toString('base64url');
  const flip = (i: number, mask = 0x01) => mutate((x) => { x[i] ^= mask; return x; });
  // A 17..31-byte plaintext gives 32 + 32 bytes: its base64url has 4 spare bits at the end.
  const longer = tokenFor('u-plain-longer-123456');
  const lastChar = longer.at(-1)!;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const nonCanonical = longer.slice(0, -1) + alphabet[alphabet.indexOf(lastChar) ^ 0x01];
  return {
    'IV bit flipped': flip(0),
    'IV last byte flipped': flip(15, 0x80),
    'hash half flipped (valid padding, wrong hash)': flip(20),
    'hash last byte flipped (valid padding, wrong hash)': flip(31, 0xff),
    'ciphertext bit flipped': flip(40),
    'ciphertext truncated to 47 bytes': mutate((x) => x.subarray(0, 47)),
    'ciphertext truncated to 32 bytes (hash only)': mutate((x) => x.subarray(0, 32)),
    'extra block appended': mutate((x) => Buffer.concat([x, Buffer.alloc(16, 7)])),
    'encrypted with another key': Pseudonymizer.urlSafeToken(new Pseudonymizer({ salt: SALT, encryptionKey: 'another-key' }).pseudonymize('u-plain-1234567', { includeReversible: true })!),
    // Not decodable as strict base64url: decoders that ignore the extra bits would accept them.
    'bad base64 length (4n+1 characters)': good + 'A',
    'non-canonical base64 (spare bits set)': nonCanonical,
  };
}

/** The variants that are only wrong in their base64 text or length (see the strict-syntax test). */
const SYNTAX_ONLY = new Set(['bad base64 length (4n+1 characters)', 'non-canonical base64 (spare bits set)']);
const cryptoInvalidTokens = () => Object.fromEntries(Object.entries(invalidTokens()).filter(([k]) => !SYNTAX_ONLY.has(k)));
const syntaxInvalidTokens = () => Object.fromEntries(Object.entries(invalidTokens()).filter(([k]) => SYNTAX_ONLY.has(k)));

test('invalid p~ tokens in the path or a query value: all 409 TOKENIZED_REQUEST_PARAMETER_INVALID with one identical body, nothing sent upstream', async () => {
  const s = await hostileStack();
  try {
    // Control: a valid token is decrypted and reaches the source as its plaintext.
    const ok = await s.get(`/v2/users/${tokenFor('u-plain-1234567')}/meetings`);
    assert.equal(ok.status, 200, await ok.text());
    assert.deepEqual(s.up.requests.map((r) => r.path), ['/v2/users/u-plain-1234567/meetings']);
    const before = s.up.requests.length;
    const seen = new Map<string, string[]>();
    for (const [name, tok] of Object.entries(cryptoInvalidTokens())) {
      for (const path of [`/v2/users/${tok}/meetings`, `/v2/users?next_page_token=${tok}`]) {
        const res = await s.get(path);
        const body = await res.text();
        const key = `${res.status} ${res.headers.get('x-psoxy-error')} ${JSON.stringify(body)}`;
        seen.set(key, [...(seen.get(key) ?? []), `${name} in ${path.startsWith('/v2/users?') ? 'query' : 'path'}`]);
      }
    }
    assert.equal(seen.size, 1, `responses differ: ${JSON.stringify([...seen.entries()], null, 1)}`);
    const [key] = [...seen.keys()];
    assert.match(key, /^409 TOKENIZED_REQUEST_PARAMETER_INVALID /);
    assertNothingUpstream(s.up, 'invalid tokens', before);
    s.assertLogsClean(['u-plain-1234567', ...Object.values(invalidTokens())]);
  } finally {
    await s.close();
  }
});

test('strict token syntax: p~ tokens with a 4n+1 length or non-canonical base64 get the same 409, nothing sent upstream; shorter than a token is plain text', async () => {
  const s = await hostileStack();
  try {
    const reference = await s.get(`/v2/users/${invalidTokens()['IV bit flipped']}/meetings`);
    const expected = `${reference.status} ${reference.headers.get('x-psoxy-error')} ${JSON.stringify(await reference.text())}`;
    assert.match(expected, /^409 TOKENIZED_REQUEST_PARAMETER_INVALID /);
    const wrong: string[] = [];
    for (const [name, tok] of Object.entries(syntaxInvalidTokens())) {
      for (const path of [`/v2/users/${tok}/meetings`, `/v2/users?next_page_token=${tok}`]) {
        const res = await s.get(path);
        const got = `${res.status} ${res.headers.get('x-psoxy-error')} ${JSON.stringify(await res.text())}`;
        if (got !== expected) wrong.push(`${name} in ${path.includes('?') ? 'query' : 'path'} → ${got}`);
      }
    }
    assert.deepEqual(wrong, [], `expected ${expected}`);
    assertNothingUpstream(s.up, 'malformed tokens');
    // psoxy's token grammar needs 43+ base64url characters: anything shorter is not a token and
    // reaches the source as the text it is.
    const short = 'p~' + 'Ab'.repeat(16);
    s.up.behave(BUILT_IN_OK);
    assert.equal((await s.get(`/v2/users/${short}/meetings`)).status, 200);
    assert.deepEqual(s.up.requests.map((r) => r.path), [`/v2/users/${short}/meetings`]);
  } finally {
    await s.close();
  }
});

const TOKEN_RULES = `
endpoints:
  - pathTemplate: "/v2/things/{thingId}"
    allowedMethods: [GET, POST]
    allowedQueryParams: [q]
    allowedRequestHeaders: [X-Subject]
    transforms: []
`;

test('invalid p~ tokens in an allowed header or a request body: the same 409 and body as in the URL, nothing sent upstream', async () => {
  const s = await hostileStack({ RULES: TOKEN_RULES });
  try {
    const good = tokenFor('subject-42');
    const okHeader = await s.get('/v2/things/1', { headers: { 'X-Subject': good } });
    assert.equal(okHeader.status, 200, await okHeader.text());
    assert.equal(s.up.requests.at(-1)?.headers['x-subject'], 'subject-42', 'a valid token in an allowed header is reversed');
    const okBody = await s.get('/v2/things/1', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ subject: good }) });
    assert.equal(okBody.status, 200, await okBody.text());
    assert.equal(s.up.requests.at(-1)?.body.toString(), '{"subject":"subject-42"}', 'a valid token in a body is reversed');
    const before = s.up.requests.length;
    const seen = new Map<string, string[]>();
    for (const [name, tok] of Object.entries(cryptoInvalidTokens())) {
      const calls: [string, RequestInit | undefined, string][] = [
        [`/v2/things/${tok}`, undefined, 'path'],
        [`/v2/things/1?q=${tok}`, undefined, 'query'],
        ['/v2/things/1', { headers: { 'X-Subject': tok } }, 'header'],
        ['/v2/things/1', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ subject: tok }) }, 'body'],
      ];
      for (const [path, init, where] of calls) {
        const res = await s.get(path, init);
        const key = `${res.status} ${res.headers.get('x-psoxy-error')} ${JSON.stringify(await res.text())}`;
        seen.set(key, [...(seen.get(key) ?? []), `${name} in ${where}`]);
      }
    }
    assert.equal(seen.size, 1, `responses differ: ${JSON.stringify([...seen.entries()], null, 1)}`);
    assert.match([...seen.keys()][0], /^409 TOKENIZED_REQUEST_PARAMETER_INVALID /);
    // A token whose plaintext carries CR/LF (header injection) in an allowed header.
    const injected = await s.get('/v2/things/1', { headers: { 'X-Subject': tokenFor('ok\r\nX-Injected: 1') } });
    await refusal(injected, 409, 'TOKENIZED_REQUEST_PARAMETER_INVALID', 'CR/LF plaintext in a header');
    assertNothingUpstream(s.up, 'invalid tokens (header/body)', before);
  } finally {
    await s.close();
  }
});

test('caller headers the proxy acts on are checked up front and never echoed: X-Psoxy-Pseudonym-Implementation, Accept-Encoding q=0', async () => {
  const s = await hostileStack();
  try {
    s.up.behave(BUILT_IN_OK);
    const bad = await s.get('/v2/users', { headers: { 'X-Psoxy-Pseudonym-Implementation': `${EMAIL} p~abc` } });
    const body = await refusal(bad, 400, 'INVALID_REQUEST', 'bad implementation header');
    assert.ok(!body.includes(EMAIL));
    assertNothingUpstream(s.up, 'refused before the source');
    s.assertLogsClean();
    s.up.behave(b.json(200, { users: Array.from({ length: 50 }, (_, i) => ({ id: `u-${i}`, status: 'active' })) }));
    const raw = await rawCall(s.url, '/v2/users', { headers: { 'Accept-Encoding': 'gzip;q=0, identity' } });
    assert.equal(raw.status, 200);
    assert.equal(raw.headers['content-encoding'], undefined, 'gzip;q=0 refuses gzip');
    s.up.behave(({ res }) => { const gz = gzipSync(JSON.stringify({ users: [{ id: 'u-1', email: EMAIL }] })); res.writeHead(200, { 'Content-Type': 'Application/GZIP; charset=binary' }); res.end(gz); });
    const gz = await s.get('/v2/users');
    const gzBody = await gz.text();
    assert.equal(gz.status, 200, gzBody);
    assert.ok(!gzBody.includes(EMAIL));
  } finally {
    await s.close();
  }
});

test('a source echoing a decrypted token (Link, ETag, a body field) does not hand the caller its plaintext', async () => {
  const s = await hostileStack({ RULES: TOKEN_RULES });
  try {
    const secret = 'KDcuGIm1QgePTO8WbOqwIQ';
    const token = tokenFor(secret);
    s.up.behave(({ res, rec }) => {
      res.writeHead(200, {
        'Content-Type': 'application/json',
        Link: `<${s.up.url}${rec.rawUrl}&next_page_token=abc>; rel="next"`,
        ETag: `"${secret}"`,
        'X-RateLimit-Remaining': '9',
      });
      res.end(JSON.stringify({ ok: true }));
    });
    const res = await s.get(`/v2/things/${token}?q=1`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(s.up.requests[0].path, `/v2/things/${secret}`, 'the source got the plaintext');
    assert.equal(res.headers.get('link'), null);
    assert.equal(res.headers.get('etag'), null);
    assert.equal(res.headers.get('x-ratelimit-remaining'), '9', 'other headers still pass');
    assert.ok(!(await res.text()).includes(secret));
    s.up.behave(b.json(200, { echo: `you asked for ${secret}` }));
    const echoed = await s.get(`/v2/things/${token}`);
    const body = await refusal(echoed, 502, 'LEAK_GUARD_BLOCKED', 'body echo');
    assert.ok(!body.includes(secret));
    s.assertLogsClean([secret]);
  } finally {
    await s.close();
  }
});

test('decrypted values are percent-encoded where they stand: no new path segment, query parameter or fragment', async () => {
  const s = await hostileStack();
  try {
    const plaintexts = ['a/b', 'a/b/c', 'a?b=c', 'a#b', 'a&b=c', 'a..b', 'a+b=c&d', 'x?y#z/w'];
    for (const plain of plaintexts) {
      const tok = tokenFor(plain);
      // In a path segment.
      let before = s.up.requests.length;
      let res = await s.get(`/v2/users/${tok}/meetings`);
      assert.equal(res.status, 200, `${plain} in path: ${await res.text()}`);
      let recs = s.up.requests.slice(before);
      assert.equal(recs.length, 1, `${plain} in path: one upstream call`);
      let raw = recs[0].rawUrl;
      assert.ok(!raw.includes('?') && !raw.includes('#'), `${plain} in path: raw URL ${raw} gained a query or fragment`);
      const segs = raw.split('/');
      assert.equal(segs.length, 5, `${plain} in path: raw URL ${raw} gained a segment`);
      assert.deepEqual([segs[1], segs[2], segs[4]], ['v2', 'users', 'meetings'], raw);
      assert.equal(decodeURIComponent(segs[3]), plain, `${plain} in path: ${raw}`);
      // In a query value.
      before = s.up.requests.length;
      res = await s.get(`/v2/users?page_size=1&next_page_token=${tok}`);
      assert.equal(res.status, 200, `${plain} in query: ${await res.text()}`);
      recs = s.up.requests.slice(before);
      assert.equal(recs.length, 1, `${plain} in query: one upstream call`);
      raw = recs[0].rawUrl;
      assert.ok(!raw.includes('#'), `${plain} in query: raw URL ${raw} has a fragment`);
      const [path, query] = [raw.slice(0, raw.indexOf('?')), raw.slice(raw.indexOf('?') + 1)];
      assert.equal(path, '/v2/users', raw);
      const params = query.split('&');
      assert.deepEqual(params.map((p) => p.split('=')[0]), ['page_size', 'next_page_token'], `${plain} in query: ${raw} gained a parameter`);
      const value = params[1].slice('next_page_token='.length);
      assert.ok(!/[&=#+]/.test(value), `${plain} in query: ${value} is not encoded`);
      assert.equal(decodeURIComponent(value), plain, `${plain} in query: ${raw}`);
    }
    // A plaintext that would itself be a dot segment.
    const before = s.up.requests.length;
    for (const plain of ['..', '.']) {
      const res = await s.get(`/v2/users/${tokenFor(plain)}/meetings`);
      await refusal(res, 409, 'TOKENIZED_REQUEST_PARAMETER_INVALID', `plaintext ${plain} in a path segment`);
    }
    assertNothingUpstream(s.up, 'dot-segment plaintexts', before);
    // Plaintexts with an embedded traversal or CR/LF: refused, or one encoded segment (never raw).
    for (const plain of ['a/../../groups', 'x\r\ny']) {
      const from = s.up.requests.length;
      const res = await s.get(`/v2/users/${tokenFor(plain)}/meetings`);
      const recs = s.up.requests.slice(from);
      if (res.status === 409) {
        assert.equal(recs.length, 0);
        continue;
      }
      assert.equal(recs.length, 1, `${JSON.stringify(plain)}: status ${res.status}`);
      const segs = recs[0].rawUrl.split('/');
      assert.equal(segs.length, 5, `${JSON.stringify(plain)}: ${recs[0].rawUrl}`);
      assert.ok(!/[\r\n]|\/\.\.\//.test(recs[0].rawUrl), `${JSON.stringify(plain)}: ${recs[0].rawUrl}`);
      assert.equal(decodeURIComponent(segs[3]), plain);
    }
    s.assertLogsClean(plaintexts.filter((p) => p.length > 4));
  } finally {
    await s.close();
  }
});

test('padding oracle: 200 random mutations of a token\'s last blocks all get one identical response, nothing sent upstream', async () => {
  const s = await hostileStack();
  try {
    const tok = tokenFor('a-forty-byte-plaintext-for-three-blocks!');
    const bytes = Buffer.from(tok.slice(2), 'base64url');
    assert.equal(bytes.length, 32 + 48);
    const responses = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const x = Buffer.from(bytes);
      // Any byte of the last two ciphertext blocks (the one before the last drives the padding).
      const at = 48 + (randomBytes(1)[0] % 32);
      x[at] ^= 1 + (randomBytes(1)[0] % 255);
      const res = await s.get(`/v2/users/p~${x.toString('base64url')}/meetings`);
      const key = `${res.status} ${res.headers.get('x-psoxy-error')} ${JSON.stringify(await res.text())}`;
      responses.set(key, (responses.get(key) ?? 0) + 1);
    }
    assert.equal(responses.size, 1, `distinguishable responses: ${JSON.stringify([...responses])}`);
    assert.match([...responses.keys()][0], /^409 TOKENIZED_REQUEST_PARAMETER_INVALID /);
    assertNothingUpstream(s.up, 'padding oracle');
    s.assertLogsClean([tok.slice(0, 30), 'a-forty-byte-plaintext']);
  } finally {
    await s.close();
  }
});

test('rules run before decryption: tokens (valid or not) in blocked URLs get 403 BLOCKED_BY_RULES', async () => {
  const s = await hostileStack();
  try {
    const good = tokenFor('u-plain-1234567');
    const bad = invalidTokens()['hash half flipped (valid padding, wrong hash)'];
    const calls: [string, string][] = [
      ['GET', `/v2/groups/${good}`], ['GET', `/v2/groups/${bad}`],
      ['GET', `/v2/users/${bad}/polls`], ['GET', `/v2/users?role_id=${bad}`],
      ['DELETE', `/v2/users/${bad}/meetings`], ['DELETE', `/v2/users/${good}/meetings`],
    ];
    for (const [method, path] of calls) {
      const res = await s.get(path, { method });
      const body = await refusal(res, 403, 'BLOCKED_BY_RULES', `${method} ${path}`);
      assert.equal(body, '', `${method} ${path}: no body`);
    }
    assertNothingUpstream(s.up, 'blocked URLs with tokens');
  } finally {
    await s.close();
  }
});

// =================================================================================================
// 3. Methods
// =================================================================================================

test('methods: built-in Zoom rules forward GET and HEAD only; DELETE, POST, PUT, PATCH, OPTIONS, TRACE get 403 and reach nothing', async () => {
  const s = await hostileStack();
  s.up.behave(BUILT_IN_OK);
  try {
    const calls: [string, string, string | undefined][] = [
      ['DELETE', '/v2/meetings/1', undefined], ['POST', '/v2/users', '{"email":"x@y.com"}'], ['PUT', '/v2/users', '{}'],
      ['PATCH', '/v2/meetings/1', '{"topic":"x"}'], ['PUT', '/v2/meetings/1', undefined], ['OPTIONS', '/v2/users', undefined],
      ['PROPFIND', '/v2/users', undefined],
    ];
    const wrong: string[] = [];
    for (const [method, path, body] of calls) {
      const res = await s.get(path, { method, body, headers: body ? { 'Content-Type': 'application/json' } : {} });
      if (res.status !== 403 || res.headers.get('x-psoxy-error') !== 'BLOCKED_BY_RULES') wrong.push(`${method} ${path} → ${res.status} ${res.headers.get('x-psoxy-error')}`);
    }
    // fetch cannot send TRACE; Node's server accepts it.
    const trace = await rawCall(s.url, '/v2/users', { method: 'TRACE' });
    if (trace.status !== 403 || trace.headers['x-psoxy-error'] !== 'BLOCKED_BY_RULES') wrong.push(`TRACE /v2/users → ${trace.status} ${trace.headers['x-psoxy-error']}`);
    assert.deepEqual(wrong, [], 'not refused with 403 BLOCKED_BY_RULES');
    assertNothingUpstream(s.up, 'write methods');
    // A method override header must not smuggle a write.
    const overridden = await s.get('/v2/users', { headers: { 'X-HTTP-Method-Override': 'DELETE', 'X-Method-Override': 'DELETE', Authorization: 'Bearer caller-token' } });
    assert.equal(overridden.status, 200);
    const first = s.up.requests[0];
    assert.equal(first.method, 'GET');
    assert.equal(first.headers['x-http-method-override'], undefined, 'method override header forwarded');
    assert.equal(first.headers['x-method-override'], undefined, 'method override header forwarded');
    assert.equal(first.headers.authorization, `Bearer ${s.up.accessToken}`, 'the caller\'s Authorization replaced by the source token');

    const get = await s.get('/v2/users');
    assert.equal(get.status, 200);
    const head = await s.get('/v2/users', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.deepEqual(s.up.requests.map((r) => r.method), ['GET', 'GET', 'HEAD']);
  } finally {
    await s.close();
  }
});

test('methods: endpoints without allowedMethods take GET, HEAD and POST only; with allowedMethods only those', async () => {
  const rules = `
endpoints:
  - pathTemplate: "/v2/open"
    transforms: []
  - pathTemplate: "/v2/get-only"
    allowedMethods: [GET]
    transforms: []
`;
  const s = await hostileStack({ RULES: rules });
  try {
    for (const method of ['GET', 'HEAD', 'POST']) {
      const res = await s.get('/v2/open', { method, ...(method === 'POST' ? { body: '{}', headers: { 'Content-Type': 'application/json' } } : {}) });
      assert.equal(res.status, 200, `${method} /v2/open`);
    }
    assert.deepEqual(s.up.requests.map((r) => `${r.method} ${r.path}`), ['GET /v2/open', 'HEAD /v2/open', 'POST /v2/open']);
    const before = s.up.requests.length;
    for (const [method, path] of [['DELETE', '/v2/open'], ['PUT', '/v2/open'], ['PATCH', '/v2/open'], ['OPTIONS', '/v2/open'], ['POST', '/v2/get-only'], ['DELETE', '/v2/get-only']]) {
      const res = await s.get(path, { method, ...(method !== 'DELETE' && method !== 'OPTIONS' ? { body: '{}' } : {}) });
      await refusal(res, 403, 'BLOCKED_BY_RULES', `${method} ${path}`);
    }
    assertNothingUpstream(s.up, 'methods outside the rules', before);
  } finally {
    await s.close();
  }
});

// =================================================================================================
// 4. Bounds
// =================================================================================================

const POST_RULES = `
endpoints:
  - pathTemplate: "/v2/things"
    allowedMethods: [POST]
    transforms: []
`;

const SCHEMA_RULES = `
endpoints:
  - pathTemplate: "/v2/search"
    allowedMethods: [POST]
    requestBody:
      required: true
      content:
        application/json:
          type: object
          additionalProperties: false
          properties: { q: { type: string } }
    transforms: []
`;

test('request-body schemas cannot be skipped by changing Content-Type: only declared types pass', async () => {
  const s = await hostileStack({ RULES: SCHEMA_RULES });
  try {
    s.up.behave(b.json(200, {}));
    const post = (type: string, body: string) => s.get('/v2/search', { method: 'POST', headers: { 'Content-Type': type }, body });
    assert.equal((await post('application/json', '{"q":"x"}')).status, 200);
    await refusal(await post('application/json', '{"q":"x","evil":1}'), 403, 'BLOCKED_BY_RULES', 'schema violation');
    for (const type of ['text/plain', 'application/vnd.api+json', 'application/x-www-form-urlencoded']) {
      await refusal(await post(type, '{"q":"x","evil":1}'), 403, 'BLOCKED_BY_RULES', type);
    }
    assert.equal(s.up.requests.length, 1);
  } finally {
    await s.close();
  }
});

test('a 200 MB request body streamed in chunks: 413 REQUEST_TOO_LARGE without buffering it, nothing sent upstream', async (t) => {
  const s = await hostileStack({ RULES: POST_RULES });
  try {
    let abort = () => undefined as void;
    const { result, peakGrowth } = await watchMemory(MEMORY_LIMIT, () => abort(), async () => {
      const u = upload(`${s.url}/v2/things`, { total: 200 * MiB, headers: { 'Transfer-Encoding': 'chunked' } });
      abort = u.abort;
      return u.done;
    });
    t.diagnostic(`peak RSS growth ${mb(peakGrowth)}, body bytes written before the answer ${mb(result.written)}`);
    assert.equal(result.status, 413, `status (${result.error ?? ''}; wrote ${mb(result.written)})`);
    assert.equal(result.headers['x-psoxy-error'], 'REQUEST_TOO_LARGE');
    assert.ok(peakGrowth < MEMORY_LIMIT, `RSS grew by ${mb(peakGrowth)}`);
    assert.ok(result.written < 200 * MiB, 'the proxy answered before the whole body was sent');
    assertNothingUpstream(s.up, '200 MB body');
  } finally {
    await s.close();
  }
});

test('request bodies: a Content-Length over MAX_REQUEST_BODY_BYTES is refused before reading; bodies under it pass', async () => {
  const s = await hostileStack({ RULES: POST_RULES });
  try {
    // 10 GB announced, 1 KB sent: the answer must come without waiting for the rest.
    const announced = upload(`${s.url}/v2/things`, { total: 1024, headers: { 'Content-Length': String(10 * 1024 * MiB) }, timeoutMs: 3000, end: false });
    const res = await announced.done;
    announced.abort();
    assert.equal(res.status, 413, `status (${res.error ?? ''})`);
    assert.equal(res.headers['x-psoxy-error'], 'REQUEST_TOO_LARGE');
    assertNothingUpstream(s.up, 'announced 10 GB');
  } finally {
    await s.close();
  }
  const t = await hostileStack({ RULES: POST_RULES, MAX_REQUEST_BODY_BYTES: '1000' });
  try {
    const over = await t.get('/v2/things', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(1500) }) });
    await refusal(over, 413, 'REQUEST_TOO_LARGE', '1.5 KB body, 1000-byte limit');
    assertNothingUpstream(t.up, 'over the configured limit');
    const underBody = JSON.stringify({ pad: 'x'.repeat(500) });
    const under = await t.get('/v2/things', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: underBody });
    assert.equal(under.status, 200, await under.text());
    assert.equal(t.up.requests.length, 1);
    assert.equal(t.up.requests[0].bodyLength, underBody.length, 'the body reaches the source whole');
  } finally {
    await t.close();
  }
});

test('a client announcing an over-limit body and sending bytes anyway does not crash the proxy', async () => {
  const s = await hostileStack({ RULES: POST_RULES });
  try {
    for (let i = 0; i < 5; i++) {
      const u = upload(`${s.url}/v2/things`, { total: 64 * 1024, headers: { 'Content-Length': String(10 * 1024 * MiB) }, timeoutMs: 3000, end: false });
      const res = await u.done;
      assert.equal(res.status, 413, `attempt ${i}: ${res.error ?? ''}`);
      u.abort();
      // Give a late stream error (e.g. an uncaught exception in the adapter) the chance to surface here.
      await new Promise((r) => setTimeout(r, 50));
      const health = await s.get('/', { headers: { 'X-Psoxy-Health-Check': 'true' } });
      assert.equal(health.status, 200, `attempt ${i}: the proxy still answers`);
    }
    assertNothingUpstream(s.up, 'announced bodies');
  } finally {
    await s.close();
  }
});

test('gzip bombs (Content-Encoding gzip, gzip+gzip, br, and an application/gzip body): 502 SOURCE_RESPONSE_TOO_LARGE, bounded memory', async (t) => {
  const s = await hostileStack();
  try {
    const variants: [string, Behaviour][] = [
      ['Content-Encoding: gzip, 4 GiB inflated', b.gzipBomb({ encoding: 'gzip', inflatedMiB: 4096 })],
      ['Content-Encoding: gzip, gzip, 4 GiB inflated', b.gzipBomb({ encoding: 'gzip, gzip', inflatedMiB: 4096 })],
      ['Content-Encoding: br, 1 GiB inflated', b.gzipBomb({ encoding: 'br', inflatedMiB: 1024 })],
      ['Content-Type: application/gzip, 1 GiB inflated', b.gzipBomb({ encoding: 'application/gzip', inflatedMiB: 1024 })],
    ];
    for (const [name, behaviour] of variants) {
      s.up.behave(behaviour);
      const { result, peakGrowth } = await watchMemory(MEMORY_LIMIT, () => s.up.destroyConnections(), async () => {
        const res = await s.get('/v2/users');
        return { status: res.status, code: res.headers.get('x-psoxy-error'), body: await res.text() };
      });
      t.diagnostic(`${name}: peak RSS growth ${mb(peakGrowth)}`);
      assert.ok(peakGrowth < MEMORY_LIMIT, `${name}: RSS grew by ${mb(peakGrowth)}`);
      assert.equal(result.status, 502, `${name}: ${result.body.slice(0, 200)}`);
      assert.equal(result.code, 'SOURCE_RESPONSE_TOO_LARGE', name);
    }
  } finally {
    await s.close();
  }
});

test('huge source bodies: 64 MB chunked JSON, 64 MB with an honest Content-Length, 1 GB announced: 502 SOURCE_RESPONSE_TOO_LARGE, bounded memory', async (t) => {
  const s = await hostileStack();
  try {
    const variants: [string, Behaviour, boolean][] = [
      ['64 MB chunked', b.hugeJson(64 * MiB), false],
      ['64 MB with Content-Length', b.hugeJson(64 * MiB, { contentLength: true }), true],
      ['1 GB announced by Content-Length', b.declaredLength(1024 * MiB), true],
    ];
    for (const [name, behaviour, announced] of variants) {
      s.up.behave(behaviour);
      const from = s.up.requests.length;
      const { result, peakGrowth } = await watchMemory(MEMORY_LIMIT, () => s.up.destroyConnections(), async () => {
        const res = await s.get('/v2/users');
        return { status: res.status, code: res.headers.get('x-psoxy-error'), body: await res.text() };
      });
      t.diagnostic(`${name}: peak RSS growth ${mb(peakGrowth)}`);
      assert.ok(peakGrowth < MEMORY_LIMIT, `${name}: RSS grew by ${mb(peakGrowth)}`);
      assert.equal(result.status, 502, `${name}: ${result.body.slice(0, 200)}`);
      assert.equal(result.code, 'SOURCE_RESPONSE_TOO_LARGE', name);
      assert.ok(!result.body.includes('huge.body@acme-corp.com'), `${name}: body leaks`);
      const rec = s.up.requests[from];
      // Refused before reading: what was sent is at most what socket buffers hold, not the body.
      if (announced) assert.ok(rec.bytesSent < 32 * MiB, `${name}: the proxy read ${mb(rec.bytesSent)} of an over-limit Content-Length`);
    }
    s.assertLogsClean(['huge.body@acme-corp.com']);
  } finally {
    await s.close();
  }
});

test('bodies within the byte limit that parse into too much: 16 MB of {} and deep nesting get 502 SOURCE_RESPONSE_TOO_LARGE, bounded memory', async (t) => {
  const s = await hostileStack();
  try {
    const shapes: [string, string][] = [
      ['5 million empty objects', '{"users":[' + '{},'.repeat(5_000_000) + '{}]}'],
      ['nesting 600,000 deep (1.2 MB)', '{"users":' + '['.repeat(600_000) + ']'.repeat(600_000) + '}'],
    ];
    for (const [name, body] of shapes) {
      s.up.behave(b.text(200, body, { 'Content-Type': 'application/json' }));
      const { result, peakGrowth } = await watchMemory(MEMORY_LIMIT, () => s.up.destroyConnections(), async () => {
        const res = await s.get('/v2/users');
        return { status: res.status, code: res.headers.get('x-psoxy-error'), body: await res.text() };
      });
      t.diagnostic(`${name}: peak RSS growth ${mb(peakGrowth)}`);
      assert.ok(peakGrowth < MEMORY_LIMIT, `${name}: RSS grew by ${mb(peakGrowth)}`);
      assert.equal(result.status, 502, `${name}: ${result.body.slice(0, 200)}`);
      assert.equal(result.code, 'SOURCE_RESPONSE_TOO_LARGE', name);
    }
    const deepRequest = await s.get('/v2/users', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '['.repeat(50_000) + ']'.repeat(50_000) });
    await refusal(deepRequest, 413, 'REQUEST_TOO_LARGE', 'deep request body');
  } finally {
    await s.close();
  }
});

test('lying and broken source responses fail closed: no personal data, an X-Psoxy-Error', async () => {
  const s = await hostileStack();
  try {
    const full = JSON.stringify({ users: [{ id: 'u-1', email: EMAIL }] });
    const variants: [string, Behaviour][] = [
      ['Content-Length shorter than the body', b.lyingLength(20, full + full)],
      ['Content-Length longer than the body, then close', b.lyingLength(10_000, full)],
      ['Content-Length over the limit, tiny body', b.lyingLength(2 * 1024 * MiB, full)],
      ['control characters in a header', b.raw(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Trace: \x01${EMAIL}\r\nContent-Length: ${full.length}\r\nConnection: close\r\n\r\n${full}`)],
      ['not HTTP at all', b.raw(`${EMAIL}\r\n\r\n${full}`)],
      ['200 with an HTML body', b.text(200, `<html>hello ${EMAIL}</html>`, { 'Content-Type': 'text/html' })],
    ];
    for (const [name, behaviour] of variants) {
      s.up.behave(behaviour);
      const res = await s.get('/v2/users');
      const body = await res.text();
      assert.ok(res.status >= 500 && res.status <= 504, `${name}: status ${res.status} ${body.slice(0, 200)}`);
      assert.ok(res.headers.get('x-psoxy-error'), `${name}: X-Psoxy-Error`);
      assert.ok(!body.includes(EMAIL) && !JSON.stringify(headerObject(res.headers)).includes(EMAIL), `${name}: leaks the email`);
    }
    s.assertLogsClean();
  } finally {
    await s.close();
  }
});

test('request headers over MAX_REQUEST_HEADER_BYTES: 431 REQUEST_HEADERS_TOO_LARGE, nothing sent upstream; under it they pass', async () => {
  const s = await hostileStack({ MAX_REQUEST_HEADER_BYTES: '4096' });
  try {
    const big = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`X-Junk-${i}`, 'a'.repeat(1000)]));
    await refusal(await s.get('/v2/users', { headers: big }), 431, 'REQUEST_HEADERS_TOO_LARGE', '6 KB of headers');
    const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`X-Many-${i}`, 'b'.repeat(20)]));
    await refusal(await s.get('/v2/users', { headers: many }), 431, 'REQUEST_HEADERS_TOO_LARGE', '200 small headers');
    assertNothingUpstream(s.up, 'big headers');
    const fine = await s.get('/v2/users', { headers: { 'X-Junk-1': 'a'.repeat(1000), 'X-Junk-2': 'a'.repeat(1000) } });
    assert.equal(fine.status, 200, 'headers under the limit pass');
  } finally {
    await s.close();
  }
  const d = await hostileStack();
  try {
    const huge = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`X-Junk-${i}`, 'a'.repeat(1400)]));
    assert.equal((await d.get('/v2/users', { headers: huge })).status, 431, 'over the 16 KB default');
    assertNothingUpstream(d.up, 'default header limit');
  } finally {
    await d.close();
  }
});

test('MAX_CONCURRENT_SOURCE_REQUESTS=2 with a hanging source: 2 calls run, 8 wait their turn, the next gets 503 TOO_MANY_CONCURRENT_REQUESTS with Retry-After: 1', async () => {
  const s = await hostileStack({ MAX_CONCURRENT_SOURCE_REQUESTS: '2' });
  try {
    s.up.behave(BUILT_IN_OK);
    assert.equal((await s.get('/v2/users')).status, 200, 'warm-up (token fetched)');
    s.up.behave(b.hang());
    const hung = [s.get('/v2/users'), s.get('/v2/users')].map((p) => p.then((r) => r.status, () => 0));
    assert.ok(await s.up.waitForRequests(3), 'two calls reached the hanging source');
    // Up to 4 x the limit wait for a slot without reaching the source.
    const queued = Array.from({ length: 8 }, () => s.get('/v2/users').then((r) => r.status, () => 0));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(s.up.requests.length, 3, 'waiting calls have not reached the source');
    for (let i = 0; i < 3; i++) {
      // With the queue full an answer is due at once.
      const res = await fetchWithin(`${s.url}/v2/users`, {}, 3000);
      await refusal(res, 503, 'TOO_MANY_CONCURRENT_REQUESTS', `extra call ${i}`);
      assert.equal(res.headers.get('retry-after'), '1');
    }
    // Calls that never reach the source are not limited.
    assert.equal((await s.get('/v2/groups')).status, 403);
    assert.equal((await s.get('/', { headers: { 'X-Psoxy-Health-Check': 'true' } })).status, 200);
    assert.equal(s.up.requests.length, 3, 'refused calls did not reach the source');
    s.up.behave(BUILT_IN_OK);
    s.up.release(BUILT_IN_OK);
    assert.deepEqual(await Promise.all([...hung, ...queued]), Array(10).fill(200));
    assert.equal(s.up.requests.length, 11, 'each waiting call reached the source once a slot was free');
    assert.equal((await s.get('/v2/users')).status, 200, 'slots are free again');
  } finally {
    await s.close();
  }
});

test('concurrency slots are released after timeouts, oversized responses and source errors', async () => {
  const s = await hostileStack({ MAX_CONCURRENT_SOURCE_REQUESTS: '1', REQUEST_TIMEOUT_SECONDS: '0.3' });
  try {
    s.up.behave(b.hang());
    await refusal(await s.get('/v2/users'), 504, 'SOURCE_API_READ_TIMEOUT', 'hanging source');
    s.up.behave(b.hugeJson(20 * MiB));
    await refusal(await s.get('/v2/users'), 502, 'SOURCE_RESPONSE_TOO_LARGE', 'oversized');
    s.up.behave(b.raw('garbage'));
    assert.ok((await s.get('/v2/users')).status >= 500);
    s.up.behave(BUILT_IN_OK);
    for (let i = 0; i < 3; i++) assert.equal((await s.get('/v2/users')).status, 200, `call ${i} after failures`);
  } finally {
    await s.close();
  }
});

test('slow sources: a hang and a body that drips forever both end in 504 SOURCE_API_READ_TIMEOUT', async () => {
  const s = await hostileStack({ REQUEST_TIMEOUT_SECONDS: '0.5' });
  try {
    for (const [name, behaviour] of [['no answer', b.hang()], ['headers, then a byte every 100 ms', b.slowBody(100)]] as const) {
      s.up.behave(behaviour);
      const started = Date.now();
      await refusal(await s.get('/v2/users'), 504, 'SOURCE_API_READ_TIMEOUT', name);
      assert.ok(Date.now() - started < 3000, `${name}: took ${Date.now() - started} ms`);
    }
  } finally {
    await s.close();
  }
});

// =================================================================================================
// 5. Side paths
// =================================================================================================

test('non-2xx source bodies are summarized: status and codes kept, ids, emails and messages dropped', async () => {
  const s = await hostileStack();
  const id = 'zoom-user-Qx81abc';
  try {
    const cases: [string, string, Behaviour, (e: Json) => void][] = [
      ['Zoom 1001 echoing an email', `/v2/users/${EMAIL}/meetings`,
        b.json(404, { code: 1001, message: `User does not exist: ${EMAIL}.` }),
        (e) => assert.deepEqual(e.sourceError, { code: 1001 })],
      ['Zoom 1001 echoing a decrypted id', `/v2/users/${tokenFor(id)}/meetings`,
        (ctx) => b.json(404, { code: 1001, message: `User does not exist: ${decodeURIComponent(ctx.rec.path.split('/')[3])}.` })(ctx),
        (e) => assert.deepEqual(e.sourceError, { code: 1001 })],
      ['Google', '/v2/users',
        b.json(404, { error: { code: 404, message: `Requested entity was not found: ${EMAIL}`, errors: [{ message: `Not found: ${EMAIL}`, domain: 'global', reason: 'notFound' }], status: 'NOT_FOUND' } }),
        (e) => assert.match(JSON.stringify(e.sourceError), /notFound|NOT_FOUND/)],
      ['Microsoft Graph', '/v2/users',
        b.json(404, { error: { code: 'Request_ResourceNotFound', message: `Resource '${EMAIL}' does not exist or one of its queried reference-property objects are not present.`, innerError: { date: '2024-05-01T10:00:00', 'request-id': 'c3b5e1f2-0000-4000-8000-000000000001' } } }),
        (e) => assert.match(JSON.stringify(e.sourceError), /Request_ResourceNotFound/)],
      ['code-like fields holding prose or an email', '/v2/users',
        b.json(400, { code: EMAIL, error: `bad user ${EMAIL}`, reason: 'has spaces in it', type: 'invalid_request', user_id: id }),
        (e) => assert.deepEqual(e.sourceError, { type: 'invalid_request' })],
      ['plain text', '/v2/users', b.text(404, `User ${EMAIL} (${id}) not found`), () => undefined],
      ['HTML from a gateway', '/v2/users', b.text(502, `<html><body>upstream failed for ${EMAIL}</body></html>`, { 'Content-Type': 'text/html' }), () => undefined],
    ];
    for (const [name, path, behaviour, check] of cases) {
      s.up.behave(behaviour);
      const res = await s.get(path);
      const text = await res.text();
      const expected = name === 'HTML from a gateway' ? 502 : name.startsWith('code-like') ? 400 : 404;
      assert.equal(res.status, expected, `${name}: status passed through`);
      assert.equal(res.headers.get('x-psoxy-error'), 'API_ERROR', name);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/, name);
      for (const secret of [EMAIL, id, 'does not exist', 'Requested entity', 'upstream failed']) {
        assert.ok(!text.includes(secret), `${name}: body contains ${JSON.stringify(secret)}: ${text}`);
      }
      const body = JSON.parse(text) as Json;
      assert.equal(body.error, 'API_ERROR', name);
      assert.equal(body.status, expected, name);
      assert.equal(typeof body.detail, 'string', name);
      check(body);
    }
    s.assertLogsClean([id]);
  } finally {
    await s.close();
  }
});

test('non-2xx: Retry-After and x-ratelimit-* kept on a 429; SOURCE_ERROR_BODY=pass-through restores the raw body', async () => {
  const raw = JSON.stringify({ code: 1001, message: `User does not exist: ${EMAIL}.` });
  const s = await hostileStack();
  try {
    s.up.behave(b.json(429, { code: 429, message: `Too many requests for ${EMAIL}` }, { 'Retry-After': '7', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Type': 'QPS' }));
    const res = await s.get('/v2/users');
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(res.headers.get('x-ratelimit-type'), 'QPS');
    const body = JSON.parse(await res.text()) as Json;
    assert.deepEqual(body.sourceError, { code: 429 });
  } finally {
    await s.close();
  }
  // An id echo (no email: nothing for the leak guard to object to) comes back verbatim.
  const idEcho = JSON.stringify({ code: 1001, message: 'User does not exist: zoom-user-Qx81abc.' });
  const p = await hostileStack({ SOURCE_ERROR_BODY: 'pass-through' });
  try {
    p.up.behave(b.json(404, idEcho));
    const res = await p.get('/v2/users/zoom-user-Qx81abc/meetings');
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('x-psoxy-error'), 'API_ERROR');
    assert.equal(await res.text(), idEcho, 'verbatim body (psoxy behaviour)');
    p.assertLogsClean(['zoom-user-Qx81abc']);
  } finally {
    await p.close();
  }
  // With the leak guard off, even an email echo is psoxy's verbatim body.
  const q = await hostileStack({ SOURCE_ERROR_BODY: 'pass-through', LEAK_GUARD: 'off' });
  try {
    q.up.behave(b.json(404, raw));
    const res = await q.get('/v2/users/someone/meetings');
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('x-psoxy-error'), 'API_ERROR');
    assert.equal(await res.text(), raw, 'verbatim body (psoxy behaviour)');
    q.assertLogsClean();
  } finally {
    await q.close();
  }
});

test('pass-through headers: leaky or malformed values are dropped, well-formed ones kept', async () => {
  const s = await hostileStack();
  try {
    s.up.behave(b.json(200, { users: [] }, {
      Link: `<https://api.zoom.us/v2/users?next_page_token=${EMAIL}>; rel="next"`,
      ETag: 'alice-not-an-etag',
      'X-RateLimit-Limit': 'a'.repeat(5000),
      'X-RateLimit-Category': 'Medium',
      'X-RateLimit-Remaining': '9',
      'Cache-Control': `private, x=${EMAIL}`,
      Expires: EMAIL,
      'Last-Modified': 'not a date at all',
      'Retry-After': 'soon, alice',
      'Set-Cookie': `who=${EMAIL}`,
      'X-Zm-Trackingid': EMAIL,
    }));
    const res = await s.get('/v2/users');
    assert.equal(res.status, 200);
    const headers = headerObject(res.headers);
    assert.ok(!JSON.stringify(headers).includes('acme-corp'), `a header leaks the email: ${JSON.stringify(headers).slice(0, 600)}`);
    for (const dropped of ['link', 'etag', 'x-ratelimit-limit', 'cache-control', 'expires', 'last-modified', 'retry-after', 'set-cookie', 'x-zm-trackingid']) {
      assert.equal(headers[dropped], undefined, `${dropped} should be dropped`);
    }
    assert.equal(headers['x-ratelimit-category'], 'Medium');
    assert.equal(headers['x-ratelimit-remaining'], '9');

    // Control: well-formed values survive validation.
    const good = {
      Link: '<https://api.zoom.us/v2/users?page_number=2>; rel="next"', ETag: 'W/"abc-123"', 'Cache-Control': 'no-store',
      Expires: 'Wed, 21 Oct 2015 07:28:00 GMT', 'Last-Modified': 'Wed, 21 Oct 2015 07:28:00 GMT', 'Retry-After': '120',
    };
    s.up.behave(b.json(200, { users: [] }, good));
    const ok = await s.get('/v2/users');
    assert.equal(ok.status, 200);
    for (const [k, v] of Object.entries(good)) assert.equal(ok.headers.get(k), v, `${k} kept`);

    // Bytes Node's own server cannot send: a tab and obs-text in Content-Type, an email in it.
    for (const ct of ['application/json\t; charset=\xff', `application/json; x=${EMAIL}`]) {
      const bodyText = '{"users":[]}';
      s.up.behave(b.raw(`HTTP/1.1 200 OK\r\nContent-Type: ${ct}\r\nContent-Length: ${bodyText.length}\r\nConnection: close\r\n\r\n${bodyText}`));
      const r = await rawCall(s.url, '/v2/users');
      assert.ok(r.status === 200 || r.status >= 500, `${JSON.stringify(ct)}: ${r.status}`);
      const got = r.headers['content-type'];
      assert.ok(got === undefined || (/^[\x20-\x7e]+$/.test(got) && !got.includes('acme-corp')), `content-type passed: ${JSON.stringify(got)}`);
    }
    s.assertLogsClean();
  } finally {
    await s.close();
  }
});

test('keys starting with + in a source body no longer bypass responseSchema', async () => {
  const s = await hostileStack();
  try {
    s.up.behave(b.json(200, {
      '+leak': EMAIL,
      users: [{ id: 'u-1', email: EMAIL, status: 'active', '+email': EMAIL, '+name': 'Alice Hostile', '+nested': { '+deep': EMAIL } }],
      page_size: 1,
    }));
    const res = await s.get('/v2/users');
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.ok(!text.includes(EMAIL) && !text.includes('Alice Hostile'), `personal data passed: ${text}`);
    const plusKeys: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { if (k.startsWith('+')) plusKeys.push(k); walk(x); }
    };
    const body = JSON.parse(text) as { users: Json[] };
    walk(body);
    assert.deepEqual(plusKeys, []);
    assert.match(body.users[0].email as string, /^t~[A-Za-z0-9_-]{43}@acme-corp\.com$/, 'the sanitizer still ran');
  } finally {
    await s.close();
  }
});

test('a legitimate application/gzip body is decompressed and sanitized like any other', async () => {
  const s = await hostileStack();
  try {
    const gz = gzipSync(JSON.stringify({ users: [{ id: 'u-1', email: EMAIL, first_name: 'Alice', status: 'active' }] }));
    s.up.behave(({ res, rec }) => { rec.bytesSent = gz.length; res.writeHead(200, { 'Content-Type': 'application/gzip', 'Content-Length': String(gz.length) }); res.end(gz); });
    const res = await s.get('/v2/users');
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const body = JSON.parse(text) as { users: Json[] };
    assert.match(body.users[0].email as string, /^t~[A-Za-z0-9_-]{43}@acme-corp\.com$/);
    assert.equal(body.users[0].first_name, undefined);
  } finally {
    await s.close();
  }
});

test('a hostile token endpoint: a gzip bomb is cut at 64 KiB, a hang ends within REQUEST_TIMEOUT_SECONDS; both 500 CONNECTION_SETUP', async (t) => {
  const s = await hostileStack({ REQUEST_TIMEOUT_SECONDS: '2' });
  try {
    s.up.tokenBehaviour = b.gzipBomb({ encoding: 'gzip', inflatedMiB: 1024 });
    const { result, peakGrowth } = await watchMemory(MEMORY_LIMIT, () => s.up.destroyConnections(), async () => {
      const res = await s.get('/v2/users');
      return { res, body: await refusal(res, 500, 'CONNECTION_SETUP', 'token bomb') };
    });
    t.diagnostic(`token endpoint bomb: peak RSS growth ${mb(peakGrowth)}`);
    assert.ok(peakGrowth < MEMORY_LIMIT, `RSS grew by ${mb(peakGrowth)}`);
    assert.match(result.body, /more than 65536 bytes/);
    s.up.tokenBehaviour = b.hang();
    const started = Date.now();
    const hung = await s.get('/v2/users');
    await refusal(hung, 500, 'CONNECTION_SETUP', 'token hang');
    assert.ok(Date.now() - started < 10_000, 'the token exchange is bounded by REQUEST_TIMEOUT_SECONDS, not 30 s');
    assertNothingUpstream(s.up, 'no token, no call');
  } finally {
    s.up.release();
    await s.close();
  }
});

test('token endpoint errors: 500 CONNECTION_SETUP naming the status only; its error and reason text never reach the caller or the logs', async () => {
  const s = await hostileStack();
  try {
    // The 401 last: a refusal of the client credentials is repeated for 2 s without asking again.
    const cases: [number, Json][] = [
      [400, { error: EMAIL, reason: 'Invalid client_secret for this account', error_description: `account of ${EMAIL}` }],
      [403, { error: 'access denied for alice.hostile', message: `no access: ${EMAIL}` }],
      [401, { error: 'invalid_client', reason: `Invalid client_secret for ${EMAIL}` }],
    ];
    for (const [status, answer] of cases) {
      s.up.tokenBehaviour = b.json(status, answer);
      const res = await s.get('/v2/users');
      const body = await refusal(res, 500, 'CONNECTION_SETUP', `token endpoint ${status}`);
      assert.match(body, new RegExp(String(status)), 'the body names the HTTP status');
      for (const text of [EMAIL, 'alice.hostile', 'Invalid client_secret', 'account of', 'no access', CLIENT_SECRET]) {
        assert.ok(!body.includes(text), `token endpoint ${status}: body contains ${JSON.stringify(text)}: ${body}`);
      }
    }
    assert.ok(s.up.tokenRequests.length >= 1);
    const tokenCall = s.up.tokenRequests[0];
    assert.equal(tokenCall.headers.authorization, 'Basic ' + Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64'));
    assertNothingUpstream(s.up, 'no token');
    s.assertLogsClean(['alice.hostile']);
  } finally {
    await s.close();
  }
});

test('a token endpoint answering a token with CR/LF cannot inject headers into the source call', async () => {
  const s = await hostileStack();
  try {
    s.up.tokenBehaviour = b.json(200, { access_token: `abc\r\nX-Injected: ${EMAIL}`, token_type: 'bearer', expires_in: 3599 });
    const res = await s.get('/v2/users');
    const body = await res.text();
    assert.ok(res.status >= 500, `status ${res.status}`);
    assert.ok(!body.includes(EMAIL) && !body.includes('abc\r\n'), body);
    assert.deepEqual(s.up.requests.filter((r) => r.headers['x-injected'] !== undefined).map((r) => r.rawUrl), []);
    s.assertLogsClean();
  } finally {
    await s.close();
  }
});

test('TARGET_HOST base paths and REQUEST_PATH_PREFIX_TO_TRIM: the path the rules match is exactly what follows the base path upstream', async () => {
  const up = new HostileUpstream();
  await up.start();
  const s = await hostileStack({ TARGET_HOST: `${up.url}/zoomapi`, REQUEST_PATH_PREFIX_TO_TRIM: '/proxy' }, up);
  try {
    up.behave(BUILT_IN_OK);
    for (const path of ['/v2/users', '/proxy/v2/users']) assert.equal((await s.get(path)).status, 200, path);
    assert.deepEqual(up.requests.map((r) => r.path), ['/zoomapi/v2/users', '/zoomapi/v2/users']);
    // psoxy strips the base path and the prefix a second time before matching: these matched
    // /v2/users there but reached the source as other paths.
    for (const path of ['/zoomapi/v2/users', '/zoomapiv2/users', '/proxy/proxy/v2/users']) {
      await refusal(await s.get(path), 403, 'BLOCKED_BY_RULES', path);
    }
    await refusal(await s.get('//v2/users'), 400, 'INVALID_REQUEST', 'empty segment');
    assert.equal(up.requests.length, 2, 'nothing else reached the source');
    up.on('/zoomapi/v2/users', b.redirect(302, '/v2/users?page_size=2'));
    await refusal(await s.get('/v2/users?page_size=1'), 502, 'SOURCE_REDIRECT_REFUSED', 'redirect out of the base path');
    const within = b.redirect(302, '/zoomapi/v2/users?page_size=2');
    up.on('/zoomapi/v2/users', (ctx) => (ctx.rec.rawUrl.endsWith('page_size=2') ? BUILT_IN_OK(ctx) : within(ctx)));
    assert.equal((await s.get('/v2/users?page_size=1')).status, 200, 'redirect within the base path, same endpoint');
    assert.equal(up.requests.at(-1)!.rawUrl, '/zoomapi/v2/users?page_size=2');
  } finally {
    await s.close();
  }
});

test('redirects to another host, another endpoint or a blocked path: 502 SOURCE_REDIRECT_REFUSED; the other host receives nothing', async () => {
  const s = await hostileStack();
  const other = new HostileUpstream();
  await other.start();
  try {
    const cases: [string, Behaviour][] = [
      ['another host', b.redirect(302, `${other.url}/v2/users`)],
      ['another host, 307', b.redirect(307, `${other.url}/v2/users?page_size=1`)],
      ['same port, another host name', b.redirect(302, `http://localhost:${s.up.port}/v2/users`)],
      ['same host, another endpoint', b.redirect(302, '/v2/meetings/123')],
      ['same host, absolute URL, another endpoint', b.redirect(301, `${s.up.url}/v2/past_meetings/123`)],
      ['same host, a blocked path', b.redirect(302, '/v2/groups')],
      ['same host, a disallowed query parameter', b.redirect(302, '/v2/users?role_id=1')],
      ['same host, traversal', b.redirect(302, '/v2/users/..%2F..%2Fgroups')],
    ];
    for (const [name, behaviour] of cases) {
      s.up.on('/v2/users', behaviour);
      const res = await s.get('/v2/users?page_size=1');
      const body = await refusal(res, 502, 'SOURCE_REDIRECT_REFUSED', name);
      assert.equal(res.headers.get('location'), null, `${name}: Location passed`);
      assert.ok(!body.includes(other.url), `${name}: body names the target`);
    }
    assert.deepEqual(other.requests.concat(other.tokenRequests).map((r) => r.rawUrl), [], 'the other host received requests');
    assert.deepEqual(s.up.requests.map((r) => r.path).filter((p) => p !== '/v2/users'), [], 'a refused redirect was followed on the same host');
    s.assertLogsClean();
  } finally {
    await other.stop();
    await s.close();
  }
});

test('redirects to the same endpoint are followed (at most 3 times)', async () => {
  const s = await hostileStack();
  try {
    const page2 = b.json(200, { users: [{ id: 'u-2', email: EMAIL, status: 'active' }] });
    s.up.on('/v2/users', (ctx) => (ctx.rec.rawUrl.includes('page_size=1') ? b.redirect(302, '/v2/users?page_size=2') : page2)(ctx));
    const res = await s.get('/v2/users?page_size=1');
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.ok(!text.includes(EMAIL), 'the followed response is sanitized');
    assert.deepEqual(s.up.requests.map((r) => r.rawUrl), ['/v2/users?page_size=1', '/v2/users?page_size=2']);

    s.up.on('/v2/users', (ctx) => (ctx.rec.rawUrl.includes('page_size=1') ? b.redirect(301, `${s.up.url}/v2/users?page_size=2`) : page2)(ctx));
    assert.equal((await s.get('/v2/users?page_size=1')).status, 200, 'absolute same-origin Location');

    // An endless loop on the same endpoint.
    const from = s.up.requests.length;
    s.up.on('/v2/users', (ctx) => b.redirect(302, `/v2/users?page_size=${Number(/page_size=(\d+)/.exec(ctx.rec.rawUrl)?.[1] ?? 0) + 1}`)(ctx));
    await refusal(await s.get('/v2/users?page_size=1'), 502, 'SOURCE_REDIRECT_REFUSED', 'redirect loop');
    const loop = s.up.requests.length - from;
    assert.ok(loop >= 2 && loop <= 4, `${loop} calls for a redirect loop (1 + at most 3 follows)`);
    s.assertLogsClean();
  } finally {
    await s.close();
  }
});

test('FOLLOW_REDIRECTS=false: a redirect is not followed anywhere and its Location does not reach the caller', async () => {
  const s = await hostileStack({ FOLLOW_REDIRECTS: 'false' });
  const other = new HostileUpstream();
  await other.start();
  try {
    s.up.behave(b.redirect(302, `${other.url}/v2/users?email=${EMAIL}`));
    const res = await s.get('/v2/users');
    const body = await res.text();
    assert.notEqual(res.status, 200);
    assert.equal(res.headers.get('location'), null);
    assert.ok(!body.includes(EMAIL));
    assert.equal(other.requests.length, 0);
    assert.equal(s.up.requests.length, 1);
  } finally {
    await other.stop();
    await s.close();
  }
});

// =================================================================================================
// 6. Leak guard
// =================================================================================================

const LEAKY_RULES = 'endpoints: [{pathTemplate: "/v2/users", transforms: []}]';
const LEAKY_BODY = { users: [{ id: 'u-1', email: EMAIL, note: `ping ${EMAIL} today` }] };

test('LEAK_GUARD with rules that leave an email raw: block → 502, redact → replaced, log → unchanged plus a log line, off → unchanged', async () => {
  for (const mode of ['block', 'redact', 'log', 'off'] as const) {
    const s = await hostileStack({ RULES: LEAKY_RULES, LEAK_GUARD: mode });
    try {
      s.up.behave(b.json(200, LEAKY_BODY));
      const res = await s.get('/v2/users');
      const text = await res.text();
      const leakLines = () => s.logs.filter((l) => /leak/i.test(l));
      if (mode === 'block') {
        assert.equal(res.status, 502, `${mode}: ${text}`);
        assert.equal(res.headers.get('x-psoxy-error'), 'LEAK_GUARD_BLOCKED');
        assert.ok(!text.includes(EMAIL), `${mode}: body has the email`);
      } else if (mode === 'redact') {
        assert.equal(res.status, 200, `${mode}: ${text}`);
        assert.ok(!text.includes(EMAIL), `${mode}: body has the email: ${text}`);
        const body = JSON.parse(text) as typeof LEAKY_BODY;
        assert.equal(body.users[0].id, 'u-1', 'the rest is untouched');
        assert.notEqual(body.users[0].email, EMAIL);
        assert.match(body.users[0].note, /^ping .* today$/);
      } else {
        assert.equal(res.status, 200, `${mode}: ${text}`);
        assert.deepEqual(JSON.parse(text), LEAKY_BODY, `${mode}: body unchanged`);
        if (mode === 'log') assert.ok(leakLines().length > 0, 'a leak is logged');
        else assert.deepEqual(leakLines(), [], 'off: nothing logged about leaks');
      }
      s.assertLogsClean();
    } finally {
      await s.close();
    }
  }
});

test('LEAK_GUARD=block does not flag what the built-in Zoom rules produce (t~/p~ tokens keep their @domain)', async () => {
  const sim = new ZoomSimulator({ orgOptions: { seed: 5, users: 8, meetingsPerUser: 2, participantsPerMeeting: 4 } });
  await sim.start();
  const logger = memoryLogger();
  const proxy = await serveLocalProxy({
    source: 'zoom', store: new MemoryStore(), logger,
    env: { PSOXY_SALT: SALT, PSOXY_ENCRYPTION_KEY: ENCRYPTION_KEY, ...sim.targetSettings(), ...sim.credentialSettings(), LEAK_GUARD: 'block' },
  });
  try {
    const users = await fetch(`${proxy.url}/v2/users?page_size=8`);
    const text = await users.text();
    assert.equal(users.status, 200, text);
    const list = (JSON.parse(text) as { users: Json[] }).users;
    assert.match(list[0].email as string, /^t~.*@/);
    const host = list.find((u) => sim.org.meetings.some((m) => pz.reverse(u.id as string) === m.host_id))!;
    for (const path of [`/v2/users/${host.id as string}/meetings`, `/v2/report/users/${host.id as string}/meetings?from=2026-08-01&to=2026-11-01`]) {
      const res = await fetch(proxy.url + path);
      assert.equal(res.status, 200, `${path}: ${await res.text()}`);
    }
  } finally {
    await proxy.close();
    await sim.stop();
  }
});
