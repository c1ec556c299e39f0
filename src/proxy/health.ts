/** The health check (api-proxy.md §1.9): psoxy's fields, alphabetical, compact JSON + CRLF. */
import { createHash } from 'node:crypto';
import type { ConfigService } from '../config/config-service.ts';
import { TransientConfigError } from '../config/store.ts';
import type { Logger } from '../logging/logger.ts';
import { loadApiRules } from '../rules/load.ts';
import { requiredAuthProperties } from '../auth/strategies.ts';
import { loadRulesText, needsEncryptionKey } from './rules-source.ts';
import { targetBase } from './target-url.ts';
import { RUNTIME_PROPERTIES } from './properties.ts';

export const PSOXY_COMPAT_VERSION = 'v0.6.9';
export const DEFAULT_USER_AGENT = `psoxy-ts (API Data Sanitization; psoxy ${PSOXY_COMPAT_VERSION} compatible; Node/${process.versions.node})`;

/** psoxy's `X-Psoxy-PII-Salt-Sha256` / `saltSha256Hash`: lets clients check the salt without seeing it. */
export function saltSha256Hash(salt: string): string {
  return createHash('sha256').update(salt + 'f33c366c-ae91-4819-b221-f9794ebb8145', 'utf8').digest('base64')
    .replace(/=+$/, '').replace(/[/+]/g, (c) => (c === '/' ? '_' : '.'));
}

export interface HealthFacts {
  bundleFilename: string | null;
  callerIp: string | null;
  clientIpAuthorized: boolean | null; // null: no allow-list configured
  configuredHost: string | null;
  configuredSource: string | null;
  missingConfigProperties: string[];
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
  const passed = f.configuredSource !== null && f.salt !== null && f.missingConfigProperties.length === 0 && f.clientIpAuthorized !== false;
  return new Response(JSON.stringify(body) + '\r\n', { status: passed ? 200 : 412, headers: { 'Content-Type': 'application/json' } });
}

/** Gathers the health facts from config: what is missing, what the rules need, who is asking. */
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
      missingConfigProperties: [], salt: null, pseudonymImplementation: null, pseudonymizeAppIds: null, rules: null,
      sourceAuthGrantType: null, sourceAuthStrategy: null, userAgent: DEFAULT_USER_AGENT, warningMessages: [e.message],
    });
  }
}

async function gatherHealth(config: ConfigService, clientIp: string | null, clientIpAuthorized: boolean | null): Promise<Response> {
  await config.prefetch([...RUNTIME_PROPERTIES, 'BUNDLE_FILENAME']);
  const warnings: string[] = [];
  const missing: string[] = [];
  const targetHost = await config.get('TARGET_HOST');
  try {
    if (targetHost === undefined) missing.push('TARGET_HOST');
    else targetBase(targetHost);
  } catch {
    missing.push('TARGET_HOST');
  }
  const strategy = await config.get('SOURCE_AUTH_STRATEGY_IDENTIFIER');
  const grantType = await config.get('GRANT_TYPE');
  for (const p of requiredAuthProperties(strategy, grantType)) if ((await config.get(p)) === undefined) missing.push(p);
  const rules = await config.get('RULES');
  try {
    const { text, file } = await loadRulesText(config);
    if (needsEncryptionKey(loadApiRules(text, file)) && (await config.get('PSOXY_ENCRYPTION_KEY')) === undefined) missing.push('PSOXY_ENCRYPTION_KEY');
  } catch (e) {
    warnings.push(`${rules !== undefined ? 'RULES configuration error' : 'rules'}: ${(e as Error).message}`);
  }
  // What is missing is read again next time (at most every few seconds): an admin filling it
  // sees the result at once.
  config.refreshAtMostEvery('health check', MISSING_REFRESH_INTERVAL_MS, missing);
  // Where a refused value was looked for is for callers the allow-list admits.
  for (const p of clientIpAuthorized === false ? [] : missing) {
    const refused = config.refusedPlaces(p);
    if (refused.length) warnings.push(`${p} could not be read: ${refused.join('; ')}`);
  }
  if (clientIpAuthorized === false) warnings.push('Client IP is not authorized to access this proxy instance.');
  const salt = (await config.get('PSOXY_SALT')) ?? null;
  if (salt === null) warnings.push(`PSOXY_SALT is missing (looked in: ${config.lookedIn('PSOXY_SALT').join('; ')})`);
  return healthResponse({
    bundleFilename: (await config.get('BUNDLE_FILENAME')) ?? null,
    callerIp: clientIp,
    clientIpAuthorized,
    configuredHost: targetHost ?? null,
    configuredSource: (await config.get('SOURCE')) ?? null,
    missingConfigProperties: missing,
    salt,
    pseudonymImplementation: (await config.get('PSEUDONYM_IMPLEMENTATION')) ?? null,
    pseudonymizeAppIds: (await config.get('PSEUDONYMIZE_APP_IDS')) === undefined ? null : await config.bool('PSEUDONYMIZE_APP_IDS', false),
    rules: rules ?? null,
    sourceAuthGrantType: grantType ?? null,
    sourceAuthStrategy: strategy ?? null,
    userAgent: (await config.get('USER_AGENT')) ?? DEFAULT_USER_AGENT,
    warningMessages: warnings,
  });
}
