/**
 * The one check of everything a data call needs from the configuration: TARGET_HOST usable, rules
 * loaded and compiled, the salt (and the key when the rules make reversible tokens), the
 * pseudonymizer's and the proxy's own settings parsed, the source's auth settings complete. The
 * runtime build and the health check both run it, so they cannot disagree: a configuration the
 * health check passes builds a runtime, and one it fails answers data calls with the same
 * problems. Only the configuration is read; nothing is contacted.
 */
import { InvalidConfigError, MissingConfigError, type ConfigService } from '../config/config-service.ts';
import { pseudonymizerFromConfig } from '../config/pseudonymizer-config.ts';
import { loadApiRulesLazily, RulesError } from '../rules/bind-api.ts';
import { Sanitizer } from '../sanitizer/sanitizer.ts';
import { Pseudonymizer } from '../pseudonym/pseudonymizer.ts';
import { authSettingProblems } from '../auth/strategies.ts';
import { parseLeakGuardMode, type LeakGuardMode } from '../guard/leak-guard.ts';
import { ProxyError, type PsoxyErrorCode } from './errors.ts';
import { targetBase } from './target-url.ts';
import { loadRulesText, needsEncryptionKey, rulesValueHint } from './rules-source.ts';
import { LIMIT_SETTINGS, limitsFromConfig, type ProxyLimits } from './limits.ts';
import { RUNTIME_PROPERTIES } from './properties.ts';
import { parseSourceErrorBodyMode, type SourceErrorBodyMode } from './source-error.ts';

/** The strictest mode under which psoxy's conformance outputs and the demo pass (SECURITY.md). */
export const DEFAULT_LEAK_GUARD: LeakGuardMode = 'block';

export interface ConfigProblem {
  /** The setting at fault (`RULES`, `TARGET_HOST`, `PSOXY_SALT`…). */
  setting: string;
  /** What is wrong, and where the setting was looked for or read from. */
  message: string;
  /** Absent rather than invalid (psoxy's `missingConfigProperties`). */
  missing: boolean;
  /** The `X-Psoxy-Error` a data call gets for it: psoxy's stage (URL, rules, the rest). */
  code: PsoxyErrorCode;
}

/** What the runtime takes from a configuration without problems. */
export interface ProxySettings {
  base: URL;
  rulesText: string;
  sanitizer: Sanitizer;
  salt: string;
  timeoutMs: number;
  limits: ProxyLimits;
  sourceErrorBody: SourceErrorBodyMode;
  leakGuard: LeakGuardMode;
}

export interface CheckedConfiguration {
  problems: ConfigProblem[];
  /** Null whenever there is a problem. */
  settings: ProxySettings | null;
}

/** psoxy's body for the stage of the first problem (api-proxy.md §1.8), before our list. */
const STAGE_BODY: Partial<Record<PsoxyErrorCode, string>> = {
  FAILED_TO_BUILD_URL: 'Error parsing request URL',
  RULES_INVALID_YAML: 'Error loading sanitizer rules',
  RULES_INVALID: 'Error loading sanitizer rules',
};
const STAGE_ORDER: PsoxyErrorCode[] = ['FAILED_TO_BUILD_URL', 'RULES_INVALID_YAML', 'RULES_INVALID', 'CONFIGURATION_FAILURE'];

/** A data call on a configuration with problems: 500 naming every one, and a log line. */
export class ConfigurationProblemsError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super(problems.map((p) => p.message).join('; '));
    this.problems = problems;
  }

  toProxyError(): ProxyError {
    const code = this.problems[0].code;
    const stage = STAGE_BODY[code];
    return new ProxyError(500, code, stage ? `${stage}: ${this.message}` : this.message, `configuration invalid: ${this.message}`);
  }
}

/** Compiling rules needs no salt: this one only lets rules be checked while the salt is missing. */
const COMPILE_ONLY = new Pseudonymizer({ salt: 'compile-only' });

