import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeSecretManager } from './fakes/secret-manager-fake.ts';
import { SecretManagerStore } from '../src/runtimes/gcp/secret-manager-store.ts';
import { SecretManagerRest } from '../src/runtimes/gcp/secret-manager-rest.ts';
import { googleAccessToken } from '../src/runtimes/gcp/google-access-token.ts';
import { TransientConfigError } from '../src/config/store.ts';
import { listen } from '../src/runtimes/node/server.ts';

test('Secret Manager getMany: values, absent and denied as get reads them, at most 8 requests at once, each with the access token', async () => {
  const fake = new FakeSecretManager();
  const { host, port } = await fake.start();
  let inFlight = 0;
  let most = 0;
  const tokens = new Set<string | null>();
  const counting: typeof fetch = async (url, init) => {
    tokens.add(new Headers(init?.headers).get('authorization'));
    most = Math.max(most, ++inFlight);
    try {
      return await fetch(url, init);
    } finally {
      inFlight--;
    }
  };
  try {
    const names = Array.from({ length: 40 }, (_, i) => `S${i}`);
    for (const n of names) fake.set(n, `value of ${n}`);
    fake.set('NO_VERSION');
    fake.set('REFUSED', 'secret');
    fake.grant('REFUSED', 'viewer');
    const store = new SecretManagerStore(new SecretManagerRest({ endpoint: `http://${host}:${port}`, accessToken: async () => 'tok', fetch: counting }), 'p');
    const values = await store.getMany([...names, 'MISSING', 'NO_VERSION', 'REFUSED']);
    for (const n of names) assert.equal(values.get(n), `value of ${n}`);
    assert.deepEqual([values.get('MISSING'), values.get('NO_VERSION'), values.get('REFUSED')], [undefined, undefined, undefined]);
    assert.equal(values.size, 43);
    assert.equal(store.problemWith('REFUSED'), 'denied');
    assert.equal(store.problemWith('MISSING'), undefined);
    assert.ok(most > 1 && most <= 32, `in parallel, bounded (at most ${most} at once)`);
    assert.deepEqual([...tokens], ['Bearer tok']);
    assert.ok(fake.calls.every((c) => c.endsWith('/versions/latest:access')), 'only versions.access');
  } finally {
    await fake.stop();
  }
});

test('Secret Manager REST: no answer is a transient error, not an absent value', async () => {
  const fake = new FakeSecretManager();
  const { host, port } = await fake.start();
  await fake.stop();
  const store = new SecretManagerStore(new SecretManagerRest({ endpoint: `http://${host}:${port}`, accessToken: async () => 'tok' }), 'p');
  await assert.rejects(() => store.get('T'), (e) => e instanceof TransientConfigError && /reading T failed: unavailable \(code 503\)/.test(e.message));
});

test('access token: from the metadata server with Metadata-Flavor, one request for concurrent callers, cached until a minute before expiry', async () => {
  const requests: { path: string | undefined; flavor: string | string[] | undefined }[] = [];
  let status = 200;
  const server = await listen((req, res) => {
    requests.push({ path: req.url, flavor: req.headers['metadata-flavor'] });
    res.writeHead(status, { 'Content-Type': 'application/json', 'Metadata-Flavor': 'Google' });
    res.end(JSON.stringify({ access_token: `at-${requests.length}`, expires_in: 3599, token_type: 'Bearer' }));
  });
  try {
    let clock = 1_000_000;
    const token = googleAccessToken({ env: { GCE_METADATA_HOST: new URL(server.url).host }, now: () => clock });
    assert.deepEqual(await Promise.all([token(), token(), token()]), ['at-1', 'at-1', 'at-1']);
    assert.deepEqual(requests, [{ path: '/computeMetadata/v1/instance/service-accounts/default/token', flavor: 'Google' }]);
    clock += 3599_000 - 61_000;
    assert.equal(await token(), 'at-1');
    clock += 2_000;
    assert.equal(await token(), 'at-2', 'renewed a minute before it expires');
    clock += 3600_000;
    status = 500;
    await assert.rejects(token, (e: { code?: number; message: string }) => e.code === 503 && /metadata server .*HTTP 500/.test(e.message));
  } finally {
    await server.close();
  }
});

