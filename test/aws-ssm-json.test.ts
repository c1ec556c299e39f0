// SSM's JSON protocol without the SDK (ssm-json-api.ts): the Lambda's default way to SSM when the
// environment holds credentials, region and endpoint. Checked against the SSM fake with SigV4
// verification on (the verifier is written from AWS's algorithm, and the real SDK passes it too),
// through the store and through the whole Lambda adapter, including the failure paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SSMClient } from '@aws-sdk/client-ssm';
import { FakeAwsJson } from './fakes/aws-json-fake.ts';
import { awsClientConfig } from './helpers/cloud-clients.ts';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';
import { createAwsProxy } from '../src/runtimes/aws/lambda.ts';
import { memoryLogger } from '../src/logging/logger.ts';
import type { LambdaEventV2 } from '../src/runtimes/aws/api-gateway.ts';
import { SsmStore, defaultSsmApi } from '../src/runtimes/aws/ssm-store.ts';
import { ssmJsonApi, ssmJsonSettings } from '../src/runtimes/aws/ssm-json-api.ts';
import { TransientConfigError } from '../src/config/store.ts';

const KEYS = { AKIDTEST: 'secret-test-key' };
const lambdaEnv = (endpoint: string, extra: Record<string, string> = {}) => ({
  AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: KEYS.AKIDTEST, AWS_SESSION_TOKEN: 'session-token',
  AWS_ENDPOINT_URL_SSM: endpoint, ...extra,
});

function urlEvent(rawPath: string, rawQueryString = '', headers: Record<string, string> = {}): LambdaEventV2 {
  return {
    version: '2.0', rawPath, rawQueryString, routeKey: '$default',
    headers: { host: 'abc.lambda-url.eu-west-1.on.aws', 'x-forwarded-proto': 'https', ...headers },
    requestContext: { http: { method: 'GET', sourceIp: '203.0.113.9' }, stage: '$default', requestId: 'r1' },
  };
}

