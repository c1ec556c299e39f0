/** The health check (api-proxy.md §1.9): psoxy's fields, alphabetical, compact JSON + CRLF. */
import { createHash } from 'node:crypto';

export const PSOXY_COMPAT_VERSION = 'v0.6.9';

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