test('Secret Manager REST over node:http (the default transport): values, absent, denied, and a 503 as a transient error naming the secret', async () => {
  const fake = new FakeSecretManager();
  const { host, port } = await fake.start();
  try {
    const names = Array.from({ length: 35 }, (_, i) => `S${i}`);
    for (const n of names) fake.set(n, `value of ${n} ✓`);
    fake.set('REFUSED', 'secret');
    fake.grant('REFUSED', 'viewer');
    const store = new SecretManagerStore(new SecretManagerRest({ endpoint: `http://${host}:${port}`, accessToken: async () => 'tok' }), 'p');
    const values = await store.getMany([...names, 'MISSING', 'REFUSED']);
    for (const n of names) assert.equal(values.get(n), `value of ${n} ✓`);
    assert.deepEqual([values.get('MISSING'), values.get('REFUSED')], [undefined, undefined]);
    assert.equal(store.problemWith('REFUSED'), 'denied');
    fake.failNext(1);
    await assert.rejects(() => store.get('S1'), (e) => e instanceof TransientConfigError && /reading S1 failed: unavailable \(code 503\)/.test(e.message));
    assert.equal(await store.get('S1'), 'value of S1 ✓');
  } finally {
    await fake.stop();
  }
});

test('httpExchange: an answer past its byte limit and one past its deadline fail; a 200 that is not JSON is a transient store error, not an absent value', async () => {
  const { httpExchange } = await import('../src/runtimes/http-exchange.ts');
  const server = await listen((req, res) => {
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2_000).unref();
    res.end('x'.repeat(10_000));
  });
  try {
    const ok = await httpExchange(`${server.url}/`, { method: 'GET', headers: {}, timeoutMs: 5_000, maxBytes: 20_000 });
    assert.deepEqual([ok.status, ok.text.length], [200, 10_000]);
    await assert.rejects(httpExchange(`${server.url}/`, { method: 'GET', headers: {}, timeoutMs: 5_000, maxBytes: 1_000 }), /longer than 1000 bytes/);
    await assert.rejects(httpExchange(`${server.url}/slow`, { method: 'GET', headers: {}, timeoutMs: 100, maxBytes: 1_000 }), /timed out after 100 ms/);
    const store = new SecretManagerStore(new SecretManagerRest({ endpoint: `${server.url}/not-secret-manager`, accessToken: async () => 'tok' }), 'p');
    await assert.rejects(() => store.get('NOT_JSON'), (e) => e instanceof TransientConfigError && /reading NOT_JSON failed: unavailable \(code 503\)/.test(e.message));
  } finally {
    await server.close();
  }
});

test('Secret Manager REST over https: HTTP/2, one connection for a cold start\'s parallel reads; HTTP/1.1 when the endpoint refuses HTTP/2; no answer is transient', async () => {
  const { SELF_SIGNED_CERT, SELF_SIGNED_KEY } = await import('./fakes/self-signed-cert.ts');
  const h2 = new FakeSecretManager();
  const a = await h2.start({ tls: { cert: SELF_SIGNED_CERT, key: SELF_SIGNED_KEY } });
  const h1 = new FakeSecretManager();
  const b = await h1.start({ tls: { cert: SELF_SIGNED_CERT, key: SELF_SIGNED_KEY, http1Only: true } });
  try {
    const names = Array.from({ length: 30 }, (_, i) => `S${i}`);
    for (const fake of [h2, h1]) for (const n of names) fake.set(n, `value of ${n}`);
    h2.set('REFUSED', 'x');
    h2.grant('REFUSED', 'viewer');
    const client = (port: number) => new SecretManagerRest({ endpoint: `https://localhost:${port}`, accessToken: async () => 'tok', ca: SELF_SIGNED_CERT });
    const over2 = new SecretManagerStore(client(a.port), 'p');
    const values = await over2.getMany([...names, 'MISSING', 'REFUSED']);
    for (const n of names) assert.equal(values.get(n), `value of ${n}`);
    assert.deepEqual([values.get('MISSING'), values.get('REFUSED'), over2.problemWith('REFUSED')], [undefined, undefined, 'denied']);
    assert.ok(h2.httpVersions.every((v) => v === '2.0'), h2.httpVersions.join());
    assert.equal(h2.connections, 1, 'one TLS handshake for 32 reads');
    await over2.put('S1', 'new');
    assert.deepEqual(await over2.history('S1', 2), ['new'], 'older versions destroyed');
    h2.failNext(1);
    await assert.rejects(() => over2.get('S2'), (e) => e instanceof TransientConfigError && /reading S2 failed: unavailable \(code 503\)/.test(e.message));

    const over1 = new SecretManagerStore(client(b.port), 'p');
    assert.equal((await over1.getMany(names)).get('S29'), 'value of S29');
    assert.ok(h1.httpVersions.length === 30 && h1.httpVersions.every((v) => v === '1.1'));
  } finally {
    await h2.stop();
    await h1.stop();
  }
  const gone = new SecretManagerStore(new SecretManagerRest({ endpoint: `https://localhost:${a.port}`, accessToken: async () => 'tok', ca: SELF_SIGNED_CERT }), 'p');
  await assert.rejects(() => gone.get('S1'), (e) => e instanceof TransientConfigError && /reading S1 failed: unavailable \(code 503\)/.test(e.message));
});
