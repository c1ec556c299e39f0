// GRANT_TYPE=certificate_credentials (GitHub App) through the proxy against a fake of GitHub's
// installation-token endpoint: the app's JWT as GitHub documents it, the installation token in
// GitHub's answer shape, one shared token for two proxies while tokens are revoked under load,
// each refusal a clear 500, and neither the private key nor any token in logs or bodies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GithubAppFake } from './fakes/github-app-fake.ts';
import { decodeJwt } from './fakes/jwt-check.ts';
import { authProxy, leaked, listRules } from './helpers/auth-proxy.ts';

async function stack(o: { stored?: Record<string, string | undefined>; env?: Record<string, string>; instances?: number; installation?: string } = {}) {
  const fake = new GithubAppFake();
  await fake.start();
  const stored = Object.fromEntries(Object.entries({ CLIENT_ID: fake.clientId, PRIVATE_KEY: fake.privateKeyPem, ...o.stored }).filter((e): e is [string, string] => e[1] !== undefined));
  const p = authProxy({
    env: {
      TARGET_HOST: fake.url, RULES: listRules('/orgs/acme/members', '', ['GET'], { email: 'email', name: 'login' }).replace(/\$\.\[\*\]/g, '$[*]'),
      SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_refresh_token', GRANT_TYPE: 'certificate_credentials', REFRESH_ENDPOINT: o.installation ? fake.endpoint.replace(fake.installationId, o.installation) : fake.endpoint,
      TOKEN_RESPONSE_TYPE: 'GITHUB_ACCESS_TOKEN', USE_SHARED_TOKEN: 'TRUE', ...o.env,
    },
    stored, instances: o.instances,
  });
  const secrets = () => [fake.privateKeyPem.split('\n')[1], ...fake.issued.keys(), ...fake.jwts];
  return { fake, p, data: (proxy = 0) => p.call('/orgs/acme/members', {}, proxy), secrets, close: () => fake.stop() };
}

test('an installation token from the app JWT GitHub documents; sanitized data; the token shared in the store', async () => {
  const s = await stack();
  try {
    const before = Math.floor(Date.now() / 1000);
    const res = await s.data();
    assert.equal(res.status, 200, res.body);
    const [member] = JSON.parse(res.body) as Record<string, string>[];
    assert.match(member.email, /^t~/);
    assert.equal(member.login, undefined);
    const sent = s.fake.tokenRequests[0];
    assert.equal(sent.body, '', 'an empty POST');
    assert.equal(sent.headers.accept, 'application/vnd.github+json');
    const { header, claims } = decodeJwt(s.fake.jwts[0])!;
    assert.deepEqual(header, { alg: 'RS256', typ: 'JWT' });
    assert.deepEqual(Object.keys(claims).sort(), ['exp', 'iat', 'iss']);
    assert.equal(claims.iss, s.fake.clientId);
    assert.ok(Math.abs((claims.iat as number) - (before - 60)) <= 2, 'iat a minute in the past');
    assert.ok((claims.exp as number) - (claims.iat as number) <= 600);
    const shared = JSON.parse((await s.p.store.get('PSOXY_SRC_ACCESS_TOKEN'))!) as { token: string; expirationDate: number };
    assert.ok(s.fake.issued.has(shared.token));
    assert.ok(Math.abs(shared.expirationDate - s.fake.issued.get(shared.token)!) < 1500, 'expiry from expires_at');
    assert.deepEqual(leaked(s.secrets(), [...s.p.logs, res.body]), []);
  } finally {
    await s.close();
  }
});

test('two proxies on one store: one token; revoked under load, each recovers with one forced refresh and no caller sees an error', async () => {
  const s = await stack({ instances: 2 });
  try {
    const load = (n: number) => Promise.all(Array.from({ length: n }, (_, i) => s.data(i % 2)));
    assert.deepEqual((await load(10)).filter((r) => r.status !== 200), []);
    assert.equal(s.fake.stats.issued, 1, 'the second proxy took the shared token');
    const during = load(20);
    s.fake.revokeAll();
    const after = [...(await during), ...(await load(20))];
    assert.deepEqual(after.filter((r) => r.status !== 200).map((r) => r.body), []);
    assert.ok(s.fake.stats.rejectedTokens > 0, 'the revoked token was really refused');
    assert.ok(s.fake.stats.issued <= 3, `installation tokens: ${s.fake.stats.issued}`);
  } finally {
    await s.close();
  }
});

