// The AWS Terraform module (infra/terraform/aws-host), read with @cdktf/hcl2json (no Terraform
// binary here): psoxy's names, values Terraform never overwrites, psoxy's addresses moved, and the
// module's own IAM policy enforced on the runtime against the SSM fake: the seed's flow works with
// no denied call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { block, forEachValue, loadModule, movedMap, movedTo, policyStatements, resolver, type EachInstance, type HclModule, type PolicyStatement } from './helpers/hcl-module.ts';
import { readFileSync } from 'node:fs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { S3Client } from '@aws-sdk/client-s3';
import { gunzipSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';
import { awsConfig, createAwsProxy } from '../src/runtimes/aws/lambda.ts';
import { createS3BulkHandler } from '../src/runtimes/aws/bulk-handler.ts';
import { FakeS3 } from './fakes/s3-fake.ts';
import { memoryLogger } from '../src/logging/logger.ts';
import { FakeAwsJson } from './fakes/aws-json-fake.ts';
import { awsClientConfig } from './helpers/cloud-clients.ts';
import { AWS_BULK_RESOURCES } from '../scripts/terraform-connectors.ts';
import { BULK_CONNECTORS, CONNECTORS } from '../src/sources/catalogue/registry.ts';
import { generateFakeOrg, personalValues } from '../src/sources/catalogue/fake-org.ts';
import { SourceSimulator } from '../src/sources/catalogue/simulator.ts';
import { withConnectorProxy } from './helpers/catalogue-proxy.ts';
import { appearsIn } from '../src/cli/demo.ts';
import { GithubAppFake } from './fakes/github-app-fake.ts';

const dir = new URL('../infra/terraform/aws-host/', import.meta.url);
const load = () => loadModule(dir);

/** The module's locals with psoxy's defaults. */
const resolve = resolver({
  ssm_arn_path: 'arn:aws:ssm:us-east-1:123456789012:parameter/', shared_prefix: '',
  deployment_id: 'psoxy', function_prefix: 'psoxy', env_ssm_prefix: 'PSOXY_',
  shared_resource_path: 'PSOXY/',
});

/** Which optional statements a deployment has on: Secrets Manager mode, a customer KMS key. */
interface Mode { secretsManager?: boolean; kms?: boolean }

const spec = JSON.parse(readFileSync(new URL('../infra/terraform/connectors.json', import.meta.url), 'utf8')) as { connectors: Record<string, { name: string; source: string; settings: Record<string, string>; secrets: string[]; written: string[]; sensitive: string[] }>; bulk_connectors: Record<string, { name: string; source: string; example_object: string }> };
const catalogue = spec.connectors;
const catalogueBulk = spec.bulk_connectors;

/** psoxy's SSM namespace of a key with the default names: `PSOXY_SLACK_DISCOVERY_API_`. */
const awsPrefix = (key: string) => `PSOXY_${key.toUpperCase().replaceAll('-', '_')}_`;

/** What `local.nested_prefixes` gives `key` when `deployed` (API and bulk keys) are deployed: the namespaces inside its own. */
export const nestedPrefixes = (key: string, deployed: readonly string[] = []) =>
  deployed.filter((o) => o !== key && awsPrefix(o).startsWith(awsPrefix(key))).map(awsPrefix);

/**
 * One connector's for_each instance with psoxy's defaults, as `local.connectors` and
 * `local.ssm_write_names` give it, deployed beside `deployed` (for its nested namespaces).
 */
export function awsConnector(id: string, mode: Mode = {}, deployed: readonly string[] = []): EachInstance {
  const c = catalogue[id];
  const inSm = (n: string) => !!mode.secretsManager && c.sensitive.includes(n);
  const ssmWritten = c.written.filter((n) => !inSm(n));
  return {
    key: id,
    value: { prefix: awsPrefix(id), function_name: `psoxy-${id}`, name: c.name, source: c.source },
    lists: {
      'each.value.ssm_written': ssmWritten, 'each.value.sm_written': c.written.filter(inSm),
      'local.ssm_write_names[each.key]': ssmWritten.flatMap((n) => n === 'OAUTH_REFRESH_TOKEN' ? [n, `${n}_lock`] : [n]),
      'each.value.nested_prefixes': nestedPrefixes(id, deployed),
    },
  };
}

/** Whether a dynamic statement is on: every list it measures is non-empty, and the store and KMS key it needs are in use. */
const on = (s: PolicyStatement, mode: Mode, each?: EachInstance) => {
  if (s.when === undefined) return true;
  const lists = [...s.when.matchAll(/length\((each\.value\.\w+)\)/g)].map((x) => x[1]);
  return lists.every((l) => each!.lists[l].length > 0)
    && (!s.when.includes('use_secrets_manager') || !!mode.secretsManager)
    && (!s.when.includes('kms_key') || !!mode.kms);
};

const denies = (s: PolicyStatement) => (s as { effect?: string }).effect === 'Deny';

/** ARNs as the fakes name things: SSM parameter and secret names, S3 `bucket/key` prefixes. */
const fakeName = (arn: string) => resolve(arn).replace('${local.secret_arn}:', '').replace('${var.aws_secrets_manager_path}', '')
  .replace(/^arn:aws:ssm:[^:]+:\d+:parameter\//, '').replace(/-\?{6}$/, '').replace(/^arn:aws:s3:::/, '');

/**
 * The action → resources grant of one function's policy: its own document, the shared reads, and its
 * remote-resource statement (artifacts bucket `artifacts`, its folder `resourcePath`).
 */
function grantedPolicy(m: HclModule, doc: string, mode: Mode, resourcePath?: string, each?: EachInstance, effect: 'Allow' | 'Deny' = 'Allow'): Record<string, string[]> {
  const statements = [doc, 'shared_config_read'].flatMap((d) => policyStatements(block(m, 'data', 'aws_iam_policy_document', d))).filter((s) => denies(s) === (effect === 'Deny'));
  if (resourcePath !== undefined && effect === 'Allow') {
    for (const st of policyStatements(block(m, 'data', 'aws_iam_policy_document', 'remote_resource_read'))) {
      statements.push({ ...st, resources: (st.resources as string[]).map((r) => r.replace('${var.artifacts_bucket_name}', 'artifacts').replace('${each.value}', resourcePath)) });
    }
  }
  const policy: Record<string, string[]> = {};
  const resources = (r: string[] | string) => (typeof r === 'string' ? [r] : r).flatMap((x) => (each ? forEachValue(x, each) : x));
  for (const st of statements.filter((x) => on(x, mode, each))) {
    for (const a of st.actions) policy[a] = [...(policy[a] ?? []), ...resources(st.resources).map(fakeName)];
  }
  return policy;
}

test("psoxy's names: PSOXY_SALT / PSOXY_ZOOM_* SecureString parameters Terraform never overwrites, psoxy-zoom, its _Exec role and log group", async () => {
  const m = await load();
  const r = m.resource;
  const shared = r.aws_ssm_parameter.shared[0] as { name: string; type: string; for_each: string; lifecycle: { ignore_changes: string[] }[] };
  assert.equal(resolve(shared.name), '${each.key}', 'at the root of the shared path: PSOXY_SALT, PSOXY_ENCRYPTION_KEY');
  assert.match(shared.for_each, /local\.shared_values/);
  assert.deepEqual(Object.keys(m.locals.shared_values as object).sort(), ['PSOXY_ENCRYPTION_KEY', 'PSOXY_SALT']);
  const zoom = r.aws_ssm_parameter.connector[0] as { name: string; value: string; type: string; description: string; lifecycle: { ignore_changes: string[] }[] };
  assert.equal(zoom.name, '${local.connectors[each.value.connector].prefix}${each.value.name}', "the connector's prefix (PSOXY_ZOOM_) and the value's name");
  assert.match(String(m.locals.connectors), /prefix += "\$\{local\.env_ssm_prefix\}\$\{upper\(replace\(id, "-", "_"\)\)\}_"/, 'PSOXY_ + the id upper-cased, - → _');
  assert.equal(zoom.description, '${local.connectors[each.value.connector].name} ${each.value.name} for ${local.connectors[each.value.connector].function_name}', "Zoom CLIENT_ID for psoxy-zoom: as before, so an existing parameter's value is not written again");
  assert.equal(zoom.value, 'fill me');
  for (const p of [shared, zoom]) {
    assert.equal(p.type, 'SecureString');
    assert.ok(p.lifecycle[0].ignore_changes.some((x) => x.includes('value')), 'Terraform never overwrites the value');
  }
  const zoomFn = awsConnector('zoom');
  assert.equal(forEachValue((r.aws_lambda_function.instance[0] as { function_name: string }).function_name, zoomFn), 'psoxy-zoom');
  assert.equal(forEachValue((r.aws_iam_role.iam_for_lambda[0] as { name: string }).name, zoomFn), 'psoxy-zoom_Exec');
  assert.equal(forEachValue((r.aws_cloudwatch_log_group.lambda_log[0] as { name: string }).name, zoomFn), '/aws/lambda/psoxy-zoom');
  assert.match(String(m.locals.connectors), /function_name = "\$\{local\.function_prefix\}-\$\{id\}"/);
  assert.equal((r.aws_lambda_function_url.lambda_url[0] as { authorization_type: string }).authorization_type, 'AWS_IAM');
  for (const v of ['environment_name', 'caller_aws_arns', 'caller_gcp_service_account_ids', 'aws_ssm_param_root_path', 'aws_ssm_key_id', 'allowed_data_access_ip_blocks', 'enabled_connectors', 'deployment_bundle']) {
    assert.ok(m.variable[v], `psoxy's input ${v}`);
  }
});

test("switching: psoxy's salt, key, Zoom values, token, function, URL, roles and policies are moved, none created again", async () => {
  const m = await load();
  const moved = movedMap(m);
  // psoxy's state and this module's previous (single-connector) state both end on the for_each keys.
  const expected: Record<string, string> = {
    'module.psoxy.random_password.pseudonym_salt': 'random_password.pseudonym_salt',
    'module.psoxy.random_password.encryption_key': 'random_password.encryption_key',
    'module.global_secrets_ssm[0].aws_ssm_parameter.secret["PSOXY_SALT"]': 'aws_ssm_parameter.shared["PSOXY_SALT"]',
    'module.global_secrets_ssm[0].aws_ssm_parameter.secret["PSOXY_ENCRYPTION_KEY"]': 'aws_ssm_parameter.shared["PSOXY_ENCRYPTION_KEY"]',
    'module.instance_ssm_parameters["zoom"].aws_ssm_parameter.secret_with_externally_managed_value["CLIENT_SECRET"]': 'aws_ssm_parameter.connector["zoom_CLIENT_SECRET"]',
    'module.instance_ssm_parameters["zoom"].aws_ssm_parameter.secret_with_externally_managed_value["OAUTH_REFRESH_TOKEN"]': 'aws_ssm_parameter.connector["zoom_OAUTH_REFRESH_TOKEN"]',
    'module.instance_secrets_secrets_manager["zoom"].aws_secretsmanager_secret.secret["ACCESS_TOKEN"]': 'aws_secretsmanager_secret.connector["zoom_ACCESS_TOKEN"]',
    'module.api_connector["zoom"].aws_lambda_function_url.lambda_url[0]': 'aws_lambda_function_url.lambda_url["zoom"]',
    'module.api_connector["zoom"].module.psoxy_lambda.aws_lambda_function.instance': 'aws_lambda_function.instance["zoom"]',
    'module.api_connector["zoom"].module.psoxy_lambda.aws_iam_policy.required_resource_access': 'aws_iam_policy.required_resource_access["zoom"]',
    'module.custom_api_connector_rules["zoom"].aws_ssm_parameter.rules': 'aws_ssm_parameter.rules["zoom"]',
    'module.psoxy.aws_iam_role.api-caller': 'aws_iam_role.api_caller',
    'aws_ssm_parameter.zoom["ACCOUNT_ID"]': 'aws_ssm_parameter.connector["zoom_ACCOUNT_ID"]',
    'aws_secretsmanager_secret.zoom["CLIENT_SECRET"]': 'aws_secretsmanager_secret.connector["zoom_CLIENT_SECRET"]',
    'aws_lambda_function.instance': 'aws_lambda_function.instance["zoom"]',
    'aws_lambda_function_url.lambda_url[0]': 'aws_lambda_function_url.lambda_url["zoom"]',
    'aws_iam_role.iam_for_lambda': 'aws_iam_role.iam_for_lambda["zoom"]',
    'aws_ssm_parameter.rules[0]': 'aws_ssm_parameter.rules["zoom"]',
  };
  for (const [from, to] of Object.entries(expected)) assert.equal(movedTo(moved, from), to, from);
  // Every resource that holds a name IAM or SSM keeps unique is the target of a move, from both states.
  for (const t of ['aws_iam_policy.required_resource_access', 'aws_iam_role_policy_attachment.attach_policy', 'aws_iam_role_policy_attachment.basic', 'aws_cloudwatch_log_group.lambda_log', 'aws_iam_role.iam_for_lambda']) {
    assert.equal(movedTo(moved, t), `${t}["zoom"]`, `${t} (previous release)`);
    assert.equal(movedTo(moved, `module.api_connector["zoom"].module.psoxy_lambda.${t}`), `${t}["zoom"]`, `${t} (psoxy)`);
  }
  assert.ok([...moved.values()].includes('aws_iam_policy.psoxy_caller_access'));
  assert.equal(forEachValue((m.resource.aws_ssm_parameter.rules[0] as { name: string }).name.replace('${local.connectors[each.key].prefix}', '${each.value.prefix}'), awsConnector('zoom')), 'PSOXY_ZOOM_RULES', 'where the runtime reads RULES');
  const role = m.resource.aws_iam_role.api_caller[0] as { lifecycle: { ignore_changes: string[] }[] };
  assert.ok(role.lifecycle[0].ignore_changes.some((x) => x.includes('name')), "the caller role keeps psoxy's name (Worklytics holds its ARN)");
});

test("the module's IAM policy, enforced on the runtime: the seed's flow (fill me → health names three values → filled → calls) with no denied call", async () => {
  const m = await load();
  const policy = grantedPolicy(m, 'required_resource_access', {}, undefined, awsConnector('zoom'));
  assert.deepEqual(policy['ssm:GetParameters'], ['PSOXY_ZOOM_*', 'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY']);
  assert.equal(policy['secretsmanager:GetSecretValue'], undefined, 'no Secrets Manager grant in the SSM store');
  const sim = new ZoomSimulator({ orgOptions: { seed: 12, users: 5, meetingsPerUser: 1 } });
  await sim.start();
  const fake = new FakeAwsJson();
  const endpoint = await fake.start();
  try {
    // What `terraform apply` leaves: generated salt and key, placeholders for the rest.
    fake.putParam('PSOXY_SALT', 'generated-salt-00000');
    fake.putParam('PSOXY_ENCRYPTION_KEY', 'generated-key-000000000000000000');
    for (const n of ['CLIENT_SECRET', 'CLIENT_ID', 'ACCOUNT_ID', 'ACCESS_TOKEN', 'OAUTH_REFRESH_TOKEN']) fake.putParam(`PSOXY_ZOOM_${n}`, 'fill me');
    fake.enforce(policy);
    const fn = m.resource.aws_lambda_function.instance[0] as { environment: { variables: string }[] };
    assert.match(JSON.stringify(fn.environment), /PATH_TO_INSTANCE_CONFIG/);
    const env = { AWS_LAMBDA_FUNCTION_NAME: 'psoxy-zoom', SOURCE: 'zoom', PATH_TO_INSTANCE_CONFIG: 'PSOXY_ZOOM_', USE_SHARED_TOKEN: 'TRUE', ...sim.targetSettings() };
    const handler = createAwsProxy({ env, ssm: new SSMClient(awsClientConfig(endpoint)), logger: memoryLogger() });
    const health = await handler({ version: '2.0', rawPath: '/', rawQueryString: '', headers: { 'x-psoxy-health-check': '1' }, requestContext: { http: { method: 'GET', sourceIp: '203.0.113.9' } } });
    assert.equal(health.statusCode, 412);
    assert.deepEqual((JSON.parse(health.body) as { missingConfigProperties: string[] }).missingConfigProperties.sort(), ['ACCOUNT_ID', 'CLIENT_ID', 'CLIENT_SECRET']);
    fake.putParam('PSOXY_ZOOM_ACCOUNT_ID', sim.accountId);
    fake.putParam('PSOXY_ZOOM_CLIENT_ID', sim.clientId);
    fake.putParam('PSOXY_ZOOM_CLIENT_SECRET', sim.clientSecret);
    const res = await handler({ version: '2.0', rawPath: '/v2/users', rawQueryString: 'page_size=2', headers: {}, requestContext: { http: { method: 'GET', sourceIp: '203.0.113.9' } } });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(fake.param('PSOXY_ZOOM_ACCESS_TOKEN')?.includes('expirationDate'), 'the shared token written where the module grants it');
    assert.deepEqual(fake.denied, [], "nothing outside the module's policy");
  } finally {
    await fake.stop();
    await sim.stop();
  }
});

test('every resource and data block uses only attributes and blocks the AWS provider schema has', async () => {
  const { moduleSchemaProblems, unknownAttributes } = await import('./helpers/provider-schema.ts');
  assert.deepEqual(moduleSchemaProblems(await load()), []);
  // The check can fail: a misspelt attribute is caught.
  assert.deepEqual(unknownAttributes('resource', 'aws_ssm_parameter', { name: 'x', vlaue: 'y' }), ['vlaue']);
  assert.deepEqual(unknownAttributes('resource', 'aws_lambda_function', { environment: [{ varaibles: {} }] }), ['environment.varaibles']);
});

test("Secrets Manager mode: psoxy's split (the secret and token there, the rest in SSM) under the module's own policy, no denied call", async () => {
  const m = await load();
  const policy = grantedPolicy(m, 'required_resource_access', { secretsManager: true }, undefined, awsConnector('zoom', { secretsManager: true }));
  assert.deepEqual(policy['secretsmanager:GetSecretValue'], ['PSOXY_ZOOM_*', 'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY']);
  assert.equal(block<{ for_each: string }>(m, 'resource', 'aws_secretsmanager_secret', 'connector').for_each, '${{ for k, v in local.connector_values : k => v if v.in_secrets_manager }}', "the catalogue's sensitive values (Zoom: CLIENT_SECRET, ACCESS_TOKEN) as Secrets Manager secrets");
  assert.deepEqual(catalogue.zoom.sensitive, ['CLIENT_SECRET', 'ACCESS_TOKEN']);
  assert.deepEqual(policy['secretsmanager:PutSecretValue'], ['PSOXY_ZOOM_ACCESS_TOKEN'], 'writes only the token');
  const sim = new ZoomSimulator({ orgOptions: { seed: 14, users: 5, meetingsPerUser: 1 } });
  await sim.start();
  const fake = new FakeAwsJson();
  const endpoint = await fake.start();
  try {
    const secret = (n: string, v?: string) => fake.secrets.set(n, v === undefined ? [] : [{ value: v, version: 1, type: 'secret', modified: new Date(), id: n, stages: ['AWSCURRENT'] }]);
    secret('PSOXY_SALT', 'generated-salt-00000');
    secret('PSOXY_ENCRYPTION_KEY', 'generated-key-000000000000000000');
    secret('PSOXY_ZOOM_CLIENT_SECRET'); // no version, as psoxy creates it
    secret('PSOXY_ZOOM_ACCESS_TOKEN');
    for (const n of ['CLIENT_ID', 'ACCOUNT_ID', 'OAUTH_REFRESH_TOKEN']) fake.putParam(`PSOXY_ZOOM_${n}`, 'fill me');
    fake.enforce(policy);
    const env = { AWS_LAMBDA_FUNCTION_NAME: 'psoxy-zoom', SOURCE: 'zoom', SECRETS_STORE: 'AWS_SECRETS_MANAGER', PATH_TO_INSTANCE_CONFIG: 'PSOXY_ZOOM_', ...sim.targetSettings() };
    const handler = createAwsProxy({ env, ssm: new SSMClient(awsClientConfig(endpoint)), secretsManager: new SecretsManagerClient(awsClientConfig(endpoint)), logger: memoryLogger() });
    const event = (rawPath: string, headers: Record<string, string> = {}) => ({ version: '2.0', rawPath, rawQueryString: 'page_size=2', headers, requestContext: { http: { method: 'GET', sourceIp: '203.0.113.9' } } });
    const health = await handler(event('/', { 'x-psoxy-health-check': '1' }));
    assert.deepEqual((JSON.parse(health.body) as { missingConfigProperties: string[] }).missingConfigProperties.sort(), ['ACCOUNT_ID', 'CLIENT_ID', 'CLIENT_SECRET']);
    fake.putParam('PSOXY_ZOOM_ACCOUNT_ID', sim.accountId);
    fake.putParam('PSOXY_ZOOM_CLIENT_ID', sim.clientId);
    secret('PSOXY_ZOOM_CLIENT_SECRET', sim.clientSecret);
    const res = await handler(event('/v2/users'));
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(fake.secrets.get('PSOXY_ZOOM_ACCESS_TOKEN')!.length, 1, 'the token written to Secrets Manager');
    assert.deepEqual(fake.denied, []);
  } finally {
    await fake.stop();
    await sim.stop();
  }
});

/** A Secrets Manager secret in the fake: with a value, or none (created without a version, as the module and psoxy do). */
const putSecret = (fake: FakeAwsJson, n: string, v?: string) => fake.secrets.set(n, v === undefined ? [] : [{ value: v, version: 1, type: 'secret', modified: new Date(), id: n, stages: ['AWSCURRENT'] }]);

test("Secrets Manager mode, every API connector (ids and aliases): each value it flags sensitive is read from Secrets Manager, every other from SSM, as the module lays them out, under its policy, no denied call", async () => {
  const m = await load();
  // The module's layout follows the same set: a value is a secret exactly when the connector flags it.
  assert.match(readFileSync(new URL('main.tf', dir), 'utf8'), /in_secrets_manager = local\.use_secrets_manager && contains\(c\.sensitive, n\)/);
  const keys = Object.keys(catalogue);
  assert.ok(keys.length > 40 && keys.includes('github') && keys.includes('cursor') && keys.includes('windsurf') && keys.includes('qualtrics-api'));
  for (const key of keys) {
    const c = catalogue[key];
    const prefix = awsPrefix(key);
    const fake = new FakeAwsJson();
    const endpoint = await fake.start();
    try {
      putSecret(fake, 'PSOXY_SALT', 'generated-salt-00000');
      putSecret(fake, 'PSOXY_ENCRYPTION_KEY', 'generated-key-000000000000000000');
      const stored = [...new Set([...c.secrets, ...c.written])];
      const where = (n: string) => (c.sensitive.includes(n) ? 'Secrets Manager' : 'SSM');
      for (const n of stored) {
        if (c.sensitive.includes(n)) putSecret(fake, `${prefix}${n}`, `${n} in Secrets Manager`);
        else fake.putParam(`${prefix}${n}`, `${n} in SSM`);
      }
      fake.enforce(grantedPolicy(m, 'required_resource_access', { secretsManager: true }, undefined, awsConnector(key, { secretsManager: true })));
      const env = { AWS_LAMBDA_FUNCTION_NAME: `psoxy-${key}`, ...c.settings, SOURCE: c.source, SECRETS_STORE: 'AWS_SECRETS_MANAGER', PATH_TO_INSTANCE_CONFIG: prefix };
      const config = awsConfig({ env, ssm: new SSMClient(awsClientConfig(endpoint)), secretsManager: new SecretsManagerClient(awsClientConfig(endpoint)) });
      await config.prefetch([...stored, 'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY']);
      for (const n of stored) assert.equal(await config.get(n), `${n} in ${where(n)}`, `${key}: ${n} read from ${where(n)}`);
      assert.equal(await config.get('PSOXY_SALT'), 'generated-salt-00000', `${key}: the salt from Secrets Manager`);
      assert.deepEqual(fake.denied, [], `${key}: nothing outside its grants`);
    } finally {
      await fake.stop();
    }
  }
  // psoxy's flags, where they differ from a guess by name: GitHub's client id is a secret, Zoom's is not.
  assert.deepEqual(catalogue.github.sensitive, ['CLIENT_ID', 'PRIVATE_KEY', 'ACCESS_TOKEN']);
  assert.deepEqual(catalogue.cursor.sensitive, ['BASIC_AUTH_USER_ID']);
  assert.deepEqual(catalogue.windsurf.sensitive, ['SERVICE_KEY']);
  assert.deepEqual(catalogue['qualtrics-api'].sensitive, ['API_TOKEN']);
  assert.ok(!catalogue.zoom.sensitive.includes('CLIENT_ID') && !catalogue.zoom.sensitive.includes('ACCOUNT_ID'));
});

test("a GitHub deployment as psoxy's Terraform lays it out in Secrets Manager mode (CLIENT_ID and PRIVATE_KEY secrets, the token secret without a version, the lock in SSM): the app's token is fetched with the client id read from Secrets Manager and stored there, no denied call", async () => {
  const m = await load();
  const gh = new GithubAppFake();
  await gh.start();
  const fake = new FakeAwsJson();
  const endpoint = await fake.start();
  try {
    putSecret(fake, 'PSOXY_SALT', 'generated-salt-00000');
    putSecret(fake, 'PSOXY_ENCRYPTION_KEY', 'generated-key-000000000000000000');
    putSecret(fake, 'PSOXY_GITHUB_CLIENT_ID', gh.clientId);
    putSecret(fake, 'PSOXY_GITHUB_PRIVATE_KEY', gh.privateKeyPem);
    putSecret(fake, 'PSOXY_GITHUB_ACCESS_TOKEN');
    fake.putParam('PSOXY_GITHUB_OAUTH_REFRESH_TOKEN', 'fill me');
    fake.enforce(grantedPolicy(m, 'required_resource_access', { secretsManager: true }, undefined, awsConnector('github', { secretsManager: true })));
    const env = {
      AWS_LAMBDA_FUNCTION_NAME: 'psoxy-github', ...catalogue.github.settings, SOURCE: 'github', SECRETS_STORE: 'AWS_SECRETS_MANAGER', PATH_TO_INSTANCE_CONFIG: 'PSOXY_GITHUB_',
      TARGET_HOST: gh.url, REFRESH_ENDPOINT: gh.endpoint,
    };
    const handler = createAwsProxy({ env, ssm: new SSMClient(awsClientConfig(endpoint)), secretsManager: new SecretsManagerClient(awsClientConfig(endpoint)), logger: memoryLogger() });
    const res = await handler({ version: '2.0', rawPath: '/orgs/acme/members', rawQueryString: '', headers: {}, requestContext: { http: { method: 'GET', sourceIp: '203.0.113.9' } } });
    assert.equal(res.statusCode, 200, res.body);
    const [member] = JSON.parse(res.body) as Record<string, unknown>[];
    assert.ok(String(JSON.stringify(member)).includes('t~') && !res.body.includes('alice@acme.example'), res.body);
    assert.equal(gh.stats.issued, 1, 'one installation token, for the app JWT signed with the client id from Secrets Manager');
    assert.equal(fake.secrets.get('PSOXY_GITHUB_ACCESS_TOKEN')!.length, 1, 'the token shared through Secrets Manager');
    assert.ok(!fake.params.has('PSOXY_GITHUB_CLIENT_ID') && !fake.params.has('PSOXY_GITHUB_ACCESS_TOKEN'));
    assert.deepEqual(fake.denied, []);
  } finally {
    await Promise.all([fake.stop(), gh.stop()]);
  }
});

test("KMS (psoxy's project_aws_kms_key_arn → aws_ssm_key_id, function_env_kms_key_arn, logs_kms_key_arn): keys on every parameter, secret, environment and log group; Decrypt/Encrypt granted on exactly those keys", async () => {
  const m = await load();
  for (const v of ['project_aws_kms_key_arn', 'aws_ssm_key_id', 'function_env_kms_key_arn', 'logs_kms_key_arn']) assert.ok(m.variable[v], `psoxy's input ${v}`);
  // Each specific input falls back to psoxy's project-wide key.
  assert.equal(m.locals.ssm_kms_key, '${var.aws_ssm_key_id != null ? var.aws_ssm_key_id : var.project_aws_kms_key_arn}');
  assert.equal(m.locals.env_kms_key, '${var.function_env_kms_key_arn != null ? var.function_env_kms_key_arn : var.project_aws_kms_key_arn}');
  assert.equal(m.locals.logs_kms_key, '${var.logs_kms_key_arn != null ? var.logs_kms_key_arn : var.project_aws_kms_key_arn}');
  for (const name of ['shared', 'connector']) assert.equal(block<{ key_id: string }>(m, 'resource', 'aws_ssm_parameter', name).key_id, '${coalesce(local.ssm_kms_key, "alias/aws/ssm")}');
  for (const name of ['shared', 'connector']) assert.equal(block<{ kms_key_id: string }>(m, 'resource', 'aws_secretsmanager_secret', name).kms_key_id, '${local.ssm_kms_key}');
  for (const name of ['instance', 'bulk']) assert.equal(block<{ kms_key_arn: string }>(m, 'resource', 'aws_lambda_function', name).kms_key_arn, '${local.env_kms_key}');
  for (const name of ['lambda_log', 'bulk']) assert.equal(block<{ kms_key_id: string }>(m, 'resource', 'aws_cloudwatch_log_group', name).kms_key_id, '${local.logs_kms_key}');
  // IAM wants ARNs: the SSM key (an id or alias too) is looked up.
  assert.equal(block<{ key_id: string }>(m, 'data', 'aws_kms_key', 'ssm').key_id, '${local.ssm_kms_key}');
  const kms = policyStatements(block(m, 'data', 'aws_iam_policy_document', 'shared_config_read')).filter((s) => s.actions.some((a) => a.startsWith('kms:')));
  assert.equal(kms.length, 1);
  assert.deepEqual(kms[0].actions, ['kms:Decrypt', 'kms:Encrypt'], 'Decrypt to read SecureStrings, Encrypt for the shared token written back');
  assert.equal(kms[0].resources, '${concat(data.aws_kms_key.ssm[*].arn, local.env_kms_key == null ? [] : [local.env_kms_key])}');
  assert.equal(kms[0].when, '${local.ssm_kms_key == null && local.env_kms_key == null ? [] : [1]}', 'no KMS grant when AWS-managed keys are used');
  for (const doc of ['required_resource_access', 'bulk_resource_access']) {
    assert.match(String(block<{ source_policy_documents: string }>(m, 'data', 'aws_iam_policy_document', doc).source_policy_documents), /data\.aws_iam_policy_document\.shared_config_read\.json/, `${doc} includes the KMS grant`);
  }
});

test("remote resources: REMOTE_RESOURCE_BUCKET and psoxy's INSTANCE_RESOURCE_PATH (PSOXY/ZOOM/) on the function, s3:GetObject on that folder only; rules.yaml there is used, nothing denied", async () => {
  const m = await load();
  for (const v of ['enable_remote_resources', 'artifacts_bucket_name']) assert.ok(m.variable[v], `psoxy's input ${v}`);
  // psoxy's aws-host: the shared secrets path, else the environment's SSM prefix, without '/' and '_' at the ends.
  assert.equal(m.locals.resource_root, '${trimsuffix(trimprefix(local.shared_config != "" ? local.shared_config : trimsuffix(local.env_ssm_prefix, "_"), "/"), "_")}');
  assert.equal(resolve(m.locals.shared_resource_path as string), '${local.resource_root}/');
  assert.match(resolve(m.locals.resource_paths as string), /\{ for id in keys\(local\.connectors\) : id => "PSOXY\/\$\{upper\(replace\(id, "-", "_"\)\)\}\/" \}/, 'PSOXY/ZOOM/, PSOXY/MSFT_TEAMS/, …');
  assert.match(resolve(m.locals.resource_paths as string), /\{ for id in keys\(local\.bulk\) : id => "PSOXY\/\$\{upper\(replace\(id, "-", "_"\)\)\}\/" \}/, 'PSOXY/ZOOM_AI_METRICS/, PSOXY/HRIS/, … for the bulk functions');
  assert.match(String(m.locals.remote_resource_env), /REMOTE_RESOURCE_BUCKET = var\.artifacts_bucket_name, INSTANCE_RESOURCE_PATH = path/);
  assert.match(JSON.stringify(block(m, 'resource', 'aws_lambda_function', 'instance')), /try\(local\.remote_resource_env\[each\.key\], \{\}\)/);
  const read = policyStatements(block(m, 'data', 'aws_iam_policy_document', 'remote_resource_read'));
  assert.deepEqual(read.map((s) => [s.actions, s.resources]), [[['s3:GetObject'], ['arn:aws:s3:::${var.artifacts_bucket_name}/${each.value}*']]], 'no ListBucket, no other folder');
  const policy = grantedPolicy(m, 'required_resource_access', {}, 'PSOXY/ZOOM/', awsConnector('zoom'));
  assert.deepEqual(policy['s3:GetObject'], ['artifacts/PSOXY/ZOOM/*']);

  const sim = new ZoomSimulator({ orgOptions: { seed: 15, users: 2, meetingsPerUser: 1 } });
  await sim.start();
  const ssm = new FakeAwsJson();
  const s3 = new FakeS3();
  const [ssmUrl, s3Url] = await Promise.all([ssm.start(), s3.start()]);
  try {
    ssm.putParam('PSOXY_SALT', 'generated-salt-00000');
    ssm.putParam('PSOXY_ENCRYPTION_KEY', 'generated-key-000000000000000000');
    for (const [k, v] of Object.entries(sim.credentialSettings())) ssm.putParam(k, v);
    ssm.enforce(policy);
    s3.grantGetObject(policy['s3:GetObject'].map((p) => p.replace(/\*$/, '')));
    s3.objects.set('artifacts/PSOXY/ZOOM/rules.yaml', { body: Buffer.from('endpoints:\n  - pathTemplate: "/v2/users"\n    transforms:\n      - !<redact>\n        jsonPaths: ["$.users[*].email"]\n'), metadata: {} });
    sim.inject({ path: /^\/v2\/users$/, status: 200, body: JSON.stringify({ users: [{ id: 'u-1', email: 'alice@acme.com' }] }) });
    const env = { AWS_LAMBDA_FUNCTION_NAME: 'psoxy-zoom', SOURCE: 'zoom', PATH_TO_INSTANCE_CONFIG: 'PSOXY_ZOOM_', REMOTE_RESOURCE_BUCKET: 'artifacts', INSTANCE_RESOURCE_PATH: 'PSOXY/ZOOM/', ...sim.targetSettings() };
    const client = new S3Client({ ...awsClientConfig(s3Url), forcePathStyle: true });
    const handler = createAwsProxy({ env, ssm: new SSMClient(awsClientConfig(ssmUrl)), s3: async () => client, localResourceDir: join(tmpdir(), 'no-psoxy-resources'), logger: memoryLogger() });
    const event = (rawPath: string) => ({ version: '2.0', rawPath, rawQueryString: '', headers: {}, requestContext: { http: { method: 'GET', sourceIp: '203.0.113.9' } } });
    const users = await handler(event('/v2/users'));
    assert.equal(users.statusCode, 200, users.body);
    assert.deepEqual(JSON.parse(users.body), { users: [{ id: 'u-1' }] }, 'the uploaded rules redacted the email');
    assert.equal((await handler(event('/v2/users/u-1/meetings'))).statusCode, 403, "the uploaded rules, not the built-in ones (which allow this call)");
    assert.deepEqual([...ssm.denied, ...s3.denied], []);
  } finally {
    await Promise.all([ssm.stop(), s3.stop(), sim.stop()]);
  }
});

/** Every API connector alias of the catalogue (psoxy's Terraform keys and renamed ids), with the connector it stands for. */
const API_ALIASES = CONNECTORS.flatMap((c) => (c.aliases ?? []).map((a) => [a, c] as const));

test("every API alias, deployed beside the id it stands for: psoxy's names for its key, its own namespace only (in both stores), SOURCE the id; under the module's grants its function answers as the id's built-in rules do, no denied call", async () => {
  const m = await load();
  assert.ok(API_ALIASES.length >= 4);
  assert.match(JSON.stringify(block(m, 'resource', 'aws_lambda_function', 'instance')), /SOURCE += each\.value\.source/);
  const deployed = API_ALIASES.flatMap(([a, c]) => [a, c.id]);
  for (const [alias, c] of API_ALIASES) {
    const spec = catalogue[alias];
    assert.equal(spec.source, c.id, `${alias}: SOURCE ${c.id}`);
    const each = awsConnector(alias, {}, deployed);
    const prefix = awsPrefix(alias);
    assert.equal(forEachValue(block<{ function_name: string }>(m, 'resource', 'aws_lambda_function', 'instance').function_name, each), `psoxy-${alias}`);
    assert.equal(forEachValue(block<{ name: string }>(m, 'resource', 'aws_iam_role', 'iam_for_lambda').name, each), `psoxy-${alias}_Exec`);
    assert.equal(forEachValue(block<{ name: string }>(m, 'resource', 'aws_iam_policy', 'required_resource_access').name, each), `psoxy-${alias}_resourceAccess`);
    for (const mode of [{}, { secretsManager: true }] as Mode[]) {
      const inMode = awsConnector(alias, mode, deployed);
      const allow = grantedPolicy(m, 'required_resource_access', mode, undefined, inMode);
      assert.deepEqual(allow[mode.secretsManager ? 'secretsmanager:GetSecretValue' : 'ssm:GetParameters'], [`${prefix}*`, 'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY'], `${alias}: its own namespace and the salt and key`);
      // The id's function, where the alias's namespace is nested in its own (PSOXY_SLACK_DISCOVERY_API_ in PSOXY_SLACK_), is denied it.
      const idDeny = grantedPolicy(m, 'required_resource_access', mode, undefined, awsConnector(c.id, mode, deployed), 'Deny');
      const nested = prefix.startsWith(awsPrefix(c.id));
      for (const action of mode.secretsManager ? ['ssm:GetParameters', 'secretsmanager:GetSecretValue'] : ['ssm:GetParameters', 'ssm:PutParameter']) {
        assert.equal(idDeny[action]?.includes(`${prefix}*`) ?? false, nested, `${c.id} ${action} on ${prefix}*: denied exactly when nested`);
      }
      // Likewise the alias's, where the id's namespace is nested in its own (PSOXY_CONFLUENCE_CLOUD_ in PSOXY_CONFLUENCE_).
      const aliasDeny = grantedPolicy(m, 'required_resource_access', mode, undefined, inMode, 'Deny');
      assert.deepEqual(aliasDeny['ssm:GetParameters'] ?? [], nestedPrefixes(alias, deployed).map((p) => `${p}*`));
      assert.equal(aliasDeny['ssm:GetParameters']?.includes(`${awsPrefix(c.id)}*`) ?? false, awsPrefix(c.id).startsWith(prefix), `${alias}: ${c.id}'s namespace denied exactly when nested`);
      if (mode.secretsManager) assert.deepEqual(aliasDeny['secretsmanager:GetSecretValue'] ?? [], aliasDeny['ssm:GetParameters'] ?? [], 'the same in Secrets Manager');
    }

    // The function as the module configures it, against the simulator of the id it stands for, a
    // static token in its own namespace (the catalogue auth swapped for the simulator's).
    const sim = new SourceSimulator(c, { seed: 11, people: 5 });
    await sim.start();
    const ssm = new FakeAwsJson();
    const url = await ssm.start();
    const answers: { name: string; status: number; body: string }[] = [];
    try {
      ssm.putParam('PSOXY_SALT', 'salt');
      ssm.putParam('PSOXY_ENCRYPTION_KEY', 'secret');
      ssm.putParam(`${prefix}ACCESS_TOKEN`, sim.settings().ACCESS_TOKEN);
      ssm.enforce(grantedPolicy(m, 'required_resource_access', {}, undefined, each));
      const env = {
        AWS_LAMBDA_FUNCTION_NAME: `psoxy-${alias}`, ...spec.settings, SOURCE: spec.source, PATH_TO_INSTANCE_CONFIG: prefix,
        TARGET_HOST: sim.settings().TARGET_HOST, SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_access_token',
      };
      const handler = createAwsProxy({ env, ssm: new SSMClient(awsClientConfig(url)), logger: memoryLogger() });
      for (const e of c.examples.filter((x) => x.method !== 'POST')) {
        const [rawPath, rawQueryString = ''] = e.path.split('?');
        const res = await handler({ version: '2.0', rawPath, rawQueryString, headers: {}, requestContext: { http: { method: 'GET', sourceIp: '203.0.113.9' } } });
        answers.push({ name: e.name, status: res.statusCode, body: res.body });
      }
      assert.ok(sim.calls.some((x) => x.authorized), `${alias}: the token read from ${prefix}ACCESS_TOKEN`);
      assert.deepEqual(ssm.denied, [], `${alias}: nothing outside its own namespace and the salt and key`);
    } finally {
      await Promise.all([ssm.stop(), sim.stop()]);
    }
    assert.ok(answers.length > 0 && answers.every((a) => a.status === 200), `${alias}: ${JSON.stringify(answers.map((a) => [a.name, a.status]))}`);
    // The same calls to a proxy for the id itself: the same answers, so the id's built-in rules applied.
    await withConnectorProxy(c, async (run) => {
      for (const a of answers) {
        const direct = await run.call(a.name);
        assert.equal(a.body, direct.text, `${alias} → ${c.id}: ${a.name} sanitized as ${c.id}'s rules do`);
      }
    });
  }
});

/** A bulk connector's for_each instance with psoxy's defaults, as `local.bulk` gives it, deployed beside `deployed`. */
function awsBulk(id: string, deployed: readonly string[] = []): EachInstance {
  return { key: id, value: { function_name: `psoxy-${id}`, prefix: awsPrefix(id), source: catalogueBulk[id]?.source ?? id }, lists: { 'each.value.nested_prefixes': nestedPrefixes(id, deployed) } };
}

/** An expression of a for_each = local.bulk resource for one connector: its own instances' references keyed by its id. */
const bulkValue = (expr: string, id: string) => String(forEachValue(resolve(expr).replaceAll('[each.key]', `["${id}"]`), awsBulk(id)));

const BULK_IDS = Object.keys(catalogueBulk);

test("bulk connectors by id (psoxy's bulk_connectors, or a bulk id in enabled_connectors): psoxy's names, input and sanitized buckets (public access blocked, 30 / 720 days), ObjectCreated trigger, the bulk zip with SOURCE and OUTPUT_BUCKET", async () => {
  const m = await load();
  for (const v of ['bulk_connectors', 'custom_bulk_connector_rules', 'custom_bulk_connector_arguments', 'bulk_input_expiration_days', 'bulk_sanitized_expiration_days', 'provision_bucket_public_access_block']) assert.ok(m.variable[v], `psoxy's input ${v}`);
  const def = (v: string) => (m.variable[v][0] as { default: unknown }).default;
  assert.equal(def('bulk_input_expiration_days'), 30);
  assert.equal(def('bulk_sanitized_expiration_days'), 720);
  assert.equal(m.locals.bulk_catalogue, '${jsondecode(file("${path.module}/../connectors.json")).bulk_connectors}');
  assert.equal(m.locals.bulk_ids, '${distinct(concat([for id in var.enabled_connectors : id if contains(keys(local.bulk_catalogue), id)], keys(var.bulk_connectors)))}', "psoxy's bulk_connectors keys, and the catalogue bulk ids of enabled_connectors");
  assert.equal(m.locals.bulk_kinds, '${{ for id in local.bulk_ids : id => coalesce(try(var.bulk_connectors[id].source_kind, null), id) }}', "psoxy's source_kind, else the key");
  assert.match(String(m.locals.bulk), /function_name = "\$\{local\.function_prefix\}-\$\{id\}"/);
  assert.match(String(m.locals.bulk), /prefix += "\$\{local\.env_ssm_prefix\}\$\{upper\(replace\(id, "-", "_"\)\)\}_"/);
  assert.match(String(m.locals.bulk), /source += try\(local\.bulk_catalogue\[id\]\.source, local\.bulk_catalogue\[local\.bulk_kinds\[id\]\]\.source, local\.bulk_kinds\[id\]\)/, "a catalogue id's own built-in rules, else psoxy's source_kind");
  assert.equal(m.locals.bulk_bundle, '${coalesce(var.bulk_deployment_bundle, "${dirname(var.deployment_bundle)}/aws-bulk-lambda.zip")}', 'the zip `npm run build` writes beside the API one');
  for (const id of ['zoom-ai-metrics', 'hris', 'slack-discovery-bulk']) {
    for (const [name, suffix] of [['bulk_input', 'input'], ['bulk_sanitized', 'sanitized']]) {
      const bucket = block<{ bucket: string; for_each: string; lifecycle: { ignore_changes: string[] }[] }>(m, 'resource', 'aws_s3_bucket', name);
      assert.equal(bucket.for_each, '${local.bulk}');
      assert.equal(bulkValue(bucket.bucket, id), `psoxy-${id}-\${random_string.bulk_bucket_suffix["${id}"].id}-${suffix}`);
      assert.ok(bucket.lifecycle[0].ignore_changes.includes('${bucket}'), 'a bucket is never replaced for its name');
      const block_ = block<Record<string, unknown>>(m, 'resource', 'aws_s3_bucket_public_access_block', name);
      assert.equal(block_.for_each, '${var.provision_bucket_public_access_block ? local.bulk : {}}');
      assert.equal(bulkValue(block_.bucket as string, id), `\${aws_s3_bucket.${name}["${id}"].bucket}`);
      for (const k of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets']) assert.equal(block_[k], true, k);
      const lc = block<{ bucket: string; rule: { status: string; expiration: { days: string }[] }[] }>(m, 'resource', 'aws_s3_bucket_lifecycle_configuration', name);
      assert.equal(bulkValue(lc.bucket, id), `\${aws_s3_bucket.${name}["${id}"].bucket}`);
      assert.equal(lc.rule[0].status, 'Enabled');
      assert.equal(lc.rule[0].expiration[0].days, `\${var.bulk_${suffix}_expiration_days}`);
    }
    const fn = block<{ function_name: string; handler: string; runtime: string; timeout: number; role: string; environment: { variables: string }[] }>(m, 'resource', 'aws_lambda_function', 'bulk');
    assert.equal(bulkValue(fn.function_name, id), `psoxy-${id}`);
    assert.deepEqual([fn.handler, fn.runtime, fn.timeout], ['index.handler', 'nodejs24.x', 600]);
    assert.equal(bulkValue(fn.role, id), `\${aws_iam_role.bulk["${id}"].arn}`);
    const env = bulkValue(fn.environment[0].variables, id);
    for (const part of ['local.common_env', 'SOURCE                  = each.value.source', `OUTPUT_BUCKET           = aws_s3_bucket.bulk_sanitized["${id}"].bucket`, 'PATH_TO_INSTANCE_CONFIG = each.value.prefix', `local.remote_resource_env["${id}"]`, `tomap(var.bulk_connectors["${id}"].environment_variables)`]) assert.ok(env.includes(part), `${id}: ${part}`);
    assert.equal(bulkValue(block<{ name: string }>(m, 'resource', 'aws_iam_role', 'bulk').name, id), `psoxy-${id}_Exec`);
    assert.equal(bulkValue(block<{ name: string }>(m, 'resource', 'aws_cloudwatch_log_group', 'bulk').name, id), `/aws/lambda/psoxy-${id}`);
    assert.equal(bulkValue(block<{ name: string }>(m, 'resource', 'aws_ssm_parameter', 'bulk_rules').name, id), `PSOXY_${id.toUpperCase().replaceAll('-', '_')}_RULES`, 'where the bulk function reads RULES');
    const notification = block<{ bucket: string; lambda_function: { events: string[]; lambda_function_arn: string }[] }>(m, 'resource', 'aws_s3_bucket_notification', 'bulk_input');
    assert.equal(bulkValue(notification.bucket, id), `\${aws_s3_bucket.bulk_input["${id}"].id}`);
    assert.deepEqual(notification.lambda_function[0].events, ['s3:ObjectCreated:*']);
    assert.equal(bulkValue(notification.lambda_function[0].lambda_function_arn, id), `\${aws_lambda_function.bulk["${id}"].arn}`);
    const permission = block<Record<string, string>>(m, 'resource', 'aws_lambda_permission', 'bulk_input');
    assert.deepEqual([permission.action, permission.principal, bulkValue(permission.source_arn, id), bulkValue(permission.function_name, id)], ['lambda:InvokeFunction', 's3.amazonaws.com', `\${aws_s3_bucket.bulk_input["${id}"].arn}`, `\${aws_lambda_function.bulk["${id}"].function_name}`]);
  }
  const suffix = block<{ lifecycle: { ignore_changes: string[] }[] }>(m, 'resource', 'random_string', 'bulk_bucket_suffix');
  assert.deepEqual(suffix.lifecycle[0].ignore_changes, ['${length}', '${lower}', '${upper}', '${special}', '${numeric}'], 'the bucket suffix is never regenerated');
  assert.equal(block<{ for_each: string }>(m, 'resource', 'aws_ssm_parameter', 'bulk_rules').for_each, '${{ for id, b in local.bulk : id => b if b.rules != null }}', 'RULES only where rules are given; the built-in ones otherwise');
});

test("bulk rules as psoxy takes them (rules_file, custom_bulk_connector_rules, the connector's rules, else built-in); an id with none of them and no built-in rules fails the plan, naming it", async () => {
  const m = await load();
  const rules = String(m.locals.bulk_rules);
  const order = ['try(fileexists(var.bulk_connectors[id].rules_file), false) ? file(var.bulk_connectors[id].rules_file)', 'contains(keys(var.custom_bulk_connector_rules), id) ? yamlencode(', 'try(var.bulk_connectors[id].rules, null) != null ? yamlencode(', ': null'];
  for (const part of order) assert.ok(rules.includes(part), part);
  assert.deepEqual(order.map((p) => rules.indexOf(p)), order.map((p) => rules.indexOf(p)).sort((a, b) => a - b), "psoxy's precedence");
  assert.match(rules, /pseudonymFormat = coalesce\(try\(var\.custom_bulk_connector_rules\[id\]\.pseudonymFormat, null\), "URL_SAFE_TOKEN"\)/, "psoxy's default for custom rules");
  assert.equal(m.locals.bulk_without_rules, '${[for id, b in local.bulk : id if b.rules == null && !contains(keys(local.bulk_catalogue), b.source)]}');
  const pre = block<{ lifecycle: { precondition: { condition: string; error_message: string }[] }[] }>(m, 'resource', 'aws_s3_bucket', 'bulk_input').lifecycle[0].precondition[0];
  assert.equal(pre.condition, '${length(local.bulk_without_rules) == 0}');
  assert.match(pre.error_message, /\$\{join\(", ", local\.bulk_without_rules\)\}/);
  assert.equal((m.variable.bulk_connectors[0] as { type: string }).type, '${any}', "psoxy's root passes connectors whose rules differ in shape");
});

test("bulk IAM, per connector: GetObject on its own input bucket, PutObject on its own sanitized bucket, read-only on its own namespace and the salt and key; nothing of another connector; the caller reads every sanitized bucket and no input bucket", async () => {
  const m = await load();
  const ids = ['zoom-ai-metrics', 'hris', 'slack-discovery-bulk'];
  for (const id of ids) {
    const only = (doc: string) => policyStatements(block(m, 'data', 'aws_iam_policy_document', doc)).map((s) => [s.actions, (s.resources as string[]).map((r) => bulkValue(r, id))]);
    assert.deepEqual(only('bulk_input_read'), [[['s3:GetObject'], [`\${aws_s3_bucket.bulk_input["${id}"].arn}/*`]]]);
    assert.deepEqual(only('bulk_output_write'), [[['s3:PutObject', 's3:AbortMultipartUpload'], [`\${aws_s3_bucket.bulk_sanitized["${id}"].arn}/*`]]]);
    assert.equal(bulkValue(block<{ name: string }>(m, 'resource', 'aws_iam_policy', 'bulk_input_read').name, id), `psoxy_BucketGetObject_\${aws_s3_bucket.bulk_input["${id}"].id}`);
    assert.equal(bulkValue(block<{ name: string }>(m, 'resource', 'aws_iam_policy', 'bulk_output_write').name, id), `psoxy_BucketWrite_\${aws_s3_bucket.bulk_sanitized["${id}"].id}`);
    assert.equal(bulkValue(block<{ name: string }>(m, 'resource', 'aws_iam_policy', 'bulk_resource_access').name, id), `psoxy-${id}_resourceAccess`);
    const policy = grantedPolicy(m, 'bulk_resource_access', {}, undefined, awsBulk(id));
    assert.deepEqual(Object.keys(policy).sort(), ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'], 'reads only: no PutParameter, DeleteParameter');
    assert.deepEqual(policy['ssm:GetParameters'], [`${awsBulk(id).value.prefix}*`, 'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY']);
    assert.deepEqual(grantedPolicy(m, 'bulk_resource_access', { secretsManager: true }, undefined, awsBulk(id))['secretsmanager:GetSecretValue'], ['PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY'], 'Secrets Manager mode: the salt and key there');
    for (const other of ids.filter((o) => o !== id)) assert.ok(!JSON.stringify(policy).includes(awsBulk(other).value.prefix), `${id} reads nothing of ${other}`);
  }
  // Every reference a bulk resource makes to another bulk resource is to its own connector's instance.
  const refs: string[] = [];
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, byName] of Object.entries(m[kind])) {
      for (const [name, [body]] of Object.entries(byName)) {
        if (!/local\.bulk\b/.test(String((body as { for_each?: string }).for_each))) continue;
        for (const ref of JSON.stringify(body).matchAll(/\b(\w+)\.(bulk\w*)\[([^\]]*)\]/g)) refs.push(`${kind} ${type}.${name}: ${ref[0]}`);
      }
    }
  }
  assert.ok(refs.length > 20, 'the bulk resources refer to each other');
  assert.deepEqual(refs.filter((r) => !r.endsWith('[each.key]')), [], "a connector's resources refer only to its own instances");
  const caller = policyStatements(block(m, 'data', 'aws_iam_policy_document', 'caller_access')).find((s) => s.sid === 'ReadOutputBuckets')!;
  assert.deepEqual([caller.actions, caller.resources, caller.when], [['s3:GetObject', 's3:ListBucket'], '${flatten([for b in aws_s3_bucket.bulk_sanitized : [b.arn, "${b.arn}/*"]])}', '${length(local.bulk) == 0 ? [] : [1]}']);
});

