// gcp_service_account_key through the proxy: a service-account key (or ADC), the JWT grant against
// a fake of Google's token endpoint, domain-wide delegation per X-Psoxy-User-To-Impersonate, and a
// tiny fake Google API that accepts only the tokens issued, for the user they were issued for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigService } from '../src/config/config-service.ts';
import { MemoryStore } from '../src/config/store.ts';
import { createProxyHandler } from '../src/proxy/handler.ts';
import { memoryLogger } from '../src/logging/logger.ts';
import { Pseudonymizer } from '../src/pseudonym/pseudonymizer.ts';
import { MAX_IMPERSONATED_USERS } from '../src/auth/google-service-account.ts';
import { GoogleTokenFake } from './fakes/google-token-fake.ts';
import { DIRECTORY_RULES, DIRECTORY_SCOPE, GoogleApiFake } from './fakes/google-api-fake.ts';

const SALT = 'test-salt';
const ENCRYPTION_KEY = 'test-encryption-key';
const USERS = ['alice@acme.test', 'bob@acme.test'];
const pz = new Pseudonymizer({ salt: SALT, encryptionKey: ENCRYPTION_KEY });

interface GoogleStack {
  tokens: GoogleTokenFake;
  api: GoogleApiFake;
  logs: string[];
  /** Every response body the proxy gave, for the secret scan. */
  bodies: string[];
  get(path: string, user?: string): Promise<Response>;
  health(): Promise<{ status: number; body: { missingConfigProperties: string[]; problems: { setting: string; message: string }[] } }>;
  close(): Promise<void>;
}

