// psoxy's refresh-token grants (`refresh_token`, Gong's `refresh_token_via_query_parameter`) and
// `client_credentials` with a client secret, through the proxy against fakes of Atlassian,
// GitHub, Gong and Salesforce: requests as each provider takes them, rotated refresh tokens never
// lost (two proxies on one store, and on SSM through the real SDK client, under load while tokens
// rotate and expire), each failure mode a clear 500, and no secret in any log line or body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SSMClient } from '@aws-sdk/client-ssm';
import { MemoryStore } from '../src/config/store.ts';
import { ConfigService } from '../src/config/config-service.ts';
import { readFromStores } from '../src/config/property-sources.ts';
import { createProxyHandler, type ProxyHandler } from '../src/proxy/handler.ts';
import { awsConfig } from '../src/runtimes/aws/lambda.ts';
import { memoryLogger } from '../src/logging/logger.ts';
import type { TokenTimings } from '../src/auth/oauth-token-manager.ts';
import { RefreshTokenKeeper } from '../src/auth/grants/refresh-token-keeper.ts';
import { OAuthProviderFake, type Provider } from './fakes/oauth-provider-fake.ts';
import { FakeAwsJson } from './fakes/aws-json-fake.ts';
import { awsClientConfig } from './helpers/cloud-clients.ts';

const PREFIX = 'PSOXY_SRC_';
const RULES = `endpoints:
  - pathRegex: "^/api/items$"
    transforms:
      - !<pseudonymize>
        jsonPaths: ["$.items[*].email"]
      - !<redact>
        jsonPaths: ["$.items[*].name"]
`;
const GRANT: Record<Provider, Record<string, string>> = {
  atlassian: { GRANT_TYPE: 'refresh_token' },
  github: { GRANT_TYPE: 'refresh_token' },
  gong: { GRANT_TYPE: 'refresh_token_via_query_parameter' },
  salesforce: { GRANT_TYPE: 'client_credentials', CREDENTIALS_FLOW: 'client_secret' },
};
/** Quick expiry: tokens are refreshed within a second of being issued. */
const FAST: Partial<TokenTimings> = { refreshWindowMs: [200, 500], lockRetryMs: 20, settleMs: 20 };

function env(provider: Provider, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SOURCE: 'src', RULES, PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'key',
    SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_refresh_token', ...GRANT[provider], ...extra,
  };
}

/** The settings a store holds (prefixed); TARGET_HOST, read from the environment only, is left out. */
function prefixed(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => readFromStores(k)).map(([k, v]) => [PREFIX + k, v]));
}

/** What the fake's settings put in the environment: TARGET_HOST (psoxy reads it from there only). */
function envOnly(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !readFromStores(k)));
}

interface Stack {
  fake: OAuthProviderFake;
  store: MemoryStore;
  proxies: ProxyHandler[];
  logs: string[];
  storedRefreshToken(): Promise<string | undefined>;
  close(): Promise<void>;
}

async function stack(provider: Provider, o: { instances?: number; env?: Record<string, string>; store?: (initial: Record<string, string>) => MemoryStore; accessTtlSeconds?: number; omit?: string[] } = {}): Promise<Stack> {
  const fake = new OAuthProviderFake({ provider, accessTtlSeconds: o.accessTtlSeconds ?? 3600, tokenDelayMs: 5 });
  await fake.start();
  const settings = Object.fromEntries(Object.entries(fake.settings()).filter(([k]) => !(o.omit ?? []).includes(k)));
  const store = (o.store ?? ((initial) => new MemoryStore(initial)))(prefixed(settings));
  const logs = memoryLogger();
  const proxies = Array.from({ length: o.instances ?? 1 }, () => createProxyHandler({
    config: new ConfigService({ env: { ...envOnly(settings), ...env(provider, o.env) }, instancePrefix: PREFIX, instanceStore: store }),
    logger: logs,
    tokenTimings: FAST,
  }));
  return { fake, store, proxies, logs: logs.lines, storedRefreshToken: () => store.get(`${PREFIX}REFRESH_TOKEN`), close: () => fake.stop() };
}

