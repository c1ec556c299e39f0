// The GCP Terraform module (infra/terraform/gcp-host), read with @cdktf/hcl2json: psoxy's secret
// ids and roles, psoxy's addresses moved, and the module's grants applied to the Secret Manager
// fake while the runtime goes through the seed's flow with no denied call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, movedMap, resolver } from './helpers/hcl-module.ts';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';
import { createProxyHandler } from '../src/proxy/handler.ts';
import { gcpConfig } from '../src/runtimes/gcp/api-function.ts';
import { FakeSecretManager } from './fakes/secret-manager-fake.ts';
import { secretManagerClient } from './helpers/cloud-clients.ts';

const dir = new URL('../infra/terraform/gcp-host/', import.meta.url);
const load = () => loadModule(dir);

/** The module's locals with psoxy's defaults. */
const resolve = resolver({ secret_prefix: 'psoxy_', zoom_prefix: 'psoxy_ZOOM_', env_prefix: 'psoxy-', function_name: 'psoxy-zoom', role_prefix: 'psoxy_' });

test("psoxy's names: psoxy_PSOXY_SALT / psoxy_ZOOM_* secrets, psoxy-fn-zoom, psoxy_secretVersionManager, psoxy-zoom; salt and key never regenerated", async () => {
  const r = (await load()).resource;
  assert.equal(resolve((r.google_secret_manager_secret.pseudonym_salt[0] as { secret_id: string }).secret_id), 'psoxy_PSOXY_SALT');
  assert.equal(resolve((r.google_secret_manager_secret.pseudonymization_key[0] as { secret_id: string }).secret_id), 'psoxy_PSOXY_ENCRYPTION_KEY');
  assert.equal(resolve((r.google_secret_manager_secret.zoom[0] as { secret_id: string }).secret_id), 'psoxy_ZOOM_${each.key}');
  assert.equal(Object.keys(r.google_secret_manager_secret_version).length, 2, 'versions only for the salt and key: the administrator fills Zoom values');
  for (const v of Object.values(r.google_secret_manager_secret_version)) {
    assert.deepEqual((v[0] as { lifecycle: { ignore_changes: string[] }[] }).lifecycle[0].ignore_changes, ['${secret_data}']);
  }
  assert.equal(resolve((r.google_service_account.api_connector[0] as { account_id: string }).account_id), 'psoxy-fn-zoom');
  assert.equal(resolve((r.google_project_iam_custom_role.psoxy_instance_secret_role[0] as { role_id: string }).role_id), 'psoxy_secretVersionManager');
  const fn = r.google_cloudfunctions2_function.function[0] as { name: string; service_config: { environment_variables: string }[] };
  assert.equal(resolve(fn.name), 'psoxy-zoom');
  assert.equal(r.google_project_iam_member, undefined, 'no project-wide grants to the function');
});

test("switching: psoxy's salt and key (with versions), Zoom secrets, service account, role, function and invokers are moved", async () => {
  const moved = movedMap(await load());
  const expected: Record<string, string> = {
    'module.psoxy.random_password.pseudonym_salt': 'random_password.pseudonym_salt',
    'module.psoxy.google_secret_manager_secret.pseudonym_salt': 'google_secret_manager_secret.pseudonym_salt',
    'module.psoxy.google_secret_manager_secret_version.initial_version': 'google_secret_manager_secret_version.initial_version',
    'module.psoxy.google_secret_manager_secret.pseudonymization_key': 'google_secret_manager_secret.pseudonymization_key',
    'module.secrets["zoom"].google_secret_manager_secret.secret': 'google_secret_manager_secret.zoom',
    'google_service_account.api_connectors["zoom"]': 'google_service_account.api_connector',
    'module.api_connector["zoom"].google_cloudfunctions2_function.function': 'google_cloudfunctions2_function.function',
  };
  for (const [from, to] of Object.entries(expected)) assert.equal(moved.get(from), to, from);
});

