// The proxy at the level users meet it: HTTP in, HTTP out, against the Zoom simulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { zoomStack, SALT, ENCRYPTION_KEY } from './helpers/zoom-stack.ts';
import { personalValues } from '../src/cli/demo.ts';
import { Pseudonymizer } from '../src/pseudonym/pseudonymizer.ts';

type Json = Record<string, unknown>;
const pz = new Pseudonymizer({ salt: SALT, encryptionKey: ENCRYPTION_KEY });
const enc2 = (s: string) => encodeURIComponent(encodeURIComponent(s));

test('every Zoom endpoint through the proxy: 200, sanitized, no personal data', async () => {
  const s = await zoomStack();
  try {
    const secrets = personalValues(s.sim.org);
    const host = s.sim.org.users.find((u) => u.status === 'active' && s.sim.org.meetings.some((m) => m.host_id === u.id && m.summary))!;
    const meeting = s.sim.org.meetings.find((m) => m.host_id === host.id && m.summary)!;
    const users = await s.get('/v2/users?page_size=300');
    assert.equal(users.status, 200);
    const usersBody = (await users.json()) as { users: Json[] };
    const out = usersBody.users.find((u) => u.email === Pseudonymizer.urlSafeToken(pz.pseudonymize(host.email)!))!;
    assert.ok(out, 'emails are t~ tokens with the domain kept');
    assert.equal(pz.reverse(out.id as string), host.id, 'ids are reversible p~ tokens');
    assert.equal(out.first_name, undefined);
    const pId = out.id as string;
    const paths = [
      `/v2/users/${pId}/meetings?page_size=30`,
      `/v2/users/${pId}/recordings?from=2026-08-01&to=2026-11-01`,
      `/v2/meetings/${meeting.id}`,
      `/v2/meetings/${enc2(meeting.uuid)}/meeting_summary`,
      `/v2/past_meetings/${meeting.id}`,
      `/v2/past_meetings/${enc2(meeting.uuid)}/instances`,
      `/v2/past_meetings/${enc2(meeting.uuid)}/participants?page_size=30`,
      `/v2/report/users/${pId}/meetings?from=2026-08-01&to=2026-11-01&page_size=30`,
      `/v2/report/meetings/${encodeURIComponent(meeting.uuid)}/participants?page_size=30`,
    ];
    for (const p of paths) {
      const res = await s.get(p);
      const text = await res.text();
      assert.equal(res.status, 200, `${p}: ${text}`);
      assert.deepEqual(secrets.filter((x) => text.includes(x)), [], `${p} leaked`);
      assert.match(res.headers.get('x-psoxy-rules-sha') ?? '', /^[0-9a-f]{40}$/);
      assert.equal(res.headers.get('x-psoxy-psoxy-version'), 'v0.6.9');
      assert.ok(res.headers.get('x-psoxy-pii-salt-sha256'));
    }
    const summary = (await (await s.get(`/v2/meetings/${enc2(meeting.uuid)}/meeting_summary`)).json()) as Json;
    assert.match(summary.summary_overview as string, /^\{"length":\d+,"word_count":\d+\}$/);
    assert.equal(s.sim.stats.tokenRequests, 1);
  } finally {
    await s.close();
  }
});

test('blocked endpoints and query parameters get 403 BLOCKED_BY_RULES with no body; Zoom is not called', async () => {
  const s = await zoomStack();
  try {
    for (const p of ['/v2/groups', '/v2/users/', '/v2/users?role_id=1', '/v2/report/daily', '/v2/meetings/1/polls/2']) {
      const res = await s.get(p);
      assert.equal(res.status, 403, p);
      assert.equal(res.headers.get('x-psoxy-error'), 'BLOCKED_BY_RULES');
      assert.equal(await res.text(), '');
    }
    assert.equal(s.sim.stats.apiRequests, 0);
  } finally {
    await s.close();
  }
});

test('an undecryptable p~ token in the URL fails with 409 TOKENIZED_REQUEST_PARAMETER_INVALID (psoxy: 500)', async () => {
  const s = await zoomStack();
  try {
    const res = await s.get(`/v2/users/p~${'A'.repeat(86)}/meetings`);
    assert.equal(res.status, 409);
    assert.equal(res.headers.get('x-psoxy-error'), 'TOKENIZED_REQUEST_PARAMETER_INVALID');
    assert.equal(s.sim.stats.apiRequests, 0);
  } finally {
    await s.close();
  }
});

