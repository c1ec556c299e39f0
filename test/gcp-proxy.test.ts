// The GCP proxy: the real functions framework serving the HTTP function, config and the shared
// token in Secret Manager through our REST client (src/runtimes/gcp/secret-manager-rest.ts, which
// replaced @google-cloud/secret-manager for cold starts) pointed at a local fake of Google's REST
// API, calling the Zoom simulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { FakeSecretManager } from './fakes/secret-manager-fake.ts';
import { secretManagerClient } from './helpers/cloud-clients.ts';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';
import { registerApiFunction, gcpClientIp, gcpConfig } from '../src/runtimes/gcp/api-function.ts';
import { memoryLogger } from '../src/logging/logger.ts';
import { createProxyHandler } from '../src/proxy/handler.ts';
import { SecretManagerStore } from '../src/runtimes/gcp/secret-manager-store.ts';


test('HTTP function on the functions framework: Secret Manager config, shared token as versions, lock as a label', async () => {
  const fake = new FakeSecretManager();
  const endpoint = await fake.start();
  const sim = new ZoomSimulator({ orgOptions: { seed: 9, users: 8, meetingsPerUser: 1 } });
  await sim.start();
  fake.set('PSOXY_SALT', 'gcp-salt');
  fake.set('PSOXY_ENCRYPTION_KEY', 'gcp-key');
  for (const [name, value] of Object.entries(sim.credentialSettings())) fake.set(name, value);
  fake.set('PSOXY_ZOOM_ACCESS_TOKEN');
  fake.set('PSOXY_ZOOM_OAUTH_REFRESH_TOKEN');
  registerApiFunction('psoxyTest', {
    env: { K_SERVICE: 'psoxy-zoom', SOURCE: 'zoom', ...sim.targetSettings() },
    secretManager: secretManagerClient(endpoint), project: 'my-project', logger: memoryLogger(),
  });
  const server = getTestServer('psoxyTest');
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const res = await fetch(`${base}/psoxy-zoom/v2/users?page_size=4`, { headers: { 'X-Forwarded-For': '198.51.100.7, 35.191.0.1', 'X-Forwarded-Proto': 'https' } });
    const body = await res.text();
    assert.equal(res.status, 200, body);
    assert.equal((JSON.parse(body) as { users: unknown[] }).users.length, 4);
    // The secrets a Zoom cold start reads: the salt and keys, RULES and the auth settings not in the
    // environment (GRANT_TYPE and USE_SHARED_TOKEN come from the connector's defaults here); never an
    // environment-only setting (psoxy asks Secret Manager for those on GCP, to find nothing).
    const read = [...new Set(fake.calls.filter((c) => c.startsWith('GET ') && c.endsWith(':access')).map((c) => c.split('/')[5]))].sort();
    assert.deepEqual(read, [
      ...['RULES', 'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY', 'SALT_IP', 'ENCRYPTION_KEY_IP', 'SALT_EMAIL_DOMAINS', 'ENCRYPTION_KEY_EMAIL_DOMAINS',
        'GRANT_TYPE', 'USE_SHARED_TOKEN', 'ACCOUNT_ID', 'CLIENT_ID', 'CLIENT_SECRET'].map((p) => `PSOXY_ZOOM_${p}`),
      'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY',
    ].sort(), fake.calls.join('\n'));
    // The shared token is read through its version list (none yet, so no version is accessed).
    assert.ok(fake.calls.some((c) => c.startsWith('GET /v1/projects/my-project/secrets/PSOXY_ZOOM_ACCESS_TOKEN/versions')));
    const stored = JSON.parse(fake.latest('PSOXY_ZOOM_ACCESS_TOKEN')!) as { token: string; expirationDate: number };
    assert.ok(stored.token && stored.expirationDate > Date.now(), 'token stored as a secret version');
    assert.equal(fake.secrets.get('PSOXY_ZOOM_ACCESS_TOKEN')!.labels['latest-version'], '1');
    assert.ok(fake.calls.some((c) => c.startsWith('PATCH /v1/projects/my-project/secrets/PSOXY_ZOOM_OAUTH_REFRESH_TOKEN')), 'lock taken as a label');
    const http = await fetch(`${base}/v2/users`, { headers: { 'X-Forwarded-Proto': 'http' } });
    assert.equal(http.status, 400);
    // The core's bounds and refusals hold behind the functions framework too.
    const before = sim.stats.apiRequests;
    const big = await fetch(`${base}/v2/users`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }) });
    assert.equal(big.status, 413);
    assert.equal(big.headers.get('x-psoxy-error'), 'REQUEST_TOO_LARGE');
    const del = await fetch(`${base}/v2/users`, { method: 'DELETE' });
    assert.equal(del.status, 403);
    // fetch would resolve the dot segment itself: send the raw request line.
    const traversal = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/v2/users/%2e%2e/groups' }, (res) => { res.resume(); resolve(res.statusCode!); }).on('error', reject).end();
    });
    assert.equal(traversal, 400);
    assert.equal(sim.stats.apiRequests, before, 'nothing reached Zoom');
    const health = await fetch(`${base}/`, { headers: { 'X-Psoxy-Health-Check': '1', 'X-Forwarded-For': '198.51.100.7, 35.191.0.1' } });
    assert.equal(((await health.json()) as { callerIp: string }).callerIp, '198.51.100.7');
    const lockLabels = () => fake.secrets.get('PSOXY_ZOOM_OAUTH_REFRESH_TOKEN')!.labels;
    for (let i = 0; i < 60 && lockLabels().locked !== undefined; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(lockLabels().locked, undefined, 'lock label removed after the settle time');
  } finally {
    await new Promise((r) => server.close(r));
    await sim.stop();
    await fake.stop();
  }
});

