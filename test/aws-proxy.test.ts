// The AWS Lambda proxy: function-URL / API Gateway events → core handler → Zoom simulator, with
// config and the shared token in SSM (or Secrets Manager) through the real AWS SDK v3 clients
// pointed at a local fake.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { FakeAwsJson } from './fakes/aws-json-fake.ts';
import { awsClientConfig } from './helpers/cloud-clients.ts';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';
import { createAwsProxy } from '../src/runtimes/aws/lambda.ts';
import { memoryLogger } from '../src/logging/logger.ts';
import { eventTarget, type LambdaEventV1, type LambdaEventV2 } from '../src/runtimes/aws/api-gateway.ts';
import { SsmStore } from '../src/runtimes/aws/ssm-store.ts';

/**
 * The store names a Zoom cold start reads (health check, then a data call), with SOURCE, TARGET_HOST
 * and REFRESH_ENDPOINT in the environment and GRANT_TYPE / USE_SHARED_TOKEN from the connector's
 * defaults (psoxy's Terraform sets those in the environment too, which saves two more).
 */
const ZOOM_COLD_START_READS = [
  ...['RULES', 'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY', 'SALT_IP', 'ENCRYPTION_KEY_IP', 'SALT_EMAIL_DOMAINS', 'ENCRYPTION_KEY_EMAIL_DOMAINS',
    'GRANT_TYPE', 'USE_SHARED_TOKEN', 'ACCOUNT_ID', 'CLIENT_ID', 'CLIENT_SECRET', 'ACCESS_TOKEN'].map((p) => `PSOXY_ZOOM_${p}`),
  'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY',
  // Not configuration: the shared token's lock, checked as it is taken.
  'PSOXY_ZOOM_OAUTH_REFRESH_TOKEN_lock',
];

function urlEvent(rawPath: string, rawQueryString = '', headers: Record<string, string> = {}): LambdaEventV2 {
  return {
    version: '2.0', rawPath, rawQueryString, routeKey: '$default',
    headers: { host: 'abc.lambda-url.us-east-1.on.aws', 'x-forwarded-proto': 'https', ...headers },
    requestContext: { http: { method: 'GET', sourceIp: '203.0.113.9' }, stage: '$default', requestId: 'r1' },
  };
}

async function setup(extraEnv: Record<string, string> = {}, secretsManager = false) {
  const fake = new FakeAwsJson();
  const endpoint = await fake.start();
  const sim = new ZoomSimulator({ orgOptions: { seed: 5, users: 10, meetingsPerUser: 1 } });
  await sim.start();
  fake.putParam('PSOXY_SALT', 'aws-salt');
  fake.putParam('PSOXY_ENCRYPTION_KEY', 'aws-key');
  for (const [name, value] of Object.entries(sim.credentialSettings())) fake.putParam(name, value);
  const env = {
    AWS_LAMBDA_FUNCTION_NAME: 'psoxy-zoom', SOURCE: 'zoom', ...sim.targetSettings(),
    ...(secretsManager ? { SECRETS_STORE: 'AWS_SECRETS_MANAGER' } : {}), ...extraEnv,
  };
  const handler = createAwsProxy({ env, ssm: new SSMClient(awsClientConfig(endpoint)), secretsManager: new SecretsManagerClient(awsClientConfig(endpoint)), logger: memoryLogger() });
  return { fake, sim, handler, close: async () => { await sim.stop(); await fake.stop(); } };
}