/** The S3 prefixes a bulk function may read, from the module's documents: its input bucket (named `input`) and its remote-resource folder. */
function bulkReads(m: HclModule, id: string, input: string, resourcePath: string): string[] {
  const docs = policyStatements(block(m, 'data', 'aws_iam_policy_document', 'bulk_input_read')).flatMap((s) => (s.resources as string[]).map((r) => bulkValue(r, id)));
  return [...docs.map((r) => r.replace(`\${aws_s3_bucket.bulk_input["${id}"].arn}`, `arn:aws:s3:::${input}`)), ...grantedPolicy(m, 'bulk_resource_access', {}, resourcePath, awsBulk(id))['s3:GetObject'].map((p) => `arn:aws:s3:::${p}`)]
    .map((arn) => arn.replace(/^arn:aws:s3:::/, '').replace(/\*$/, ''));
}

test("Zoom AI Metrics bulk under the module's grants: an uploaded snapshot is sanitized with the shared salt, custom rules from PSOXY_ZOOM_AI_METRICS_RULES; no denied call", async () => {
  const m = await load();
  const policy = grantedPolicy(m, 'bulk_resource_access', {}, 'PSOXY/ZOOM_AI_METRICS/', awsBulk('zoom-ai-metrics'));
  const [input, output] = ['psoxy-zoom-ai-metrics-abcd1234-input', 'psoxy-zoom-ai-metrics-abcd1234-sanitized'];
  const ssm = new FakeAwsJson();
  const s3 = new FakeS3();
  const [ssmUrl, s3Url] = await Promise.all([ssm.start(), s3.start()]);
  try {
    ssm.putParam('PSOXY_SALT', 'salt');
    ssm.putParam('PSOXY_ENCRYPTION_KEY', 'generated-key-000000000000000000');
    ssm.enforce(policy);
    s3.grantGetObject(bulkReads(m, 'zoom-ai-metrics', input, 'PSOXY/ZOOM_AI_METRICS/'));
    const env = {
      AWS_LAMBDA_FUNCTION_NAME: 'psoxy-zoom-ai-metrics', SOURCE: 'zoom-ai-metrics', OUTPUT_BUCKET: output, PATH_TO_INSTANCE_CONFIG: 'PSOXY_ZOOM_AI_METRICS_',
      SECRETS_STORE: 'AWS_SSM_PARAMETER_STORE', EMAIL_CANONICALIZATION: 'STRICT', IS_DEVELOPMENT_MODE: 'false', REMOTE_RESOURCE_BUCKET: 'artifacts', INSTANCE_RESOURCE_PATH: 'PSOXY/ZOOM_AI_METRICS/',
    };
    const client = new S3Client({ ...awsClientConfig(s3Url), forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    const bulk = () => createS3BulkHandler({
      s3: client, logger: memoryLogger(), instanceId: 'psoxy-zoom-ai-metrics',
      config: awsConfig({ env, ssm: new SSMClient(awsClientConfig(ssmUrl)), s3: async () => client, localResourceDir: join(tmpdir(), 'no-psoxy-resources') }),
    });
    const upload = (key: string) => s3.objects.set(`${input}/${key}`, { body: Buffer.from('\ufeffUser Name,Email,Action,Feature used,Department,\r\nperson 1,person_1@acme.com,13,Meeting summary,PMO,\r\n'), contentType: 'text/csv', metadata: {} });
    const event = (key: string) => ({ Records: [{ s3: { bucket: { name: input }, object: { key } } }] });
    upload('a.csv');
    assert.equal(await bulk()(event('a.csv')), 'Processed!');
    assert.equal(gunzipSync(s3.objects.get(`${output}/a.csv`)!.body).toString(),
      'User Name,Email,Action,Feature used,\r\nt~GI144xrPnMS9IwneeTEzMfcC2zowYSHHhVaReTIDXeo,t~-MFHtQFQtPUXyclPE-B71x_F4jJStaMz9ZN-kWFE4_o@acme.com,13,Meeting summary,\r\n',
      'the built-in rules (SOURCE) with the shared salt: the same pseudonyms as psoxy');
    assert.deepEqual(ssm.denied, []);
    assert.deepEqual(s3.denied, ['artifacts/PSOXY/ZOOM_AI_METRICS/rules.yaml'], 'the only refusal: no rules.yaml uploaded (no ListBucket, as psoxy)');
    // What `custom_bulk_connector_rules` stores, where the module puts it.
    ssm.putParam('PSOXY_ZOOM_AI_METRICS_RULES', 'columnsToPseudonymize: [Email]\ncolumnsToRedact: [Department, User Name]\npseudonymFormat: URL_SAFE_TOKEN\n', 'String');
    upload('b.csv');
    await bulk()(event('b.csv'));
    assert.match(gunzipSync(s3.objects.get(`${output}/b.csv`)!.body).toString(), /^Email,Action,Feature used,\r\nt~-MFHt/);
    assert.deepEqual(ssm.denied, []);
  } finally {
    await Promise.all([ssm.stop(), s3.stop()]);
  }
});


test("every catalogue bulk connector under the module's grants: its example file, uploaded under its key, is sanitized by the built-in rules its SOURCE selects, no personal value out; no denied call", async () => {
  const m = await load();
  const org = generateFakeOrg({ seed: 5, people: 4 });
  for (const c of BULK_CONNECTORS) {
    const [input, output] = [`psoxy-${c.id}-abcd1234-input`, `psoxy-${c.id}-abcd1234-sanitized`];
    const resourcePath = `PSOXY/${c.id.toUpperCase().replaceAll('-', '_')}/`;
    const policy = grantedPolicy(m, 'bulk_resource_access', {}, resourcePath, awsBulk(c.id));
    const ssm = new FakeAwsJson();
    const s3 = new FakeS3();
    const [ssmUrl, s3Url] = await Promise.all([ssm.start(), s3.start()]);
    try {
      ssm.putParam('PSOXY_SALT', 'salt');
      ssm.putParam('PSOXY_ENCRYPTION_KEY', 'generated-key-000000000000000000');
      ssm.enforce(policy);
      s3.grantGetObject(bulkReads(m, c.id, input, resourcePath));
      // The function's environment as the module sets it for this id (psoxy's defaults).
      const env = {
        AWS_LAMBDA_FUNCTION_NAME: `psoxy-${c.id}`, SOURCE: c.id, OUTPUT_BUCKET: output, PATH_TO_INSTANCE_CONFIG: awsBulk(c.id).value.prefix,
        SECRETS_STORE: 'AWS_SSM_PARAMETER_STORE', EMAIL_CANONICALIZATION: 'STRICT', IS_DEVELOPMENT_MODE: 'false', REMOTE_RESOURCE_BUCKET: 'artifacts', INSTANCE_RESOURCE_PATH: resourcePath,
      };
      const client = new S3Client({ ...awsClientConfig(s3Url), forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
      const bulk = createS3BulkHandler({
        s3: client, logger: memoryLogger(), instanceId: `psoxy-${c.id}`,
        config: awsConfig({ env, ssm: new SSMClient(awsClientConfig(ssmUrl)), s3: async () => client, localResourceDir: join(tmpdir(), 'no-psoxy-resources') }),
      });
      // The key the todos name (connectors.json; the drift test holds it to the catalogue's first example).
      const key = catalogueBulk[c.id]?.example_object ?? c.examples[0].objectPath;
      const example = c.examples.find((e) => e.objectPath === key)!;
      const text = example.generate(org).text;
      s3.objects.set(`${input}/${key}`, { body: key.endsWith('.gz') ? gzipSync(text) : Buffer.from(text), metadata: {} });
      assert.equal(await bulk({ Records: [{ s3: { bucket: { name: input }, object: { key } } }] }), 'Processed!', c.id);
      const out = s3.objects.get(`${output}/${key}`);
      assert.ok(out, `${c.id}: the sanitized copy under the same key`);
      const sanitized = gunzipSync(out.body).toString();
      assert.ok(sanitized.length > 0);
      assert.deepEqual(personalValues(org).filter((v) => appearsIn(sanitized, v)), [], `${c.id}: no personal value in the sanitized copy`);
      assert.deepEqual(ssm.denied, [], `${c.id}: SSM`);
      assert.deepEqual(s3.denied, [`artifacts/${resourcePath}rules.yaml`], `${c.id}: the only refusal is the absent rules.yaml (no ListBucket, as psoxy)`);
    } finally {
      await Promise.all([ssm.stop(), s3.stop()]);
    }
  }
});

test("switching with Zoom AI Metrics: psoxy's bulk buckets, their settings, trigger, rules, function, role and policies are moved through the previous release's addresses onto the [\"zoom-ai-metrics\"] keys (a bucket is never replaced)", async () => {
  const m = await load();
  const moved = movedMap(m);
  const from = (a: string) => `module.bulk_connector["zoom-ai-metrics"].${a}`;
  // psoxy's address → the previous release's (the first link of the chain).
  const expected: Record<string, string> = {
    [from('random_string.bucket_suffix')]: 'random_string.bulk_bucket_suffix[0]',
    [from('aws_s3_bucket.input')]: 'aws_s3_bucket.bulk_input[0]',
    [from('aws_s3_bucket.sanitized')]: 'aws_s3_bucket.bulk_sanitized[0]',
    [from('aws_s3_bucket_public_access_block.input-block-public-access')]: 'aws_s3_bucket_public_access_block.bulk_input',
    [from('aws_s3_bucket_public_access_block.sanitized')]: 'aws_s3_bucket_public_access_block.bulk_sanitized',
    [from('aws_ssm_parameter.rules')]: 'aws_ssm_parameter.bulk_rules[0]',
    [from('module.psoxy_lambda.aws_lambda_function.instance')]: 'aws_lambda_function.bulk[0]',
    [from('module.psoxy_lambda.aws_iam_role_policy_attachment.basic')]: 'aws_iam_role_policy_attachment.bulk_basic[0]',
  };
  for (const [f, to] of Object.entries(expected)) assert.equal(moved.get(f), to, f);
  // Both psoxy's state and the previous release's end on the for_each key.
  for (const [psoxy, ours] of AWS_BULK_RESOURCES) {
    assert.equal(movedTo(moved, from(psoxy)), `${ours}["zoom-ai-metrics"]`, `psoxy's ${psoxy}`);
    assert.equal(movedTo(moved, `${ours}[0]`), `${ours}["zoom-ai-metrics"]`, `the previous release's ${ours}[0]`);
  }
});

test("outputs: todos (fill, check, test; upload rules.yaml and each bulk connector's file when enabled), bucket names and the caller role, in psoxy's output names", async () => {
  const m = await load();
  const outputs = readFileSync(new URL('outputs.tf', dir), 'utf8');
  for (const o of ['caller_role_arn', 'caller_role_name', 'api_connector_instances', 'bulk_connector_instances', 'todos', 'next_todo_step']) assert.match(outputs, new RegExp(`output "${o}"`));
  assert.match(outputs, /value = \{ for id, f in aws_lambda_function\.bulk : id => \{\n\s+input_bucket += aws_s3_bucket\.bulk_input\[id\]\.bucket/, 'one entry per bulk connector');
  const todos = resolve(String(m.locals.todos));
  assert.match(todos, /\[for k in c\.secrets : .*"aws ssm put-parameter --overwrite --type SecureString --name \$\{c\.prefix\}\$\{k\}/, "each connector's values to fill, under its prefix");
  assert.match(todos, /--health --role-arn \$\{aws_iam_role\.api_caller\.arn\}/);
  assert.match(todos, /aws s3 cp rules\.yaml s3:\/\/\$\{var\.artifacts_bucket_name\}\/\$\{local\.resource_paths\[id\]\}rules\.yaml/);
  assert.match(todos, /for id, b in local\.bulk : \[\n.*aws s3 cp <file> s3:\/\/\$\{aws_s3_bucket\.bulk_input\[id\]\.bucket\}\/\$\{try\(local\.bulk_catalogue\[b\.source\]\.example_object, "<key>"\)\}/, "each bulk connector's file, under a key its rules match");
  assert.match(todos, /s3:\/\/\$\{aws_s3_bucket\.bulk_sanitized\[id\]\.bucket\}\/\$\{try\(local\.bulk_catalogue\[b\.source\]\.example_object, "<key>"\)\} - \| gunzip/);
  assert.deepEqual(BULK_IDS.filter((id) => !catalogueBulk[id].example_object), [], 'every catalogue bulk connector has a key to upload under');
});
