// The Terraform modules' connector files are generated from the catalogue (never drift from the
// TypeScript), and each connector gets psoxy's names and grants of its own: it reads only its own
// namespace plus the shared salt and key, and writes only what its grant writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AWS_BULK_RESOURCES, awsBulkMoves, awsMoves, BULK_READER_MOVES, GCP_BULK_RESOURCES, gcpBulkMoves, gcpMoves, terraformBulkConnectors, terraformConnectors, terraformFiles, writtenBy } from '../scripts/terraform-connectors.ts';
import { BULK_CONNECTORS, CONNECTORS, connectorById } from '../src/sources/catalogue/registry.ts';
import { builtInBulkRuleNames, builtInBulkRulesYaml, builtInRulesYaml, canonicalSource, connectorDefaults } from '../src/sources/index.ts';
import { loadBulkRules } from '../src/bulk/rules.ts';
import { rulesForObject } from '../src/bulk/multi.ts';
import { block, forEachValue, loadModule, movedMap, movedTo, policyStatements, type EachInstance } from './helpers/hcl-module.ts';

/** A connector's other names (psoxy's Terraform keys and renamed ids), where the catalogue gives them. */
const aliases = (c: object): readonly string[] => (c as { aliases?: readonly string[] }).aliases ?? [];
const isAlias = (name: string) => BULK_CONNECTORS.some((c) => aliases(c).includes(name));
/** Every API connector alias of the catalogue, with the connector it stands for. */
const API_ALIASES = CONNECTORS.flatMap((c) => aliases(c).map((a) => [a, c] as const));

const aws = () => loadModule(new URL('../infra/terraform/aws-host/', import.meta.url));
const gcp = () => loadModule(new URL('../infra/terraform/gcp-host/', import.meta.url));

