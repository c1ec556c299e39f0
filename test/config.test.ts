// ConfigService: psoxy's layering, placeholders, caching and errors that name what was looked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigService, InvalidConfigError, MissingConfigError } from '../src/config/config-service.ts';
import { pseudonymizerFromConfig } from '../src/config/pseudonymizer-config.ts';
import { MemoryStore, TransientConfigError, type ConfigStore } from '../src/config/store.ts';
import { propertySource } from '../src/config/property-sources.ts';
import { RUNTIME_PROPERTIES } from '../src/proxy/properties.ts';
import { STRATEGIES } from '../src/auth/strategies.ts';
import { GRANTS } from '../src/auth/grants.ts';
import { CONNECTORS } from '../src/sources/catalogue/registry.ts';
import { writtenBy } from '../scripts/terraform-connectors.ts';

test('env, then instance-prefixed env, then instance store, then shared store (shared properties only), then defaults', async () => {
  const c = new ConfigService({
    env: { A: 'env-a', PSOXY_ZOOM_B: 'env-prefixed-b', EMPTY: '  ' },
    instancePrefix: 'PSOXY_ZOOM_',
    instanceStore: new MemoryStore({ PSOXY_ZOOM_A: 'store-a', PSOXY_ZOOM_C: 'store-c', PSOXY_ZOOM_F: 'fill me' }, { description: 'SSM' }),
    sharedStore: new MemoryStore({ D: 'shared-d', C: 'shared-c', CLIENT_ID: 'not shared' }, { description: 'SSM shared' }),
    defaults: { E: 'default-e', A: 'default-a' },
    sharedProperties: ['C', 'D', 'CLIENT_SECRET'],
  });
  assert.equal(await c.get('A'), 'env-a');
  assert.equal(await c.get('B'), 'env-prefixed-b');
  assert.equal(await c.get('C'), 'store-c');
  assert.equal(await c.get('D'), 'shared-d');
  assert.equal(await c.get('E'), 'default-e');
  assert.equal(await c.get('F'), undefined, "the 'fill me' placeholder is absent");
  assert.equal(await c.get('EMPTY'), undefined);
  assert.equal(await c.get('CLIENT_ID'), undefined, 'not a shared property: the shared namespace is not read');
  await assert.rejects(() => c.require('CLIENT_SECRET'), (e: MissingConfigError) =>
    e.property === 'CLIENT_SECRET' && /looked in: env CLIENT_SECRET; env PSOXY_ZOOM_CLIENT_SECRET; SSM: PSOXY_ZOOM_CLIENT_SECRET; SSM shared: CLIENT_SECRET/.test(e.message));
});

test('remote values are cached (negatives too), transient errors retried, stale value kept', async () => {
  let calls = 0;
  let fail = false;
  let value: string | undefined = 'v1';
  const flaky: ConfigStore = {
    description: 'flaky',
    async get() {
      calls++;
      if (fail) throw new TransientConfigError('throttled');
      return value;
    },
  };
  let now = 0;
  const c = new ConfigService({ env: {}, instancePrefix: 'P_', instanceStore: flaky, instanceTtlMs: 1000, now: () => now, sleep: async () => {} });
  assert.equal(await c.get('X'), 'v1');
  assert.equal(await c.get('X'), 'v1');
  assert.equal(calls, 1);
  now += 2000;
  fail = true;
  assert.equal(await c.get('X'), 'v1', 'previous value kept when the refresh fails');
  assert.equal(calls, 4, 'three attempts');
  fail = false;
  value = undefined;
  now += 2000;
  assert.equal(await c.get('X'), undefined);
  await c.get('X');
  assert.equal(calls, 5, 'a missing value is cached as well');
  fail = true;
  await assert.rejects(() => c.get('Y'), TransientConfigError);
});

