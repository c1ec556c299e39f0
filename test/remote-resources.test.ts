// psoxy's remote resources: with RULES unset, `rules.yaml` is read from psoxy's local directory,
// then from REMOTE_RESOURCE_BUCKET under the instance path, with the real S3 / Cloud Storage
// clients against local fakes that grant reads only where psoxy's Terraform does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Storage } from '@google-cloud/storage';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';
import { createProxyHandler, type ProxyHandler } from '../src/proxy/handler.ts';
import { awsConfig } from '../src/runtimes/aws/lambda.ts';
import { gcpConfig } from '../src/runtimes/gcp/api-function.ts';
import { createS3BulkHandler } from '../src/runtimes/aws/bulk-handler.ts';
import { instanceResourcePath, MAX_RESOURCE_BYTES } from '../src/config/resources.ts';
import { memoryLogger } from '../src/logging/logger.ts';
import { FakeAwsJson } from './fakes/aws-json-fake.ts';
import { FakeS3 } from './fakes/s3-fake.ts';
import { FakeGcs } from './fakes/gcs-fake.ts';
import { FakeSecretManager } from './fakes/secret-manager-fake.ts';
import { awsClientConfig, secretManagerClient } from './helpers/cloud-clients.ts';

/** Custom rules that allow one call the built-in Zoom rules also allow, and redact differently. */
const USERS_ONLY_RULES = `endpoints:
  - pathTemplate: "/v2/users"
    transforms:
      - !<redact>
        jsonPaths: ["$.users[*].email"]
`;
const MEETINGS_ONLY_RULES = `endpoints:
  - pathTemplate: "/v2/users/{userId}/meetings"
`;
const USER = { id: 'u-1', email: 'alice@acme.com', status: 'active' };

test('instance resource path: INSTANCE_RESOURCE_PATH, else the instance prefix with its trailing _ as /', () => {
  assert.equal(instanceResourcePath({}, 'PSOXY_ZOOM_'), 'PSOXY_ZOOM/');
  assert.equal(instanceResourcePath({ INSTANCE_RESOURCE_PATH: 'psoxy-zoom' }, 'PSOXY_ZOOM_'), 'psoxy-zoom/');
  assert.equal(instanceResourcePath({ INSTANCE_RESOURCE_PATH: '/deep/psoxy-zoom/' }, 'PSOXY_ZOOM_'), 'deep/psoxy-zoom/');
  assert.equal(instanceResourcePath({}, '/psoxy/zoom/'), 'psoxy/zoom/');
  assert.equal(instanceResourcePath({ INSTANCE_RESOURCE_PATH: '/' }, 'PSOXY_ZOOM_'), '', 'the bucket root');
});

interface Deployment {
  proxy: ProxyHandler;
  bucket: { put(key: string, body: string): void; denied(): string[] };
  close(): Promise<void>;
}

/** psoxy-zoom on AWS: salt, key and Zoom credentials in SSM under psoxy's grant; rules via S3. */
async function onAws(sim: ZoomSimulator, extraEnv: Record<string, string> = {}, localResourceDir?: string): Promise<Deployment> {
  const ssm = new FakeAwsJson();
  const s3 = new FakeS3();
  const [ssmUrl, s3Url] = await Promise.all([ssm.start(), s3.start()]);
  ssm.putParam('PSOXY_SALT', 'salt');
  ssm.putParam('PSOXY_ENCRYPTION_KEY', 'secret');
  for (const [k, v] of Object.entries(sim.credentialSettings())) ssm.putParam(k, v);
  const policy: Record<string, string[]> = { 'ssm:GetParameter': ['PSOXY_ZOOM_*', 'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY'], 'ssm:GetParameters': ['PSOXY_ZOOM_*', 'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY'], 'ssm:PutParameter': ['PSOXY_ZOOM_*'], 'ssm:DeleteParameter': ['PSOXY_ZOOM_*'], 'ssm:GetParameterHistory': ['PSOXY_ZOOM_*'] };
  ssm.enforce(policy);
  s3.grantGetObject(['artifacts/PSOXY_ZOOM/']);
  const env = { AWS_LAMBDA_FUNCTION_NAME: 'psoxy-zoom', SOURCE: 'zoom', REMOTE_RESOURCE_BUCKET: 'artifacts', ...sim.targetSettings(), ...extraEnv };
  const client = new S3Client({ ...awsClientConfig(s3Url), forcePathStyle: true });
  const config = awsConfig({ env, ssm: new SSMClient(awsClientConfig(ssmUrl)), s3: async () => client, localResourceDir: localResourceDir ?? join(tmpdir(), 'no-psoxy-resources') });
  return {
    proxy: createProxyHandler({ config, tokenTimings: { settleMs: 0 }, logger: memoryLogger() }),
    bucket: {
      put: (key, body) => s3.objects.set(`artifacts/${key}`, { body: Buffer.from(body), metadata: {} }),
      denied: () => [...s3.denied, ...ssm.denied],
    },
    close: async () => { await Promise.all([ssm.stop(), s3.stop()]); },
  };
}

