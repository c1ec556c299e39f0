// Microsoft 365's grants through the proxy against a fake of Entra's token endpoint:
// client_credentials with psoxy's default jwt_assertion flow (a certificate's RS256 assertion,
// x5t from PRIVATE_KEY_ID), and workload_identity_federation with the platform's identity token
// as the assertion: Cognito's developer-identity token (the real SDK v3 client against a fake,
// SigV4 checked) on AWS, the metadata server's identity token (a fake on 127.0.0.1) on GCP.
// Each: the data call succeeds, the health check names exactly what is missing, refusals are a
// clear 500, and no key, assertion or token appears in any log line or body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { EntraTokenFake, GRAPH_SCOPE } from './fakes/entra-token-fake.ts';
import { CognitoFake, COGNITO_ISSUER } from './fakes/cognito-fake.ts';
import { GcpMetadataFake, GOOGLE_ISSUER } from './fakes/gcp-metadata-fake.ts';
import { decodeJwt } from './fakes/jwt-check.ts';
import { authProxy, leaked, listRules, type AuthProxy } from './helpers/auth-proxy.ts';

// The SDK's default credential chain reads these (as a Lambda's role credentials); the Cognito fake checks SigV4 with them.
process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';

const RULES = listRules('/v1.0/users', 'value', ['GET'], { email: 'mail', name: 'displayName' });

