/**
 * Per-process state the proxy builds on the first request that needs it (and rebuilds after a
 * failure, as psoxy does): rules, pseudonymizer, source auth, bounds and response policies.
 */
import { createHash } from 'node:crypto';
import type { ConfigService } from '../config/config-service.ts';
import type { Sanitizer } from '../sanitizer/sanitizer.ts';
import { createSourceAuth } from '../auth/strategies.ts';
import type { SourceAuth } from '../auth/source-auth.ts';
import type { TokenTimings } from '../auth/oauth-token-manager.ts';
import type { Logger } from '../logging/logger.ts';
import type { LeakGuardMode } from '../guard/leak-guard.ts';
import { DEFAULT_USER_AGENT, saltSha256Hash } from './health.ts';
import type { ProxyLimits } from './limits.ts';
import type { SourceErrorBodyMode } from './source-error.ts';
import { checkConfiguration, ConfigurationProblemsError } from './configuration.ts';

export interface Runtime {
  sanitizer: Sanitizer;
  keysReady: Promise<void>;
  rulesSha: string;
  saltHash: string;
  base: URL;
  auth: SourceAuth;
  allowedHeaders: string[];
  timeoutMs: number;
  followRedirects: boolean;
  developmentMode: boolean;
  prefixToTrim: string | undefined;
  userAgent: string;
  limits: ProxyLimits;
  sourceErrorBody: SourceErrorBodyMode;
  leakGuard: LeakGuardMode;
  /** Path words that appear in the rules: the only path segments ever logged. */
  logVocabulary: Set<string>;
}

export interface RuntimeDeps {
  fetch: typeof fetch;
  logger: Logger;
  tokenTimings?: Partial<TokenTimings>;
}

/** The runtime, or `ConfigurationProblemsError` naming every problem the health check names. */
export async function buildRuntime(config: ConfigService, deps: RuntimeDeps): Promise<Runtime> {
  const { problems, settings: s } = await checkConfiguration(config);
  if (s === null) throw new ConfigurationProblemsError(problems);
  const userAgent = (await config.get('USER_AGENT')) ?? DEFAULT_USER_AGENT;
  // Key derivation overlaps the first upstream call; awaited before the first sanitization.
  const keysReady = s.sanitizer.pseudonymizer.warmUp().catch((e: unknown) => {
    // The synchronous derivation on first use will fail the same way, closed; say why here.
    deps.logger.warn('key derivation failed ahead of the first request', { reason: (e as Error).name });
  });
  const rules = s.sanitizer.rules;
  // The verdict a cloud runtime logs on its first call (the health check gives the same one).
  deps.logger.info('configuration checked: no problems', { targetHost: s.base.host });
  return {
    keysReady,
    sanitizer: s.sanitizer,
    rulesSha: createHash('sha1').update(s.rulesText).digest('hex'),
    saltHash: saltSha256Hash(s.salt),
    base: s.base,
    auth: await createSourceAuth(config, { fetch: deps.fetch, logger: deps.logger, userAgent, timings: deps.tokenTimings, timeoutMs: Math.min(30_000, s.timeoutMs) }),
    allowedHeaders: rules.allowedRequestHeaders ?? [],
    timeoutMs: s.timeoutMs,
    followRedirects: (await config.get('FOLLOW_REDIRECTS'))?.trim().toLowerCase() !== 'false',
    developmentMode: await config.bool('IS_DEVELOPMENT_MODE', false),
    prefixToTrim: await config.get('REQUEST_PATH_PREFIX_TO_TRIM'),
    userAgent,
    limits: s.limits,
    sourceErrorBody: s.sourceErrorBody,
    leakGuard: s.leakGuard,
    logVocabulary: new Set(rules.endpoints.flatMap((e) => `${e.pathTemplate ?? ''} ${e.pathRegex ?? ''}`.match(/[A-Za-z0-9_]+/g) ?? [])),
  };
}
