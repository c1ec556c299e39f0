// The GCP Terraform module (infra/terraform/gcp-host), read with @cdktf/hcl2json: psoxy's secret
// ids and roles, psoxy's addresses moved, and the module's grants applied to the Secret Manager
// fake while the runtime goes through the seed's flow with no denied call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { block, forEachValue, loadModule, movedMap, movedTo, resolver, type EachInstance } from './helpers/hcl-module.ts';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { createGcsBulkHandler } from '../src/runtimes/gcp/bulk-function.ts';
import { FakeGcs } from './fakes/gcs-fake.ts';
import { memoryLogger } from '../src/logging/logger.ts';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';
import { createProxyHandler } from '../src/proxy/handler.ts';
import { gcpConfig } from '../src/runtimes/gcp/api-function.ts';
import { FakeSecretManager } from './fakes/secret-manager-fake.ts';
import { secretManagerClient } from './helpers/cloud-clients.ts';
import { GCP_BULK_RESOURCES, gcpBulkMoves } from '../scripts/terraform-connectors.ts';
import { BULK_CONNECTORS, CONNECTORS } from '../src/sources/catalogue/registry.ts';
import { SourceSimulator } from '../src/sources/catalogue/simulator.ts';
import { withConnectorProxy } from './helpers/catalogue-proxy.ts';
import { generateFakeOrg, personalValues } from '../src/sources/catalogue/fake-org.ts';
import { appearsIn } from '../src/cli/demo.ts';

const dir = new URL('../infra/terraform/gcp-host/', import.meta.url);
const load = () => loadModule(dir);

/** The module's locals with psoxy's defaults. */
const resolve = resolver({
  secret_prefix: 'psoxy_', env_prefix: 'psoxy-', role_prefix: 'psoxy_', sa_prefix: 'psoxy-fn-',
  shared_resource_path: 'psoxy/',
});

/** Zoom's for_each instance with psoxy's defaults, as `local.connectors` gives it. */
const zoom: EachInstance = { key: 'zoom', value: { function_name: 'psoxy-zoom', prefix: 'psoxy_ZOOM_' }, lists: {} };

const catalogueBulk = (JSON.parse(readFileSync(new URL('../infra/terraform/connectors.json', import.meta.url), 'utf8')) as { bulk_connectors: Record<string, { name: string; example_object: string }> }).bulk_connectors;