async function call(proxy: ProxyHandler, headers: Record<string, string> = {}) {
  const res = await proxy(new Request('https://proxy.invalid/', { headers }), { rawUrl: '/api/items' });
  return { status: res.status, body: await res.text() };
}

/** Calls from every proxy, `perProxy` at a time, for `ms`. */
async function load(proxies: ProxyHandler[], ms: number, perProxy = 3): Promise<{ status: number; body: string }[]> {
  const results: { status: number; body: string }[] = [];
  for (const end = Date.now() + ms; Date.now() < end;) {
    results.push(...await Promise.all(proxies.flatMap((p) => Array.from({ length: perProxy }, () => call(p)))));
  }
  return results;
}

/** Every secret the deployment holds or was issued: none may reach a log line or a body. */
function secretsOf(fake: OAuthProviderFake): string[] {
  return [fake.clientSecret, ...fake.issuedTokens];
}

function assertNoSecret(fake: OAuthProviderFake, texts: string[]): void {
  const all = texts.join('\n');
  assert.deepEqual(secretsOf(fake).filter((s) => all.includes(s)), [], 'no secret in logs or bodies');
}

for (const provider of ['atlassian', 'github', 'gong', 'salesforce'] as const) {
  test(`${provider}: a data call gets the provider's token, sent as the provider takes it; sanitized`, async () => {
    const s = await stack(provider);
    try {
      const res = await call(s.proxies[0]);
      assert.equal(res.status, 200, res.body);
      const items = (JSON.parse(res.body) as { items: Record<string, string>[] }).items;
      assert.match(items[0].email, /^t~/);
      assert.equal(items[0].name, undefined);
      assert.deepEqual(s.fake.violations, []);
      assert.equal(s.fake.stats.issued, 1);
      assert.equal(s.fake.tokenRequests[0].headers.accept, 'application/json', 'GitHub answers JSON only when asked');
      if (provider === 'salesforce') {
        assert.equal(s.fake.stats.issued, 1);
      } else {
        assert.equal(await s.store.get(`${PREFIX}REFRESH_TOKEN`), s.fake.liveRefreshTokens()[0], 'the rotated refresh token is stored');
      }
      assertNoSecret(s.fake, [...s.logs, res.body]);
    } finally {
      await s.close();
    }
  });
}

test('gong: the refresh token travels in the query, URL-encoded once; the body is empty, the client in Basic auth', async () => {
  const s = await stack('gong');
  try {
    assert.equal((await call(s.proxies[0])).status, 200);
    const sent = s.fake.tokenRequests[0];
    assert.equal(sent.url, `/oauth2/generate-customer-token?grant_type=refresh_token&refresh_token=${encodeURIComponent(s.fake.initialRefreshToken)}`);
    assert.equal(sent.body, '');
    assert.equal(sent.headers.authorization, 'Basic ' + Buffer.from(`${s.fake.clientId}:${s.fake.clientSecret}`).toString('base64'));
  } finally {
    await s.close();
  }
});

test('gong: an unreachable token endpoint is named by host and port; the refresh token in its URL is in no body or log', async () => {
  const s = await stack('gong');
  await s.fake.stop(); // nothing listens there any more
  const { port } = new URL(s.fake.url);
  const res = await call(s.proxies[0]);
  assert.equal(res.status, 500);
  assert.match(res.body, new RegExp(`token request to 127\\.0\\.0\\.1:${port} failed: connection refused \\(ECONNREFUSED\\)`));
  assert.ok(!res.body.includes('generate-customer-token') && !s.logs.join('').includes('generate-customer-token'), 'no path or query');
  assertNoSecret(s.fake, [...s.logs, res.body]);
});