function base(fake: EntraTokenFake, grant: Record<string, string>): Record<string, string> {
  return { TARGET_HOST: fake.url, RULES, SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_refresh_token', REFRESH_ENDPOINT: fake.endpoint, TOKEN_SCOPE: GRAPH_SCOPE, ...grant };
}

async function assertSucceeds(p: AuthProxy, fake: EntraTokenFake): Promise<string> {
  const res = await p.call('/v1.0/users');
  assert.equal(res.status, 200, res.body);
  const [user] = (JSON.parse(res.body) as { value: Record<string, string>[] }).value;
  assert.match(user.mail, /^t~/);
  assert.equal(user.displayName, undefined);
  assert.deepEqual(fake.violations, []);
  const form = fake.tokenRequests.at(-1)!.form;
  assert.deepEqual([...form.keys()], ['client_assertion', 'client_assertion_type', 'client_id', 'grant_type', 'scope'], 'the form as psoxy sends it, sorted');
  return res.body;
}

function secretsOf(fake: EntraTokenFake, more: string[] = []): string[] {
  return [...fake.issued.keys(), ...fake.assertions, ...more];
}

async function jwtStack(o: { stored?: Record<string, string | undefined>; env?: Record<string, string> } = {}) {
  const fake = new EntraTokenFake();
  await fake.start();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const thumbprint = fake.addCertificate(publicKey);
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const stored = Object.fromEntries(Object.entries({ CLIENT_ID: fake.clientId, PRIVATE_KEY_ID: thumbprint, PRIVATE_KEY: Buffer.from(pem).toString('base64'), ...o.stored }).filter((e): e is [string, string] => e[1] !== undefined));
  const p = authProxy({ env: { ...base(fake, { GRANT_TYPE: 'client_credentials' }), ...o.env }, stored });
  return { fake, p, pem, close: () => fake.stop() };
}

test('client_credentials / jwt_assertion (psoxy default): a certificate assertion Entra verifies; sanitized data', async () => {
  const s = await jwtStack();
  try {
    const before = Math.floor(Date.now() / 1000);
    const body = await assertSucceeds(s.p, s.fake);
    const { header, claims } = decodeJwt(s.fake.assertions[0])!;
    assert.equal(header.typ, 'JWT');
    assert.equal(typeof header.x5t, 'string');
    assert.equal(claims.aud, s.fake.endpoint);
    assert.equal(claims.iss, s.fake.clientId);
    assert.equal(claims.sub, s.fake.clientId);
    assert.match(String(claims.jti), /^[0-9a-f-]{36}$/);
    assert.ok(Math.abs((claims.iat as number) - before) <= 2);
    assert.equal((claims.exp as number) - (claims.iat as number), 300);
    assert.deepEqual(leaked(secretsOf(s.fake, [s.pem.split('\n')[1]]), [...s.p.logs, body]), []);
  } finally {
    await s.close();
  }
});

test('jwt_assertion: health names PRIVATE_KEY_ID and PRIVATE_KEY when missing, and an unusable thumbprint when set', async () => {
  const missing = await jwtStack({ stored: { PRIVATE_KEY_ID: undefined, PRIVATE_KEY: undefined } });
  try {
    const h = await missing.p.health();
    assert.equal(h.status, 412);
    assert.deepEqual(h.missing.sort(), ['PRIVATE_KEY', 'PRIVATE_KEY_ID']);
  } finally {
    await missing.close();
  }
  const bad = await jwtStack({ stored: { PRIVATE_KEY_ID: 'my-cert' } });
  try {
    const h = await bad.p.health();
    assert.deepEqual(h.problems.map((p) => p.setting), ['PRIVATE_KEY_ID']);
    assert.match(h.problems[0].message, /not a SHA-1 certificate thumbprint/);
  } finally {
    await bad.close();
  }
});

test("jwt_assertion: Entra's refusals (unknown certificate, host clock behind, unknown app, throttling, 5xx) are each a 500 saying what to check; no secret leaks", async () => {
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const cases: { stored?: Record<string, string>; setup?: (f: EntraTokenFake) => void; expect: RegExp }[] = [
    { stored: { PRIVATE_KEY: other }, expect: /\(HTTP 401, invalid_client\), also as just re-read: update PSOXY_SRC_PRIVATE_KEY with the private key of a certificate uploaded to the app registration and PRIVATE_KEY_ID with its thumbprint \(if both are current: the host clock\)/ },
    { setup: (f) => { f.clockOffsetMs = 10 * 60_000; }, expect: /\(HTTP 401, invalid_client\).*the host clock/ },
    { stored: { CLIENT_ID: 'not-the-app' }, expect: /HTTP 400 \(unauthorized_client\): check CLIENT_ID: the app registration is not in the tenant of REFRESH_ENDPOINT/ },
    { setup: (f) => f.inject(429, { error: 'temporarily_unavailable' }, { 'Retry-After': '5' }, 5), expect: /HTTP 429 \(temporarily_unavailable\): the token endpoint is temporarily unavailable; retry later/ },
    { setup: (f) => f.inject(503, '<html>Service Unavailable</html>', {}, 5), expect: /HTTP 503: the token endpoint failed; retry later/ },
  ];
  for (const c of cases) {
    const s = await jwtStack({ stored: c.stored });
    try {
      c.setup?.(s.fake);
      const res = await s.p.call('/v1.0/users');
      assert.equal(res.status, 500, res.body);
      assert.equal(res.code, 'CONNECTION_SETUP');
      assert.match(res.body, c.expect);
      assert.deepEqual(leaked(secretsOf(s.fake, [s.pem.split('\n')[1], other.split('\n')[1]]), [...s.p.logs, res.body]), []);
    } finally {
      await s.close();
    }
  }
});

test('jwt_assertion: a certificate renewed in the store is picked up on the refusal of the old one, with no redeploy', async () => {
  const s = await jwtStack();
  try {
    await assertSucceeds(s.p, s.fake);
    // The app's certificate is replaced: the old one removed, the new key and thumbprint stored.
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    s.fake.certificates.clear();
    const thumbprint = s.fake.addCertificate(publicKey);
    await s.p.store.put('PSOXY_SRC_PRIVATE_KEY', privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    await s.p.store.put('PSOXY_SRC_PRIVATE_KEY_ID', thumbprint);
    s.fake.issued.clear(); // the access token is revoked too: the next call must exchange
    const res = await s.p.call('/v1.0/users');
    assert.equal(res.status, 200, res.body);
  } finally {
    await s.close();
  }
});

async function wifStack(platform: 'aws' | 'gcp', o: { omit?: string[]; runtimeEnv?: Record<string, string> } = {}) {
  const fake = new EntraTokenFake();
  await fake.start();
  const cognito = new CognitoFake();
  const metadata = new GcpMetadataFake();
  const audience = 'api://AzureADTokenExchange';
  let settings: Record<string, string>;
  if (platform === 'aws') {
    const endpoint = await cognito.start();
    cognito.login = fake.clientId;
    fake.federated.push({ issuer: COGNITO_ISSUER, subject: cognito.identityId, audience: cognito.identityPoolId, key: cognito.publicKey });
    settings = { IDENTITY_POOL_ID: cognito.identityPoolId, IDENTITY_ID: cognito.identityId, DEVELOPER_NAME_ID: cognito.developerName, AWS_ENDPOINT_URL_COGNITO_IDENTITY: endpoint };
  } else {
    await metadata.start();
    fake.federated.push({ issuer: GOOGLE_ISSUER, subject: metadata.serviceAccountId, audience, key: metadata.publicKey });
    settings = { AUDIENCE: audience, GCE_METADATA_HOST: metadata.host };
  }
  const env = { ...base(fake, { GRANT_TYPE: 'workload_identity_federation', CLIENT_ID: fake.clientId }), ...settings, ...o.runtimeEnv };
  for (const k of o.omit ?? []) delete env[k];
  const p = authProxy({ env });
  return {
    fake, cognito, metadata, p,
    close: async () => { await fake.stop(); await cognito.stop(); await metadata.stop(); },
  };
}

test('workload_identity_federation on AWS: the Cognito developer-identity token (real SDK client, SigV4) is the client assertion', async () => {
  const s = await wifStack('aws', { runtimeEnv: { AWS_LAMBDA_FUNCTION_NAME: 'psoxy-outlook-cal' } });
  try {
    const body = await assertSucceeds(s.p, s.fake);
    assert.equal(s.cognito.calls[0].target, 'AWSCognitoIdentityService.GetOpenIdTokenForDeveloperIdentity');
    assert.deepEqual(s.cognito.calls[0].input, { IdentityId: s.cognito.identityId, IdentityPoolId: s.cognito.identityPoolId, Logins: { [s.cognito.developerName]: s.fake.clientId } });
    assert.equal(s.fake.tokenRequests[0].form.get('client_assertion'), s.cognito.issued[0]);
    assert.equal(await s.p.store.get('PSOXY_SRC_ACCESS_TOKEN'), undefined, 'no shared token (psoxy)');
    assert.deepEqual(leaked(secretsOf(s.fake, s.cognito.issued), [...s.p.logs, body]), []);
  } finally {
    await s.close();
  }
});

test('workload_identity_federation on GCP: the metadata server\'s identity token for AUDIENCE is the client assertion', async () => {
  const s = await wifStack('gcp', { runtimeEnv: { K_SERVICE: 'psoxy-outlook-cal' } });
  try {
    const body = await assertSucceeds(s.p, s.fake);
    assert.deepEqual(s.metadata.requests[0], { path: '/computeMetadata/v1/instance/service-accounts/default/identity', flavor: 'Google' });
    assert.equal(s.fake.tokenRequests[0].form.get('client_assertion'), s.metadata.issued[0]);
    assert.deepEqual(leaked(secretsOf(s.fake, s.metadata.issued), [...s.p.logs, body]), []);
  } finally {
    await s.close();
  }
});

test('workload_identity_federation: the runtime picks the platform (Lambda → Cognito settings, Cloud Run → AUDIENCE) and health names exactly those missing', async () => {
  const aws = await wifStack('gcp', { runtimeEnv: { AWS_LAMBDA_FUNCTION_NAME: 'psoxy-outlook-cal' } });
  try {
    const h = await aws.p.health();
    assert.equal(h.status, 412);
    assert.deepEqual(h.missing.sort(), ['DEVELOPER_NAME_ID', 'IDENTITY_ID', 'IDENTITY_POOL_ID']);
  } finally {
    await aws.close();
  }
  const gcp = await wifStack('aws', { runtimeEnv: { K_SERVICE: 'psoxy-outlook-cal' } });
  try {
    assert.deepEqual((await gcp.p.health()).missing, ['AUDIENCE']);
  } finally {
    await gcp.close();
  }
  const nowhere = await wifStack('gcp', { omit: ['AUDIENCE', 'TOKEN_SCOPE'] });
  try {
    const h = await nowhere.p.health();
    assert.deepEqual(h.missing, ['TOKEN_SCOPE']);
    assert.match(h.problems.map((p) => p.message).join('\n'), /needs the platform's identity: on AWS set IDENTITY_POOL_ID, IDENTITY_ID and DEVELOPER_NAME_ID \(Cognito\), on GCP set AUDIENCE/);
  } finally {
    await nowhere.close();
  }
});

test('workload_identity_federation: Cognito refusals, a metadata server that fails or is absent, and a federated credential Entra lacks are each a 500 saying what to check', async () => {
  const cases: { platform: 'aws' | 'gcp'; setup: (s: Awaited<ReturnType<typeof wifStack>>) => Promise<void> | void; expect: RegExp }[] = [
    { platform: 'aws', setup: (s) => { s.cognito.login = 'another-app'; }, expect: /Cognito GetOpenIdTokenForDeveloperIdentity: failed \(ResourceConflictException\); check IDENTITY_ID/ },
    { platform: 'aws', setup: (s) => s.cognito.fail('TooManyRequestsException', 10), expect: /throttled \(TooManyRequestsException\); retry later/ },
    { platform: 'gcp', setup: (s) => s.metadata.fail(500, 5), expect: /no identity token from the GCP metadata server: HTTP 500; check AUDIENCE/ },
    { platform: 'gcp', setup: (s) => s.metadata.stop(), expect: /identity token request to 127\.0\.0\.1:\d+ failed: connection refused \(ECONNREFUSED\); the proxy must run on GCP .*GCE_METADATA_HOST/ },
    { platform: 'gcp', setup: (s) => { s.fake.federated.length = 0; }, expect: /HTTP 401 \(invalid_client\): check CLIENT_ID, the app's federated credential for this service account/ },
  ];
  for (const c of cases) {
    const s = await wifStack(c.platform);
    try {
      await c.setup(s);
      const res = await s.p.call('/v1.0/users');
      assert.equal(res.status, 500, res.body);
      assert.equal(res.code, 'CONNECTION_SETUP');
      assert.match(res.body, c.expect);
      assert.deepEqual(leaked(secretsOf(s.fake, [...s.cognito.issued, ...s.metadata.issued]), [...s.p.logs, res.body]), []);
    } finally {
      await s.close();
    }
  }
});