test("upstream 404, 429 and 500: status, X-Psoxy-Error: API_ERROR, the source's code without its text, allowed headers only", async () => {
  const s = await zoomStack({ sim: { rateLimitPerSecond: 1000 } });
  try {
    const missing = await s.get('/v2/users/nobody@example.com/meetings');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('x-psoxy-error'), 'API_ERROR');
    const summary = await missing.text();
    assert.deepEqual((JSON.parse(summary) as Json).sourceError, { code: 1001 });
    assert.ok(!summary.includes('nobody'), 'Zoom echoes the user asked about; the summary does not');

    s.sim.inject({ path: /^\/v2\/users$/, status: 429, body: '{"code":429,"message":"slow down"}', headers: { 'Retry-After': '7', 'X-RateLimit-Remaining': '0', 'Set-Cookie': 'a=b', 'X-Custom': 'c', ETag: '"e"' } });
    const limited = await s.get('/v2/users');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '7');
    assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(limited.headers.get('etag'), '"e"');
    assert.equal(limited.headers.get('set-cookie'), null);
    assert.equal(limited.headers.get('x-custom'), null);

    s.sim.inject({ path: /^\/v2\/users$/, status: 500, body: '{"code":500,"message":"boom"}' });
    const failed = await s.get('/v2/users');
    assert.equal(failed.status, 500);
    assert.equal(failed.headers.get('x-psoxy-error'), 'API_ERROR');
    const ok = await s.get('/v2/users');
    assert.ok(ok.headers.get('x-ratelimit-limit'), 'rate-limit headers pass through on success too');
  } finally {
    await s.close();
  }
});

test('the simulator rate limit reaches the caller as 429 with Retry-After', async () => {
  const s = await zoomStack({ sim: { rateLimitPerSecond: 3 } });
  try {
    const statuses = await Promise.all(Array.from({ length: 8 }, () => s.get('/v2/users?page_size=1').then((r) => [r.status, r.headers.get('retry-after')] as const)));
    assert.ok(statuses.some(([st]) => st === 200));
    assert.ok(statuses.some(([st, ra]) => st === 429 && ra === '1'));
  } finally {
    await s.close();
  }
});

test('a malformed upstream body fails closed: 500, no raw data', async () => {
  const s = await zoomStack();
  try {
    const raw = '{"users":[{"email":"secret.person@example-corp.com"';
    s.sim.inject({ path: /^\/v2\/users$/, status: 200, body: raw });
    const res = await s.get('/v2/users');
    const text = await res.text();
    assert.equal(res.status, 500);
    assert.equal(res.headers.get('x-psoxy-error'), 'SANITIZATION_FAILED');
    assert.doesNotMatch(text, /secret\.person/);
    assert.ok(!s.logs.join('').includes('secret.person'));
  } finally {
    await s.close();
  }
});

test('token endpoint down or refusing: 500 CONNECTION_SETUP saying what to check', async () => {
  const port = await new Promise<number>((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => { const p = (srv.address() as { port: number }).port; srv.close(() => resolve(p)); });
  });
  const down = await zoomStack({ env: { REFRESH_ENDPOINT: `http://127.0.0.1:${port}/oauth/token` } });
  try {
    const res = await down.get('/v2/users');
    assert.equal(res.status, 500);
    assert.equal(res.headers.get('x-psoxy-error'), 'CONNECTION_SETUP');
    assert.match(await res.text(), /could not be reached.*REFRESH_ENDPOINT/);
  } finally {
    await down.close();
  }
  const wrong = await zoomStack({ env: { PSOXY_ZOOM_CLIENT_SECRET: 'wrong-secret' } });
  try {
    const res = await wrong.get('/v2/users');
    assert.equal(res.status, 500);
    assert.match(await res.text(), /HTTP 400, invalid_client.*update PSOXY_ZOOM_CLIENT_SECRET .*read from env PSOXY_ZOOM_CLIENT_SECRET \(an environment variable changes only with a redeploy\)/);
  } finally {
    await wrong.close();
  }
});

