// ConfigService: psoxy's layering, placeholders, caching and errors that name what was looked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigService, InvalidConfigError, MissingConfigError } from '../src/config/config-service.ts';
import { pseudonymizerFromConfig } from '../src/config/pseudonymizer-config.ts';
import { MemoryStore, TransientConfigError, type ConfigStore } from '../src/config/store.ts';

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
