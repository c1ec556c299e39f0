/**
 * The health check (api-proxy.md §1.9): psoxy's fields, alphabetical, compact JSON + CRLF, plus
 * `problems`: the verdict of the same configuration check the runtime build runs, so "healthy"
 * means data calls will not fail on configuration.
 */
import { createHash } from 'node:crypto';
import type { ConfigService } from '../config/config-service.ts';
import { TransientConfigError } from '../config/store.ts';
import type { Logger } from '../logging/logger.ts';
import { checkConfiguration } from './configuration.ts';
import { RUNTIME_PROPERTIES } from './properties.ts';

export const PSOXY_COMPAT_VERSION = 'v0.6.9';
export const DEFAULT_USER_AGENT = `psoxy-ts (API Data Sanitization; psoxy ${PSOXY_COMPAT_VERSION} compatible; Node/${process.versions.node})`;

/** psoxy's `X-Psoxy-PII-Salt-Sha256` / `saltSha256Hash`: lets clients check the salt without seeing it. */
export function saltSha256Hash(salt: string): string {
  return createHash('sha256').update(salt + 'f33c366c-ae91-4819-b221-f9794ebb8145', 'utf8').digest('base64')
    .replace(/=+$/, '').replace(/[/+]/g, (c) => (c === '/' ? '_' : '.'));
}

export interface HealthProblem {
  setting: string;
  message: string;
}

export interface HealthFacts {
  bundleFilename: string | null;
  callerIp: string | null;
  clientIpAuthorized: boolean | null; // null: no allow-list configured
  configuredHost: string | null;
  configuredSource: string | null;
  missingConfigProperties: string[];
  /** Each problem, by setting, saying where it was looked for. */
  problems: HealthProblem[];
  salt: string | null;
  pseudonymImplementation: string | null;
  pseudonymizeAppIds: boolean | null;
  rules: string | null;
  sourceAuthGrantType: string | null;
  sourceAuthStrategy: string | null;
  userAgent: string;
  warningMessages: string[];
}

export function healthResponse(f: HealthFacts): Response {
  const version = (f.bundleFilename && /psoxy-[^-]*-(.*)\.jar/.exec(f.bundleFilename)?.[1]) || PSOXY_COMPAT_VERSION;
  const body: Record<string, unknown> = {
    bundleFilename: f.bundleFilename,
    callerIp: f.callerIp ?? 'unknown',
    ...(f.clientIpAuthorized !== null ? { clientIpAuthorized: f.clientIpAuthorized } : {}),
    configPropertiesLastModified: {},
    configuredHost: f.configuredHost,
    configuredSource: f.configuredSource,
    javaSourceCodeVersion: PSOXY_COMPAT_VERSION,
    missingConfigProperties: f.missingConfigProperties,
    nonDefaultSalt: f.salt !== null,
    problems: f.problems,
    ...(f.pseudonymImplementation !== null ? { pseudonymImplementation: f.pseudonymImplementation } : {}),
    pseudonymizeAppIds: f.pseudonymizeAppIds,
    ...(f.rules !== null ? { rules: f.rules } : {}),
    saltSha256Hash: f.salt !== null ? saltSha256Hash(f.salt) : null,
    sourceAuthGrantType: f.sourceAuthGrantType,
    sourceAuthStrategy: f.sourceAuthStrategy,
    userAgent: f.userAgent,
    version,
    warningMessages: f.warningMessages,
  };
  const passed = f.problems.length === 0 && f.clientIpAuthorized !== false;
  return new Response(JSON.stringify(body) + '\r\n', { status: passed ? 200 : 412, headers: { 'Content-Type': 'application/json' } });
}

const MISSING_REFRESH_INTERVAL_MS = 5_000;

/**
 * The health check; a store that cannot be read answers 412 naming the store, the parameter
 * and the cause (psoxy: an empty 503).
 */
export async function healthCheck(config: ConfigService, clientIp: string | null, ipAuthorized: () => Promise<boolean | null>, logger: Logger): Promise<Response> {
  try {
    return await gatherHealth(config, clientIp, await ipAuthorized());
  } catch (e) {
    if (!(e instanceof TransientConfigError)) throw e;
    logger.error('health check: configuration store unavailable', { reason: e.message });
    return healthResponse({
      bundleFilename: null, callerIp: clientIp, clientIpAuthorized: null, configuredHost: null, configuredSource: null,
      missingConfigProperties: [], problems: [{ setting: 'configuration store', message: e.message }], salt: null, pseudonymImplementation: null, pseudonymizeAppIds: null, rules: null,
      sourceAuthGrantType: null, sourceAuthStrategy: null, userAgent: DEFAULT_USER_AGENT, warningMessages: [e.message],
    });
  }
}

/** The health facts: the configuration check's problems, psoxy's fields, who is asking. */
async function gatherHealth(config: ConfigService, clientIp: string | null, clientIpAuthorized: boolean | null): Promise<Response> {
  await config.prefetch([...RUNTIME_PROPERTIES, 'BUNDLE_FILENAME']);
  const checked = (await checkConfiguration(config)).problems;
  const missing = [...new Set(checked.filter((p) => p.missing).map((p) => p.setting))];
  const problems: HealthProblem[] = checked.map(({ setting, message }) => ({ setting, message }));
  const source = (await config.get('SOURCE')) ?? null;
  // psoxy's health check requires SOURCE even where RULES makes it unnecessary for data calls.
  if (source === null) {
    missing.push('SOURCE');
    problems.push({ setting: 'SOURCE', message: `missing configuration SOURCE (looked in: ${config.lookedIn('SOURCE').join('; ')})` });
  }
  // What is missing is read again next time (at most every few seconds): an admin filling it
  // sees the result at once.
  config.refreshAtMostEvery('health check', MISSING_REFRESH_INTERVAL_MS, missing);
  // Where values were looked for (and refused) is for callers the allow-list admits.
  const shown = clientIpAuthorized === false
    ? problems.map(({ setting }) => ({ setting, message: `${setting}: details are shown to callers ALLOWED_DATA_ACCESS_IP_BLOCKS admits` }))
    : problems;
  const warnings = shown.map((p) => p.message);
  for (const p of clientIpAuthorized === false ? [] : missing) {
    const refused = config.refusedPlaces(p);
    if (refused.length) warnings.push(`${p} could not be read: ${refused.join('; ')}`);
  }
  if (clientIpAuthorized === false) warnings.push('Client IP is not authorized to access this proxy instance.');
  return healthResponse({
    bundleFilename: (await config.get('BUNDLE_FILENAME')) ?? null,
    callerIp: clientIp,
    clientIpAuthorized,
    configuredHost: (await config.get('TARGET_HOST')) ?? null,
    configuredSource: source,
    missingConfigProperties: missing,
    problems: shown,
    salt: (await config.get('PSOXY_SALT')) ?? null,
    pseudonymImplementation: (await config.get('PSEUDONYM_IMPLEMENTATION')) ?? null,
    pseudonymizeAppIds: (await config.get('PSEUDONYMIZE_APP_IDS')) === undefined ? null : await config.bool('PSEUDONYMIZE_APP_IDS', false),
    rules: (await config.get('RULES')) ?? null,
    sourceAuthGrantType: (await config.get('GRANT_TYPE')) ?? null,
    sourceAuthStrategy: (await config.get('SOURCE_AUTH_STRATEGY_IDENTIFIER')) ?? null,
    userAgent: (await config.get('USER_AGENT')) ?? DEFAULT_USER_AGENT,
    warningMessages: warnings,
  });
}
