// The AWS Terraform module (infra/terraform/aws-host), read with @cdktf/hcl2json (no Terraform
// binary here): psoxy's names, values Terraform never overwrites, psoxy's addresses moved, and the
// module's own IAM policy enforced on the runtime against the SSM fake: the seed's flow works with
// no denied call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, movedMap, resolver } from './helpers/hcl-module.ts';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';
import { createAwsProxy } from '../src/runtimes/aws/lambda.ts';
import { FakeAwsJson } from './fakes/aws-json-fake.ts';
import { awsClientConfig } from './helpers/cloud-clients.ts';

const dir = new URL('../infra/terraform/aws-host/', import.meta.url);
const load = () => loadModule(dir);

/** The module's locals with psoxy's defaults. */
const resolve = resolver({
  ssm_arn_path: 'arn:aws:ssm:us-east-1:123456789012:parameter/', instance_prefix: 'PSOXY_ZOOM_', shared_prefix: '',
  function_name: 'psoxy-zoom', deployment_id: 'psoxy',
});

test("psoxy's names: PSOXY_SALT / PSOXY_ZOOM_* SecureString parameters Terraform never overwrites, psoxy-zoom, its _Exec role and log group", async () => {
  const m = await load();
  const r = m.resource;
  const shared = r.aws_ssm_parameter.shared[0] as { name: string; type: string; for_each: string; lifecycle: { ignore_changes: string[] }[] };
  assert.equal(resolve(shared.name), '${each.key}', 'at the root of the shared path: PSOXY_SALT, PSOXY_ENCRYPTION_KEY');
  assert.match(shared.for_each, /local\.shared_values/);
  assert.deepEqual(Object.keys(m.locals.shared_values as object).sort(), ['PSOXY_ENCRYPTION_KEY', 'PSOXY_SALT']);
  const zoom = r.aws_ssm_parameter.zoom[0] as { name: string; value: string; type: string; lifecycle: { ignore_changes: string[] }[] };
  assert.equal(resolve(zoom.name), 'PSOXY_ZOOM_${each.key}');
  assert.equal(zoom.value, 'fill me');
  for (const p of [shared, zoom]) {
    assert.equal(p.type, 'SecureString');
    assert.ok(p.lifecycle[0].ignore_changes.some((x) => x.includes('value')), 'Terraform never overwrites the value');
  }
  assert.equal(resolve((r.aws_lambda_function.instance[0] as { function_name: string }).function_name), 'psoxy-zoom');
  assert.equal(resolve((r.aws_iam_role.iam_for_lambda[0] as { name: string }).name), 'psoxy-zoom_Exec');
  assert.equal(resolve((r.aws_cloudwatch_log_group.lambda_log[0] as { name: string }).name), '/aws/lambda/psoxy-zoom');
  assert.equal((r.aws_lambda_function_url.lambda_url[0] as { authorization_type: string }).authorization_type, 'AWS_IAM');
  for (const v of ['environment_name', 'caller_aws_arns', 'caller_gcp_service_account_ids', 'aws_ssm_param_root_path', 'aws_ssm_key_id', 'allowed_data_access_ip_blocks', 'enabled_connectors', 'deployment_bundle']) {
    assert.ok(m.variable[v], `psoxy's input ${v}`);
  }
});