test('function URL event → sanitized Zoom data; token shared through SSM under psoxy names', async () => {
  const s = await setup();
  try {
    const res = await s.handler(urlEvent('/v2/users', 'page_size=3'));
    assert.equal(res.statusCode, 200, res.body);
    const users = (JSON.parse(res.body) as { users: { email: string }[] }).users;
    assert.equal(users.length, 3);
    assert.ok(users.every((u) => u.email.startsWith('t~')));
    const stored = JSON.parse(s.fake.param('PSOXY_ZOOM_ACCESS_TOKEN')!) as { token: string; expirationDate: number };
    assert.equal(typeof stored.token, 'string');
    assert.ok(stored.expirationDate > Date.now());
    assert.equal(s.fake.params.get('PSOXY_ZOOM_ACCESS_TOKEN')![0].type, 'SecureString');
    assert.ok(s.fake.calls.includes('AmazonSSM.PutParameter'));
    assert.ok(s.fake.calls.filter((c) => c === 'AmazonSSM.PutParameter').length >= 2, 'token and lock written');
    // The lock is held ~2 s after the write (psoxy's settle time), then released in the background.
    for (let i = 0; i < 60 && s.fake.params.has('PSOXY_ZOOM_OAUTH_REFRESH_TOKEN_lock'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(s.fake.params.has('PSOXY_ZOOM_OAUTH_REFRESH_TOKEN_lock'), false, 'lock released');
    const gz = await s.handler(urlEvent('/psoxy-zoom/v2/users', 'page_size=10', { 'accept-encoding': 'gzip' }));
    assert.equal(gz.isBase64Encoded, true, 'function-name prefix trimmed, gzip base64-encoded');
    assert.equal((JSON.parse(gunzipSync(Buffer.from(gz.body, 'base64')).toString()) as { users: unknown[] }).users.length, 10);
    assert.equal(s.sim.stats.tokenRequests, 1);
  } finally {
    await s.close();
  }
});

test('SSM throttling is retried; "fill me" placeholders count as missing in the health check', async () => {
  const s = await setup();
  try {
    s.fake.putParam('PSOXY_ZOOM_CLIENT_SECRET', 'fill me');
    const health = await s.handler(urlEvent('/', '', { 'x-psoxy-health-check': 'true' }));
    assert.equal(health.statusCode, 412);
    assert.deepEqual((JSON.parse(health.body) as { missingConfigProperties: string[] }).missingConfigProperties, ['CLIENT_SECRET']);
    const fresh = await setup();
    try {
      fresh.fake.fail(/GetParameter$/, 'ThrottlingException', 2);
      const res = await fresh.handler(urlEvent('/v2/users', 'page_size=1'));
      assert.equal(res.statusCode, 200, res.body);
    } finally {
      await fresh.close();
    }
  } finally {
    await s.close();
  }
});

test("Secrets Manager as psoxy lays it out: secrets there, CLIENT_ID / ACCOUNT_ID in SSM; token written with PutSecretValue, lock in SSM", async () => {
  const s = await setup({}, true);
  try {
    // psoxy's Terraform: only secret values move to Secrets Manager; the client and account ids stay parameters.
    for (const name of ['PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY', 'PSOXY_ZOOM_CLIENT_SECRET']) {
      s.fake.secrets.set(name, [{ value: s.fake.param(name)!, version: 1, type: 'secret', modified: new Date(), id: name, stages: ['AWSCURRENT'] }]);
      s.fake.params.delete(name);
    }
    const res = await s.handler(urlEvent('/v2/users', 'page_size=1'));
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(s.fake.secrets.get('PSOXY_ZOOM_ACCESS_TOKEN')?.length === 1);
    assert.ok(s.fake.calls.includes('AmazonSSM.PutParameter'), 'the lock is an SSM parameter');
    assert.ok(s.fake.param('PSOXY_ZOOM_CLIENT_ID') && !s.fake.secrets.has('PSOXY_ZOOM_CLIENT_ID'), 'CLIENT_ID read from SSM');
  } finally {
    await s.close();
  }
});

test('event shapes: v2 with stage and route, v1 with resource; blocked and oversized responses', async () => {
  assert.deepEqual(eventTarget({ ...urlEvent('/live/gcal/v2/users', 'a=1'), routeKey: 'GET /gcal/{proxy+}', requestContext: { http: { method: 'GET' }, stage: 'live' } }), { method: 'GET', path: '/v2/users', query: 'a=1' });
  assert.deepEqual(eventTarget({ ...urlEvent('/x'), pathParameters: { proxy: 'v2/users' } }), { method: 'GET', path: '/v2/users', query: '' });
  const v1: LambdaEventV1 = { path: '/live/psoxy-zoom/v2/users', resource: '/psoxy-zoom/{proxy+}', httpMethod: 'GET', multiValueQueryStringParameters: { page_size: ['5'] }, requestContext: { stage: 'live', identity: { sourceIp: '1.2.3.4' } } };
  assert.deepEqual(eventTarget(v1), { method: 'GET', path: '/v2/users', query: 'page_size=5' });
  const s = await setup();
  try {
    const blocked = await s.handler(urlEvent('/v2/groups'));
    assert.equal(blocked.statusCode, 403);
    assert.equal(blocked.headers['x-psoxy-error'], 'BLOCKED_BY_RULES');
    const http = await s.handler(urlEvent('/v2/users', '', { 'x-forwarded-proto': 'http' }));
    assert.equal(http.statusCode, 400);
    s.sim.inject({ path: /^\/v2\/users$/, status: 200, body: JSON.stringify({ users: [], next_page_token: 'x'.repeat(7 * 1024 * 1024) }) });
    const big = await s.handler(urlEvent('/v2/users'));
    assert.equal(big.statusCode, 500);
    assert.equal(big.headers['x-psoxy-error'], 'RESPONSE_TOO_LARGE');
  } finally {
    await s.close();
  }
});

test('SSM lock semantics: exclusive, stale locks broken, release deletes', async () => {
  const fake = new FakeAwsJson();
  const endpoint = await fake.start();
  try {
    const store = new SsmStore(new SSMClient(awsClientConfig(endpoint)));
    assert.equal(await store.tryLock('P_OAUTH_REFRESH_TOKEN', 60_000), true);
    assert.equal(fake.param('P_OAUTH_REFRESH_TOKEN_lock')?.startsWith('locked_'), true);
    assert.equal(await store.tryLock('P_OAUTH_REFRESH_TOKEN', 60_000), false);
    fake.params.get('P_OAUTH_REFRESH_TOKEN_lock')![0].modified = new Date(Date.now() - 120_000);
    assert.equal(await store.tryLock('P_OAUTH_REFRESH_TOKEN', 60_000), false, 'stale lock broken, not taken');
    assert.equal(fake.params.has('P_OAUTH_REFRESH_TOKEN_lock'), false);
    assert.equal(await store.tryLock('P_OAUTH_REFRESH_TOKEN', 60_000), true);
    await store.unlock('P_OAUTH_REFRESH_TOKEN');
    assert.equal(fake.params.has('P_OAUTH_REFRESH_TOKEN_lock'), false);
    fake.putParam('T', 'v1');
    fake.putParam('T', 'fill me');
    fake.putParam('T', 'v3');
    assert.deepEqual(await store.history('T', 5), ['v3', 'v1']);
  } finally {
    await fake.stop();
  }
});

test('the same bounds and refusals through the Lambda adapter: body over the limit, traversal, undeclared and unsendable methods', async () => {
  const s = await setup({ MAX_REQUEST_BODY_BYTES: '1024' });
  try {
    const post = (method: string, body: string): LambdaEventV2 => {
      const e = urlEvent('/v2/users');
      return { ...e, body, headers: { ...e.headers, 'content-type': 'application/json' }, requestContext: { ...e.requestContext, http: { ...e.requestContext.http, method } } };
    };
    const big = await s.handler(post('POST', JSON.stringify({ pad: 'x'.repeat(2048) })));
    assert.equal(big.statusCode, 413);
    assert.equal(big.headers['x-psoxy-error'], 'REQUEST_TOO_LARGE');
    for (const method of ['POST', 'DELETE', 'TRACE']) {
      const res = await s.handler(post(method, '{}'));
      assert.equal(res.statusCode, 403, method);
      assert.equal(res.headers['x-psoxy-error'], 'BLOCKED_BY_RULES', method);
    }
    const traversal = await s.handler(urlEvent('/v2/users/%2e%2e/groups'));
    assert.equal(traversal.statusCode, 400);
    assert.equal(traversal.headers['x-psoxy-error'], 'INVALID_REQUEST');
    assert.equal(s.sim.stats.apiRequests, 0, 'nothing reached Zoom');
  } finally {
    await s.close();
  }
});

test("a cold start under psoxy's IAM grants makes no denied SSM call (shared namespace: the salt and key only)", async () => {
  const s = await setup();
  try {
    const instance = ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParameterHistory', 'ssm:GetParametersByPath', 'ssm:PutParameter', 'ssm:DeleteParameter'];
    const policy: Record<string, string[]> = Object.fromEntries(instance.map((a) => [a, ['PSOXY_ZOOM_*']]));
    for (const a of ['ssm:GetParameter', 'ssm:GetParameters']) policy[a].push('PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY');
    s.fake.enforce(policy);
    const health = await s.handler(urlEvent('/', '', { 'x-psoxy-health-check': '1' }));
    assert.equal(health.statusCode, 200, health.body);
    const res = await s.handler(urlEvent('/v2/users', 'page_size=2'));
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(s.fake.denied, [], 'no call outside the grants');
    assert.ok(s.fake.calls.length <= 12, `a cold start makes few store calls (${s.fake.calls.length}: ${s.fake.calls.join(', ')})`);
    // What a Zoom cold start reads: the salt and keys, RULES and the auth settings (psoxy's remote and
    // env-or-remote properties) not set in the environment; no environment-only setting.
    const read = [...new Set(s.fake.named.filter((n) => n.startsWith('Get')).map((n) => n.replace(/^\S+ /, '')))].sort();
    assert.deepEqual(read, [...ZOOM_COLD_START_READS].sort(), s.fake.named.join(', '));
    assert.deepEqual(s.fake.calls.filter((c) => c === 'AmazonSSM.GetParameters').length, 2, '14 names: two batches of 10');
  } finally {
    await s.close();
  }
});

test('store failures name the parameter, the store and the cause: denied in the health check, unreachable in the health check and data calls', async () => {
  const s = await setup();
  try {
    const everythingBut = ['ssm:GetParameter', 'ssm:GetParameters'];
    s.fake.enforce(Object.fromEntries(everythingBut.map((a) => [a, ['PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY', 'PSOXY_ZOOM_CLIENT_ID', 'PSOXY_ZOOM_ACCOUNT_ID']])));
    const health = await s.handler(urlEvent('/', '', { 'x-psoxy-health-check': '1' }));
    const facts = JSON.parse(health.body) as { missingConfigProperties: string[]; warningMessages: string[] };
    assert.equal(health.statusCode, 412);
    assert.deepEqual(facts.missingConfigProperties, ['CLIENT_SECRET']);
    assert.ok(facts.warningMessages.includes('CLIENT_SECRET could not be read: SSM Parameter Store: PSOXY_ZOOM_CLIENT_SECRET (denied)'), facts.warningMessages.join(' | '));
  } finally {
    await s.close();
  }
  const down = await setup();
  await down.fake.stop(); // SSM unreachable
  try {
    const health = await down.handler(urlEvent('/', '', { 'x-psoxy-health-check': '1' }));
    assert.equal(health.statusCode, 412);
    assert.match(health.body, /SSM Parameter Store: reading PSOXY_ZOOM_\w+ failed: unreachable \(ECONNREFUSED\)/);
    const data = await down.handler(urlEvent('/v2/users'));
    assert.equal(data.statusCode, 503);
    assert.equal(data.headers['x-psoxy-error'], 'CONFIGURATION_FAILURE');
    assert.match(data.body, /SSM Parameter Store: reading \S+ failed: unreachable \(ECONNREFUSED\)/);
  } finally {
    await down.sim.stop();
  }
});

test('SECRETS_STORE=ENV: every setting in the environment, and no store is called (SSM unreachable: any call would fail the request)', async () => {
  const sim = new ZoomSimulator({ orgOptions: { seed: 5, users: 10, meetingsPerUser: 1 } });
  await sim.start();
  try {
    const env = {
      AWS_LAMBDA_FUNCTION_NAME: 'psoxy-zoom', SOURCE: 'zoom', SECRETS_STORE: 'ENV', PSOXY_SALT: 'env-salt', PSOXY_ENCRYPTION_KEY: 'env-key',
      ...sim.targetSettings(), ...sim.credentialSettings(),
    };
    const handler = createAwsProxy({ env, ssm: new SSMClient(awsClientConfig('http://127.0.0.1:9')), logger: memoryLogger() });
    const health = await handler(urlEvent('/', '', { 'x-psoxy-health-check': '1' }));
    assert.equal(health.statusCode, 200, health.body);
    const res = await handler(urlEvent('/v2/users', 'page_size=2'));
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((JSON.parse(res.body) as { users: unknown[] }).users.length, 2);
  } finally {
    await sim.stop();
  }
});

test("the CDK construct's layout and grants work end to end: no denied call (secrets and ids in the function's namespace)", async () => {
  const s = await setup({ SECRETS_STORE: 'AWS_SECRETS_MANAGER', PATH_TO_SHARED_CONFIG: 'PSOXY_ZOOM_' }, true);
  try {
    const secret = (name: string, value: string) => s.fake.secrets.set(name, [{ value, version: 1, type: 'secret', modified: new Date(), id: name, stages: ['AWSCURRENT'] }]);
    secret('PSOXY_ZOOM_PSOXY_SALT', 'cdk-salt');
    secret('PSOXY_ZOOM_PSOXY_ENCRYPTION_KEY', 'cdk-key');
    secret('PSOXY_ZOOM_CLIENT_SECRET', s.fake.param('PSOXY_ZOOM_CLIENT_SECRET')!);
    secret('PSOXY_ZOOM_ACCESS_TOKEN', 'fill me');
    for (const n of ['PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY', 'PSOXY_ZOOM_CLIENT_SECRET']) s.fake.params.delete(n);
    // The statements infra/aws/psoxy-zoom-proxy.ts grants.
    s.fake.enforce({
      'secretsmanager:GetSecretValue': ['PSOXY_ZOOM_*'],
      'secretsmanager:PutSecretValue': ['PSOXY_ZOOM_ACCESS_TOKEN'],
      'secretsmanager:ListSecretVersionIds': ['PSOXY_ZOOM_ACCESS_TOKEN'],
      'ssm:GetParameter': ['PSOXY_ZOOM_*'],
      'ssm:GetParameters': ['PSOXY_ZOOM_*'],
      'ssm:PutParameter': ['PSOXY_ZOOM_OAUTH_REFRESH_TOKEN_lock'],
      'ssm:DeleteParameter': ['PSOXY_ZOOM_OAUTH_REFRESH_TOKEN_lock'],
    });
    const res = await s.handler(urlEvent('/v2/users', 'page_size=1'));
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(s.fake.denied, []);
  } finally {
    await s.close();
  }
});

test('Secrets Manager layout: which names are secrets, also under path-style namespaces', async () => {
  const { isSecretName } = await import('../src/runtimes/aws/split-store.ts');
  for (const n of ['PSOXY_ZOOM_CLIENT_SECRET', 'PSOXY_SALT', '/psoxy/PSOXY_SALT', '/psoxy/zoom/CLIENT_SECRET', 'PSOXY_ZOOM_ACCESS_TOKEN', 'PSOXY_GONG_BASIC_AUTH_PASSWORD']) assert.ok(isSecretName(n), n);
  for (const n of ['PSOXY_ZOOM_CLIENT_ID', 'PSOXY_ZOOM_ACCOUNT_ID', 'PSOXY_ZOOM_OAUTH_REFRESH_TOKEN', '/psoxy/zoom/CLIENT_ID', 'PSOXY_ZOOM_CLIENT_SECRET_ID', 'RULES']) assert.ok(!isSecretName(n), n);
  // The fallback (a SOURCE outside the catalogue) knows the API keys of the catalogue's connectors too.
  for (const n of ['PSOXY_CURSOR_BASIC_AUTH_USER_ID', 'PSOXY_WINDSURF_SERVICE_KEY', 'PSOXY_QUALTRICS_API_API_TOKEN', 'PSOXY_CLAUDE_ADMIN_API_KEY']) assert.ok(isSecretName(n), n);
});

test("Secrets Manager layout per connector: the SOURCE's sensitive names (psoxy's flags) and the salt and keys are secrets, whatever the namespace; a SOURCE outside the catalogue falls back to the credential names", async () => {
  const { secretNameRule } = await import('../src/runtimes/aws/split-store.ts');
  const rule = (source: string | undefined, instancePrefix: string, sharedPrefix = '') => secretNameRule({ source, instancePrefix, sharedPrefix });
  const github = rule('github', 'PSOXY_GITHUB_');
  for (const n of ['PSOXY_GITHUB_CLIENT_ID', 'PSOXY_GITHUB_PRIVATE_KEY', 'PSOXY_GITHUB_ACCESS_TOKEN', 'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY', 'PSOXY_GITHUB_PSOXY_SALT']) assert.ok(github(n), n);
  for (const n of ['PSOXY_GITHUB_OAUTH_REFRESH_TOKEN', 'PSOXY_GITHUB_RULES', 'PSOXY_GITHUB_TARGET_HOST']) assert.ok(!github(n), n);
  const zoom = rule('zoom', 'PSOXY_ZOOM_');
  for (const n of ['PSOXY_ZOOM_CLIENT_SECRET', 'PSOXY_ZOOM_ACCESS_TOKEN']) assert.ok(zoom(n), n);
  for (const n of ['PSOXY_ZOOM_CLIENT_ID', 'PSOXY_ZOOM_ACCOUNT_ID', 'PSOXY_ZOOM_OAUTH_REFRESH_TOKEN']) assert.ok(!zoom(n), n);
  // Path-style namespaces, an alias (psoxy's Terraform key), a rules variant.
  const paths = rule('github', '/psoxy/github/', '/psoxy/');
  assert.ok(paths('/psoxy/github/CLIENT_ID') && paths('/psoxy/PSOXY_SALT') && !paths('/psoxy/github/OAUTH_REFRESH_TOKEN'));
  assert.ok(rule('slack-discovery-api', 'PSOXY_SLACK_DISCOVERY_API_')('PSOXY_SLACK_DISCOVERY_API_ACCESS_TOKEN'));
  assert.ok(!rule('azure-ad_no-app-ids', 'PSOXY_AZURE_AD_')('PSOXY_AZURE_AD_CLIENT_ID'), 'an Entra app id is no secret');
  assert.ok(rule('cursor', 'PSOXY_CURSOR_')('PSOXY_CURSOR_BASIC_AUTH_USER_ID'), "cursor's API key");
  // Outside the catalogue: the credential names, by suffix.
  const custom = rule('my-custom-api', 'PSOXY_MY_CUSTOM_API_');
  assert.ok(custom('PSOXY_MY_CUSTOM_API_CLIENT_SECRET') && !custom('PSOXY_MY_CUSTOM_API_CLIENT_ID'));
  assert.ok(rule(undefined, 'PSOXY_X_')('PSOXY_X_API_TOKEN'));
});

test('every connector keeps its credentials in Secrets Manager: each filled value that looks like one is in its sensitive set, which names only values it stores', async () => {
  const { isSecretName } = await import('../src/runtimes/aws/split-store.ts');
  const { CONNECTORS } = await import('../src/sources/catalogue/registry.ts');
  const { writtenBy } = await import('../scripts/terraform-connectors.ts');
  for (const c of CONNECTORS) {
    for (const n of c.secrets.filter(isSecretName)) assert.ok(c.sensitive.includes(n), `${c.id}: ${n} sensitive`);
    const stored = new Set([...c.secrets, ...writtenBy(c.settings), 'ACCESS_TOKEN']);
    for (const n of c.sensitive) assert.ok(stored.has(n), `${c.id}: ${n} is a value it stores`);
    assert.ok(!c.sensitive.includes('OAUTH_REFRESH_TOKEN'), `${c.id}: the lock stays in SSM`);
  }
});