test('Secret Manager store: reads latest with versions.access alone, history, etag-guarded lock, transient errors named', async () => {
  const fake = new FakeSecretManager();
  const endpoint = await fake.start();
  try {
    const store = new SecretManagerStore(secretManagerClient(endpoint), 'p');
    fake.set('T', 'v1');
    fake.set('T', 'v2');
    assert.equal(await store.get('T'), 'v2');
    fake.secrets.get('T')!.labels['latest-version'] = '1';
    assert.equal(await store.get('T'), 'v2', 'a read is the latest version (the label is for psoxy instances)');
    assert.ok(!fake.calls.some((c) => c === 'GET /v1/projects/p/secrets/T'), 'no metadata read (secrets.get), which Secret Accessor lacks');
    await store.put('T', 'v3');
    assert.equal(await store.get('T'), 'v3');
    assert.deepEqual(await store.history('T', 5), ['v3'], 'older versions destroyed');
    assert.equal(await store.get('MISSING'), undefined);
    fake.set('L');
    assert.equal(await store.tryLock('L', 60_000), true);
    assert.equal(await store.tryLock('L', 60_000), false);
    await store.unlock('L');
    assert.equal(await store.tryLock('L', 60_000), true);
    fake.failNext(10);
    await assert.rejects(() => store.get('T'), /Secret Manager \(project p\): reading T failed: unavailable \(code 503\)/);
    assert.equal(gcpClientIp('1.1.1.1'), '1.1.1.1');
    assert.equal(gcpClientIp('1.1.1.1, 2.2.2.2, 3.3.3.3'), '2.2.2.2');
  } finally {
    await fake.stop();
  }
});

test("psoxy's grants: Secret Accessor alone on the admin-filled secrets (no secrets.get) is enough; no call is denied", async () => {
  const fake = new FakeSecretManager();
  const endpoint = await fake.start();
  const sim = new ZoomSimulator({ orgOptions: { seed: 9, users: 8, meetingsPerUser: 1 } });
  await sim.start();
  try {
    const accessorOnly = { PSOXY_SALT: 'gcp-salt', PSOXY_ENCRYPTION_KEY: 'gcp-key', ...sim.credentialSettings() };
    for (const [name, value] of Object.entries(accessorOnly)) {
      fake.set(name, value);
      fake.grant(name, 'secretAccessor');
    }
    for (const name of ['PSOXY_ZOOM_ACCESS_TOKEN', 'PSOXY_ZOOM_OAUTH_REFRESH_TOKEN']) {
      fake.set(name);
      fake.grant(name, 'secretVersionManager');
    }
    const proxy = createProxyHandler({ config: gcpConfig({ env: { K_SERVICE: 'psoxy-zoom', SOURCE: 'zoom', ...sim.targetSettings() }, secretManager: secretManagerClient(endpoint), project: 'p' }), tokenTimings: { settleMs: 0 } });
    const health = await proxy(new Request('https://x/', { headers: { 'X-Psoxy-Health-Check': '1' } }), { rawUrl: '/' });
    const facts = (await health.json()) as { missingConfigProperties: string[]; nonDefaultSalt: boolean };
    assert.equal(health.status, 200, JSON.stringify(facts));
    assert.deepEqual(facts.missingConfigProperties, []);
    const res = await proxy(new Request('https://x/'), { rawUrl: '/v2/users?page_size=3' });
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(fake.denied, [], 'no denied Secret Manager call');
    assert.ok(fake.latest('PSOXY_ZOOM_ACCESS_TOKEN'), 'the token was written where the role allows it');
  } finally {
    await sim.stop();
    await fake.stop();
  }
});