test('ssmJsonSettings: the JSON protocol only where the environment settles credentials, region and endpoint', () => {
  const base = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 's' };
  assert.equal(ssmJsonSettings(base)?.endpoint.href, 'https://ssm.us-east-1.amazonaws.com/');
  assert.equal(ssmJsonSettings({ ...base, AWS_REGION: 'us-gov-west-1' })?.endpoint.href, 'https://ssm.us-gov-west-1.amazonaws.com/');
  assert.equal(ssmJsonSettings({ ...base, AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' })?.endpoint.href, 'http://127.0.0.1:4566/');
  assert.equal(ssmJsonSettings({ ...base, AWS_ENDPOINT_URL: 'http://a:1', AWS_ENDPOINT_URL_SSM: 'http://b:2' })?.endpoint.host, 'b:2');
  assert.equal(ssmJsonSettings({ ...base, AWS_ENDPOINT_URL_SSM: 'http://b:2', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })?.endpoint.host, 'ssm.us-east-1.amazonaws.com');
  for (const [why, env] of Object.entries({
    'no key': { ...base, AWS_ACCESS_KEY_ID: '' },
    'no secret': { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'a' },
    'no region': { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 's' },
    profile: { ...base, AWS_PROFILE: 'p' },
    'config file': { ...base, AWS_CONFIG_FILE: '/x' },
    fips: { ...base, AWS_USE_FIPS_ENDPOINT: 'true' },
    'dual stack': { ...base, AWS_USE_DUALSTACK_ENDPOINT: 'TRUE' },
    china: { ...base, AWS_REGION: 'cn-north-1' },
    iso: { ...base, AWS_REGION: 'us-iso-east-1' },
    'bad endpoint': { ...base, AWS_ENDPOINT_URL_SSM: 'not a url' },
  })) assert.equal(ssmJsonSettings(env), null, `${why}: the SDK resolves it`);
});

test('the real SDK passes the fake\'s SigV4 check (so the check is a check of the algorithm, not of our signer)', async () => {
  const fake = new FakeAwsJson();
  const endpoint = await fake.start();
  try {
    fake.requireSignatures({ test: 'test' });
    fake.putParam('A', 'a');
    assert.equal(await new SsmStore(new SSMClient(awsClientConfig(endpoint))).get('A'), 'a');
    assert.deepEqual(fake.signedBy, ['ssm/us-east-1']);
    fake.requireSignatures({ test: 'other' });
    await assert.rejects(() => new SsmStore(new SSMClient(awsClientConfig(endpoint))).get('A'), /failed \(InvalidSignatureException\)/);
  } finally {
    await fake.stop();
  }
});

test('SSM over JSON: signed reads (batches of 10, missing names absent), history, writes and the lock; a bad signature fails closed', async () => {
  const fake = new FakeAwsJson();
  const endpoint = await fake.start();
  try {
    fake.requireSignatures(KEYS);
    const names = Array.from({ length: 23 }, (_, i) => `P${i}`);
    for (const n of names) fake.putParam(n, `value ${n} ✓`);
    fake.putParam('/path/X', 'slashed');
    const store = new SsmStore(defaultSsmApi(lambdaEnv(endpoint)));
    const values = await store.getMany([...names, 'MISSING', 'path/X']);
    for (const n of names) assert.equal(values.get(n), `value ${n} ✓`);
    assert.equal(values.get('MISSING'), undefined);
    assert.equal(values.get('path/X'), 'slashed', "psoxy's leading / for names with a path");
    assert.equal(fake.calls.filter((c) => c === 'AmazonSSM.GetParameters').length, 3);
    assert.equal(await store.get('P1'), 'value P1 ✓');
    assert.equal(await store.get('MISSING'), undefined);
    await store.put('T', 'v1');
    await store.put('T', 'fill me');
    await store.put('T', 'v3');
    assert.deepEqual(await store.history('T', 5), ['v3', 'v1']);
    assert.deepEqual(await store.history('NEVER_WRITTEN', 5), []);
    assert.equal(fake.params.get('T')![0].type, 'SecureString');
    assert.equal(await store.tryLock('L', 60_000), true);
    assert.equal(await store.tryLock('L', 60_000), false);
    fake.params.get('L_lock')![0].modified = new Date(Date.now() - 120_000);
    assert.equal(await store.tryLock('L', 60_000), false, 'stale lock broken (LastModifiedDate read from epoch seconds), not taken');
    assert.equal(fake.params.has('L_lock'), false);
    assert.equal(await store.tryLock('L', 60_000), true);
    await store.unlock('L');
    await store.unlock('L');
    assert.equal(fake.params.has('L_lock'), false);
    assert.ok(fake.signedBy.length > 10 && fake.signedBy.every((s) => s === 'ssm/eu-west-1'));

    const wrong = new SsmStore(defaultSsmApi(lambdaEnv(endpoint, { AWS_SECRET_ACCESS_KEY: 'wrong' })));
    await assert.rejects(() => wrong.get('P1'), (e) => e instanceof TransientConfigError && e.message === 'SSM Parameter Store: reading P1 failed: failed (InvalidSignatureException)');
    await assert.rejects(() => wrong.getMany(['P1', 'P2']), (e) => e instanceof TransientConfigError && /reading P1, P2 failed: failed \(InvalidSignatureException\)/.test(e.message));
  } finally {
    await fake.stop();
  }
});

test('SSM over JSON: throttling and 5xx are retried (3 attempts), then a transient error naming the parameter; denied reads are absent and said', async () => {
  const fake = new FakeAwsJson();
  const endpoint = await fake.start();
  try {
    fake.putParam('A', 'a');
    const waits: number[] = [];
    const api = ssmJsonApi({ ...ssmJsonSettings(lambdaEnv(endpoint))!, env: lambdaEnv(endpoint), sleep: async (ms) => void waits.push(ms) });
    const store = new SsmStore(api);
    fake.fail(/GetParameter$/, 'ThrottlingException', 2);
    assert.equal(await store.get('A'), 'a', 'third attempt answers');
    assert.equal(waits.length, 2);
    fake.fail(/GetParameter$/, 'ThrottlingException', 3);
    await assert.rejects(() => store.get('A'), (e) => e instanceof TransientConfigError && e.message === 'SSM Parameter Store: reading A failed: throttled (ThrottlingException)');
    fake.fail(/GetParameters$/, 'InternalServerError', 3, 500);
    await assert.rejects(() => store.getMany(['A', 'B']), (e) => e instanceof TransientConfigError && /reading A, B failed/.test(e.message));
    fake.fail(/GetParameters$/, 'InternalServerError', 1, 500);
    assert.equal((await store.getMany(['A'])).get('A'), 'a');
    fake.enforce({ 'ssm:GetParameter': ['A'], 'ssm:GetParameters': ['A'] });
    assert.equal(await store.get('B'), undefined);
    assert.equal(store.problemWith('B'), 'denied');
    assert.equal(fake.calls.filter((c) => c === 'AmazonSSM.GetParameter').length, 2 + 1 + 3 + 1, 'denied is not retried');
  } finally {
    await fake.stop();
  }
  const closed = new SsmStore(defaultSsmApi(lambdaEnv(endpoint)));
  await assert.rejects(() => closed.get('A'), (e) => e instanceof TransientConfigError && e.message === 'SSM Parameter Store: reading A failed: unreachable (ECONNREFUSED)');
});

async function lambda(fake: FakeAwsJson, endpoint: string) {
  const sim = new ZoomSimulator({ orgOptions: { seed: 5, users: 10, meetingsPerUser: 1 } });
  await sim.start();
  fake.putParam('PSOXY_SALT', 'aws-salt');
  fake.putParam('PSOXY_ENCRYPTION_KEY', 'aws-key');
  for (const [name, value] of Object.entries(sim.credentialSettings())) fake.putParam(name, value);
  const env = { AWS_LAMBDA_FUNCTION_NAME: 'psoxy-zoom', SOURCE: 'zoom', ...sim.targetSettings(), ...lambdaEnv(endpoint) };
  return { sim, handler: createAwsProxy({ env, logger: memoryLogger() }) };
}

test("the Lambda's default (no SDK client given): signed JSON calls under psoxy's IAM grants, no denied call, token stored in SSM", async () => {
  const fake = new FakeAwsJson();
  const endpoint = await fake.start();
  const { sim, handler } = await lambda(fake, endpoint);
  try {
    fake.requireSignatures(KEYS);
    const instance = ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParameterHistory', 'ssm:GetParametersByPath', 'ssm:PutParameter', 'ssm:DeleteParameter'];
    const policy: Record<string, string[]> = Object.fromEntries(instance.map((a) => [a, ['PSOXY_ZOOM_*']]));
    for (const a of ['ssm:GetParameter', 'ssm:GetParameters']) policy[a].push('PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY');
    fake.enforce(policy);
    const res = await handler(urlEvent('/v2/users', 'page_size=2'));
    assert.equal(res.statusCode, 200, res.body);
    assert.ok((JSON.parse(res.body) as { users: { email: string }[] }).users.every((u) => u.email.startsWith('t~')));
    assert.deepEqual(fake.denied, []);
    assert.ok(fake.param('PSOXY_ZOOM_ACCESS_TOKEN'), 'token shared through SSM');
    assert.ok(fake.signedBy.length >= 4 && fake.signedBy.every((s) => s === 'ssm/eu-west-1'));
    // The names read: the salt and keys, RULES and the auth settings not in the environment, in two
    // GetParameters calls; no environment-only setting (SOURCE, TARGET_HOST, LEAK_GUARD…).
    const batched = fake.named.filter((n) => n.startsWith('GetParameters ')).map((n) => n.slice('GetParameters '.length)).sort();
    assert.deepEqual(batched, [
      ...['RULES', 'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY', 'SALT_IP', 'ENCRYPTION_KEY_IP', 'SALT_EMAIL_DOMAINS', 'ENCRYPTION_KEY_EMAIL_DOMAINS',
        'GRANT_TYPE', 'USE_SHARED_TOKEN', 'ACCOUNT_ID', 'CLIENT_ID', 'CLIENT_SECRET'].map((p) => `PSOXY_ZOOM_${p}`),
      'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY',
    ].sort());
    assert.equal(fake.calls.filter((c) => c === 'AmazonSSM.GetParameters').length, 2);
    const others = new Set(fake.named.filter((n) => n.startsWith('GetParameter ') || n.startsWith('GetParameterHistory ')));
    assert.deepEqual([...others].sort(), ['GetParameter PSOXY_ZOOM_OAUTH_REFRESH_TOKEN_lock', 'GetParameterHistory PSOXY_ZOOM_ACCESS_TOKEN'], 'besides: the shared token and its lock');
  } finally {
    await sim.stop();
    await fake.stop();
  }
});

test('an environment-only setting in SSM alone is never asked for: the health check says it was looked for in the environment', async () => {
  const fake = new FakeAwsJson();
  const endpoint = await fake.start();
  const sim = new ZoomSimulator({ orgOptions: { seed: 5, users: 10, meetingsPerUser: 1 } });
  await sim.start();
  fake.putParam('PSOXY_SALT', 'aws-salt');
  for (const [name, value] of Object.entries(sim.credentialSettings())) fake.putParam(name, value);
  // psoxy reads these from the environment only; an SSM parameter holding them is ignored.
  fake.putParam('PSOXY_ZOOM_TARGET_HOST', sim.targetSettings().TARGET_HOST);
  fake.putParam('PSOXY_ZOOM_LEAK_GUARD', 'off');
  fake.putParam('PSOXY_ZOOM_SOURCE', 'zoom');
  const env = { AWS_LAMBDA_FUNCTION_NAME: 'psoxy-zoom', SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_refresh_token', GRANT_TYPE: 'account_credentials', REFRESH_ENDPOINT: sim.targetSettings().REFRESH_ENDPOINT, RULES: 'endpoints: []', ...lambdaEnv(endpoint) };
  const handler = createAwsProxy({ env, logger: memoryLogger() });
  try {
    const health = await handler(urlEvent('/', '', { 'x-psoxy-health-check': '1' }));
    assert.equal(health.statusCode, 412, health.body);
    const facts = JSON.parse(health.body) as { missingConfigProperties: string[]; problems: { setting: string; message: string }[] };
    assert.deepEqual([...facts.missingConfigProperties].sort(), ['SOURCE', 'TARGET_HOST']);
    assert.deepEqual(facts.problems.find((p) => p.setting === 'TARGET_HOST'), { setting: 'TARGET_HOST', message: 'missing configuration TARGET_HOST (looked in: env TARGET_HOST; env PSOXY_ZOOM_TARGET_HOST)' });
    const asked = fake.named.map((n) => n.split(' ')[1]);
    for (const n of ['PSOXY_ZOOM_TARGET_HOST', 'PSOXY_ZOOM_LEAK_GUARD', 'PSOXY_ZOOM_SOURCE', 'TARGET_HOST']) assert.ok(!asked.includes(n), `${n} not asked: ${asked.join(', ')}`);
    assert.ok(asked.includes('PSOXY_ZOOM_CLIENT_SECRET') && asked.includes('PSOXY_SALT'), 'credentials and the salt are read from SSM');
  } finally {
    await sim.stop();
    await fake.stop();
  }
});

test("the Lambda's default: a missing salt and a denied secret are named with where they were looked for; SSM down is a 503 naming the cause", async () => {
  const fake = new FakeAwsJson();
  const endpoint = await fake.start();
  const { sim, handler } = await lambda(fake, endpoint);
  try {
    fake.params.delete('PSOXY_SALT');
    fake.enforce({ 'ssm:GetParameter': ['PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY', 'PSOXY_ZOOM_CLIENT_ID', 'PSOXY_ZOOM_ACCOUNT_ID'], 'ssm:GetParameters': ['PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY', 'PSOXY_ZOOM_CLIENT_ID', 'PSOXY_ZOOM_ACCOUNT_ID'] });
    const health = await handler(urlEvent('/', '', { 'x-psoxy-health-check': '1' }));
    assert.equal(health.statusCode, 412);
    const facts = JSON.parse(health.body) as { missingConfigProperties: string[]; warningMessages: string[] };
    assert.ok(facts.missingConfigProperties.includes('CLIENT_SECRET') && facts.missingConfigProperties.includes('PSOXY_SALT'), facts.missingConfigProperties.join(', '));
    assert.ok(facts.warningMessages.includes('CLIENT_SECRET could not be read: SSM Parameter Store: PSOXY_ZOOM_CLIENT_SECRET (denied)'), facts.warningMessages.join(' | '));
    const data = await handler(urlEvent('/v2/users'));
    assert.equal(data.statusCode, 500);
    assert.match(data.body, /PSOXY_SALT/);
    assert.match(data.body, /SSM Parameter Store: PSOXY_SALT/);
    assert.equal(sim.stats.apiRequests, 0, 'nothing reached Zoom');
  } finally {
    await sim.stop();
    await fake.stop();
  }
  const down = new FakeAwsJson();
  const downEndpoint = await down.start();
  const s = await lambda(down, downEndpoint);
  await down.stop();
  try {
    const data = await s.handler(urlEvent('/v2/users'));
    assert.equal(data.statusCode, 503);
    assert.equal(data.headers['x-psoxy-error'], 'CONFIGURATION_FAILURE');
    assert.match(data.body, /SSM Parameter Store: reading \S+ failed: unreachable \(ECONNREFUSED\)/);
  } finally {
    await s.sim.stop();
  }
});

test("Secrets Manager over JSON (the CDK construct's layout, no SDK client given): signed calls under its grants, token written and read back; a denied or missing secret is named", async () => {
  const fake = new FakeAwsJson();
  const endpoint = await fake.start();
  const sim = new ZoomSimulator({ orgOptions: { seed: 5, users: 10, meetingsPerUser: 1 } });
  await sim.start();
  try {
    const secret = (name: string, value: string) => fake.secrets.set(name, [{ value, version: 1, type: 'secret', modified: new Date(), id: `${name}-v1`, stages: ['AWSCURRENT'] }]);
    const credentials = sim.credentialSettings();
    secret('PSOXY_ZOOM_PSOXY_SALT', 'cdk-salt');
    secret('PSOXY_ZOOM_PSOXY_ENCRYPTION_KEY', 'cdk-key');
    secret('PSOXY_ZOOM_CLIENT_SECRET', credentials.PSOXY_ZOOM_CLIENT_SECRET);
    secret('PSOXY_ZOOM_ACCESS_TOKEN', 'fill me');
    for (const [name, value] of Object.entries(credentials)) if (name !== 'PSOXY_ZOOM_CLIENT_SECRET') fake.putParam(name, value);
    fake.requireSignatures(KEYS);
    fake.enforce({
      'secretsmanager:GetSecretValue': ['PSOXY_ZOOM_*'],
      'secretsmanager:PutSecretValue': ['PSOXY_ZOOM_ACCESS_TOKEN'],
      'secretsmanager:ListSecretVersionIds': ['PSOXY_ZOOM_ACCESS_TOKEN'],
      'ssm:GetParameter': ['PSOXY_ZOOM_*'],
      'ssm:GetParameters': ['PSOXY_ZOOM_*'],
      'ssm:PutParameter': ['PSOXY_ZOOM_OAUTH_REFRESH_TOKEN_lock'],
      'ssm:DeleteParameter': ['PSOXY_ZOOM_OAUTH_REFRESH_TOKEN_lock'],
    });
    const env = {
      AWS_LAMBDA_FUNCTION_NAME: 'psoxy-zoom', SOURCE: 'zoom', SECRETS_STORE: 'AWS_SECRETS_MANAGER', PATH_TO_SHARED_CONFIG: 'PSOXY_ZOOM_',
      ...sim.targetSettings(), ...lambdaEnv(endpoint, { AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint }),
    };
    const res = await createAwsProxy({ env, logger: memoryLogger() })(urlEvent('/v2/users', 'page_size=1'));
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(fake.denied, []);
    assert.ok(fake.signedBy.includes('secretsmanager/eu-west-1') && fake.signedBy.includes('ssm/eu-west-1'), [...new Set(fake.signedBy)].join());
    const stored = fake.secrets.get('PSOXY_ZOOM_ACCESS_TOKEN')!.at(-1)!.value;
    assert.equal(typeof (JSON.parse(stored) as { token: string }).token, 'string', 'token written to Secrets Manager');
    // A second instance reads the token from Secrets Manager's history (CreatedDate as epoch seconds) instead of asking Zoom.
    const tokensBefore = sim.stats.tokenRequests;
    const again = await createAwsProxy({ env, logger: memoryLogger() })(urlEvent('/v2/users', 'page_size=1'));
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(sim.stats.tokenRequests, tokensBefore);

    fake.secrets.delete('PSOXY_ZOOM_CLIENT_SECRET');
    const missing = await createAwsProxy({ env, logger: memoryLogger() })(urlEvent('/', '', { 'x-psoxy-health-check': '1' }));
    assert.equal(missing.statusCode, 412);
    assert.deepEqual((JSON.parse(missing.body) as { missingConfigProperties: string[] }).missingConfigProperties, ['CLIENT_SECRET']);
    fake.enforce({ 'ssm:GetParameter': ['PSOXY_ZOOM_*'], 'ssm:GetParameters': ['PSOXY_ZOOM_*'], 'secretsmanager:GetSecretValue': ['PSOXY_ZOOM_ACCESS_TOKEN'] });
    const denied = await createAwsProxy({ env, logger: memoryLogger() })(urlEvent('/', '', { 'x-psoxy-health-check': '1' }));
    assert.ok((JSON.parse(denied.body) as { warningMessages: string[] }).warningMessages.includes(
      'PSOXY_SALT could not be read: Secrets Manager (secrets) / SSM Parameter Store (other settings): PSOXY_ZOOM_PSOXY_SALT (denied); Secrets Manager (secrets) / SSM Parameter Store (other settings): PSOXY_ZOOM_PSOXY_SALT (denied)',
    ), denied.body);
  } finally {
    await sim.stop();
    await fake.stop();
  }
});