test("psoxy's names: psoxy_PSOXY_SALT / psoxy_ZOOM_* secrets, psoxy-fn-zoom, psoxy_secretVersionManager, psoxy-zoom; salt and key never regenerated", async () => {
  const r = (await load()).resource;
  assert.equal(resolve((r.google_secret_manager_secret.pseudonym_salt[0] as { secret_id: string }).secret_id), 'psoxy_PSOXY_SALT');
  assert.equal(resolve((r.google_secret_manager_secret.pseudonymization_key[0] as { secret_id: string }).secret_id), 'psoxy_PSOXY_ENCRYPTION_KEY');
  assert.equal((r.google_secret_manager_secret.connector[0] as { secret_id: string }).secret_id, '${local.connectors[each.value.connector].prefix}${each.value.name}');
  const m = await load();
  assert.match(String(m.locals.connectors), /prefix += "\$\{local\.secret_prefix\}\$\{upper\(replace\(id, "-", "_"\)\)\}_"/, 'psoxy_ + the id upper-cased, - → _');
  assert.equal(Object.keys(r.google_secret_manager_secret_version).length, 2, 'versions only for the salt and key: the administrator fills Zoom values');
  for (const v of Object.values(r.google_secret_manager_secret_version)) {
    assert.deepEqual((v[0] as { lifecycle: { ignore_changes: string[] }[] }).lifecycle[0].ignore_changes, ['${secret_data}']);
  }
  assert.equal(forEachValue(resolve((r.google_service_account.api_connector[0] as { account_id: string }).account_id), zoom), '${trim(substr("psoxy-fn-zoom", 0, 30), "-")}', "psoxy's: at most 30 characters");
  assert.equal(resolve((r.google_project_iam_custom_role.psoxy_instance_secret_role[0] as { role_id: string }).role_id), 'psoxy_secretVersionManager');
  const fn = r.google_cloudfunctions2_function.function[0] as { name: string; service_config: { environment_variables: string }[] };
  assert.equal(forEachValue(fn.name, zoom), 'psoxy-zoom');
  assert.deepEqual(Object.keys(r.google_project_iam_member).sort(), ['bulk_event_receiver', 'gcs_pubsub_publisher'], 'project-wide grants only for the bulk trigger (Eventarc), none to the API function');
  assert.ok(!JSON.stringify(r.google_project_iam_member).includes('api_connector'));
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
  for (const [from, to] of Object.entries(expected)) assert.equal(moved.get(from), to, `${from}: psoxy's address, first link of the chain`);
  // psoxy's state and this module's previous (single-connector) state both end on the for_each keys.
  const final: Record<string, string> = {
    'module.secrets["zoom"].google_secret_manager_secret.secret["CLIENT_ID"]': 'google_secret_manager_secret.connector["zoom_CLIENT_ID"]',
    'google_service_account.api_connectors["zoom"]': 'google_service_account.api_connector["zoom"]',
    'module.api_connector["zoom"].google_cloudfunctions2_function.function': 'google_cloudfunctions2_function.function["zoom"]',
    'module.api_connector["zoom"].google_cloud_run_service_iam_binding.invokers': 'google_cloud_run_service_iam_binding.invokers["zoom"]',
    'google_secret_manager_secret.zoom["ACCESS_TOKEN"]': 'google_secret_manager_secret.connector["zoom_ACCESS_TOKEN"]',
    'google_secret_manager_secret_iam_member.accessor["PSOXY_SALT"]': 'google_secret_manager_secret_iam_member.accessor["zoom_PSOXY_SALT"]',
    'google_secret_manager_secret_iam_member.writable["OAUTH_REFRESH_TOKEN"]': 'google_secret_manager_secret_iam_member.writable["zoom_OAUTH_REFRESH_TOKEN"]',
    'google_cloudfunctions2_function.function': 'google_cloudfunctions2_function.function["zoom"]',
  };
  for (const [from, to] of Object.entries(final)) assert.equal(movedTo(moved, from), to, from);
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

test("remote resources: psoxy's artifacts bucket (moved, its name kept), REMOTE_RESOURCE_BUCKET and INSTANCE_RESOURCE_PATH psoxy/ZOOM/, Object Viewer only under that folder (IAM condition)", async () => {
  const m = await load();
  for (const v of ['enable_remote_resources', 'custom_artifacts_bucket_name']) assert.ok(m.variable[v], `psoxy's input ${v}`);
  const artifacts = block<{ name: string; uniform_bucket_level_access: boolean }>(m, 'resource', 'google_storage_bucket', 'artifacts');
  assert.equal(resolve(artifacts.name), '${coalesce(var.custom_artifacts_bucket_name, "${var.gcp_project_id}-psoxy-artifacts-bucket")}', "psoxy's default name");
  assert.equal(artifacts.uniform_bucket_level_access, true, 'IAM conditions need uniform access');
  assert.equal(movedMap(m).get('module.psoxy.google_storage_bucket.artifacts[0]'), 'google_storage_bucket.artifacts', "psoxy's bucket, with the rules.yaml uploaded there, is kept");
  // psoxy's gcp-host: the secret prefix without a leading '/' and its trailing '_' (psoxy_ → psoxy/).
  assert.equal(m.locals.shared_resource_path, '${trimsuffix(trimprefix(local.secret_prefix, "/"), "_")}/');
  assert.match(resolve(m.locals.resource_paths as string), /\{ for id in keys\(local\.connectors\) : id => "psoxy\/\$\{upper\(replace\(id, "-", "_"\)\)\}\/" \}/, 'psoxy/ZOOM/, psoxy/MSFT_TEAMS/, …');
  assert.match(resolve(m.locals.resource_paths as string), /\{ for id in keys\(local\.bulk\) : id => "psoxy\/\$\{upper\(replace\(id, "-", "_"\)\)\}\/" \}/, 'psoxy/ZOOM_AI_METRICS/, psoxy/HRIS/, … for the bulk functions');
  assert.equal(m.locals.resource_readers, '${merge({ for id, sa in google_service_account.api_connector : id => sa.email }, { for id, sa in google_service_account.bulk : id => sa.email })}', "each function's own service account on its own folder");
  assert.match(String(m.locals.remote_resource_env), /REMOTE_RESOURCE_BUCKET = google_storage_bucket\.artifacts\.name, INSTANCE_RESOURCE_PATH = path/);
  assert.match(JSON.stringify(block(m, 'resource', 'google_cloudfunctions2_function', 'function')), /try\(local\.remote_resource_env\[each\.key\], \{\}\)/);
  const grant = block<{ role: string; member: string; condition: { expression: string }[] }>(m, 'resource', 'google_storage_bucket_iam_member', 'remote_resource_read');
  assert.equal(grant.role, 'roles/storage.objectViewer');
  assert.equal(grant.condition[0].expression, 'resource.name.startsWith("projects/_/buckets/${google_storage_bucket.artifacts.name}/objects/${each.value}")');
  assert.equal(grant.member, 'serviceAccount:${local.resource_readers[each.key]}', "each function reads its own folder");
});

/** The catalogue's API connectors as connectors.json gives them, by id and alias. */
const catalogue = (JSON.parse(readFileSync(new URL('../infra/terraform/connectors.json', import.meta.url), 'utf8')) as { connectors: Record<string, { name: string; source: string; settings: Record<string, string>; secrets: string[]; written: string[] }> }).connectors;

/** Every API connector alias of the catalogue (psoxy's Terraform keys and renamed ids), with the connector it stands for. */
const API_ALIASES = CONNECTORS.flatMap((c) => (c.aliases ?? []).map((a) => [a, c] as const));

/** psoxy's Secret Manager prefix of a key with the default names: `psoxy_SLACK_DISCOVERY_API_`. */
const gcpPrefix = (key: string) => `psoxy_${key.toUpperCase().replaceAll('-', '_')}_`;

test("every API alias: psoxy's names for its key (psoxy-<alias>, fn-<alias>, psoxy_<ALIAS>_*), grants on its own secrets only, SOURCE the id; under those grants its function answers as the id's built-in rules do, no denied call", async () => {
  const m = await load();
  const r = m.resource;
  assert.ok(API_ALIASES.length >= 4);
  const fn = block<{ name: string; service_config: { environment_variables: string }[] }>(m, 'resource', 'google_cloudfunctions2_function', 'function');
  assert.match(JSON.stringify(fn.service_config), /SOURCE += each\.value\.source/);
  assert.match(JSON.stringify(fn.service_config), /PATH_TO_INSTANCE_CONFIG = each\.value\.prefix/);
  const saIds = new Map<string, string>();
  for (const [alias, c] of API_ALIASES) {
    const spec = catalogue[alias];
    assert.equal(spec.source, c.id, `${alias}: SOURCE ${c.id}`);
    const each: EachInstance = { key: alias, value: { function_name: `psoxy-${alias}`, prefix: gcpPrefix(alias) }, lists: {} };
    assert.equal(forEachValue(fn.name, each), `psoxy-${alias}`);
    for (const key of [alias, c.id]) {
      const id = (forEachValue(resolve((r.google_service_account.api_connector[0] as { account_id: string }).account_id), { ...each, key }) as string)
        .replace(/^\$\{trim\(substr\("(.*)", 0, 30\), "-"\)\}$/, (_, x: string) => x.slice(0, 30).replace(/^-+|-+$/g, ''));
      assert.ok(id.length >= 6 && id.length <= 30, id);
      saIds.set(key, id);
    }
    assert.notEqual(saIds.get(alias), saIds.get(c.id), `${alias} and ${c.id} run as different service accounts`);
    // local.connector_values for the alias (its expression is held in infra-connectors.test.ts): one secret per value, keyed <alias>_<NAME>.
    const values = [...new Set([...spec.secrets, ...spec.written])];
    const secretIds = values.map((n) => forEachValue((r.google_secret_manager_secret.connector[0] as { secret_id: string }).secret_id
      .replace('${local.connectors[each.value.connector].prefix}', '${each.value.prefix}').replace('${each.value.name}', n), each));
    assert.deepEqual(secretIds, values.map((n) => `${gcpPrefix(alias)}${n}`), `${alias}: psoxy's secret ids for its key`);

    // The function as the module configures it: its own secrets, granted as the module grants them
    // (version manager on what it writes, accessor on the rest and the salt and key); the id's
    // namespace holds a token it must not use.
    const sim = new SourceSimulator(c, { seed: 11, people: 5 });
    await sim.start();
    const fake = new FakeSecretManager();
    const endpoint = await fake.start();
    const answers: { name: string; status: number; body: string }[] = [];
    try {
      for (const [n, v] of [['PSOXY_SALT', 'salt'], ['PSOXY_ENCRYPTION_KEY', 'secret']]) {
        fake.set(`psoxy_${n}`, v);
        fake.grant(`psoxy_${n}`, 'secretAccessor');
      }
      for (const n of values) {
        fake.set(`${gcpPrefix(alias)}${n}`, n === 'ACCESS_TOKEN' ? sim.settings().ACCESS_TOKEN : undefined);
        fake.grant(`${gcpPrefix(alias)}${n}`, spec.written.includes(n) ? 'secretVersionManager' : 'secretAccessor');
      }
      fake.set(`${gcpPrefix(c.id)}ACCESS_TOKEN`, 'not-this-token');
      const env = {
        K_SERVICE: `psoxy-${alias}`, ...spec.settings, SOURCE: spec.source, PATH_TO_SHARED_CONFIG: 'psoxy_', PATH_TO_INSTANCE_CONFIG: gcpPrefix(alias),
        TARGET_HOST: sim.settings().TARGET_HOST, SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_access_token',
        // No ACCESS_TOKEN secret in the module for a connector whose catalogue auth has none: the token in the environment.
        ...(values.includes('ACCESS_TOKEN') ? {} : { ACCESS_TOKEN: sim.settings().ACCESS_TOKEN }),
      };
      const proxy = createProxyHandler({ config: gcpConfig({ env, secretManager: secretManagerClient(endpoint), project: 'p' }), tokenTimings: { settleMs: 0 } });
      for (const e of c.examples.filter((x) => x.method !== 'POST')) {
        const res = await proxy(new Request('https://x/'), { rawUrl: e.path, https: true });
        answers.push({ name: e.name, status: res.status, body: await res.text() });
      }
      assert.deepEqual(fake.denied, [], `${alias}: nothing outside its grants`);
      const touched = fake.calls.map((x) => /\/secrets\/([^/:]+)/.exec(x)?.[1]).filter((x) => x !== undefined);
      assert.deepEqual(touched.filter((x) => x.startsWith(gcpPrefix(c.id)) && !x.startsWith(gcpPrefix(alias))), [], `${alias}: nothing of ${c.id}'s namespace`);
    } finally {
      await Promise.all([fake.stop(), sim.stop()]);
    }
    assert.ok(answers.length > 0 && answers.every((a) => a.status === 200), `${alias}: ${JSON.stringify(answers.map((a) => [a.name, a.status]))}`);
    await withConnectorProxy(c, async (run) => {
      for (const a of answers) assert.equal(a.body, (await run.call(a.name)).text, `${alias} → ${c.id}: ${a.name} sanitized as ${c.id}'s rules do`);
    });
  }
});

/** A bulk connector's for_each instance with psoxy's defaults, as `local.bulk` gives it. */
function gcpBulk(id: string): EachInstance {
  return { key: id, value: { function_name: `psoxy-${id}`, prefix: `psoxy_${id.toUpperCase().replaceAll('-', '_')}_`, source: id, connector: id }, lists: {} };
}

/** An expression of a for_each bulk resource for one connector: its own instances' references keyed by its id. */
const bulkValue = (expr: string, id: string) => String(forEachValue(resolve(expr).replaceAll('[each.key]', `["${id}"]`).replaceAll('[each.value.connector]', `["${id}"]`), gcpBulk(id)));

test("bulk connectors by id (psoxy's bulk_connectors, or a bulk id in enabled_connectors): psoxy's names, buckets (public access prevented, 30 / 720 days), Eventarc finalize trigger without retries, psoxyBulk from the same package, SOURCE and OUTPUT_BUCKET", async () => {
  const m = await load();
  for (const v of ['bulk_connectors', 'custom_bulk_connector_rules', 'custom_bulk_connector_arguments', 'bulk_input_expiration_days', 'bulk_sanitized_expiration_days']) assert.ok(m.variable[v], `psoxy's input ${v}`);
  const def = (v: string) => (m.variable[v][0] as { default: unknown }).default;
  assert.deepEqual([def('bulk_input_expiration_days'), def('bulk_sanitized_expiration_days')], [30, 720]);
  assert.equal(m.locals.bulk_catalogue, '${jsondecode(file("${path.module}/../connectors.json")).bulk_connectors}');
  assert.equal(m.locals.bulk_ids, '${distinct(concat([for id in var.enabled_connectors : id if contains(keys(local.bulk_catalogue), id)], keys(var.bulk_connectors)))}');
  assert.equal(m.locals.bulk_kinds, '${{ for id in local.bulk_ids : id => coalesce(try(var.bulk_connectors[id].source_kind, null), id) }}', "psoxy's source_kind, else the key");
  assert.match(String(m.locals.bulk), /function_name = "\$\{local\.env_prefix\}\$\{id\}"/);
  assert.match(String(m.locals.bulk), /prefix += "\$\{local\.secret_prefix\}\$\{upper\(replace\(id, "-", "_"\)\)\}_"/);
  assert.match(String(m.locals.bulk), /source += try\(local\.bulk_catalogue\[id\]\.source, local\.bulk_catalogue\[local\.bulk_kinds\[id\]\]\.source, local\.bulk_kinds\[id\]\)/);
  assert.equal(m.locals.bulk_without_rules, '${[for id, b in local.bulk : id if b.rules == null && !contains(keys(local.bulk_catalogue), b.source)]}');
  const pre = block<{ lifecycle: { precondition: { condition: string; error_message: string }[] }[] }>(m, 'resource', 'google_storage_bucket', 'bulk_input').lifecycle[0].precondition[0];
  assert.equal(pre.condition, '${length(local.bulk_without_rules) == 0}', 'an id with no rules and no built-in ones fails the plan');
  for (const id of ['zoom-ai-metrics', 'hris', 'workdata-generic']) {
    for (const [name, suffix, ignored] of [['bulk_input', 'input', ['${name}']], ['bulk_sanitized', 'sanitized', ['${name}', '${labels}']]] as const) {
      const b = block<{ name: string; for_each: string; public_access_prevention: string; uniform_bucket_level_access: boolean; lifecycle_rule: { condition: { age: string }[]; action: { type: string }[] }[]; lifecycle: { ignore_changes: string[] }[] }>(m, 'resource', 'google_storage_bucket', name);
      assert.equal(b.for_each, '${local.bulk}');
      assert.equal(bulkValue(b.name, id), `psoxy-${id}-\${random_string.bulk_bucket_id["${id}"].id}-${suffix}`);
      assert.equal(b.public_access_prevention, 'enforced');
      assert.equal(b.uniform_bucket_level_access, true);
      assert.equal(b.lifecycle_rule[0].condition[0].age, `\${var.bulk_${suffix}_expiration_days}`);
      assert.equal(b.lifecycle_rule[0].action[0].type, 'Delete');
      assert.deepEqual(b.lifecycle[0].ignore_changes, [...ignored], 'a bucket is never replaced for its name');
    }
    const fn = block<{ name: string; build_config: { runtime: string; entry_point: string; source: { storage_source: { object: string }[] }[] }[]; service_config: { ingress_settings: string; environment_variables: string; service_account_email: string }[]; event_trigger: { event_type: string; retry_policy: string; service_account_email: string; event_filters: { attribute: string; value: string }[] }[] }>(m, 'resource', 'google_cloudfunctions2_function', 'bulk');
    assert.equal(bulkValue(fn.name, id), `psoxy-${id}`);
    assert.equal(fn.build_config[0].entry_point, 'psoxyBulk');
    assert.equal(fn.build_config[0].source[0].storage_source[0].object, '${google_storage_bucket_object.function.name}', 'the same package as the API function');
    assert.equal(fn.service_config[0].ingress_settings, 'ALLOW_INTERNAL_ONLY');
    assert.equal(bulkValue(fn.service_config[0].service_account_email, id), `\${google_service_account.bulk["${id}"].email}`);
    const env = bulkValue(fn.service_config[0].environment_variables, id);
    for (const part of ['local.common_env', 'SOURCE                  = each.value.source', `OUTPUT_BUCKET           = google_storage_bucket.bulk_sanitized["${id}"].name`, 'PATH_TO_INSTANCE_CONFIG = each.value.prefix', 'RULES = base64gzip(each.value.rules)', `local.remote_resource_env["${id}"]`]) assert.ok(env.includes(part), `${id}: ${part}`);
    const trigger = fn.event_trigger[0];
    assert.deepEqual([trigger.event_type, trigger.retry_policy], ['google.cloud.storage.object.v1.finalized', 'RETRY_POLICY_DO_NOT_RETRY']);
    assert.deepEqual(trigger.event_filters.map((f) => [f.attribute, bulkValue(f.value, id)]), [['bucket', `\${google_storage_bucket.bulk_input["${id}"].name}`]], 'its own input bucket only');
    assert.equal(bulkValue(trigger.service_account_email, id), `\${google_service_account.bulk["${id}"].email}`);
  }
  assert.equal(block<{ account_id: string }>(m, 'resource', 'google_service_account', 'bulk').account_id, '${trim(substr(each.value.function_name, 0, 30), "-")}', "psoxy's: the function name (psoxy-hris), at most 30 characters");
});

test("bulk IAM, per connector: Object Viewer on its own input bucket, psoxy's writeAccess role on its own sanitized bucket, the salt and key, event delivery; nothing of another connector; the analytics client reads each sanitized bucket", async () => {
  const m = await load();
  const member = (name: string) => block<{ for_each: string; bucket: string; role: string; member: string }>(m, 'resource', 'google_storage_bucket_iam_member', name);
  for (const id of ['zoom-ai-metrics', 'hris', 'slack-discovery-bulk']) {
    const sa = `serviceAccount:\${google_service_account.bulk["${id}"].email}`;
    assert.deepEqual(['bucket', 'role', 'member'].map((k) => bulkValue(member('bulk_input_read')[k as 'bucket'], id)), [`\${google_storage_bucket.bulk_input["${id}"].name}`, 'roles/storage.objectViewer', sa]);
    assert.deepEqual(['bucket', 'role', 'member'].map((k) => bulkValue(member('bulk_output_write')[k as 'bucket'], id)), [`\${google_storage_bucket.bulk_sanitized["${id}"].name}`, '${google_project_iam_custom_role.bucket_write.id}', sa]);
    assert.equal(bulkValue(member('bulk_sanitized_readers').bucket, id), `\${google_storage_bucket.bulk_sanitized["${id}"].name}`);
    const accessor = block<{ member: string; role: string }>(m, 'resource', 'google_secret_manager_secret_iam_member', 'bulk_accessor');
    assert.deepEqual([accessor.role, bulkValue(accessor.member, id)], ['roles/secretmanager.secretAccessor', sa]);
    const project = (name: string) => block<{ role: string; member: string }>(m, 'resource', 'google_project_iam_member', name);
    assert.deepEqual([project('bulk_event_receiver').role, bulkValue(project('bulk_event_receiver').member, id)], ['roles/eventarc.eventReceiver', sa]);
    const invoker = block<{ role: string; service: string; member: string }>(m, 'resource', 'google_cloud_run_service_iam_member', 'bulk_invoker');
    assert.deepEqual([invoker.role, bulkValue(invoker.service, id), bulkValue(invoker.member, id)], ['roles/run.invoker', `\${google_cloudfunctions2_function.bulk["${id}"].name}`, sa]);
  }
  assert.equal(member('bulk_input_read').for_each, '${local.bulk}');
  assert.equal(member('bulk_sanitized_readers').for_each, '${local.bulk_readers}');
  assert.equal(member('bulk_sanitized_readers').member, 'serviceAccount:${each.value.email}');
  assert.equal(m.locals.bulk_readers, '${merge([for id in local.bulk_ids : { for i, e in var.worklytics_sa_emails : "${id}_${i}" => { connector = id, email = e } }]...)}', "keyed <id>_<n>, as psoxy counts them");
  assert.match(String(m.locals.bulk_secrets), /"\$\{id\}_PSOXY_SALT" += \{ connector = id, secret = google_secret_manager_secret\.pseudonym_salt\.id \}/);
  assert.match(String(m.locals.bulk_secrets), /"\$\{id\}_PSOXY_ENCRYPTION_KEY" += \{ connector = id, secret = google_secret_manager_secret\.pseudonymization_key\.id \}/);
  const role = block<{ role_id: string; permissions: string[] }>(m, 'resource', 'google_project_iam_custom_role', 'bucket_write');
  assert.equal(resolve(role.role_id), 'psoxy_writeAccess');
  assert.deepEqual(role.permissions, ['storage.objects.create', 'storage.objects.delete'], 'create, and replace an object of the same name');
  const publisher = block<{ count: string; role: string; member: string }>(m, 'resource', 'google_project_iam_member', 'gcs_pubsub_publisher');
  assert.deepEqual([publisher.count, publisher.role, publisher.member], ['${length(local.bulk) > 0 ? 1 : 0}', 'roles/pubsub.publisher', 'serviceAccount:${data.google_storage_project_service_account.gcs[0].email_address}'], "once for the project's Cloud Storage agent");
  // Every reference a bulk resource makes to another bulk resource is to its own connector's instance.
  const refs: string[] = [];
  for (const [type, byName] of Object.entries(m.resource)) {
    for (const [name, [body]] of Object.entries(byName)) {
      if (!/local\.bulk(_readers|_secrets)?\b/.test(String((body as { for_each?: string }).for_each))) continue;
      for (const ref of JSON.stringify(body).matchAll(/\b(\w+)\.(bulk\w*)\[([^\]]*)\]/g)) refs.push(`${type}.${name}: ${ref[0]}`);
    }
  }
  assert.ok(refs.length > 15, 'the bulk resources refer to each other');
  assert.deepEqual(refs.filter((r) => !r.endsWith('[each.key]') && !r.endsWith('[each.value.connector]')), [], "a connector's resources refer only to its own instances");
});

test("Zoom AI Metrics bulk under the module's grants: a finalized snapshot is sanitized with the shared salt (psoxy's pseudonyms); no denied call", async () => {
  const [input, output] = ['psoxy-zoom-ai-metrics-abcd1234-input', 'psoxy-zoom-ai-metrics-abcd1234-sanitized'];
  const sm = new FakeSecretManager();
  const gcs = new FakeGcs();
  const [smEndpoint, gcsUrl] = await Promise.all([sm.start(), gcs.start()]);
  try {
    // What apply leaves: the salt and key with Secret Accessor for the bulk service account, and
    // Object Viewer on the input bucket and on the connector's folder of the artifacts bucket.
    for (const [n, v] of [['psoxy_PSOXY_SALT', 'salt'], ['psoxy_PSOXY_ENCRYPTION_KEY', 'generated-key-000000000000000000']]) {
      sm.set(n, v);
      sm.grant(n, 'secretAccessor');
    }
    gcs.grantObjectViewer([`${input}/`, 'artifacts/psoxy/ZOOM_AI_METRICS/']);
    gcs.objects.set(`${input}/a.csv`, { body: Buffer.from('\ufeffUser Name,Email,Action,Feature used,Department,\r\nperson 1,person_1@acme.com,13,Meeting summary,PMO,\r\n'), contentType: 'text/csv', metadata: {} });
    const env = {
      K_SERVICE: 'psoxy-zoom-ai-metrics', SOURCE: 'zoom-ai-metrics', OUTPUT_BUCKET: output, PATH_TO_SHARED_CONFIG: 'psoxy_', PATH_TO_INSTANCE_CONFIG: 'psoxy_ZOOM_AI_METRICS_',
      EMAIL_CANONICALIZATION: 'STRICT', IS_DEVELOPMENT_MODE: 'false', GOOGLE_CLOUD_PROJECT: 'p', REMOTE_RESOURCE_BUCKET: 'artifacts', INSTANCE_RESOURCE_PATH: 'psoxy/ZOOM_AI_METRICS/',
    };
    const storage = new Storage({ apiEndpoint: gcsUrl, projectId: 'p' });
    const handler = createGcsBulkHandler({
      storage, logger: memoryLogger(), instanceId: 'psoxy-zoom-ai-metrics',
      config: gcpConfig({ env, secretManager: secretManagerClient(smEndpoint), project: 'p', storage: async () => storage, localResourceDir: join(tmpdir(), 'no-psoxy-resources') }),
    });
    await handler({ type: 'google.cloud.storage.object.v1.finalized', data: { bucket: input, name: 'a.csv' } } as Parameters<typeof handler>[0]);
    const out = gcs.objects.get(`${output}/a.csv`);
    assert.ok(out, `objects: ${[...gcs.objects.keys()].join(', ')}`);
    assert.equal(gunzipSync(out.body).toString(),
      'User Name,Email,Action,Feature used,\r\nt~GI144xrPnMS9IwneeTEzMfcC2zowYSHHhVaReTIDXeo,t~-MFHtQFQtPUXyclPE-B71x_F4jJStaMz9ZN-kWFE4_o@acme.com,13,Meeting summary,\r\n');
    assert.deepEqual([...sm.denied, ...gcs.denied], []);
  } finally {
    await Promise.all([sm.stop(), gcs.stop()]);
  }
});

test("every catalogue bulk connector under the module's grants: its example file, finalized under its key, is sanitized by the built-in rules its SOURCE selects, no personal value out; no denied call", async () => {
  const org = generateFakeOrg({ seed: 6, people: 4 });
  for (const c of BULK_CONNECTORS) {
    const [input, output] = [`psoxy-${c.id}-abcd1234-input`, `psoxy-${c.id}-abcd1234-sanitized`];
    const resourcePath = `psoxy/${c.id.toUpperCase().replaceAll('-', '_')}/`;
    const sm = new FakeSecretManager();
    const gcs = new FakeGcs();
    const [smEndpoint, gcsUrl] = await Promise.all([sm.start(), gcs.start()]);
    try {
      // What apply leaves for this connector's service account: Secret Accessor on the salt and key,
      // Object Viewer on its input bucket and its folder of the artifacts bucket.
      for (const [n, v] of [['psoxy_PSOXY_SALT', 'salt'], ['psoxy_PSOXY_ENCRYPTION_KEY', 'generated-key-000000000000000000']]) {
        sm.set(n, v);
        sm.grant(n, 'secretAccessor');
      }
      gcs.grantObjectViewer([`${input}/`, `artifacts/${resourcePath}`]);
      // The key the todos name (connectors.json; the drift test holds it to the catalogue's first example).
      const key = catalogueBulk[c.id]?.example_object ?? c.examples[0].objectPath;
      const text = c.examples.find((e) => e.objectPath === key)!.generate(org).text;
      gcs.objects.set(`${input}/${key}`, { body: key.endsWith('.gz') ? gzipSync(text) : Buffer.from(text), metadata: {} });
      const env = {
        K_SERVICE: `psoxy-${c.id}`, SOURCE: c.id, OUTPUT_BUCKET: output, PATH_TO_SHARED_CONFIG: 'psoxy_', PATH_TO_INSTANCE_CONFIG: gcpBulk(c.id).value.prefix,
        EMAIL_CANONICALIZATION: 'STRICT', IS_DEVELOPMENT_MODE: 'false', GOOGLE_CLOUD_PROJECT: 'p', REMOTE_RESOURCE_BUCKET: 'artifacts', INSTANCE_RESOURCE_PATH: resourcePath,
      };
      const storage = new Storage({ apiEndpoint: gcsUrl, projectId: 'p' });
      const handler = createGcsBulkHandler({
        storage, logger: memoryLogger(), instanceId: `psoxy-${c.id}`,
        config: gcpConfig({ env, secretManager: secretManagerClient(smEndpoint), project: 'p', storage: async () => storage, localResourceDir: join(tmpdir(), 'no-psoxy-resources') }),
      });
      await handler({ type: 'google.cloud.storage.object.v1.finalized', data: { bucket: input, name: key } } as Parameters<typeof handler>[0]);
      const out = gcs.objects.get(`${output}/${key}`);
      assert.ok(out, `${c.id}: the sanitized copy under the same key`);
      const sanitized = gunzipSync(out.body).toString();
      assert.ok(sanitized.length > 0);
      assert.deepEqual(personalValues(org).filter((v) => appearsIn(sanitized, v)), [], `${c.id}: no personal value in the sanitized copy`);
      assert.deepEqual([...sm.denied, ...gcs.denied], [], c.id);
    } finally {
      await Promise.all([sm.stop(), gcs.stop()]);
    }
  }
});

test("switching with Zoom AI Metrics: psoxy's bulk buckets, service account, grants, function and the writeAccess role are moved through the previous release's addresses onto the [\"zoom-ai-metrics\"] keys (a bucket is never replaced)", async () => {
  const moved = movedMap(await load());
  const from = (a: string) => `module.bulk_connector["zoom-ai-metrics"].${a}`;
  // psoxy's address → the previous release's (the first link of the chain).
  const expected: Record<string, string> = {
    'module.psoxy.google_project_iam_custom_role.bucket_write': 'google_project_iam_custom_role.bucket_write',
    'module.psoxy.google_project_iam_member.grant_gcs-sa_pub-sub-publisher[0]': 'google_project_iam_member.gcs_pubsub_publisher[0]',
    [from('random_string.bucket_id_part')]: 'random_string.bulk_bucket_id[0]',
    [from('google_storage_bucket.input_bucket')]: 'google_storage_bucket.bulk_input[0]',
    [from('module.output_bucket.google_storage_bucket.bucket')]: 'google_storage_bucket.bulk_sanitized[0]',
    [from('google_storage_bucket_iam_member.grant_sa_read_on_processed_bucket')]: 'google_storage_bucket_iam_member.bulk_sanitized_readers',
    [from('google_secret_manager_secret_iam_member.grant_sa_accessor_on_secret')]: 'google_secret_manager_secret_iam_member.bulk_accessor',
    [from('google_cloudfunctions2_function.function')]: 'google_cloudfunctions2_function.bulk[0]',
  };
  for (const [f, to] of Object.entries(expected)) assert.equal(moved.get(f), to, f);
  // Both psoxy's state and the previous release's end on the for_each keys.
  for (const [f, to] of gcpBulkMoves('zoom-ai-metrics')) assert.equal(movedTo(moved, f), to, `psoxy's ${f}`);
  for (const [, ours] of GCP_BULK_RESOURCES) assert.equal(movedTo(moved, `${ours}[0]`), `${ours}["zoom-ai-metrics"]`, `the previous release's ${ours}[0]`);
  assert.equal(movedTo(moved, 'google_storage_bucket_iam_member.bulk_sanitized_readers[1]'), 'google_storage_bucket_iam_member.bulk_sanitized_readers["zoom-ai-metrics_1"]');
  assert.equal(movedTo(moved, 'google_secret_manager_secret_iam_member.bulk_accessor["PSOXY_SALT"]'), 'google_secret_manager_secret_iam_member.bulk_accessor["zoom-ai-metrics_PSOXY_SALT"]');
});

test("outputs: todos (fill, check, test; rules.yaml and each bulk connector's file when enabled), bucket names, in psoxy's output names", async () => {
  const m = await load();
  const outputs = readFileSync(new URL('outputs.tf', dir), 'utf8');
  for (const o of ['api_connector_instances', 'bulk_connector_instances', 'artifacts_bucket_name', 'todos', 'next_todo_step']) assert.match(outputs, new RegExp(`output "${o}"`));
  assert.match(outputs, /value = \{ for id, f in google_cloudfunctions2_function\.bulk : id => \{\n\s+input_bucket += google_storage_bucket\.bulk_input\[id\]\.name/, 'one entry per bulk connector');
  const todos = resolve(String(m.locals.todos));
  assert.match(todos, /\[for k in c\.secrets : .*gcloud secrets versions add \$\{c\.prefix\}\$\{k\}/, "each connector's values to fill, under its prefix");
  assert.match(todos, /gcloud storage cp rules\.yaml gs:\/\/\$\{google_storage_bucket\.artifacts\.name\}\/\$\{local\.resource_paths\[id\]\}rules\.yaml/);
  assert.match(todos, /for id, b in local\.bulk : \[\n.*gcloud storage cp <file> gs:\/\/\$\{google_storage_bucket\.bulk_input\[id\]\.name\}\/\$\{try\(local\.bulk_catalogue\[b\.source\]\.example_object, "<key>"\)\}/);
  assert.match(todos, /gs:\/\/\$\{google_storage_bucket\.bulk_sanitized\[id\]\.name\}\/\$\{try\(local\.bulk_catalogue\[b\.source\]\.example_object, "<key>"\)\}/);
});