async function googleStack(o: { users?: string[]; delegatedScopes?: string[]; env?: (tokens: GoogleTokenFake) => Record<string, string | undefined> } = {}): Promise<GoogleStack> {
  const tokens = new GoogleTokenFake({ users: o.users ?? USERS, delegatedScopes: o.delegatedScopes ?? [DIRECTORY_SCOPE] });
  await tokens.start();
  const api = new GoogleApiFake(tokens);
  await api.start();
  const env: Record<string, string> = {
    SOURCE: 'gdirectory', TARGET_HOST: api.url, RULES: DIRECTORY_RULES, PSOXY_SALT: SALT, PSOXY_ENCRYPTION_KEY: ENCRYPTION_KEY,
    SOURCE_AUTH_STRATEGY_IDENTIFIER: 'gcp_service_account_key', OAUTH_SCOPES: DIRECTORY_SCOPE, SERVICE_ACCOUNT_KEY: JSON.stringify(tokens.key),
  };
  for (const [k, v] of Object.entries(o.env?.(tokens) ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const logger = memoryLogger();
  const handler = createProxyHandler({ config: new ConfigService({ env, instancePrefix: 'PSOXY_GDIRECTORY_', instanceStore: new MemoryStore() }), logger });
  const bodies: string[] = [];
  const call = async (path: string, headers: Record<string, string>) => {
    const res = await handler(new Request(`http://proxy.test${path}`, { headers }), { clientIp: '127.0.0.1' });
    const text = await res.clone().text();
    bodies.push(text);
    return res;
  };
  return {
    tokens, api, logs: logger.lines, bodies,
    get: (path, user) => call(path, user === undefined ? {} : { 'X-Psoxy-User-To-Impersonate': user }),
    health: async () => {
      const res = await call('/', { 'X-Psoxy-Health-Check': 'true' });
      return { status: res.status, body: await res.json() as Awaited<ReturnType<GoogleStack['health']>>['body'] };
    },
    close: async () => { await api.stop(); await tokens.stop(); },
  };
}

const USERS_PATH = '/admin/directory/v1/users?customer=my_customer';

/** The bearer token a request reached the API with, and for whom the token fake issued it. */
function lastUpstream(s: GoogleStack): { token: string; sub: string | null; headers: Record<string, unknown> } {
  const r = s.api.requests.at(-1)!;
  const token = (r.headers.authorization ?? '').replace(/^Bearer /, '');
  return { token, sub: s.tokens.holder(token)?.sub ?? null, headers: r.headers };
}

/** No private key, assertion or access token anywhere in the logs or the proxy's answers. */
function assertNoSecrets(s: GoogleStack): void {
  const keyBody = s.tokens.key.private_key.split('\n')[5];
  const secrets = [keyBody, ...s.tokens.issued.map((t) => t.token), ...s.tokens.assertions.map((a) => a.assertion.split('.')[2])];
  const everything = [...s.logs, ...s.bodies].join('\n');
  for (const secret of secrets) assert.ok(!everything.includes(secret), 'a secret reached a log line or a response');
  assert.doesNotMatch(everything, /eyJ[A-Za-z0-9_-]{10,}\./, 'no JWT (assertion) in logs or responses');
  assert.doesNotMatch(everything, /PRIVATE KEY/);
}

test('a data call impersonating a user reaches Google with a token for that user; the header is not forwarded', async () => {
  const s = await googleStack();
  try {
    const res = await s.get(USERS_PATH, 'alice@acme.test');
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const body = JSON.parse(text) as { users: { primaryEmail: string; name?: unknown }[] };
    assert.match(body.users[0].primaryEmail, /^t~[A-Za-z0-9_-]+@acme\.test$/, 'sanitized by the rules');
    assert.equal(body.users[0].name, undefined);
    const up = lastUpstream(s);
    assert.equal(up.sub, 'alice@acme.test');
    assert.equal(up.headers['x-psoxy-user-to-impersonate'], undefined, 'the control header is never forwarded');
    // What the JWT grant asserted (the fake also verified the RS256 signature against the key).
    const { header, claims } = s.tokens.assertions[0];
    assert.equal(header.alg, 'RS256');
    assert.equal(claims.iss, s.tokens.key.client_email);
    assert.equal(claims.sub, 'alice@acme.test');
    assert.equal(claims.scope, DIRECTORY_SCOPE);
    assert.equal(claims.aud, s.tokens.tokenUrl);
    assert.equal(Number(claims.exp) - Number(claims.iat), 3600);
    assert.ok(Math.abs(Number(claims.iat) - Date.now() / 1000) < 60);
    // The same user again: the cached token; another user: a token of their own.
    assert.equal((await s.get(USERS_PATH, 'alice@acme.test')).status, 200);
    assert.equal(lastUpstream(s).token, up.token);
    assert.equal((await s.get(USERS_PATH, 'bob@acme.test')).status, 200);
    assert.equal(lastUpstream(s).sub, 'bob@acme.test');
    assert.deepEqual(s.tokens.issued.map((t) => t.sub), ['alice@acme.test', 'bob@acme.test']);
    assertNoSecrets(s);
  } finally {
    await s.close();
  }
});

test('a p~ token in X-Psoxy-User-To-Impersonate is decrypted before impersonating; nothing of it goes upstream', async () => {
  const s = await googleStack();
  try {
    const token = pz.tokenize('bob@acme.test');
    assert.equal(pz.reverse(token), 'bob@acme.test');
    const res = await s.get(USERS_PATH, token);
    assert.equal(res.status, 200, await res.clone().text());
    const up = lastUpstream(s);
    assert.equal(up.sub, 'bob@acme.test');
    assert.ok(!JSON.stringify(up.headers).includes(token));
    assert.ok(!JSON.stringify(up.headers).includes('bob@acme.test'));
  } finally {
    await s.close();
  }
});

test('without a user to impersonate, the service account\'s own token is used (psoxy: undelegated credentials)', async () => {
  const s = await googleStack();
  try {
    const res = await s.get(USERS_PATH);
    assert.equal(res.status, 403, 'the fake Directory API refuses a token not issued for a user');
    assert.equal(res.headers.get('x-psoxy-error'), 'API_ERROR');
    assert.equal(lastUpstream(s).sub, null);
    assert.equal(s.tokens.assertions[0].claims.sub, undefined, 'no sub claim at all');
  } finally {
    await s.close();
  }
});

test('a 401 from Google refreshes that user\'s token only, and the call succeeds on the retry', async () => {
  const s = await googleStack();
  try {
    await s.get(USERS_PATH, 'alice@acme.test');
    await s.get(USERS_PATH, 'bob@acme.test');
    const alice = s.tokens.issued[0].token;
    s.api.revoked.add(alice);
    const res = await s.get(USERS_PATH, 'alice@acme.test');
    assert.equal(res.status, 200);
    assert.notEqual(lastUpstream(s).token, alice);
    assert.equal(lastUpstream(s).sub, 'alice@acme.test');
    assert.equal((await s.get(USERS_PATH, 'bob@acme.test')).status, 200);
    assert.equal(lastUpstream(s).token, s.tokens.issued[1].token, 'bob keeps his token');
    assert.deepEqual(s.tokens.issued.map((t) => t.sub), ['alice@acme.test', 'bob@acme.test', 'alice@acme.test']);
  } finally {
    await s.close();
  }
});

test(`credentials are cached for at most ${MAX_IMPERSONATED_USERS} users: the least recently used is evicted`, async () => {
  const users = Array.from({ length: MAX_IMPERSONATED_USERS + 1 }, (_, i) => `user${i}@acme.test`);
  const s = await googleStack({ users });
  try {
    for (const u of users.slice(0, MAX_IMPERSONATED_USERS)) assert.equal((await s.get(USERS_PATH, u)).status, 200);
    await s.get(USERS_PATH, users[0]); // user0 used again: user1 is now the least recently used
    assert.equal(s.tokens.issued.length, MAX_IMPERSONATED_USERS);
    await s.get(USERS_PATH, users[MAX_IMPERSONATED_USERS]); // the 51st user evicts user1
    await s.get(USERS_PATH, users[0]);
    assert.equal(s.tokens.issued.length, MAX_IMPERSONATED_USERS + 1, 'user0 still cached');
    await s.get(USERS_PATH, users[1]);
    assert.equal(s.tokens.issued.length, MAX_IMPERSONATED_USERS + 2, 'user1 was evicted: a new token');
    assert.equal(s.tokens.issued.at(-1)!.sub, users[1]);
  } finally {
    await s.close();
  }
});

test('domain-wide delegation not granted: a 500 saying which scopes to allow for which client id', async () => {
  const s = await googleStack({ delegatedScopes: [] });
  try {
    const res = await s.get(USERS_PATH, 'alice@acme.test');
    const text = await res.text();
    assert.equal(res.status, 500);
    assert.equal(res.headers.get('x-psoxy-error'), 'CONNECTION_SETUP');
    assert.match(text, /HTTP 401 \(unauthorized_client\)/);
    assert.match(text, /Admin console .*Domain Wide Delegation/);
    assert.ok(text.includes(`client ID ${s.tokens.key.client_id} the scopes ${DIRECTORY_SCOPE}`), text);
    assert.equal(s.api.requests.length, 0, 'the API is not called without a token');
    assertNoSecrets(s);
  } finally {
    await s.close();
  }
});

test('unknown user, clock skew, rate limit and 5xx at the token endpoint: each a 500 naming what to check; later calls recover', async () => {
  const s = await googleStack();
  try {
    const unknown = await s.get(USERS_PATH, 'mallory@acme.test');
    assert.equal(unknown.status, 500);
    const unknownText = await unknown.text();
    assert.match(unknownText, /invalid_grant.*X-Psoxy-User-To-Impersonate may not be an active user/);
    assert.ok(!unknownText.includes('mallory'), 'the user (personal data) is not echoed');
    s.tokens.clockOffsetMs = 2 * 3600_000;
    const skewed = await s.get(USERS_PATH, 'alice@acme.test');
    assert.equal(skewed.status, 500);
    assert.match(await skewed.text(), /invalid_grant.*clock/);
    s.tokens.clockOffsetMs = 0;
    s.tokens.failNext(429);
    assert.match(await (await s.get(USERS_PATH, 'alice@acme.test')).text(), /HTTP 429.*rate-limits/);
    s.tokens.failNext(503);
    assert.match(await (await s.get(USERS_PATH, 'alice@acme.test')).text(), /HTTP 503.*retry later/);
    assert.equal((await s.get(USERS_PATH, 'alice@acme.test')).status, 200, 'a failure is not cached');
    assert.ok(!s.logs.join('\n').includes('alice@acme.test'));
    assertNoSecrets(s);
  } finally {
    await s.close();
  }
});

test('health check: only OAUTH_SCOPES is required (no key means ADC, as psoxy); a malformed key is named, never quoted', async () => {
  const missing = await googleStack({ env: () => ({ OAUTH_SCOPES: undefined, SERVICE_ACCOUNT_KEY: undefined }) });
  try {
    const h = await missing.health();
    assert.equal(h.status, 412);
    assert.deepEqual(h.body.missingConfigProperties, ['OAUTH_SCOPES']);
    assert.deepEqual(h.body.problems.map((p) => p.setting), ['OAUTH_SCOPES']);
    const call = await missing.get(USERS_PATH, 'alice@acme.test');
    assert.equal(call.status, 500);
    assert.match(await call.text(), /OAUTH_SCOPES/);
  } finally {
    await missing.close();
  }
  const secretish = 'not-a-key-but-secret-material-1234567890';
  const bad = await googleStack({ env: () => ({ SERVICE_ACCOUNT_KEY: secretish }) });
  try {
    const h = await bad.health();
    assert.equal(h.status, 412);
    assert.deepEqual(h.body.problems.map((p) => p.setting), ['SERVICE_ACCOUNT_KEY']);
    assert.match(h.body.problems[0].message, /neither JSON nor base64-encoded JSON/);
    assert.ok(!JSON.stringify(h.body).includes(secretish));
  } finally {
    await bad.close();
  }
  const noEmail = await googleStack({ env: (t) => ({ SERVICE_ACCOUNT_KEY: JSON.stringify({ ...t.key, client_email: undefined }) }) });
  try {
    assert.match((await noEmail.health()).body.problems[0].message, /SERVICE_ACCOUNT_KEY lacks client_email or private_key/);
  } finally {
    await noEmail.close();
  }
  const httpTokenUri = await googleStack({ env: (t) => ({ SERVICE_ACCOUNT_KEY: JSON.stringify({ ...t.key, token_uri: 'http://oauth2.example.com/token' }) }) });
  try {
    assert.match((await httpTokenUri.health()).body.problems[0].message, /token_uri must be an https URL/);
  } finally {
    await httpTokenUri.close();
  }
});

test('the key as base64 works as the raw JSON does', async () => {
  const s = await googleStack({ env: (t) => ({ SERVICE_ACCOUNT_KEY: Buffer.from(JSON.stringify(t.key)).toString('base64') }) });
  try {
    assert.equal((await s.health()).status, 200);
    assert.equal((await s.get(USERS_PATH, 'alice@acme.test')).status, 200);
    assert.equal(lastUpstream(s).sub, 'alice@acme.test');
  } finally {
    await s.close();
  }
});

test('without SERVICE_ACCOUNT_KEY, Application Default Credentials: a key file in GOOGLE_APPLICATION_CREDENTIALS impersonates too', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'psoxy-adc-')), 'key.json');
  const s = await googleStack({ env: () => ({ SERVICE_ACCOUNT_KEY: undefined }) });
  const before = process.env.GOOGLE_APPLICATION_CREDENTIALS;
  writeFileSync(file, JSON.stringify(s.tokens.key));
  process.env.GOOGLE_APPLICATION_CREDENTIALS = file;
  try {
    assert.equal((await s.health()).status, 200);
    const res = await s.get(USERS_PATH, 'alice@acme.test');
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(lastUpstream(s).sub, 'alice@acme.test');
    assert.equal(s.tokens.assertions[0].claims.aud, s.tokens.tokenUrl, 'the key file\'s token_uri is honoured');
  } finally {
    if (before === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    else process.env.GOOGLE_APPLICATION_CREDENTIALS = before;
    await s.close();
  }
});

test('google-auth-library is loaded only when a gcp_service_account_key source auth is built', () => {
  const script = `
    import { createRequire } from 'node:module';
    import { createSourceAuth } from './src/auth/strategies.ts';
    import { ConfigService } from './src/config/config-service.ts';
    import { silentLogger } from './src/logging/logger.ts';
    const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('google-auth-library'));
    const build = (env) => createSourceAuth(new ConfigService({ env, instancePrefix: 'P_' }), { fetch, logger: silentLogger, userAgent: 'test' });
    const seen = [loaded()];
    await build({ SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_access_token', ACCESS_TOKEN: 'token' });
    seen.push(loaded());
    await build({ SOURCE_AUTH_STRATEGY_IDENTIFIER: 'gcp_service_account_key', OAUTH_SCOPES: 'scope' });
    seen.push(loaded());
    console.log(JSON.stringify(seen));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [false, false, true]);
});