for (const [name, deploy] of [
  ['one MemoryStore', (provider: Provider) => stack(provider, { instances: 2, env: { USE_SHARED_TOKEN: 'true' }, accessTtlSeconds: 1 })],
  ['SSM through the real SDK client', ssmStack],
] as const) {
  test(`two proxies on ${name}, rotating refresh tokens that expire every second, under load: no caller sees an error, no refresh token is reused`, async () => {
    const s = await deploy('atlassian');
    try {
      const results = await load(s.proxies, 4_000);
      assert.deepEqual(results.filter((r) => r.status !== 200).slice(0, 3), [], 'no caller saw an error');
      assert.ok(s.fake.stats.issued >= 4, `tokens rotated and expired (${s.fake.stats.issued} exchanges)`);
      assert.equal(s.fake.stats.reusedRefreshTokens, 0, 'no spent refresh token was presented');
      assert.equal(s.fake.stats.refusedRefreshTokens, 0);
      assert.deepEqual(s.fake.liveRefreshTokens(), [await s.storedRefreshToken()], 'the store holds the one live refresh token');
      assert.ok(s.fake.stats.rejectedTokens > 0, 'the companion access tokens were revoked on rotation: the 401 path was exercised');
      assertNoSecret(s.fake, s.logs);
    } finally {
      await s.close();
    }
  });
}

async function ssmStack(provider: Provider): Promise<Stack> {
  const fake = new OAuthProviderFake({ provider, accessTtlSeconds: 1, tokenDelayMs: 5 });
  await fake.start();
  const aws = new FakeAwsJson();
  const endpoint = await aws.start();
  for (const [k, v] of Object.entries(prefixed(fake.settings()))) aws.putParam(k, v);
  const logs = memoryLogger();
  const proxies = [0, 1].map(() => createProxyHandler({
    config: awsConfig({ env: { AWS_LAMBDA_FUNCTION_NAME: 'psoxy-src', ...envOnly(fake.settings()), ...env(provider, { USE_SHARED_TOKEN: 'true' }) }, ssm: new SSMClient(awsClientConfig(endpoint)) }),
    logger: logs,
    tokenTimings: FAST,
  }));
  return {
    fake, store: new MemoryStore(), proxies, logs: logs.lines,
    storedRefreshToken: async () => aws.param(`${PREFIX}REFRESH_TOKEN`),
    close: async () => { await fake.stop(); await aws.stop(); },
  };
}

/** A store whose writes of REFRESH_TOKEN fail the next `failures` times (a throttled or denied store). */
class FailingWrites extends MemoryStore {
  failures = 0;
  override async put(name: string, value: string): Promise<void> {
    if (name.endsWith('REFRESH_TOKEN') && this.failures > 0) {
      this.failures--;
      throw new Error('ThrottlingException: Rate exceeded');
    }
    return super.put(name, value);
  }
}

test('the store refuses the rotated refresh token: kept in memory, used instead of the spent one, written at the next exchange; logged as an error', async () => {
  let store: FailingWrites | null = null;
  const s = await stack('atlassian', { accessTtlSeconds: 1, store: (initial) => (store = new FailingWrites(initial)) });
  try {
    store!.failures = 3; // every attempt of the first rotation's write
    const results = await load(s.proxies, 2_500, 2);
    assert.deepEqual(results.filter((r) => r.status !== 200).slice(0, 3), [], 'no caller saw an error');
    assert.equal(store!.failures, 0);
    assert.ok(s.fake.stats.issued >= 3, `${s.fake.stats.issued} exchanges`);
    assert.equal(s.fake.stats.reusedRefreshTokens, 0, 'the spent token still in the store was not sent');
    assert.deepEqual(s.fake.liveRefreshTokens(), [await s.storedRefreshToken()], 'the store caught up');
    assert.ok(s.logs.some((l) => l.includes('"level":"error"') && l.includes(`writing it to memory: ${PREFIX}REFRESH_TOKEN failed`) && l.includes('Rate exceeded')));
    assertNoSecret(s.fake, s.logs);
  } finally {
    await s.close();
  }
});