/** psoxy-zoom on GCP: secrets in Secret Manager under psoxy's grants; rules via Cloud Storage. */
async function onGcp(sim: ZoomSimulator): Promise<Deployment> {
  const sm = new FakeSecretManager();
  const gcs = new FakeGcs();
  const [smEndpoint, gcsUrl] = await Promise.all([sm.start(), gcs.start()]);
  for (const [name, value] of [['psoxy_PSOXY_SALT', 'salt'], ['psoxy_PSOXY_ENCRYPTION_KEY', 'secret'], ['psoxy_ZOOM_ACCOUNT_ID', sim.accountId], ['psoxy_ZOOM_CLIENT_ID', sim.clientId], ['psoxy_ZOOM_CLIENT_SECRET', sim.clientSecret]]) {
    sm.set(name, value);
    sm.grant(name, 'secretAccessor');
  }
  for (const name of ['psoxy_ZOOM_ACCESS_TOKEN', 'psoxy_ZOOM_OAUTH_REFRESH_TOKEN']) {
    sm.set(name);
    sm.grant(name, 'secretVersionManager');
  }
  gcs.grantObjectViewer(['artifacts/psoxy-zoom/']);
  const env = { K_SERVICE: 'psoxy-zoom', SOURCE: 'zoom', PATH_TO_SHARED_CONFIG: 'psoxy_', PATH_TO_INSTANCE_CONFIG: 'psoxy_ZOOM_', REMOTE_RESOURCE_BUCKET: 'artifacts', INSTANCE_RESOURCE_PATH: 'psoxy-zoom/', ...sim.targetSettings() };
  const storage = new Storage({ apiEndpoint: gcsUrl, projectId: 'p' });
  const config = gcpConfig({ env, secretManager: secretManagerClient(smEndpoint), project: 'p', storage: async () => storage, localResourceDir: join(tmpdir(), 'no-psoxy-resources') });
  return {
    proxy: createProxyHandler({ config, tokenTimings: { settleMs: 0 }, logger: memoryLogger() }),
    bucket: {
      put: (key, body) => gcs.objects.set(`artifacts/${key}`, { body: Buffer.from(body), metadata: {} }),
      denied: () => [...gcs.denied, ...sm.denied],
    },
    close: async () => { await Promise.all([sm.stop(), gcs.stop()]); },
  };
}

const call = (d: Deployment, path: string) => d.proxy(new Request('https://x/'), { rawUrl: path });

for (const [cloud, deploy, rulesKey] of [['AWS (S3)', onAws, 'PSOXY_ZOOM/rules.yaml'], ['GCP (Cloud Storage)', onGcp, 'psoxy-zoom/rules.yaml']] as const) {
  test(`${cloud}: rules.yaml in the bucket replaces the built-in rules; nothing read outside the grants`, async () => {
    const sim = new ZoomSimulator({ orgOptions: { seed: 3, users: 2, meetingsPerUser: 1 } });
    await sim.start();
    const d = await deploy(sim);
    try {
      d.bucket.put(rulesKey, USERS_ONLY_RULES);
      sim.inject({ path: /^\/v2\/users$/, status: 200, body: JSON.stringify({ users: [USER] }) });
      const users = await call(d, '/v2/users');
      const text = await users.text();
      assert.equal(users.status, 200, text);
      assert.deepEqual(JSON.parse(text), { users: [{ id: 'u-1', status: 'active' }] }, 'the custom rules applied, not the built-in ones');
      assert.equal((await call(d, '/v2/users/u-1/meetings')).status, 403, 'a call only the built-in rules allow is blocked');
      assert.deepEqual(d.bucket.denied(), []);
    } finally {
      await d.close();
      await sim.stop();
    }
  });
}