test('the pseudonymizer settings shared by API and bulk mode: case-insensitive choices, bad values named', async () => {
  const from = (env: Record<string, string>) => pseudonymizerFromConfig(new ConfigService({ env: { PSOXY_SALT: 'salt', ...env }, instancePrefix: 'PSOXY_ZOOM_' }));
  const strict = await from({});
  const ignoreDots = await from({ EMAIL_CANONICALIZATION: 'ignore_dots', EMAIL_DOMAIN_HANDLING: 'redact' });
  assert.notEqual(strict.urlSafeToken('a.b@acme.com', false), strict.urlSafeToken('ab@acme.com', false));
  assert.equal(ignoreDots.urlSafeToken('a.b@acme.com', false), ignoreDots.urlSafeToken('ab@acme.com', false));
  assert.doesNotMatch(ignoreDots.urlSafeToken('ab@acme.com', false)!, /acme/, 'domain redacted');
  await assert.rejects(from({ EMAIL_CANONICALIZATION: 'IGNORE-DOTS' }), (e: Error) => e instanceof InvalidConfigError && e.message === 'EMAIL_CANONICALIZATION must be STRICT or IGNORE_DOTS');
  await assert.rejects(from({ EMAIL_DOMAIN_HANDLING: 'HASH' }), (e: Error) => e instanceof InvalidConfigError && e.message === 'EMAIL_DOMAIN_HANDLING must be PRESERVE, REDACT, TOKENIZE or ENCRYPT');
  await assert.rejects(pseudonymizerFromConfig(new ConfigService({ env: {}, instancePrefix: 'PSOXY_ZOOM_' })), MissingConfigError);
});

/** A store that records every name asked of it (one by one or in a batch). */
class RecordingStore extends MemoryStore {
  readonly asked: string[] = [];
  override async get(name: string): Promise<string | undefined> {
    this.asked.push(name);
    return super.get(name);
  }
  async getMany(names: string[]): Promise<Map<string, string | undefined>> {
    this.asked.push(...names);
    return new Map(await Promise.all(names.map(async (n) => [n, await super.get(n)] as const)));
  }
}

test("environment-only settings (psoxy's ENV_VAR source) are never asked of a store: not prefetched, not read, not named in 'looked in'", async () => {
  const store = new RecordingStore({
    PSOXY_ZOOM_TARGET_HOST: 'https://stored.example', PSOXY_ZOOM_LEAK_GUARD: 'off', PSOXY_ZOOM_REQUEST_TIMEOUT_SECONDS: '5',
    PSOXY_ZOOM_CLIENT_SECRET: 'stored-secret', PSOXY_ZOOM_RULES: 'endpoints: []', PSOXY_SALT: 'shared-salt',
  }, { description: 'SSM' });
  const c = new ConfigService({ env: { PSOXY_ENCRYPTION_KEY: 'env-key' }, instancePrefix: 'PSOXY_ZOOM_', instanceStore: store, sharedStore: store, defaults: { LEAK_GUARD: 'block' } });
  await c.prefetch(RUNTIME_PROPERTIES);
  const envOnly = RUNTIME_PROPERTIES.filter((p) => propertySource(p) === 'env');
  assert.ok(envOnly.includes('TARGET_HOST') && envOnly.includes('LEAK_GUARD') && envOnly.includes('SOURCE_AUTH_STRATEGY_IDENTIFIER'));
  // One batch: the store-readable settings under the instance prefix, the salt and key shared too,
  // except the key, set in the environment (read first, as we always have).
  const expected = [
    ...RUNTIME_PROPERTIES.filter((p) => propertySource(p) !== 'env' && p !== 'PSOXY_ENCRYPTION_KEY').map((p) => `PSOXY_ZOOM_${p}`),
    'PSOXY_SALT',
  ];
  assert.deepEqual([...store.asked].sort(), expected.sort());
  assert.equal(await c.get('TARGET_HOST'), undefined, 'a TARGET_HOST only in the store is not seen');
  assert.equal(await c.get('LEAK_GUARD'), 'block', "the connector's default, not the stored value");
  assert.equal(await c.get('REQUEST_TIMEOUT_SECONDS'), undefined);
  assert.equal(await c.get('CLIENT_SECRET'), 'stored-secret');
  assert.equal(await c.get('RULES'), 'endpoints: []');
  assert.equal(await c.get('PSOXY_SALT'), 'shared-salt');
  assert.equal(await c.get('PSOXY_ENCRYPTION_KEY'), 'env-key', 'the environment still comes first for the salt and keys');
  assert.deepEqual([...store.asked].sort(), expected.sort(), 'nothing more was asked');
  assert.deepEqual(c.lookedIn('TARGET_HOST'), ['env TARGET_HOST', 'env PSOXY_ZOOM_TARGET_HOST']);
  await assert.rejects(() => c.require('TARGET_HOST'), (e: MissingConfigError) => e.message === 'missing configuration TARGET_HOST (looked in: env TARGET_HOST; env PSOXY_ZOOM_TARGET_HOST)');
  assert.deepEqual(c.lookedIn('CLIENT_SECRET'), ['env CLIENT_SECRET', 'env PSOXY_ZOOM_CLIENT_SECRET', 'SSM: PSOXY_ZOOM_CLIENT_SECRET']);
  assert.deepEqual(c.lookedIn('PSOXY_SALT'), ['env PSOXY_SALT', 'env PSOXY_ZOOM_PSOXY_SALT', 'SSM: PSOXY_ZOOM_PSOXY_SALT', 'SSM: PSOXY_SALT']);
  // An environment-only setting in the environment (plain or instance-prefixed) is read as before.
  const fromEnv = new ConfigService({ env: { PSOXY_ZOOM_TARGET_HOST: 'https://env.example' }, instancePrefix: 'PSOXY_ZOOM_', instanceStore: store });
  assert.deepEqual(await fromEnv.locate('TARGET_HOST'), { value: 'https://env.example', from: 'env PSOXY_ZOOM_TARGET_HOST' });
});