test('a rotated refresh token the store refused is written again in the background until it lands', async () => {
  const store = new FailingWrites({ [`${PREFIX}REFRESH_TOKEN`]: 'rt-1' });
  const config = new ConfigService({ env: {}, instancePrefix: PREFIX, instanceStore: store });
  const logs = memoryLogger();
  const keeper = new RefreshTokenKeeper({ config, logger: logs, locked: true, retryWriteEveryMs: 20, sleep: async () => {} });
  store.failures = 5; // three attempts now, two background ones
  const sent: string[] = [];
  const issued = await keeper.exchange(async (rt) => { sent.push(rt); return { token: 'at', expiresAt: Date.now() + 60_000, refreshToken: 'rt-2' }; });
  assert.equal(issued.token, 'at');
  assert.equal(await store.get(`${PREFIX}REFRESH_TOKEN`), 'rt-1', 'not written yet');
  for (let i = 0; i < 50 && (await store.get(`${PREFIX}REFRESH_TOKEN`)) === 'rt-1'; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(await store.get(`${PREFIX}REFRESH_TOKEN`), 'rt-2', 'written in the background');
  assert.equal(logs.lines.filter((l) => l.includes('"level":"error"')).length, 3, 'each failed round logged');
  await keeper.exchange(async (rt) => { sent.push(rt); return { token: 'at', expiresAt: Date.now() + 60_000, refreshToken: 'rt-3' }; });
  assert.deepEqual(sent, ['rt-1', 'rt-2']);
  assert.ok(!logs.lines.join('').includes('rt-2'), 'the token is never logged');
});

test('without USE_SHARED_TOKEN, a rotation is warned about once, naming the setting', async () => {
  const s = await stack('atlassian', { accessTtlSeconds: 1 });
  try {
    await load(s.proxies, 1_200, 1);
    assert.ok(s.fake.stats.issued >= 2);
    assert.equal(s.logs.filter((l) => l.includes('set USE_SHARED_TOKEN=true')).length, 1);
  } finally {
    await s.close();
  }
});

test('health check: exactly the missing settings of each grant are named', async () => {
  for (const [provider, omit, extra, missing] of [
    ['atlassian', ['REFRESH_TOKEN', 'CLIENT_SECRET'], {}, ['CLIENT_SECRET', 'REFRESH_TOKEN']],
    ['gong', ['CLIENT_ID'], {}, ['CLIENT_ID']],
    ['salesforce', ['CLIENT_SECRET'], {}, ['CLIENT_SECRET']],
  ] as const) {
    const s = await stack(provider, { omit: [...omit], env: extra });
    try {
      const res = await s.proxies[0](new Request('https://proxy.invalid/', { headers: { 'X-Psoxy-Health-Check': 'true' } }), { rawUrl: '/' });
      assert.equal(res.status, 412);
      const body = (await res.json()) as { missingConfigProperties: string[] };
      assert.deepEqual([...body.missingConfigProperties].sort(), [...missing], provider);
      const data = await call(s.proxies[0]);
      assert.equal(data.status, 500);
      for (const m of missing) assert.match(data.body, new RegExp(`missing configuration ${m} \\(looked in: env ${m}; env ${PREFIX}${m}; memory: ${PREFIX}${m}\\)`));
      assert.equal(s.fake.stats.tokenRequests, 0, 'nothing is asked before the settings are complete');
    } finally {
      await s.close();
    }
  }
});

test('client_credentials: CREDENTIALS_FLOW picks the flow (unset: psoxy\'s jwt_assertion and its settings); an unknown one is named', async () => {
  const unset = await stack('salesforce', { env: { CREDENTIALS_FLOW: '' } });
  try {
    const res = await unset.proxies[0](new Request('https://proxy.invalid/', { headers: { 'X-Psoxy-Health-Check': 'true' } }), { rawUrl: '/' });
    assert.equal(res.status, 412);
    assert.deepEqual(((await res.json()) as { missingConfigProperties: string[] }).missingConfigProperties.sort(), ['PRIVATE_KEY', 'PRIVATE_KEY_ID']);
  } finally {
    await unset.close();
  }
  const typo = await stack('salesforce', { env: { CREDENTIALS_FLOW: 'client-secret' } });
  try {
    const res = await typo.proxies[0](new Request('https://proxy.invalid/', { headers: { 'X-Psoxy-Health-Check': 'true' } }), { rawUrl: '/' });
    assert.equal(res.status, 412);
    const body = (await res.json()) as { problems: { setting: string; message: string }[] };
    assert.deepEqual(body.problems.map((p) => p.setting), ['CREDENTIALS_FLOW']);
    assert.match(body.problems[0].message, /CREDENTIALS_FLOW client-secret is not one of client_secret, jwt_assertion/);
    assert.equal(typo.fake.stats.tokenRequests, 0);
  } finally {
    await typo.close();
  }
  const upper = await stack('salesforce', { env: { CREDENTIALS_FLOW: 'CLIENT_SECRET' } });
  try {
    assert.equal((await call(upper.proxies[0])).status, 200, 'compared case-insensitively, as psoxy does');
  } finally {
    await upper.close();
  }
});

test('each failure mode of the token endpoint is a 500 saying what to check, with no secret in it', async () => {
  for (const provider of ['atlassian', 'github', 'gong', 'salesforce'] as const) {
    const cases: [string, (f: OAuthProviderFake) => void, RegExp][] = [
      ['rate limited', (f) => f.failNext('rate_limited'), /HTTP 429 \(rate_limit_exceeded\): the token endpoint is limiting requests: retry later/],
      ['5xx', (f) => f.failNext('server_error'), /HTTP 503: the token endpoint failed: retry later/],
      ['invalid client', (f) => f.failNext('invalid_client', 2), /refuses the client credentials .*update PSOXY_SRC_CLIENT_SECRET/],
    ];
    if (provider !== 'salesforce') {
      cases.push(['revoked or expired refresh token', (f) => f.revokeAll(), /the refresh token was refused \(expired, revoked or already used\): authorize the app again and put its refresh token in PSOXY_SRC_REFRESH_TOKEN/]);
    }
    for (const [what, inject, message] of cases) {
      const s = await stack(provider);
      try {
        inject(s.fake);
        const res = await call(s.proxies[0]);
        assert.equal(res.status, 500, `${provider} ${what}`);
        assert.match(res.body, message, `${provider} ${what}`);
        assertNoSecret(s.fake, [...s.logs, res.body]);
      } finally {
        await s.close();
      }
    }
  }
});

test('a refused refresh token fails fast; once the admin authorizes the app again, the new one is read from the store', async () => {
  const s = await stack('atlassian');
  try {
    s.fake.revokeAll();
    assert.equal((await call(s.proxies[0])).status, 500);
    const asked = s.fake.stats.tokenRequests;
    const burst = await Promise.all(Array.from({ length: 10 }, () => call(s.proxies[0])));
    assert.ok(burst.every((r) => r.status === 500 && r.body.includes('PSOXY_SRC_REFRESH_TOKEN')));
    assert.equal(s.fake.stats.tokenRequests, asked, 'while refused, callers are answered without asking the endpoint again');
    await s.store.put(`${PREFIX}REFRESH_TOKEN`, s.fake.reauthorize());
    await new Promise((r) => setTimeout(r, 2_050)); // a refused token is refused for 2 s without asking
    assert.equal((await call(s.proxies[0])).status, 200, 'no restart needed');
  } finally {
    await s.close();
  }
});