test('Secret Manager: a value IAM refuses reads as absent, and "looked in" says it was denied', async () => {
  const fake = new FakeSecretManager();
  const endpoint = await fake.start();
  try {
    fake.set('psoxy_ZOOM_CLIENT_SECRET', 'x');
    fake.grant('psoxy_ZOOM_CLIENT_SECRET', 'secretVersionManager');
    fake.set('psoxy_ZOOM_CLIENT_ID', 'id');
    fake.grant('psoxy_ZOOM_CLIENT_ID', 'secretAccessor');
    const config = gcpConfig({ env: { K_SERVICE: 'psoxy-zoom', PATH_TO_INSTANCE_CONFIG: 'psoxy_ZOOM_', PATH_TO_SHARED_CONFIG: 'psoxy_' }, secretManager: secretManagerClient(endpoint), project: 'p' });
    // A grant that lacks versions.access on the account id.
    fake.set('psoxy_ZOOM_ACCOUNT_ID', 'acct');
    fake.grant('psoxy_ZOOM_ACCOUNT_ID', 'viewer');
    assert.equal(await config.get('CLIENT_ID'), 'id');
    await assert.rejects(() => config.require('ACCOUNT_ID'), /Secret Manager \(project p\): psoxy_ZOOM_ACCOUNT_ID \(denied\)/);
  } finally {
    await fake.stop();
  }
});

test('Secret Manager: an environment-only setting is never asked for (psoxy asks, to find nothing); credentials and the salt still are', async () => {
  const fake = new FakeSecretManager();
  const endpoint = await fake.start();
  try {
    fake.set('psoxy_ZOOM_TARGET_HOST', 'https://stored.example');
    fake.set('psoxy_ZOOM_REQUEST_TIMEOUT_SECONDS', '5');
    fake.set('psoxy_ZOOM_CLIENT_SECRET', 'secret');
    fake.set('psoxy_PSOXY_SALT', 'salt');
    const config = gcpConfig({ env: { K_SERVICE: 'psoxy-zoom', PATH_TO_INSTANCE_CONFIG: 'psoxy_ZOOM_', PATH_TO_SHARED_CONFIG: 'psoxy_' }, secretManager: secretManagerClient(endpoint), project: 'p' });
    const health = await createProxyHandler({ config, logger: memoryLogger() })(new Request('https://proxy.invalid/', { headers: { 'X-Psoxy-Health-Check': '1' } }), { rawUrl: '/' });
    assert.equal(health.status, 412);
    const facts = (await health.json()) as { problems: { setting: string; message: string }[] };
    assert.deepEqual(facts.problems.find((p) => p.setting === 'TARGET_HOST'), { setting: 'TARGET_HOST', message: 'missing configuration TARGET_HOST (looked in: env TARGET_HOST; env psoxy_ZOOM_TARGET_HOST)' });
    const asked = fake.calls.map((c) => c.split('/')[5]);
    for (const n of ['psoxy_ZOOM_TARGET_HOST', 'psoxy_ZOOM_REQUEST_TIMEOUT_SECONDS', 'psoxy_ZOOM_SOURCE', 'psoxy_ZOOM_LEAK_GUARD', 'psoxy_ZOOM_BUNDLE_FILENAME']) assert.ok(!asked.includes(n), `${n} not asked`);
    assert.ok(asked.includes('psoxy_ZOOM_CLIENT_SECRET') && asked.includes('psoxy_PSOXY_SALT'));
    assert.equal(await config.get('CLIENT_SECRET'), 'secret');
    assert.equal(await config.get('PSOXY_SALT'), 'salt');
  } finally {
    await fake.stop();
  }
});