test("the module's grants on the Secret Manager fake: the seed's flow works with no denied call", async () => {
  const r = (await load()).resource;
  const custom = (r.google_project_iam_custom_role.psoxy_instance_secret_role[0] as { permissions: string[] }).permissions;
  for (const p of ['secretmanager.secrets.get', 'secretmanager.secrets.update', 'secretmanager.versions.add', 'secretmanager.versions.list', 'secretmanager.versions.destroy', 'secretmanager.versions.access']) {
    assert.ok(custom.includes(p), `the custom role has ${p}, which the runtime uses on the token and the lock`);
  }
  const fake = new FakeSecretManager();
  const endpoint = await fake.start();
  const sim = new ZoomSimulator({ orgOptions: { seed: 13, users: 5, meetingsPerUser: 1 } });
  await sim.start();
  try {
    // What `terraform apply` leaves, with the module's role on each secret.
    fake.set('psoxy_PSOXY_SALT', 'generated-salt-00000');
    fake.set('psoxy_PSOXY_ENCRYPTION_KEY', 'generated-key-000000000000000000');
    const accessor = (r.google_secret_manager_secret_iam_member.accessor[0] as { role: string }).role;
    assert.equal(accessor, 'roles/secretmanager.secretAccessor');
    for (const n of ['psoxy_PSOXY_SALT', 'psoxy_PSOXY_ENCRYPTION_KEY', 'psoxy_ZOOM_CLIENT_SECRET', 'psoxy_ZOOM_CLIENT_ID', 'psoxy_ZOOM_ACCOUNT_ID']) {
      if (!fake.secrets.has(n)) fake.set(n);
      fake.grant(n, 'secretAccessor');
    }
    for (const n of ['psoxy_ZOOM_ACCESS_TOKEN', 'psoxy_ZOOM_OAUTH_REFRESH_TOKEN']) {
      fake.set(n);
      fake.grant(n, 'secretVersionManager');
    }
    const env = { K_SERVICE: 'psoxy-zoom', SOURCE: 'zoom', PATH_TO_SHARED_CONFIG: 'psoxy_', PATH_TO_INSTANCE_CONFIG: 'psoxy_ZOOM_', USE_SHARED_TOKEN: 'TRUE', ...sim.targetSettings() };
    const proxy = createProxyHandler({ config: gcpConfig({ env, secretManager: secretManagerClient(endpoint), project: 'p' }), tokenTimings: { settleMs: 0 } });
    const health = await proxy(new Request('https://x/', { headers: { 'X-Psoxy-Health-Check': '1' } }), { rawUrl: '/' });
    assert.equal(health.status, 412);
    assert.deepEqual(((await health.json()) as { missingConfigProperties: string[] }).missingConfigProperties.sort(), ['ACCOUNT_ID', 'CLIENT_ID', 'CLIENT_SECRET']);
    fake.set('psoxy_ZOOM_ACCOUNT_ID', sim.accountId);
    fake.set('psoxy_ZOOM_CLIENT_ID', sim.clientId);
    fake.set('psoxy_ZOOM_CLIENT_SECRET', sim.clientSecret);
    const res = await proxy(new Request('https://x/'), { rawUrl: '/v2/users?page_size=2' });
    assert.equal(res.status, 200, await res.clone().text());
    assert.ok(fake.latest('psoxy_ZOOM_ACCESS_TOKEN'), 'the shared token written where the module grants it');
    assert.deepEqual(fake.denied, []);
  } finally {
    await sim.stop();
    await fake.stop();
  }
});

test('every resource uses only attributes and blocks the Google provider schema has', async () => {
  const { moduleSchemaProblems, unknownAttributes } = await import('./helpers/provider-schema.ts');
  assert.deepEqual(moduleSchemaProblems(await load()), []);
  assert.deepEqual(unknownAttributes('resource', 'google_cloudfunctions2_function', { service_config: [{ env_vars: {} }] }), ['service_config.env_vars']);
});