test('GCP: with no rules.yaml uploaded, the built-in rules of SOURCE apply', async () => {
  const sim = new ZoomSimulator({ orgOptions: { seed: 3, users: 2, meetingsPerUser: 1 } });
  await sim.start();
  const d = await onGcp(sim);
  try {
    sim.inject({ path: /^\/v2\/users$/, status: 200, body: JSON.stringify({ users: [USER] }) });
    const body = (await (await call(d, '/v2/users')).json()) as { users: { id: string; email: string }[] };
    assert.match(body.users[0].email, /^t~.+@acme\.com$/, 'built-in Zoom rules pseudonymize the email');
  } finally {
    await d.close();
    await sim.stop();
  }
});

test('AWS: no rules.yaml (S3 answers AccessDenied without s3:ListBucket) → built-in rules; the RULES setting wins over the bucket', async () => {
  const sim = new ZoomSimulator({ orgOptions: { seed: 3, users: 2, meetingsPerUser: 1 } });
  await sim.start();
  const d = await onAws(sim);
  try {
    sim.inject({ path: /^\/v2\/users$/, status: 200, body: JSON.stringify({ users: [USER] }) });
    const body = (await (await call(d, '/v2/users')).json()) as { users: { email: string }[] };
    assert.match(body.users[0].email, /^t~.+@acme\.com$/, 'built-in Zoom rules');
    assert.deepEqual(d.bucket.denied(), ['artifacts/PSOXY_ZOOM/rules.yaml'], 'the only refusal is the missing object, inside the grant');
  } finally {
    await d.close();
  }
  const withSetting = await onAws(sim, { RULES: MEETINGS_ONLY_RULES });
  try {
    withSetting.bucket.put('PSOXY_ZOOM/rules.yaml', USERS_ONLY_RULES);
    assert.equal((await call(withSetting, '/v2/users')).status, 403, 'RULES comes first');
    assert.deepEqual(withSetting.bucket.denied(), []);
  } finally {
    await withSetting.close();
    await sim.stop();
  }
});

test("AWS: psoxy's local /var/psoxy/resources (here a temp dir) wins over the bucket", async () => {
  const sim = new ZoomSimulator({ orgOptions: { seed: 3, users: 2, meetingsPerUser: 1 } });
  await sim.start();
  const dir = mkdtempSync(join(tmpdir(), 'psoxy-resources-'));
  writeFileSync(join(dir, 'rules.yaml'), MEETINGS_ONLY_RULES);
  const d = await onAws(sim, {}, dir);
  try {
    d.bucket.put('PSOXY_ZOOM/rules.yaml', USERS_ONLY_RULES);
    assert.equal((await call(d, '/v2/users')).status, 403, 'the local rules allow meetings only');
  } finally {
    await d.close();
    await sim.stop();
  }
});

test('AWS: a rules.yaml over the limit is refused with the object named, not read', async () => {
  const sim = new ZoomSimulator({ orgOptions: { seed: 3, users: 2, meetingsPerUser: 1 } });
  await sim.start();
  const d = await onAws(sim);
  try {
    d.bucket.put('PSOXY_ZOOM/rules.yaml', `# ${'x'.repeat(MAX_RESOURCE_BYTES)}\n${USERS_ONLY_RULES}`);
    const res = await call(d, '/v2/users');
    assert.equal(res.status, 500);
    assert.match(await res.text(), /s3:\/\/artifacts\/PSOXY_ZOOM\/rules\.yaml is over 4194304 bytes/);
  } finally {
    await d.close();
    await sim.stop();
  }
});

