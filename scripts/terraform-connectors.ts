/**
 * What the Terraform modules know of each connector, generated from the catalogue so the HCL can
 * never drift from the TypeScript: `infra/terraform/connectors.json` (settings, what the admin fills,
 * what the runtime writes) and each module's `moved-connectors.tf` (psoxy's per-connector addresses
 * → ours; `moved` blocks are static in Terraform, so they cannot be written with for_each).
 */
import { CONNECTORS } from '../src/sources/catalogue/registry.ts';
import { ZOOM_DEFAULTS, ZOOM_SECRETS } from '../src/sources/zoom/connector.ts';
import { GRANTS } from '../src/auth/grants.ts';
import { isSecretName } from '../src/runtimes/aws/split-store.ts';

export interface TerraformConnector {
  name: string;
  /** Environment of the function (SOURCE is set by the module from the id). */
  settings: Record<string, string>;
  /** Filled by the administrator. */
  secrets: string[];
  /** Written by the runtime: the shared token and its lock, a rotated refresh token. */
  written: string[];
  /** Kept in Secrets Manager in psoxy's aws_secrets_manager mode (the rest stay in SSM). */
  sensitive: string[];
}

/** What the runtime writes for these settings, as `src/auth` decides it. */
export function writtenBy(settings: Record<string, string>): string[] {
  if (settings.SOURCE_AUTH_STRATEGY_IDENTIFIER !== 'oauth2_refresh_token') return [];
  const grant = GRANTS[settings.GRANT_TYPE];
  const shared = settings.USE_SHARED_TOKEN === undefined ? grant?.sharedByDefault === true : settings.USE_SHARED_TOKEN.toLowerCase() === 'true';
  const rotates = settings.GRANT_TYPE === 'refresh_token' || settings.GRANT_TYPE === 'refresh_token_via_query_parameter';
  return [...(shared ? ['ACCESS_TOKEN', 'OAUTH_REFRESH_TOKEN'] : []), ...(rotates ? ['REFRESH_TOKEN'] : [])];
}

function entry(name: string, defaults: Record<string, string>, secrets: readonly string[]): TerraformConnector {
  const settings = Object.fromEntries(Object.entries(defaults).filter(([k]) => k !== 'SOURCE'));
  const written = writtenBy(settings);
  const all = [...new Set([...secrets, ...written])];
  return { name, settings, secrets: [...secrets], written, sensitive: all.filter(isSecretName) };
}

/** Every connector the modules deploy, by psoxy id: Zoom, then the catalogue. */
export function terraformConnectors(): Record<string, TerraformConnector> {
  return Object.fromEntries([
    ['zoom', entry('Zoom', ZOOM_DEFAULTS, ZOOM_SECRETS)],
    ...CONNECTORS.map((c) => [c.id, entry(c.name, c.settings, c.secrets)] as const),
  ]);
}

export function connectorsJson(): string {
  return `${JSON.stringify({ generated_by: 'npm run docs (scripts/terraform-connectors.ts); do not edit', connectors: terraformConnectors() }, null, 2)}\n`;
}

/** Every value a connector's namespace holds: filled, then written. */
export const storedValues = (c: TerraformConnector) => [...new Set([...c.secrets, ...c.written])];

type Move = [from: string, to: string];

/** psoxy's aws-host addresses of one connector → this module's (keys `<id>` and `<id>_<NAME>`). */
function awsMoves(id: string, c: TerraformConnector): Move[] {
  const lambda = `module.api_connector["${id}"].module.psoxy_lambda`;
  return [
    ...storedValues(c).map((n): Move => [`module.instance_ssm_parameters["${id}"].aws_ssm_parameter.secret_with_externally_managed_value["${n}"]`, `aws_ssm_parameter.connector["${id}_${n}"]`]),
    ...c.sensitive.map((n): Move => [`module.instance_secrets_secrets_manager["${id}"].aws_secretsmanager_secret.secret["${n}"]`, `aws_secretsmanager_secret.connector["${id}_${n}"]`]),
    [`${lambda}.aws_lambda_function.instance`, `aws_lambda_function.instance["${id}"]`],
    [`${lambda}.aws_cloudwatch_log_group.lambda_log`, `aws_cloudwatch_log_group.lambda_log["${id}"]`],
    [`${lambda}.aws_iam_role.iam_for_lambda`, `aws_iam_role.iam_for_lambda["${id}"]`],
    [`${lambda}.aws_iam_policy.required_resource_access`, `aws_iam_policy.required_resource_access["${id}"]`],
    [`${lambda}.aws_iam_role_policy_attachment.attach_policy`, `aws_iam_role_policy_attachment.attach_policy["${id}"]`],
    [`${lambda}.aws_iam_role_policy_attachment.basic`, `aws_iam_role_policy_attachment.basic["${id}"]`],
    [`module.api_connector["${id}"].aws_lambda_function_url.lambda_url[0]`, `aws_lambda_function_url.lambda_url["${id}"]`],
    [`module.custom_api_connector_rules["${id}"].aws_ssm_parameter.rules`, `aws_ssm_parameter.rules["${id}"]`],
  ];
}

/** psoxy's gcp-host addresses of one connector → this module's. */
function gcpMoves(id: string, c: TerraformConnector): Move[] {
  const writable = new Set(c.written);
  return [
    ...storedValues(c).map((n): Move => [`module.secrets["${id}"].google_secret_manager_secret.secret["${n}"]`, `google_secret_manager_secret.connector["${id}_${n}"]`]),
    ...storedValues(c).map((n): Move => writable.has(n)
      ? [`google_secret_manager_secret_iam_member.grant_sa_secretVersionManager_on_writable_secret["${id}_${n}"]`, `google_secret_manager_secret_iam_member.writable["${id}_${n}"]`]
      : [`google_secret_manager_secret_iam_member.grant_sa_secretAccessor_on_non_tf_secret["${id}_${n}"]`, `google_secret_manager_secret_iam_member.accessor["${id}_${n}"]`]),
    [`google_service_account.api_connectors["${id}"]`, `google_service_account.api_connector["${id}"]`],
    [`module.api_connector["${id}"].google_cloudfunctions2_function.function`, `google_cloudfunctions2_function.function["${id}"]`],
    [`module.api_connector["${id}"].google_cloud_run_service_iam_binding.invokers`, `google_cloud_run_service_iam_binding.invokers["${id}"]`],
  ];
}

/**
 * `moved-connectors.tf` for a module: every connector but Zoom, whose psoxy addresses are moved in
 * `moved.tf` to this module's previous single-connector addresses and chained from there (a
 * destination can have only one `moved` source).
 */
export function movedConnectorsTf(cloud: 'aws' | 'gcp'): string {
  const moves = cloud === 'aws' ? awsMoves : gcpMoves;
  const blocks = Object.entries(terraformConnectors()).filter(([id]) => id !== 'zoom')
    .flatMap(([id, c]) => moves(id, c)).map(([from, to]) => `moved {\n  from = ${from}\n  to   = ${to}\n}\n`);
  return `# Generated by \`npm run docs\` (scripts/terraform-connectors.ts) from the connector catalogue; do not edit.\n# psoxy's per-connector addresses → this module's, for every connector but Zoom (moved.tf).\n\n${blocks.join('\n')}`;
}

/** Generated files by path, relative to the repository root. */
export function terraformFiles(): Record<string, string> {
  return {
    'infra/terraform/connectors.json': connectorsJson(),
    'infra/terraform/aws-host/moved-connectors.tf': movedConnectorsTf('aws'),
    'infra/terraform/gcp-host/moved-connectors.tf': movedConnectorsTf('gcp'),
  };
}