test("switching: psoxy's salt, key, Zoom values, token, function, URL, roles and policies are moved, none created again", async () => {
  const m = await load();
  const moved = movedMap(m);
  const expected: Record<string, string> = {
    'module.psoxy.random_password.pseudonym_salt': 'random_password.pseudonym_salt',
    'module.psoxy.random_password.encryption_key': 'random_password.encryption_key',
    'module.global_secrets_ssm[0].aws_ssm_parameter.secret["PSOXY_SALT"]': 'aws_ssm_parameter.shared["PSOXY_SALT"]',
    'module.global_secrets_ssm[0].aws_ssm_parameter.secret["PSOXY_ENCRYPTION_KEY"]': 'aws_ssm_parameter.shared["PSOXY_ENCRYPTION_KEY"]',
    'module.instance_ssm_parameters["zoom"].aws_ssm_parameter.secret_with_externally_managed_value': 'aws_ssm_parameter.zoom',
    'module.api_connector["zoom"].aws_lambda_function_url.lambda_url': 'aws_lambda_function_url.lambda_url',
    'module.api_connector["zoom"].module.psoxy_lambda.aws_lambda_function.instance': 'aws_lambda_function.instance',
    'module.psoxy.aws_iam_role.api-caller': 'aws_iam_role.api_caller',
  };
  for (const [from, to] of Object.entries(expected)) assert.equal(moved.get(from), to, from);
  // Every resource that holds a name IAM or SSM keeps unique is the target of a move.
  for (const t of ['aws_iam_policy.required_resource_access', 'aws_iam_policy.psoxy_caller_access', 'aws_cloudwatch_log_group.lambda_log', 'aws_iam_role.iam_for_lambda']) {
    assert.ok([...moved.values()].includes(t), `${t} is moved, not created beside psoxy's`);
  }
  assert.equal(moved.get('module.custom_api_connector_rules["zoom"].aws_ssm_parameter.rules'), 'aws_ssm_parameter.rules[0]', 'custom rules kept');
  assert.equal(resolve((m.resource.aws_ssm_parameter.rules[0] as { name: string }).name), 'PSOXY_ZOOM_RULES', 'where the runtime reads RULES');
  const role = m.resource.aws_iam_role.api_caller[0] as { lifecycle: { ignore_changes: string[] }[] };
  assert.ok(role.lifecycle[0].ignore_changes.some((x) => x.includes('name')), "the caller role keeps psoxy's name (Worklytics holds its ARN)");
});

test("the module's IAM policy, enforced on the runtime: the seed's flow (fill me → health names three values → filled → calls) with no denied call", async () => {
  const m = await load();
  const doc = m.data.aws_iam_policy_document.required_resource_access[0] as { statement: { actions: string[]; resources: string[] }[] };
  const policy: Record<string, string[]> = {};
  for (const s of doc.statement) {
    for (const a of s.actions) policy[a] = [...(policy[a] ?? []), ...s.resources.map((res) => resolve(res).replace(/^arn:aws:ssm:[^:]+:\d+:parameter\//, ''))];
  }
  assert.deepEqual(policy['ssm:GetParameters'], ['PSOXY_ZOOM_*', 'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY']);
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
    const handler = createAwsProxy({ env, ssm: new SSMClient(awsClientConfig(endpoint)) });
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
  const statements = [
    ...(m.data.aws_iam_policy_document.required_resource_access[0] as { statement: { actions: string[]; resources: string[] }[] }).statement,
    ...(m.data.aws_iam_policy_document.secrets_manager_access[0] as { statement: { actions: string[]; resources: string[] }[] }).statement,
  ];
  const name = (arn: string) => resolve(arn).replace('${local.secret_arn}:', '').replace('${var.aws_secrets_manager_path}', '')
    .replace(/^arn:aws:ssm:[^:]+:\d+:parameter\//, '').replace(/-\?{6}$/, '');
  const policy: Record<string, string[]> = {};
  for (const st of statements) for (const a of st.actions) policy[a] = [...(policy[a] ?? []), ...st.resources.map(name)];
  assert.deepEqual(policy['secretsmanager:GetSecretValue'], ['PSOXY_ZOOM_*', 'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY']);
  assert.ok(m.resource.aws_secretsmanager_secret.zoom, 'the Zoom secret values as Secrets Manager secrets');
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
    const handler = createAwsProxy({ env, ssm: new SSMClient(awsClientConfig(endpoint)), secretsManager: new SecretsManagerClient(awsClientConfig(endpoint)) });
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