test('health: CLIENT_ID and PRIVATE_KEY named when missing; an unreadable key, a REFRESH_ENDPOINT that is no installation URL and a wrong TOKEN_RESPONSE_TYPE named when set', async () => {
  const missing = await stack({ stored: { CLIENT_ID: undefined, PRIVATE_KEY: undefined } });
  try {
    const h = await missing.p.health();
    assert.equal(h.status, 412);
    assert.deepEqual(h.missing.sort(), ['CLIENT_ID', 'PRIVATE_KEY']);
  } finally {
    await missing.close();
  }
  const wrong = await stack({ stored: { PRIVATE_KEY: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC' }, env: { TOKEN_RESPONSE_TYPE: 'DEFAULT' } });
  try {
    const h = await wrong.p.health();
    assert.deepEqual(h.missing, []);
    assert.deepEqual(h.problems.map((p) => p.setting).sort(), ['PRIVATE_KEY', 'TOKEN_RESPONSE_TYPE']);
    assert.ok(!JSON.stringify(h).includes('MIIEvQIBADAN'), 'the key is not quoted');
    const res = await wrong.data();
    assert.equal(res.status, 500);
    assert.match(res.body, /PRIVATE_KEY is not a PEM private key/);
  } finally {
    await wrong.close();
  }
  const endpoint = await stack({ env: { REFRESH_ENDPOINT: 'https://api.github.com/app/installations' } });
  try {
    assert.match((await endpoint.p.health()).problems.map((p) => p.message).join('\n'), /REFRESH_ENDPOINT must be the installation token URL/);
  } finally {
    await endpoint.close();
  }
});

test("GitHub's refusals: a foreign key, the host clock ahead, another installation, rate limits and 5xx are each a 500 saying what to check", async () => {
  const other = new GithubAppFake(); // another app's key: GitHub cannot verify the JWT
  const cases: { setup: (f: GithubAppFake) => Record<string, string>; expect: RegExp }[] = [
    { setup: () => ({ PRIVATE_KEY: other.privateKeyPem }), expect: /HTTP 401: check CLIENT_ID .*PRIVATE_KEY \(a current private key of that app\) and the host clock/ },
    { setup: (f) => { f.clockOffsetMs = -120_000; return {}; }, expect: /HTTP 401: .*the host clock/ },
    { setup: (f) => { f.inject(403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0' }, 5); return {}; }, expect: /HTTP 403: GitHub refused or rate-limited/ },
    { setup: (f) => { f.inject(429, { message: 'secondary rate limit' }, { 'retry-after': '60' }, 5); return {}; }, expect: /HTTP 429: GitHub refused or rate-limited/ },
    { setup: (f) => { f.inject(502, { message: 'Server Error' }, {}, 5); return {}; }, expect: /HTTP 502: GitHub failed; retry later/ },
  ];
  for (const c of cases) {
    const s = await stack();
    try {
      const stored = c.setup(s.fake);
      for (const [k, v] of Object.entries(stored)) await s.p.store.put(`PSOXY_SRC_${k}`, v);
      const res = await s.data();
      assert.equal(res.status, 500, res.body);
      assert.equal(res.code, 'CONNECTION_SETUP');
      assert.match(res.body, c.expect);
      assert.deepEqual(leaked([...s.secrets(), other.privateKeyPem.split('\n')[1]], [...s.p.logs, res.body]), []);
    } finally {
      await s.close();
    }
  }
  const wrongInstallation = await stack({ installation: '1' });
  try {
    const res = await wrongInstallation.data();
    assert.equal(res.status, 500);
    assert.match(res.body, /HTTP 404: check the installation id in REFRESH_ENDPOINT/);
  } finally {
    await wrongInstallation.close();
  }
});