test('the checked-in connectors.json and moved-connectors.tf are what the catalogue generates (npm run docs)', () => {
  for (const [path, text] of Object.entries(terraformFiles())) {
    assert.equal(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8'), text, `${path} is stale: run npm run docs`);
  }
  assert.deepEqual(Object.keys(terraformConnectors()), ['zoom', ...CONNECTORS.flatMap((c) => [c.id, ...aliases(c)])], 'Zoom and every catalogue connector, with its aliases');
  const spec = JSON.parse(readFileSync(new URL('../infra/terraform/connectors.json', import.meta.url), 'utf8')) as { bulk_connectors: Record<string, unknown> };
  assert.deepEqual(Object.keys(spec.bulk_connectors), BULK_CONNECTORS.flatMap((c) => [c.id, ...aliases(c)]), 'every catalogue bulk connector (Zoom AI Metrics first), with its aliases');
  assert.deepEqual(terraformBulkConnectors()['zoom-ai-snapshot-bulk'], terraformBulkConnectors()['zoom-ai-metrics'], "psoxy's zoom-ai-snapshot-bulk deploys Zoom AI Metrics");
});

test('every bulk connector the modules deploy has built-in rules under its SOURCE (its id; an alias stands for one), and its todo key is one those rules match', () => {
  const bulk = terraformBulkConnectors();
  assert.deepEqual(Object.entries(bulk).filter(([key, c]) => c.source === key).map(([key]) => key).sort(), builtInBulkRuleNames().filter((n) => !isAlias(n)).sort(), 'every built-in bulk rule set is deployable, and nothing else');
  for (const [key, c] of Object.entries(bulk)) {
    const yaml = builtInBulkRulesYaml(c.source);
    assert.ok(yaml, `${key}: built-in rules under ${c.source}`);
    assert.ok(c.name.length > 0);
    assert.notEqual(rulesForObject(loadBulkRules(yaml, key), c.example_object), null, `${key}: ${c.example_object} is matched by its rules`);
  }
  for (const c of BULK_CONNECTORS) for (const a of aliases(c)) assert.deepEqual(bulk[a], bulk[c.id], `${a} deploys ${c.id}`);
});

test("what the runtime writes follows the grant: the shared token and its lock, a rotated refresh token, nothing for static tokens or keys", () => {
  const c = terraformConnectors();
  assert.deepEqual(c.zoom.written, ['ACCESS_TOKEN', 'OAUTH_REFRESH_TOKEN']);
  assert.deepEqual(c.zoom.secrets, ['ACCOUNT_ID', 'CLIENT_ID', 'CLIENT_SECRET']);
  assert.deepEqual(c['jira-cloud'].written, ['ACCESS_TOKEN', 'OAUTH_REFRESH_TOKEN', 'REFRESH_TOKEN']);
  assert.deepEqual(c.gcal.written, [], 'a service-account key: nothing written');
  assert.deepEqual(writtenBy({ SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_access_token' }), []);
  assert.deepEqual(writtenBy({ SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_refresh_token', GRANT_TYPE: 'refresh_token' }), ['REFRESH_TOKEN'], 'rotated, not shared (psoxy default)');
  assert.deepEqual(writtenBy({ SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_refresh_token', GRANT_TYPE: 'account_credentials' }), ['ACCESS_TOKEN', 'OAUTH_REFRESH_TOKEN'], "Zoom's grant shares by default");
  assert.deepEqual(writtenBy({ SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_refresh_token', GRANT_TYPE: 'client_credentials', USE_SHARED_TOKEN: 'TRUE' }), ['ACCESS_TOKEN', 'OAUTH_REFRESH_TOKEN']);
});

test("moved blocks: one set per connector, no two with the same source or destination (Terraform refuses those), psoxy's addresses of a non-Zoom connector land on its for_each keys", async () => {
  for (const m of [await aws(), await gcp()]) {
    for (const side of ['from', 'to'] as const) {
      const seen = m.moved.map((x) => x[side]);
      assert.deepEqual(seen.filter((a, i) => seen.indexOf(a) !== i), [], `duplicate ${side}`);
    }
  }
  const moved = movedMap(await aws());
  const id = 'msft-teams';
  assert.equal(movedTo(moved, `module.api_connector["${id}"].module.psoxy_lambda.aws_lambda_function.instance`), `aws_lambda_function.instance["${id}"]`);
  assert.equal(movedTo(moved, `module.api_connector["${id}"].aws_lambda_function_url.lambda_url[0]`), `aws_lambda_function_url.lambda_url["${id}"]`);
  assert.equal(movedTo(moved, `module.instance_ssm_parameters["${id}"].aws_ssm_parameter.secret_with_externally_managed_value["CLIENT_ID"]`), `aws_ssm_parameter.connector["${id}_CLIENT_ID"]`);
  assert.equal(movedTo(movedMap(await gcp()), `module.secrets["${id}"].google_secret_manager_secret.secret["CLIENT_ID"]`), `google_secret_manager_secret.connector["${id}_CLIENT_ID"]`);
  assert.equal(movedTo(movedMap(await gcp()), `google_secret_manager_secret_iam_member.grant_sa_secretAccessor_on_non_tf_secret["${id}_CLIENT_ID"]`), `google_secret_manager_secret_iam_member.accessor["${id}_CLIENT_ID"]`, "psoxy's grant keys kept");
});

test('an unknown id in enabled_connectors fails the plan, naming it; ids from the catalogue are accepted', async () => {
  for (const [m, type, name] of [[await aws(), 'aws_iam_role', 'api_caller'], [await gcp(), 'google_storage_bucket', 'artifacts']] as const) {
    assert.equal(m.locals.catalogue, '${jsondecode(file("${path.module}/../connectors.json")).connectors}');
    assert.equal(m.locals.unknown_connectors, '${[for id in var.enabled_connectors : id if !contains(keys(local.catalogue), id) && !contains(keys(local.bulk_catalogue), id)]}', 'a bulk id is known too');
    const pre = block<{ lifecycle: { precondition: { condition: string; error_message: string }[] }[] }>(m, 'resource', type, name).lifecycle[0].precondition[0];
    assert.equal(pre.condition, '${length(local.unknown_connectors) == 0}');
    assert.match(pre.error_message, /\$\{join\(", ", local\.unknown_connectors\)\}/);
    assert.match(String(m.locals.connectors), /if contains\(keys\(local\.catalogue\), id\)/, 'unknown ids are left out before they are looked up');
  }
});

/** psoxy's SSM namespace of a key with the default names: `PSOXY_SLACK_DISCOVERY_API_`. */
const awsPrefix = (key: string) => `PSOXY_${key.toUpperCase().replaceAll('-', '_')}_`;

/** A connector's for_each instance on AWS with psoxy's defaults (SSM store), deployed beside `deployed` (`local.nested_prefixes`). */
function awsInstance(id: string, deployed: readonly string[] = []): EachInstance {
  const c = terraformConnectors()[id];
  return {
    key: id, value: { prefix: awsPrefix(id), function_name: `psoxy-${id}` },
    lists: {
      'each.value.ssm_written': c.written, 'each.value.sm_written': [], 'local.ssm_write_names[each.key]': c.written.flatMap((n) => n === 'OAUTH_REFRESH_TOKEN' ? [n, `${n}_lock`] : [n]),
      'each.value.nested_prefixes': deployed.filter((o) => o !== id && awsPrefix(o).startsWith(awsPrefix(id))).map(awsPrefix),
    },
  };
}

test('AWS, for ["zoom", "gcal", "msft-teams"]: psoxy-<id> with its own role; each reads only its own PSOXY_<ID>_* and the salt and key, writes only what its grant writes', async () => {
  const m = await aws();
  const doc = block(m, 'data', 'aws_iam_policy_document', 'required_resource_access');
  const shared = policyStatements(block(m, 'data', 'aws_iam_policy_document', 'shared_config_read')).find((s) => s.sid === 'ReadSharedSSMParameters')!;
  assert.deepEqual(shared.resources, ['${local.ssm_arn_path}${local.shared_prefix}PSOXY_SALT', '${local.ssm_arn_path}${local.shared_prefix}PSOXY_ENCRYPTION_KEY'], 'the shared salt and key by name only');
  const grants = (each: EachInstance) => {
    const out: Record<string, string[]> = {};
    for (const s of policyStatements(doc)) {
      const on = s.when === undefined || (/length\((each\.value\.\w+)\)/.test(s.when) ? each.lists[/length\((each\.value\.\w+)\)/.exec(s.when)![1]].length > 0 : !s.when.includes('use_secrets_manager'));
      if (!on || (s as { effect?: string }).effect === 'Deny') continue;
      const resources = (typeof s.resources === 'string' ? [s.resources] : s.resources).flatMap((r) => forEachValue(r, each)).map((r) => String(r).replace('${local.ssm_arn_path}', ''));
      for (const a of s.actions) out[a] = [...(out[a] ?? []), ...resources];
    }
    return out;
  };
  const ids = ['zoom', 'gcal', 'msft-teams'];
  for (const id of ids) {
    const each = awsInstance(id);
    const g = grants(each);
    const prefix = each.value.prefix;
    assert.deepEqual(g['ssm:GetParameters'], [`${prefix}*`], `${id} reads its own namespace only`);
    const written = terraformConnectors()[id].written;
    assert.deepEqual(g['ssm:PutParameter'], written.length === 0 ? undefined : each.lists['local.ssm_write_names[each.key]'].map((n) => `${prefix}${n}`), `${id} writes only what its grant writes`);
    assert.equal(forEachValue(block<{ name: string }>(m, 'resource', 'aws_iam_role', 'iam_for_lambda').name, each), `psoxy-${id}_Exec`);
    assert.equal(forEachValue(block<{ function_name: string }>(m, 'resource', 'aws_lambda_function', 'instance').function_name, each), `psoxy-${id}`);
    for (const other of ids.filter((o) => o !== id)) {
      assert.ok(!JSON.stringify(g).includes(awsInstance(other).value.prefix), `${id} gets nothing of ${other}`);
    }
  }
  assert.equal(block<{ role: string }>(m, 'resource', 'aws_iam_role_policy_attachment', 'attach_policy').role, '${aws_iam_role.iam_for_lambda[each.key].name}', "each function's policy on its own role");
  const env = JSON.stringify(block(m, 'resource', 'aws_lambda_function', 'instance'));
  assert.match(env, /merge\(local\.common_env, each\.value\.settings, \{/, "the catalogue's settings in the environment");
  assert.match(env, /SOURCE += each\.value\.source/, "the catalogue's source: the id, or the id an alias stands for");
  assert.match(env, /try\(var\.connector_settings\[each\.key\], \{\}\),\\n +\)/, "the deployment's overrides last");
});

test('GCP: each connector\'s service account holds Secret Accessor on its own filled secrets and the salt and key, the version manager role on what it writes, nothing of another connector', async () => {
  const m = await gcp();
  assert.equal(m.locals.connector_values, '${merge([for id, c in local.connectors : {\n    for n in distinct(concat(c.secrets, c.written)) : "${id}_${n}" => { connector = id, name = n, writable = contains(c.written, n) }\n  }]...)}');
  const writable = block<{ for_each: string; member: string; role: string }>(m, 'resource', 'google_secret_manager_secret_iam_member', 'writable');
  assert.equal(writable.for_each, '${{ for k, v in local.connector_values : k => v if v.writable }}');
  assert.equal(writable.member, 'serviceAccount:${google_service_account.api_connector[each.value.connector].email}', "the value's own connector");
  const accessor = block<{ for_each: string; member: string; role: string }>(m, 'resource', 'google_secret_manager_secret_iam_member', 'accessor');
  assert.match(accessor.for_each, /if !v\.writable/);
  assert.match(accessor.for_each, /"\$\{id\}_PSOXY_SALT" += \{ connector = id, secret = google_secret_manager_secret\.pseudonym_salt\.id \}/);
  assert.equal(accessor.member, 'serviceAccount:${google_service_account.api_connector[each.value.connector].email}');
  assert.equal(accessor.role, 'roles/secretmanager.secretAccessor');
  const fn = JSON.stringify(block(m, 'resource', 'google_cloudfunctions2_function', 'function'));
  assert.match(fn, /service_account_email\\?"?:?\s*\\?"?\$\{google_service_account\.api_connector\[each\.key\]\.email\}/);
  assert.match(fn, /merge\(local\.common_env, each\.value\.settings, \{/);
  const invokers = block<{ for_each: string; service: string }>(m, 'resource', 'google_cloud_run_service_iam_binding', 'invokers');
  assert.equal(invokers.service, '${google_cloudfunctions2_function.function[each.key].service_config[0].service}');
});

test("moved blocks of every bulk connector: psoxy's addresses (module.bulk_connector[\"<id>\"]) land on this module's for_each keys, Zoom AI Metrics through the previous release's [0]; every bulk resource is a destination", async () => {
  for (const [m, moves, table] of [[await aws(), awsBulkMoves, AWS_BULK_RESOURCES], [await gcp(), gcpBulkMoves, GCP_BULK_RESOURCES]] as const) {
    const moved = movedMap(m);
    for (const id of Object.keys(terraformBulkConnectors())) {
      for (const [from, to] of moves(id)) {
        assert.equal(movedTo(moved, from), to, from);
        const [type, name] = to.replace(/\[.*$/, '').split('.');
        assert.ok(m.resource[type]?.[name], `${to}: the module has that resource`);
      }
    }
    // Each resource created per bulk connector (for_each over local.bulk or its grants) is moved from psoxy's.
    const perConnector = Object.entries(m.resource).flatMap(([type, byName]) => Object.entries(byName)
      .filter(([, [body]]) => /local\.bulk(_readers|_secrets)?\b|local\.bulk :/.test(String((body as { for_each?: string }).for_each)))
      .map(([name]) => `${type}.${name}`));
    const destinations = new Set(moves('hris').map(([, to]) => to.replace(/\[.*$/, '')));
    assert.deepEqual(perConnector.filter((r) => !destinations.has(r)), [], 'a bulk resource with no move from psoxy would be created beside psoxy\'s');
    assert.ok(table.length >= 9);
  }
  const gcpMoved = movedMap(await gcp());
  assert.equal(movedTo(gcpMoved, `module.bulk_connector["hris"].google_storage_bucket_iam_member.grant_sa_read_on_processed_bucket[${BULK_READER_MOVES - 1}]`), `google_storage_bucket_iam_member.bulk_sanitized_readers["hris_${BULK_READER_MOVES - 1}"]`, "psoxy's count-indexed readers, by position");
  assert.equal(movedTo(movedMap(await aws()), 'module.bulk_connector["slack-discovery-bulk"].aws_s3_bucket_public_access_block.input-block-public-access[0]'), 'aws_s3_bucket_public_access_block.bulk_input["slack-discovery-bulk"]');
});

test("every API alias of the catalogue deploys the connector it stands for: the same spec under psoxy's key, SOURCE the id, whose built-in rules and defaults apply", () => {
  const tf = terraformConnectors();
  for (const known of ['slack-discovery-api', 'azure-ad', 'confluence', 'chatgpt']) assert.ok(API_ALIASES.some(([a]) => a === known), `${known} is an alias in the catalogue`);
  for (const [alias, c] of API_ALIASES) {
    assert.ok(!CONNECTORS.some((o) => o.id === alias), `${alias} is no connector's id`);
    assert.deepEqual(tf[alias], tf[c.id], `${alias} deploys ${c.id}`);
    assert.equal(tf[alias].source, c.id, `${alias}: SOURCE is ${c.id}`);
    assert.equal(connectorById(alias), c);
    assert.equal(canonicalSource(tf[alias].source), c.id, 'SOURCE is already our id (no alias left for the runtime to resolve)');
    assert.equal(builtInRulesYaml(tf[alias].source), c.rules[''], `${alias}: ${c.id}'s built-in rules`);
    assert.deepEqual(connectorDefaults(tf[alias].source), { SOURCE: c.id, ...c.settings }, `${alias}: ${c.id}'s defaults`);
  }
  // Every other key is an id, its own SOURCE.
  for (const [key, c] of Object.entries(tf)) if (!API_ALIASES.some(([a]) => a === key)) assert.equal(c.source, key);
});

test("moved blocks of every API alias, on both clouds: psoxy's addresses under the alias's key land on this module's instances under that key (never on the id's), every per-connector resource a destination", async () => {
  const tf = terraformConnectors();
  for (const [m, moves, perConnector] of [
    [await aws(), awsMoves, /local\.connectors\b|local\.connector_values\b/],
    [await gcp(), gcpMoves, /local\.connectors\b|local\.connector_values\b/],
  ] as const) {
    const moved = movedMap(m);
    for (const [alias, c] of API_ALIASES) {
      const list = moves(alias, tf[alias]);
      assert.ok(list.length >= 5, alias);
      for (const [from, to] of list) {
        assert.ok(from.includes(`["${alias}"]`) || from.includes(`["${alias}_`), `${from}: psoxy's address under ${alias}`);
        assert.equal(movedTo(moved, from), to, from);
        assert.ok(to.includes(`["${alias}"]`) || to.includes(`["${alias}_`), `${to}: under ${alias}`);
        assert.ok(!to.includes(`["${c.id}"]`) && !to.includes(`["${c.id}_`), `${to}: not ${c.id}'s`);
        const [type, name] = to.replace(/\[.*$/, '').split('.');
        assert.ok(m.resource[type]?.[name], `${to}: the module has that resource`);
      }
    }
    // Each resource the module creates per connector or per value is the destination of a move (confluence: values in both stores, written ones).
    const destinations = new Set(moves('confluence', tf.confluence).map(([, to]) => to.replace(/\[.*$/, '')));
    const created = Object.entries(m.resource).flatMap(([type, byName]) => Object.entries(byName)
      .filter(([, [body]]) => perConnector.test(String((body as { for_each?: string }).for_each)))
      .map(([name]) => `${type}.${name}`));
    assert.ok(created.length >= 4);
    assert.deepEqual(created.filter((r) => !destinations.has(r)), [], "a per-connector resource with no move from psoxy would be created beside psoxy's");
  }
  const [awsMoved, gcpMoved] = [movedMap(await aws()), movedMap(await gcp())];
  // psoxy's addresses, spelled out for two aliases.
  const expected: [Map<string, string>, string, string][] = [
    [awsMoved, 'module.api_connector["slack-discovery-api"].module.psoxy_lambda.aws_lambda_function.instance', 'aws_lambda_function.instance["slack-discovery-api"]'],
    [awsMoved, 'module.api_connector["slack-discovery-api"].aws_lambda_function_url.lambda_url[0]', 'aws_lambda_function_url.lambda_url["slack-discovery-api"]'],
    [awsMoved, 'module.instance_ssm_parameters["slack-discovery-api"].aws_ssm_parameter.secret_with_externally_managed_value["ACCESS_TOKEN"]', 'aws_ssm_parameter.connector["slack-discovery-api_ACCESS_TOKEN"]'],
    [awsMoved, 'module.instance_secrets_secrets_manager["slack-discovery-api"].aws_secretsmanager_secret.secret["ACCESS_TOKEN"]', 'aws_secretsmanager_secret.connector["slack-discovery-api_ACCESS_TOKEN"]'],
    [awsMoved, 'module.instance_ssm_parameters["azure-ad"].aws_ssm_parameter.secret_with_externally_managed_value["CLIENT_ID"]', 'aws_ssm_parameter.connector["azure-ad_CLIENT_ID"]'],
    [awsMoved, 'module.custom_api_connector_rules["azure-ad"].aws_ssm_parameter.rules', 'aws_ssm_parameter.rules["azure-ad"]'],
    [gcpMoved, 'module.secrets["slack-discovery-api"].google_secret_manager_secret.secret["ACCESS_TOKEN"]', 'google_secret_manager_secret.connector["slack-discovery-api_ACCESS_TOKEN"]'],
    [gcpMoved, 'google_secret_manager_secret_iam_member.grant_sa_secretAccessor_on_non_tf_secret["azure-ad_CLIENT_ID"]', 'google_secret_manager_secret_iam_member.accessor["azure-ad_CLIENT_ID"]'],
    [gcpMoved, 'google_secret_manager_secret_iam_member.grant_sa_secretVersionManager_on_writable_secret["confluence_ACCESS_TOKEN"]', 'google_secret_manager_secret_iam_member.writable["confluence_ACCESS_TOKEN"]'],
    [gcpMoved, 'google_service_account.api_connectors["azure-ad"]', 'google_service_account.api_connector["azure-ad"]'],
    [gcpMoved, 'module.api_connector["chatgpt"].google_cloudfunctions2_function.function', 'google_cloudfunctions2_function.function["chatgpt"]'],
  ];
  for (const [moved, from, to] of expected) assert.equal(movedTo(moved, from), to, from);
});

test('AWS, an alias beside the id it stands for and their neighbours: each key reads its own PSOXY_<KEY>_* less the deployed namespaces nested in it (PSOXY_SLACK_DISCOVERY_API_* inside PSOXY_SLACK_*)', async () => {
  const m = await aws();
  assert.equal(m.locals.namespace_prefixes, '${{ for id in distinct(concat([for id in var.enabled_connectors : id if contains(keys(local.catalogue), id)], local.bulk_ids)) : id => "${local.env_ssm_prefix}${upper(replace(id, "-", "_"))}_" }}', 'every deployed key, API and bulk, with its namespace');
  assert.equal(m.locals.nested_prefixes, '${{ for id, p in local.namespace_prefixes : id => [for o, q in local.namespace_prefixes : q if o != id && startswith(q, p)] }}');
  assert.match(String(m.locals.connectors), /nested_prefixes = local\.nested_prefixes\[id\]/);
  const deny = policyStatements(block(m, 'data', 'aws_iam_policy_document', 'required_resource_access')).filter((s) => (s as { effect?: string }).effect === 'Deny');
  assert.deepEqual(deny.map((s) => s.when), ['${length(each.value.nested_prefixes) == 0 ? [] : [1]}', '${local.use_secrets_manager && length(each.value.nested_prefixes) > 0 ? [1] : []}']);
  const deployed = ['slack', ...API_ALIASES.flatMap(([a, c]) => [a, c.id]), 'slack-discovery-bulk', 'zoom'];
  for (const key of deployed.filter((k) => terraformConnectors()[k])) {
    const each = awsInstance(key, deployed);
    const allow: string[] = [];
    const denied: string[] = [];
    for (const s of policyStatements(block(m, 'data', 'aws_iam_policy_document', 'required_resource_access'))) {
      if (!s.actions.includes('ssm:GetParameters') || (s.when !== undefined && each.lists[/length\((each\.value\.\w+)\)/.exec(s.when)![1]].length === 0)) continue;
      const rs = (typeof s.resources === 'string' ? [s.resources] : s.resources).flatMap((r) => forEachValue(r, each)).map((r) => String(r).replace('${local.ssm_arn_path}', ''));
      ((s as { effect?: string }).effect === 'Deny' ? denied : allow).push(...rs);
    }
    const matches = (patterns: string[], name: string) => patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
    const reads = (name: string) => matches(allow, name) && !matches(denied, name);
    for (const n of [...terraformConnectors()[key].secrets, 'RULES']) assert.ok(reads(`${awsPrefix(key)}${n}`), `${key} reads its own ${n}`);
    for (const other of deployed.filter((o) => o !== key)) {
      assert.ok(!reads(`${awsPrefix(other)}ACCESS_TOKEN`) && !reads(`${awsPrefix(other)}RULES`), `${key} reads nothing of ${other}`);
    }
  }
  assert.deepEqual(awsInstance('slack', deployed).lists['each.value.nested_prefixes'], ['PSOXY_SLACK_DISCOVERY_API_', 'PSOXY_SLACK_DISCOVERY_BULK_']);
});
