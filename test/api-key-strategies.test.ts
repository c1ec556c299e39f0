// psoxy's API-key strategies through the proxy, each against a fake of its provider:
// claude_admin_api_key (x-api-key), windsurf_service_key (service_key in the JSON body) and
// basic_auth with an API key as the user (Cursor). A data call carries the key as the provider
// takes it; the health check names exactly what is missing; a refused key or a request that
// cannot carry the key is a clear error; the key is in no log line or body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKeySourceFake, type KeyedProvider } from './fakes/api-key-source-fake.ts';
import { authProxy, leaked, listRules } from './helpers/auth-proxy.ts';

const SETUP: Record<KeyedProvider, { strategy: string; keySetting: string; methods: string[] }> = {
  claude: { strategy: 'claude_admin_api_key', keySetting: 'ADMIN_API_KEY', methods: ['GET'] },
  windsurf: { strategy: 'windsurf_service_key', keySetting: 'SERVICE_KEY', methods: ['GET', 'POST'] },
  cursor: { strategy: 'basic_auth', keySetting: 'BASIC_AUTH_USER_ID', methods: ['GET'] },
};

async function stack(provider: KeyedProvider, key?: string) {
  const fake = new ApiKeySourceFake(provider);
  await fake.start();
  const { strategy, keySetting, methods } = SETUP[provider];
  const p = authProxy({
    env: { TARGET_HOST: fake.url, SOURCE_AUTH_STRATEGY_IDENTIFIER: strategy, RULES: listRules(fake.route.path, 'data', methods) },
    // Secrets pasted with a trailing newline are trimmed.
    stored: key === '' ? {} : { [keySetting]: `${key ?? fake.key}\n` },
  });
  const data = (init: RequestInit = {}) => p.call(fake.route.path, { method: fake.route.method, ...init });
  return { fake, p, data, close: () => fake.stop() };
}

for (const provider of ['claude', 'windsurf', 'cursor'] as const) {
  test(`${provider}: a data call carries the key as the provider takes it; sanitized; the key in no log`, async () => {
    const s = await stack(provider);
    try {
      const res = await s.data(provider === 'windsurf' ? { body: '{"group_name":"eng","start_timestamp":"2026-01-01T00:00:00Z"}', headers: { 'Content-Type': 'application/json' } } : {});
      assert.equal(res.status, 200, res.body);
      const person = (JSON.parse(res.body) as { data: Record<string, string>[] }).data[0];
      assert.match(person.email, /^t~/);
      assert.equal(person.name, undefined);
      const sent = s.fake.requests[0];
      if (provider === 'claude') assert.equal(sent.headers['x-api-key'], s.fake.key);
      if (provider === 'cursor') assert.equal(sent.headers.authorization, 'Basic ' + Buffer.from(`${s.fake.key}:`).toString('base64'));
      if (provider === 'windsurf') {
        assert.equal(sent.body, `{"group_name":"eng","start_timestamp":"2026-01-01T00:00:00Z","service_key":"${s.fake.key}"}`, 'the caller\'s fields kept in order, the key added');
        assert.equal(sent.headers.authorization, undefined);
      }
      assert.deepEqual(leaked([s.fake.key], [...s.p.logs, res.body]), []);
    } finally {
      await s.close();
    }
  });

  test(`${provider}: the health check names the missing key alone; a data call is a 500 naming it`, async () => {
    const s = await stack(provider, '');
    try {
      const h = await s.p.health();
      assert.equal(h.status, 412);
      assert.deepEqual(h.missing, [SETUP[provider].keySetting]);
      const res = await s.data();
      assert.equal(res.status, 500);
      assert.match(res.body, new RegExp(`missing configuration ${SETUP[provider].keySetting}`));
      assert.equal(s.fake.requests.length, 0);
    } finally {
      await s.close();
    }
  });

  test(`${provider}: a key the provider refuses is its 401, summarised: the key the provider quotes is not passed on`, async () => {
    const s = await stack(provider, 'wrong-key-0123456789');
    try {
      const res = await s.data(provider === 'windsurf' ? { body: '{}', headers: { 'Content-Type': 'application/json' } } : {});
      assert.equal(res.status, 401);
      assert.equal(res.code, 'API_ERROR');
      assert.ok(s.fake.requests.length >= 1);
      assert.deepEqual(leaked(['wrong-key-0123456789', s.fake.key], [...s.p.logs, res.body]), []);
    } finally {
      await s.close();
    }
  });
}

test('windsurf: a POST without a body gets {"service_key":…} as JSON (psoxy); a caller\'s own service_key is overwritten', async () => {
  const s = await stack('windsurf');
  try {
    assert.equal((await s.data()).status, 200);
    assert.equal(s.fake.requests[0].body, `{"service_key":"${s.fake.key}"}`);
    assert.equal(s.fake.requests[0].headers['content-type'], 'application/json');
    const res = await s.data({ body: '{"service_key":"mine","n":12345678901234567890}', headers: { 'Content-Type': 'application/json' } });
    assert.equal(res.status, 200);
    assert.equal(s.fake.requests[1].body, `{"service_key":"${s.fake.key}","n":12345678901234567890}`, 'replaced in place; big numbers exact');
  } finally {
    await s.close();
  }
});

test('windsurf: a GET, a non-JSON body or a JSON array is refused with 400 saying what to send; nothing reaches Windsurf; no key in the answer', async () => {
  const s = await stack('windsurf');
  try {
    const get = await s.data({ method: 'GET' });
    assert.equal(get.status, 400);
    assert.equal(get.code, 'INVALID_REQUEST');
    assert.match(get.body, /windsurf_service_key sends SERVICE_KEY in a JSON request body, which a GET cannot carry: call this endpoint with POST/);
    for (const [body, type] of [['group=eng', 'application/x-www-form-urlencoded'], ['[1,2]', 'application/json']]) {
      const res = await s.data({ body, headers: { 'Content-Type': type } });
      assert.equal(res.status, 400, `${type} ${body}`);
      assert.match(res.body, /adds SERVICE_KEY to a JSON object request body: send Content-Type: application\/json and a body \{…\}/);
      assert.deepEqual(leaked([s.fake.key], [res.body]), []);
    }
    assert.equal(s.fake.requests.length, 0);
    assert.deepEqual(leaked([s.fake.key], s.p.logs), []);
  } finally {
    await s.close();
  }
});

test('basic_auth: an explicit BASIC_AUTH_PASSWORD is used; psoxy\'s default for it is empty', async () => {
  const s = await stack('cursor');
  try {
    const fresh = authProxy({ env: { TARGET_HOST: s.fake.url, SOURCE_AUTH_STRATEGY_IDENTIFIER: 'basic_auth', RULES: listRules(s.fake.route.path, 'data') }, stored: { BASIC_AUTH_USER_ID: 'user', BASIC_AUTH_PASSWORD: 'pw' } });
    const res = await fresh.call(s.fake.route.path);
    assert.equal(res.status, 401, 'Cursor wants an empty password');
    assert.equal(s.fake.requests.at(-1)!.headers.authorization, 'Basic ' + Buffer.from('user:pw').toString('base64'));
  } finally {
    await s.close();
  }
});