test('upstream timeout: 504 SOURCE_API_READ_TIMEOUT', async () => {
  const s = await zoomStack({ env: { REQUEST_TIMEOUT_SECONDS: '0.3' } });
  try {
    s.sim.inject({ path: /^\/v2\/users$/, delayMs: 1500 });
    const res = await s.get('/v2/users');
    assert.equal(res.status, 504);
    assert.equal(res.headers.get('x-psoxy-error'), 'SOURCE_API_READ_TIMEOUT');
  } finally {
    await s.close();
  }
});

test('single-flight: 25 concurrent requests on a cold proxy cause exactly one token request', async () => {
  const s = await zoomStack();
  try {
    const statuses = await Promise.all(Array.from({ length: 25 }, () => s.get('/v2/users?page_size=2').then((r) => r.status)));
    assert.deepEqual(new Set(statuses), new Set([200]));
    assert.equal(s.sim.stats.tokenRequests, 1);
  } finally {
    await s.close();
  }
});

test('two proxies sharing one store: one token, and no 124 reaches callers when tokens are revoked under load', async () => {
  const s = await zoomStack({ sim: { tokenPolicy: 'revoke-previous' } });
  try {
    const second = await s.addProxy();
    const load = async (rounds: number) => {
      const results = await Promise.all(Array.from({ length: rounds }, (_, i) =>
        fetch((i % 2 ? second.url : s.proxy.url) + '/v2/users?page_size=1').then(async (r) => ({ status: r.status, body: await r.text() }))));
      return results;
    };
    const warm = await load(20);
    assert.ok(warm.every((r) => r.status === 200));
    assert.equal(s.sim.stats.tokenRequests, 1, 'the second proxy reuses the shared token');
    // Another instance rotates the token (revoking the one both proxies hold), in the middle of load.
    const during = load(40);
    await fetch(`${s.sim.url}/oauth/token`, {
      method: 'POST',
      headers: { Authorization: 'Basic ' + Buffer.from(`${s.sim.clientId}:${s.sim.clientSecret}`).toString('base64'), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=account_credentials&account_id=${s.sim.accountId}`,
    });
    const after = [...(await during), ...(await load(40))];
    assert.deepEqual(after.filter((r) => r.status !== 200), [], 'no caller saw an error');
    assert.ok(s.sim.stats.rejectedTokens > 0, 'revoked tokens were really rejected by the simulator');
    assert.ok(s.sim.stats.tokenRequests <= 4, `token requests: ${s.sim.stats.tokenRequests}`);
  } finally {
    await s.close();
  }
});

test('tokens expiring under load are refreshed before callers notice', async () => {
  const s = await zoomStack({ sim: { tokenTtlSeconds: 1, tokenPolicy: 'revoke-previous' }, timings: { refreshWindowMs: [300, 500] } });
  try {
    const second = await s.addProxy();
    const statuses: number[] = [];
    const until = Date.now() + 2500;
    while (Date.now() < until) {
      const batch = await Promise.all(Array.from({ length: 6 }, (_, i) => fetch((i % 2 ? second.url : s.proxy.url) + '/v2/users?page_size=1').then((r) => r.status)));
      statuses.push(...batch);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(statuses.length > 30);
    assert.deepEqual(statuses.filter((x) => x !== 200), []);
    assert.ok(s.sim.stats.tokenRequests >= 2, 'tokens were renewed');
  } finally {
    await s.close();
  }
});

test('secrets, tokens and personal data never appear in logs', async () => {
  const s = await zoomStack({ env: { PSOXY_ZOOM_CLIENT_SECRET: undefined } });
  try {
    await s.get('/v2/users'); // fails: no client secret (named in the error, never a value)
  } finally {
    await s.close();
  }
  const t = await zoomStack();
  try {
    const users = (await (await t.get('/v2/users?page_size=5')).json()) as { users: Json[] };
    await t.get(`/v2/users/${users.users[0].id as string}/meetings`);
    await t.get('/v2/users/someone@example.com/meetings');
    await t.get('/v2/groups');
    const logs = [...s.logs, ...t.logs].join('\n');
    assert.ok(logs.length > 0);
    for (const secret of [t.sim.clientSecret, SALT, ENCRYPTION_KEY, 'sim_', ...personalValues(t.sim.org), 'someone@example.com', t.sim.org.users[0].id]) {
      assert.ok(!logs.includes(secret), `log contains ${secret}`);
    }
    assert.match(s.logs.join('\n'), /missing configuration CLIENT_SECRET/);
  } finally {
    await t.close();
  }
});

test('health check: 200 when configured, 412 naming what is missing', async () => {
  const ok = await zoomStack();
  try {
    const res = await ok.get('/', { headers: { 'X-Psoxy-Health-Check': 'true' } });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.ok(text.endsWith('}\r\n'));
    const body = JSON.parse(text) as Json;
    assert.deepEqual(Object.keys(body), [...Object.keys(body)].sort(), 'keys are alphabetical');
    assert.equal(body.configuredSource, 'zoom');
    assert.equal(body.sourceAuthGrantType, 'account_credentials');
    assert.deepEqual(body.missingConfigProperties, []);
    assert.equal(ok.sim.stats.apiRequests + ok.sim.stats.tokenRequests, 0, 'nothing forwarded');
  } finally {
    await ok.close();
  }
  const bad = await zoomStack({ env: { PSOXY_SALT: undefined, PSOXY_ZOOM_ACCOUNT_ID: undefined, PSOXY_ENCRYPTION_KEY: undefined } });
  try {
    const res = await bad.get('/anything', { headers: { 'X-Psoxy-Health-Check': '' } });
    assert.equal(res.status, 412);
    const body = (await res.json()) as { missingConfigProperties: string[]; nonDefaultSalt: boolean; warningMessages: string[] };
    // The salt is listed too (psoxy leaves it out and only reports nonDefaultSalt: false).
    assert.deepEqual(body.missingConfigProperties.sort(), ['ACCOUNT_ID', 'PSOXY_ENCRYPTION_KEY', 'PSOXY_SALT']);
    assert.equal(body.nonDefaultSalt, false);
    assert.match(body.warningMessages.join(), /missing configuration PSOXY_SALT \(looked in: env PSOXY_SALT/);
    const call = await bad.get('/v2/users');
    assert.equal(call.status, 500);
    assert.match(await call.text(), /missing configuration PSOXY_SALT \(looked in: env PSOXY_SALT; env PSOXY_ZOOM_PSOXY_SALT; memory: PSOXY_ZOOM_PSOXY_SALT\)/);
  } finally {
    await bad.close();
  }
});

test('IP allow-list, HTTPS enforcement, target overrides, GET bodies', async () => {
  const s = await zoomStack({ env: { ALLOWED_DATA_ACCESS_IP_BLOCKS: '10.0.0.0/8, 192.168.1.7' } });
  try {
    const denied = await s.get('/v2/users');
    assert.equal(denied.status, 403);
    assert.equal(denied.headers.get('x-psoxy-error'), 'UNAUTHORIZED_IP_ADDRESS');
    const health = await s.get('/', { headers: { 'X-Psoxy-Health-Check': '1' } });
    assert.equal(((await health.json()) as Json).clientIpAuthorized, false);
  } finally {
    await s.close();
  }
  const t = await zoomStack({ env: { ALLOWED_DATA_ACCESS_IP_BLOCKS: '127.0.0.0/8' } });
  try {
    assert.equal((await t.get('/v2/users', { headers: { 'X-Forwarded-Proto': 'http' } })).status, 400);
    const over = await t.get('/ignored', { headers: { 'X-Psoxy-TargetPath': '/v2/users', 'X-Psoxy-TargetQuery': '?page_size=2' } });
    assert.equal(over.status, 200);
    assert.equal(((await over.json()) as { users: unknown[] }).users.length, 2);
    const bad = await t.get('/x', { headers: { 'X-Psoxy-TargetPath': 'v2/users' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get('x-psoxy-error'), 'INVALID_REQUEST');
    const withBody = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(t.proxy.url + '/v2/users', { method: 'GET', headers: { 'Content-Length': '2' } }, (res) => { res.resume(); resolve(res.statusCode!); });
        req.on('error', reject);
        req.end('{}');
      }, reject);
    });
    assert.equal(withBody, 400);
  } finally {
    await t.close();
  }
});

test('large responses are gzipped when the caller accepts it', async () => {
  const s = await zoomStack();
  try {
    const { request } = await import('node:http');
    const res = await new Promise<import('node:http').IncomingMessage>((resolve) => request(s.proxy.url + '/v2/users?page_size=20', { headers: { 'Accept-Encoding': 'gzip' } }, resolve).end());
    assert.equal(res.headers['content-encoding'], 'gzip');
    res.resume();
    const plain = await s.get('/v2/users?page_size=20', { headers: { 'Accept-Encoding': 'identity' } });
    assert.equal(plain.headers.get('content-encoding'), null);
  } finally {
    await s.close();
  }
});

test("free plan and missing scopes: Zoom's error codes reach the caller", async () => {
  const s = await zoomStack({ sim: { plan: 'free', scopes: ['user:read:list_users:admin'] } });
  try {
    const users = (await (await s.get('/v2/users?page_size=1')).json()) as { users: Json[] };
    const report = await s.get(`/v2/report/users/${users.users[0].id as string}/meetings`);
    assert.equal(report.status, 400);
    assert.deepEqual(((await report.json()) as Json).sourceError, { code: 4711 });
  } finally {
    await s.close();
  }
  const f = await zoomStack({ sim: { plan: 'free' } });
  try {
    const users = (await (await f.get('/v2/users?page_size=1')).json()) as { users: Json[] };
    const report = await f.get(`/v2/report/users/${users.users[0].id as string}/meetings`);
    assert.equal(report.status, 400);
    assert.equal(report.headers.get('x-psoxy-error'), 'API_ERROR');
    assert.deepEqual(((await report.json()) as Json).sourceError, { code: 200 });
  } finally {
    await f.close();
  }
});

test("a classic-scope app (psoxy's Zoom guide) serves every endpoint its scopes grant; Zoom names the missing classic scope for the others", async () => {
  const s = await zoomStack({ sim: { scopes: 'classic' } });
  try {
    const host = s.sim.org.users.find((u) => u.status === 'active' && s.sim.org.meetings.some((m) => m.host_id === u.id && m.summary))!;
    const meeting = s.sim.org.meetings.find((m) => m.host_id === host.id && m.summary)!;
    const users = (await (await s.get('/v2/users?page_size=300')).json()) as { users: Json[] };
    const pId = users.users.find((u) => u.email === Pseudonymizer.urlSafeToken(pz.pseudonymize(host.email)!))!.id as string;
    const granted = [
      `/v2/users/${pId}/meetings`, `/v2/meetings/${meeting.id}`, `/v2/past_meetings/${meeting.id}`,
      `/v2/past_meetings/${enc2(meeting.uuid)}/instances`, `/v2/past_meetings/${enc2(meeting.uuid)}/participants`,
      `/v2/report/users/${pId}/meetings?from=2026-08-01&to=2026-11-01`, `/v2/report/meetings/${encodeURIComponent(meeting.uuid)}/participants`,
    ];
    for (const p of granted) assert.equal((await s.get(p)).status, 200, p);
    for (const p of [`/v2/meetings/${enc2(meeting.uuid)}/meeting_summary`, `/v2/users/${pId}/recordings`]) {
      const res = await s.get(p);
      assert.equal(res.status, 400, p);
      assert.deepEqual(((await res.json()) as Json).sourceError, { code: 4711 });
    }
    // What Zoom itself says (the proxy withholds the message): the classic scope, not the granular one.
    const token = ((await (await fetch(`${s.sim.url}/oauth/token?grant_type=account_credentials&account_id=${s.sim.accountId}`, {
      method: 'POST', headers: { Authorization: 'Basic ' + Buffer.from(`${s.sim.clientId}:${s.sim.clientSecret}`).toString('base64') },
    })).json()) as { access_token: string; scope: string });
    assert.equal(token.scope, 'user:read:admin meeting:read:admin report:read:admin');
    const direct = await fetch(`${s.sim.url}/v2/users/${host.id}/recordings`, { headers: { Authorization: `Bearer ${token.access_token}` } });
    assert.match(((await direct.json()) as { message: string }).message, /does not contain scopes:\[recording:read:admin\]/);
  } finally {
    await s.close();
  }
});