export async function checkConfiguration(config: ConfigService): Promise<CheckedConfiguration> {
  // One batch read from the remote stores instead of one call per property.
  await config.prefetch(RUNTIME_PROPERTIES);
  const problems: ConfigProblem[] = [];
  const attempt = async <T>(setting: string, code: PsoxyErrorCode, read: () => Promise<T> | T): Promise<T | undefined> => {
    try {
      return await read();
    } catch (e) {
      problems.push(await problemOf(config, e, setting, code));
      return undefined;
    }
  };
  const base = await attempt('TARGET_HOST', 'FAILED_TO_BUILD_URL', async () => targetBase(await config.require('TARGET_HOST')));
  const salt = await attempt('PSOXY_SALT', 'CONFIGURATION_FAILURE', () => config.require('PSOXY_SALT'));
  const pseudonymizer = salt === undefined ? undefined : await attempt('PSOXY_SALT', 'CONFIGURATION_FAILURE', () => pseudonymizerFromConfig(config));
  const rulesText = await attempt('RULES', 'RULES_INVALID', () => loadRulesText(config));
  const sanitizer = rulesText && await attempt('RULES', 'RULES_INVALID', async () => {
    try {
      return new Sanitizer(await loadApiRulesLazily(rulesText.text, rulesText.file), pseudonymizer ?? COMPILE_ONLY);
    } catch (e) {
      if (e instanceof RulesError) throw new RulesError(e.file, e.line, e.problem + rulesValueHint(rulesText));
      throw e;
    }
  });
  if (sanitizer && needsEncryptionKey(sanitizer.rules) && (await config.get('PSOXY_ENCRYPTION_KEY')) === undefined) {
    const why = new MissingConfigError('PSOXY_ENCRYPTION_KEY', config.lookedIn('PSOXY_ENCRYPTION_KEY'));
    problems.push({ setting: why.property, message: `${why.message}: the rules make reversible tokens`, missing: true, code: 'CONFIGURATION_FAILURE' });
  }
  await attempt('PSEUDONYM_IMPLEMENTATION', 'CONFIGURATION_FAILURE', async () => {
    const impl = await config.get('PSEUDONYM_IMPLEMENTATION');
    if (impl !== undefined && impl !== 'v0.4') throw new InvalidConfigError(`PSEUDONYM_IMPLEMENTATION ${impl} is not supported (only v0.4; LEGACY v0.3 is no longer supported)`);
  });
  const timeoutMs = await attempt('REQUEST_TIMEOUT_SECONDS', 'CONFIGURATION_FAILURE', () => config.parsed('REQUEST_TIMEOUT_SECONDS', (raw) => {
    const seconds = Number(raw ?? 180);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`REQUEST_TIMEOUT_SECONDS must be a positive number (was ${JSON.stringify(raw?.slice(0, 40))})`);
    return seconds * 1000;
  }));
  const limits = await attempt(LIMIT_SETTINGS.join(', '), 'CONFIGURATION_FAILURE', () => limitsFromConfig(config));
  const sourceErrorBody = await attempt('SOURCE_ERROR_BODY', 'CONFIGURATION_FAILURE', () => config.parsed('SOURCE_ERROR_BODY', parseSourceErrorBodyMode));
  const leakGuard = await attempt('LEAK_GUARD', 'CONFIGURATION_FAILURE', () => config.parsed('LEAK_GUARD', (v) => parseLeakGuardMode(v, DEFAULT_LEAK_GUARD)));
  for (const e of await authSettingProblems(config)) problems.push(await problemOf(config, e, 'SOURCE_AUTH_STRATEGY_IDENTIFIER', 'CONFIGURATION_FAILURE'));
  problems.sort((a, b) => STAGE_ORDER.indexOf(a.code) - STAGE_ORDER.indexOf(b.code));
  // Without problems, every value was read and the sanitizer holds the real pseudonymizer.
  const complete = problems.length === 0 && base && salt !== undefined && pseudonymizer && rulesText && sanitizer && timeoutMs !== undefined && limits && sourceErrorBody && leakGuard;
  return { problems, settings: complete ? { base, rulesText: rulesText.text, sanitizer, salt, timeoutMs, limits, sourceErrorBody, leakGuard } : null };
}

/** A configuration error as a problem; anything else (a store outage, a bug) is not one and goes on. */
async function problemOf(config: ConfigService, e: unknown, setting: string, code: PsoxyErrorCode): Promise<ConfigProblem> {
  if (e instanceof MissingConfigError) return { setting: e.property, message: e.message, missing: true, code };
  if (e instanceof RulesError) return { setting, message: e.message, missing: false, code: e.problem.startsWith('invalid YAML') ? 'RULES_INVALID_YAML' : 'RULES_INVALID' };
  if (!(e instanceof InvalidConfigError)) throw e;
  const at = e.setting ?? setting;
  if (e.message.includes('(looked in:')) return { setting: at, message: e.message, missing: false, code };
  const { from } = await config.locate(at);
  return { setting: at, message: from ? `${e.message} (read from ${from})` : e.message, missing: false, code };
}
