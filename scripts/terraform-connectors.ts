/**
 * What the Terraform modules know of each connector, generated from the catalogue so the HCL can
 * never drift from the TypeScript: `infra/terraform/connectors.json` (API connectors: settings, what
 * the admin fills, what the runtime writes; bulk connectors: the ids whose built-in rules the bulk
 * function selects; both keyed by id and by alias, `source` naming the id) and each module's `moved-connectors.tf` (psoxy's per-connector addresses → ours;
 * `moved` blocks are static in Terraform, so they cannot be written with for_each).
 */
import { BULK_CONNECTORS, CONNECTORS } from '../src/sources/catalogue/registry.ts';
import { ZOOM_DEFAULTS, ZOOM_SECRETS, ZOOM_SENSITIVE } from '../src/sources/zoom/connector.ts';
import { GRANTS } from '../src/auth/grants.ts';

export interface TerraformConnector {
  name: string;
  /** The function's SOURCE: our id, whose built-in rules it selects (an alias's is the id it stands for). */
  source: string;
  /** Environment of the function (SOURCE is set by the module from `source`). */
  settings: Record<string, string>;
  /** Filled by the administrator. */
  secrets: string[];
  /** Written by the runtime: the shared token and its lock, a rotated refresh token. */
  written: string[];
  /**
   * Kept in Secrets Manager in psoxy's aws_secrets_manager mode (the rest stay in SSM): the stored
   * values the connector flags sensitive (`Connector.sensitive`, as the runtime's split store routes).
   */
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

function entry(name: string, source: string, defaults: Record<string, string>, secrets: readonly string[], sensitive: readonly string[]): TerraformConnector {
  const settings = Object.fromEntries(Object.entries(defaults).filter(([k]) => k !== 'SOURCE'));
  const written = writtenBy(settings);
  const all = [...new Set([...secrets, ...written])];
  return { name, source, settings, secrets: [...secrets], written, sensitive: all.filter((n) => sensitive.includes(n)) };
}

/**
 * Every API connector the modules deploy, by psoxy id: Zoom, then the catalogue's, each followed by
 * its aliases (psoxy's Terraform keys and renamed ids: `slack-discovery-api`, `azure-ad`, …), which
 * psoxy's state and names are keyed by; an alias deploys the connector it stands for.
 */
export function terraformConnectors(): Record<string, TerraformConnector> {
  return Object.fromEntries([
    ['zoom', entry('Zoom', 'zoom', ZOOM_DEFAULTS, ZOOM_SECRETS, ZOOM_SENSITIVE)],
    ...CONNECTORS.flatMap((c) => {
      const spec = entry(c.name, c.id, c.settings, c.secrets, c.sensitive);
      return [c.id, ...(c.aliases ?? [])].map((key) => [key, spec] as const);
    }),
  ]);
}

/** A bulk connector as the modules deploy it, under its id or one of its aliases. */
export interface TerraformBulkConnector {
  name: string;
  /** The bulk function's SOURCE: our id, whose built-in rules it selects (an alias's is the id it stands for). */
  source: string;
  /** An object key its rules match: where the todos upload a file. */
  example_object: string;
}

/**
 * Every bulk connector the modules deploy: the catalogue's (Zoom AI Metrics first), by psoxy id,
 * each followed by its aliases (psoxy's Terraform keys where they differ from our id, e.g.
 * `zoom-ai-snapshot-bulk`), which psoxy's state and names are keyed by.
 */
export function terraformBulkConnectors(): Record<string, TerraformBulkConnector> {
  return Object.fromEntries(BULK_CONNECTORS.flatMap((c) => {
    const spec = { name: c.name, source: c.id, example_object: c.examples[0]?.objectPath ?? `${c.id}.csv` };
    return [c.id, ...(c.aliases ?? [])].map((key) => [key, spec] as const);
  }));
}

export function connectorsJson(): string {
  return `${JSON.stringify({ generated_by: 'npm run docs (scripts/terraform-connectors.ts); do not edit', connectors: terraformConnectors(), bulk_connectors: terraformBulkConnectors() }, null, 2)}\n`;
}

/** Every value a connector's namespace holds: filled, then written. */
export const storedValues = (c: TerraformConnector) => [...new Set([...c.secrets, ...c.written])];

export type Move = [from: string, to: string];

/** psoxy's aws-host addresses of one connector (its id or alias) → this module's (keys `<id>` and `<id>_<NAME>`). */
export function awsMoves(id: string, c: TerraformConnector): Move[] {
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

/** psoxy's gcp-host addresses of one connector (its id or alias) → this module's. */
export function gcpMoves(id: string, c: TerraformConnector): Move[] {
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
 * psoxy's bulk resources (its aws-psoxy-bulk module under `module.bulk_connector["<id>"]`) → this
 * module's resources, which take the connector id as their for_each key.
 */
export const AWS_BULK_RESOURCES: readonly (readonly [psoxy: string, ours: string])[] = [
  ['random_string.bucket_suffix', 'random_string.bulk_bucket_suffix'],
  ['aws_s3_bucket.input', 'aws_s3_bucket.bulk_input'],
  ['aws_s3_bucket.sanitized', 'aws_s3_bucket.bulk_sanitized'],
  ['aws_s3_bucket_public_access_block.input-block-public-access[0]', 'aws_s3_bucket_public_access_block.bulk_input'],
  ['aws_s3_bucket_public_access_block.sanitized[0]', 'aws_s3_bucket_public_access_block.bulk_sanitized'],
  ['aws_s3_bucket_lifecycle_configuration.expire_input_files', 'aws_s3_bucket_lifecycle_configuration.bulk_input'],
  ['aws_s3_bucket_lifecycle_configuration.expire_sanitized_files', 'aws_s3_bucket_lifecycle_configuration.bulk_sanitized'],
  ['aws_ssm_parameter.rules', 'aws_ssm_parameter.bulk_rules'],
  ['aws_lambda_permission.allow_input_bucket', 'aws_lambda_permission.bulk_input'],
  ['aws_s3_bucket_notification.bucket_notification', 'aws_s3_bucket_notification.bulk_input'],
  ['aws_iam_policy.input_bucket_getObject_policy', 'aws_iam_policy.bulk_input_read'],
  ['aws_iam_role_policy_attachment.read_policy_for_import_bucket', 'aws_iam_role_policy_attachment.bulk_input_read'],
  ['aws_iam_policy.sanitized_bucket_write_policy', 'aws_iam_policy.bulk_output_write'],
  ['aws_iam_role_policy_attachment.write_policy_for_sanitized_bucket', 'aws_iam_role_policy_attachment.bulk_output_write'],
  ['module.psoxy_lambda.aws_lambda_function.instance', 'aws_lambda_function.bulk'],
  ['module.psoxy_lambda.aws_cloudwatch_log_group.lambda_log', 'aws_cloudwatch_log_group.bulk'],
  ['module.psoxy_lambda.aws_iam_role.iam_for_lambda', 'aws_iam_role.bulk'],
  ['module.psoxy_lambda.aws_iam_policy.required_resource_access', 'aws_iam_policy.bulk_resource_access'],
  ['module.psoxy_lambda.aws_iam_role_policy_attachment.attach_policy', 'aws_iam_role_policy_attachment.bulk_resource_access'],
  ['module.psoxy_lambda.aws_iam_role_policy_attachment.basic', 'aws_iam_role_policy_attachment.bulk_basic'],
];

/** psoxy's gcp-psoxy-bulk resources → this module's (for_each key: the connector id). */
export const GCP_BULK_RESOURCES: readonly (readonly [psoxy: string, ours: string])[] = [
  ['random_string.bucket_id_part', 'random_string.bulk_bucket_id'],
  ['google_storage_bucket.input_bucket', 'google_storage_bucket.bulk_input'],
  ['module.output_bucket.google_storage_bucket.bucket', 'google_storage_bucket.bulk_sanitized'],
  ['google_service_account.service_account', 'google_service_account.bulk'],
  ['google_storage_bucket_iam_member.access_for_import_bucket', 'google_storage_bucket_iam_member.bulk_input_read'],
  ['module.output_bucket.google_storage_bucket_iam_member.write_to_output_bucket', 'google_storage_bucket_iam_member.bulk_output_write'],
  ['google_project_iam_member.grant_sa_event_receiver', 'google_project_iam_member.bulk_event_receiver'],
  ['google_cloud_run_service_iam_member.grant_sa_invoker', 'google_cloud_run_service_iam_member.bulk_invoker'],
  ['google_cloudfunctions2_function.function', 'google_cloudfunctions2_function.bulk'],
];

/**
 * psoxy grants each analytics service account read on a sanitized bucket by list position
 * (`count`); moved blocks are static, so positions 0 to 4 are moved (a sixth account's grant is
 * created again).
 */
export const BULK_READER_MOVES = 5;

/** The salt and key psoxy binds to each bulk function, by name. */
export const BULK_SECRETS = ['PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY'] as const;

/** psoxy's aws-host addresses of one bulk connector → this module's. */
export function awsBulkMoves(id: string): Move[] {
  return AWS_BULK_RESOURCES.map(([psoxy, ours]): Move => [`module.bulk_connector["${id}"].${psoxy}`, `${ours}["${id}"]`]);
}

/** psoxy's gcp-host addresses of one bulk connector → this module's (grants keyed `<id>_<n>`, `<id>_<NAME>`). */
export function gcpBulkMoves(id: string): Move[] {
  const bulk = `module.bulk_connector["${id}"]`;
  return [
    ...GCP_BULK_RESOURCES.map(([psoxy, ours]): Move => [`${bulk}.${psoxy}`, `${ours}["${id}"]`]),
    ...Array.from({ length: BULK_READER_MOVES }, (_, i): Move => [`${bulk}.google_storage_bucket_iam_member.grant_sa_read_on_processed_bucket[${i}]`, `google_storage_bucket_iam_member.bulk_sanitized_readers["${id}_${i}"]`]),
    ...BULK_SECRETS.map((n): Move => [`${bulk}.google_secret_manager_secret_iam_member.grant_sa_accessor_on_secret["${n}"]`, `google_secret_manager_secret_iam_member.bulk_accessor["${id}_${n}"]`]),
  ];
}

/**
 * `moved-connectors.tf` for a module: every API connector but Zoom and every bulk connector but
 * Zoom AI Metrics' id (its alias `zoom-ai-snapshot-bulk` is here), under their ids and aliases (psoxy's state is keyed by whichever it deployed).
 * Zoom and Zoom AI Metrics are in `moved.tf`: their psoxy addresses move to this module's previous
 * single-connector addresses and chain from there (a destination can have only one `moved` source).
 */
export function movedConnectorsTf(cloud: 'aws' | 'gcp'): string {
  const moves = cloud === 'aws' ? awsMoves : gcpMoves;
  const bulkMoves = cloud === 'aws' ? awsBulkMoves : gcpBulkMoves;
  const blocks = [
    ...Object.entries(terraformConnectors()).filter(([id]) => id !== 'zoom').flatMap(([id, c]) => moves(id, c)),
    ...Object.keys(terraformBulkConnectors()).filter((id) => id !== 'zoom-ai-metrics').flatMap(bulkMoves),
  ].map(([from, to]) => `moved {\n  from = ${from}\n  to   = ${to}\n}\n`);
  return `# Generated by \`npm run docs\` (scripts/terraform-connectors.ts) from the connector catalogue; do not edit.\n# psoxy's per-connector addresses → this module's, for every API connector but Zoom and every bulk\n# connector but Zoom AI Metrics (moved.tf), each under its id and under each of its aliases.\n\n${blocks.join('\n')}`;
}

/** Generated files by path, relative to the repository root. */
export function terraformFiles(): Record<string, string> {
  return {
    'infra/terraform/connectors.json': connectorsJson(),
    'infra/terraform/aws-host/moved-connectors.tf': movedConnectorsTf('aws'),
    'infra/terraform/gcp-host/moved-connectors.tf': movedConnectorsTf('gcp'),
  };
}