test('every credential, token, endpoint and key a connector or strategy reads is still found in the store alone', async () => {
  const names = new Set<string>(['PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY', 'SALT_IP', 'ENCRYPTION_KEY_IP', 'SALT_EMAIL_DOMAINS', 'ENCRYPTION_KEY_EMAIL_DOMAINS', 'RULES']);
  for (const c of CONNECTORS) {
    // What psoxy's Terraform puts in the store for it, and what it writes there.
    for (const n of [...c.secrets, ...writtenBy(c.settings)]) names.add(n);
    // What its strategy requires as configured (grant-specific settings included).
    const config = new ConfigService({ env: {}, instancePrefix: 'PSOXY_X_', defaults: c.settings });
    const strategy = STRATEGIES[c.settings.SOURCE_AUTH_STRATEGY_IDENTIFIER];
    for (const n of await strategy.required(config)) names.add(n);
  }
  // Every grant, each CREDENTIALS_FLOW of client_credentials included.
  for (const flow of ['', 'client_secret', 'jwt_assertion']) {
    for (const grantType of Object.keys(GRANTS)) {
      const config = new ConfigService({ env: { GRANT_TYPE: grantType, CREDENTIALS_FLOW: flow }, instancePrefix: 'PSOXY_X_' });
      for (const n of await STRATEGIES.oauth2_refresh_token.required(config)) names.add(n);
    }
  }
  for (const id of Object.keys(STRATEGIES).filter((s) => s !== 'oauth2_refresh_token')) {
    for (const n of await STRATEGIES[id].required(new ConfigService({ env: {}, instancePrefix: 'PSOXY_X_' }))) names.add(n);
  }
  for (const n of ['BASIC_AUTH_PASSWORD', 'TOKEN_SCOPE', 'TOKEN_RESPONSE_TYPE', 'CREDENTIALS_FLOW', 'USE_SHARED_TOKEN', 'SERVICE_ACCOUNT_KEY', 'AUDIENCE', 'IDENTITY_POOL_ID']) names.add(n);
  assert.ok(names.size > 25, [...names].join(', '));
  for (const n of names) {
    assert.notEqual(propertySource(n), 'env', `${n} may come from a store`);
    const c = new ConfigService({ env: {}, instancePrefix: 'PSOXY_X_', instanceStore: new MemoryStore({ [`PSOXY_X_${n}`]: 'stored' }, { description: 'SSM' }) });
    assert.deepEqual(await c.locate(n), { value: 'stored', from: `SSM: PSOXY_X_${n}` }, n);
  }
});
