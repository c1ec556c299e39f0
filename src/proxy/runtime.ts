/**
 * Per-process state the proxy builds on the first request that needs it (and rebuilds after a
 * failure, as psoxy does): rules, pseudonymizer, source auth, bounds and response policies.
 */
import { createHash } from 'node:crypto';
import { InvalidConfigError, type ConfigService } from '../config/config-service.ts';
import { pseudonymizerFromConfig } from '../config/pseudonymizer-config.ts';
import { loadApiRules, RulesError } from '../rules/load.ts';
import type { ApiRules } from '../rules/types.ts';
import { Sanitizer } from '../sanitizer/sanitizer.ts';
import { createSourceAuth } from '../auth/strategies.ts';
import type { SourceAuth } from '../auth/source-auth.ts';
import type { TokenTimings } from '../auth/oauth-token-manager.ts';
import type { Logger } from '../logging/logger.ts';
import { parseLeakGuardMode, type LeakGuardMode } from '../guard/leak-guard.ts';
import { ProxyError } from './errors.ts';
import { targetBase } from './target-url.ts';
import { DEFAULT_USER_AGENT, saltSha256Hash } from './health.ts';
import { loadRulesText } from './rules-source.ts';
import { limitsFromConfig, type ProxyLimits } from './limits.ts';
import { RUNTIME_PROPERTIES } from './properties.ts';
import { parseSourceErrorBodyMode, type SourceErrorBodyMode } from './source-error.ts';

/** The strictest mode under which psoxy's conformance outputs and the demo pass (SECURITY.md). */
export const DEFAULT_LEAK_GUARD: LeakGuardMode = 'block';

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

export async function buildRuntime(config: ConfigService, deps: RuntimeDeps): Promise<Runtime> {
  // One batch read from the remote stores instead of one call per property.
  await config.prefetch(RUNTIME_PROPERTIES);
  const base = targetBase(await config.require('TARGET_HOST'));
  const { text, file } = await loadRulesText(config);
  const rules = compileRules(text, file, deps.logger);
  const pseudonymizer = await pseudonymizerFromConfig(config);
  const impl = await config.get('PSEUDONYM_IMPLEMENTATION');
  if (impl !== undefined && impl !== 'v0.4') throw new InvalidConfigError(`PSEUDONYM_IMPLEMENTATION ${impl} is not supported (only v0.4; LEGACY v0.3 is no longer supported)`);
  const timeoutSeconds = Number((await config.get('REQUEST_TIMEOUT_SECONDS')) ?? 180);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new InvalidConfigError('REQUEST_TIMEOUT_SECONDS must be a positive number');
  const userAgent = (await config.get('USER_AGENT')) ?? DEFAULT_USER_AGENT;
  // Key derivation overlaps the first upstream call; awaited before the first sanitization.
  const keysReady = pseudonymizer.warmUp().catch((e: unknown) => {
    // The synchronous derivation on first use will fail the same way, closed; say why here.
    deps.logger.warn('key derivation failed ahead of the first request', { reason: (e as Error).name });
  });
  return {
    keysReady,
    sanitizer: new Sanitizer(rules, pseudonymizer),
    rulesSha: createHash('sha1').update(text).digest('hex'),
    saltHash: saltSha256Hash(await config.require('PSOXY_SALT')),
    base,
    auth: await createSourceAuth(config, { fetch: deps.fetch, logger: deps.logger, userAgent, timings: deps.tokenTimings, timeoutMs: Math.min(30_000, timeoutSeconds * 1000) }),
    allowedHeaders: rules.allowedRequestHeaders ?? [],
    timeoutMs: timeoutSeconds * 1000,
    followRedirects: (await config.get('FOLLOW_REDIRECTS'))?.trim().toLowerCase() !== 'false',
    developmentMode: await config.bool('IS_DEVELOPMENT_MODE', false),
    prefixToTrim: await config.get('REQUEST_PATH_PREFIX_TO_TRIM'),
    userAgent,
    limits: await limitsFromConfig(config),
    sourceErrorBody: await config.parsed('SOURCE_ERROR_BODY', parseSourceErrorBodyMode),
    leakGuard: await config.parsed('LEAK_GUARD', (v) => parseLeakGuardMode(v, DEFAULT_LEAK_GUARD)),
    logVocabulary: new Set(rules.endpoints.flatMap((e) => `${e.pathTemplate ?? ''} ${e.pathRegex ?? ''}`.match(/[A-Za-z0-9_]+/g) ?? [])),
  };
}

function compileRules(text: string, file: string, logger: Logger): ApiRules {
  try {
    return loadApiRules(text, file);
  } catch (e) {
    if (!(e instanceof RulesError)) throw e;
    logger.error('rules are invalid', { reason: e.message });
    throw new ProxyError(500, e.problem.startsWith('invalid YAML') ? 'RULES_INVALID_YAML' : 'RULES_INVALID', 'Error loading sanitizer rules', e.message);
  }
}