test('AWS bulk: the salt comes from SSM and the rules from the bucket, as for the API function', async () => {
  const ssm = new FakeAwsJson();
  const s3 = new FakeS3();
  const [ssmUrl, s3Url] = await Promise.all([ssm.start(), s3.start()]);
  try {
    ssm.putParam('PSOXY_SALT', 'secret');
    const shared = ['PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY'];
    ssm.enforce({ 'ssm:GetParameter': ['PSOXY_HR_*', ...shared], 'ssm:GetParameters': ['PSOXY_HR_*', ...shared] });
    s3.grantGetObject(['artifacts/PSOXY_HR/', 'in/']);
    s3.objects.set('artifacts/PSOXY_HR/rules.yaml', { body: Buffer.from('columnsToPseudonymize: [EMAIL]\ncolumnsToRedact: [NAME]\n'), metadata: {} });
    s3.objects.set('in/hr.csv', { body: Buffer.from('EMAIL,NAME,TEAM\nalice@worklytics.co,Alice,eng\n'), contentType: 'text/csv', metadata: {} });
    const client = new S3Client({ ...awsClientConfig(s3Url), forcePathStyle: true });
    const env = { AWS_LAMBDA_FUNCTION_NAME: 'psoxy-hr', REMOTE_RESOURCE_BUCKET: 'artifacts', OUTPUT_BUCKET: 'out' };
    const handle = createS3BulkHandler({ s3: client, instanceId: 'psoxy-hr', logger: memoryLogger(), config: awsConfig({ env, ssm: new SSMClient(awsClientConfig(ssmUrl)), s3: async () => client }) });
    assert.equal(await handle({ Records: [{ s3: { bucket: { name: 'in' }, object: { key: 'hr.csv' } } }] }), 'Processed!');
    const out = gunzipSync(s3.objects.get('out/hr.csv')?.body ?? Buffer.alloc(0)).toString(); // COMPRESS_OUTPUT_ALWAYS
    const [header, row] = out.trim().split(/\r?\n/);
    assert.equal(header, 'EMAIL,TEAM');
    // psoxy's documented bulk vector (bulk.md §0): salt `secret`, alice@worklytics.co.
    assert.ok(row.includes('wdxMApbuV7MglPNkZrM2WdV_v6x5Z31k8VbmqFCPRZI') && row.endsWith(',eng'), row);
    assert.doesNotMatch(out, /alice|Alice/);
    assert.deepEqual([...ssm.denied, ...s3.denied], []);
  } finally {
    await Promise.all([ssm.stop(), s3.stop()]);
  }
});

test('AWS: an unreachable bucket fails closed (503 naming the object and the cause), never the built-in rules', async () => {
  const sim = new ZoomSimulator({ orgOptions: { seed: 3, users: 2, meetingsPerUser: 1 } });
  await sim.start();
  const ssm = new FakeAwsJson();
  const ssmUrl = await ssm.start();
  const closed = new FakeS3();
  const closedUrl = await closed.start();
  await closed.stop();
  try {
    ssm.putParam('PSOXY_SALT', 'salt');
    for (const [k, v] of Object.entries(sim.credentialSettings())) ssm.putParam(k, v);
    const env = { AWS_LAMBDA_FUNCTION_NAME: 'psoxy-zoom', SOURCE: 'zoom', REMOTE_RESOURCE_BUCKET: 'artifacts', ...sim.targetSettings() };
    const client = new S3Client({ ...awsClientConfig(closedUrl), forcePathStyle: true, maxAttempts: 1 });
    const proxy = createProxyHandler({ config: awsConfig({ env, ssm: new SSMClient(awsClientConfig(ssmUrl)), s3: async () => client, localResourceDir: join(tmpdir(), 'no-psoxy-resources') }), logger: memoryLogger() });
    const res = await proxy(new Request('https://x/'), { rawUrl: '/v2/users' });
    assert.equal(res.status, 503);
    assert.match(await res.text(), /s3:\/\/artifacts\/PSOXY_ZOOM\/rules\.yaml failed: unreachable \(ECONNREFUSED\)/);
  } finally {
    await ssm.stop();
    await sim.stop();
  }
});
