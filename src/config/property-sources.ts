/**
 * Where each setting may come from (api-proxy.md §2.1–2.2): psoxy gives every property a supported
 * source, and a setting that may only come from the environment is never looked up in a store.
 * That saves a cold start most of its store reads (SSM names, Secret Manager calls): psoxy's
 * Terraform sets these as environment variables, so the stores never hold them.
 *
 * - `env`: the environment only (`P`, then the instance-prefixed `PSOXY_ZOOM_P`), then the
 *   connector's defaults. psoxy skips the store on AWS; on GCP it still asks Secret Manager (a bug
 *   that only ever finds nothing), which we do not copy (ARCHITECTURE.md, deliberate differences).
 * - `env-or-remote`: the environment, then the instance store (and the shared one for the salt and
 *   key), then the defaults. psoxy's default for the properties an auth strategy reads, and the
 *   default here for any setting not listed (a credential a grant reads must never be missed).
 * - `remote`: psoxy's secret store (the salt and keys). psoxy ignores the environment for these;
 *   we read it first all the same (a deliberate difference: `SECRETS_STORE=ENV`, local runs).
 */
export type PropertySource = 'env' | 'env-or-remote' | 'remote';

/** psoxy's environment-only properties that the API proxy reads (api-proxy.md §2.2). */
const PSOXY_ENV_ONLY = [
  'SOURCE', 'TARGET_HOST', 'SOURCE_AUTH_STRATEGY_IDENTIFIER', 'EMAIL_CANONICALIZATION', 'EMAIL_DOMAIN_HANDLING',
  'PSEUDONYM_IMPLEMENTATION', 'PSEUDONYMIZE_APP_IDS', 'IS_DEVELOPMENT_MODE', 'CUSTOM_RULES_SHA', 'BUNDLE_FILENAME',
  'USER_AGENT', 'FOLLOW_REDIRECTS', 'PATH_TO_SHARED_CONFIG', 'PATH_TO_INSTANCE_CONFIG', 'SIDE_OUTPUT_ORIGINAL',
  'SIDE_OUTPUT_SANITIZED', 'ALLOWED_DATA_ACCESS_IP_BLOCKS', 'ASYNC_OUTPUT_DESTINATION', 'TLS_VERSION',
  'REQUEST_TIMEOUT_SECONDS', 'REQUEST_PATH_PREFIX_TO_TRIM', 'SECRETS_STORE', 'REMOTE_RESOURCE_BUCKET',
  'INSTANCE_RESOURCE_PATH', 'SHARED_RESOURCE_PATH',
  // Bulk mode (bulk.md §1.2).
  'COMPRESS_OUTPUT_ALWAYS', 'BUFFER_SIZE',
] as const;

/**
 * Our own settings (psoxy has none of them), environment only: like REQUEST_TIMEOUT_SECONDS they
 * shape the deployment's behaviour, hold nothing secret, and the Terraform modules set them as
 * environment variables (`connector_settings`, a bulk connector's `environment_variables`); a
 * store read for each would cost every cold start a lookup that finds nothing.
 */
const OUR_ENV_ONLY = [
  'MAX_REQUEST_BODY_BYTES', 'MAX_REQUEST_HEADER_BYTES', 'MAX_SOURCE_RESPONSE_BYTES', 'MAX_SOURCE_JSON_VALUES',
  'MAX_CONCURRENT_SOURCE_REQUESTS', 'SOURCE_ERROR_BODY', 'LEAK_GUARD', 'BULK_MAX_RECORD_BYTES',
] as const;

/** psoxy's secret store: the salt and keys (the shared namespace holds the first two). */
const REMOTE = [
  'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY', 'SALT_IP', 'ENCRYPTION_KEY_IP', 'SALT_EMAIL_DOMAINS', 'ENCRYPTION_KEY_EMAIL_DOMAINS',
] as const;

/**
 * Environment or store: RULES (psoxy's Terraform puts custom rules in a parameter / secret), the
 * async settings, and every property an auth strategy reads (ids, secrets, tokens, endpoints,
 * grant settings: psoxy's default for them; our Terraform modules have the admin fill Microsoft's
 * CLIENT_ID and REFRESH_ENDPOINT in the store).
 * Listed for the record: anything not listed gets this source too (bulk's OUTPUT_BUCKET,
 * INPUT_BASE_PATH and OUTPUT_BASE_PATH, whose source the spec leaves open: read once per container).
 */
const ENV_OR_REMOTE = [
  'RULES', 'ASYNC_API_REQUEST_QUEUE_URL', 'ASYNC_PUB_SUB_QUEUE', 'SERVICE_URL', 'ADDITIONAL_TRANSFORMS', 'BULK_OUTPUT_FORMAT',
  'GRANT_TYPE', 'REFRESH_ENDPOINT', 'CLIENT_ID', 'CLIENT_SECRET', 'ACCOUNT_ID', 'ACCESS_TOKEN', 'REFRESH_TOKEN',
  'OAUTH_REFRESH_TOKEN', 'USE_SHARED_TOKEN', 'ACCESS_TOKEN_CACHEABLE', 'TOKEN_RESPONSE_TYPE', 'TOKEN_SCOPE',
  'CREDENTIALS_FLOW', 'PRIVATE_KEY_ID', 'PRIVATE_KEY', 'SERVICE_ACCOUNT_KEY', 'OAUTH_SCOPES', 'BASIC_AUTH_USER_ID',
  'BASIC_AUTH_PASSWORD', 'ADMIN_API_KEY', 'SERVICE_KEY', 'API_TOKEN', 'IDENTITY_POOL_ID', 'AUDIENCE', 'IDENTITY_ID',
  'DEVELOPER_NAME_ID',
] as const;

const entries = (source: PropertySource, names: readonly string[]) => names.map((p): [string, PropertySource] => [p, source]);

export const PROPERTY_SOURCES: Readonly<Record<string, PropertySource>> = Object.freeze(Object.fromEntries([
  ...entries('env-or-remote', ENV_OR_REMOTE),
  ...entries('remote', REMOTE),
  ...entries('env', [...PSOXY_ENV_ONLY, ...OUR_ENV_ONLY]),
]));

export function propertySource(property: string): PropertySource {
  return Object.hasOwn(PROPERTY_SOURCES, property) ? PROPERTY_SOURCES[property] : 'env-or-remote';
}

/** Whether the stores are ever asked for a property. */
export function readFromStores(property: string): boolean {
  return propertySource(property) !== 'env';
}
