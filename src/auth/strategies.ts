/**
 * Builds the `SourceAuth` named by `SOURCE_AUTH_STRATEGY_IDENTIFIER` from configuration. Each
 * strategy is one entry of STRATEGIES: the settings it needs (checked without contacting anything,
 * for the health check and the runtime build) and how it is built.
 */
import { InvalidConfigError, MissingConfigError, type ConfigService } from '../config/config-service.ts';
import { basicAuth, staticBearerAuth, type SourceAuth } from './source-auth.ts';
import { bearerFromManager, OAuthTokenManager, type TokenTimings } from './oauth-token-manager.ts';
import { GRANTS, grantRequired } from './grants.ts';
import { isHttpsOrLoopback } from '../proxy/target-url.ts';
import type { Logger } from '../logging/logger.ts';
import { gcpServiceAccountKey } from './google-service-account.ts';
import { claudeAdminApiKey } from './claude-admin-api-key.ts';
import { windsurfServiceKey } from './windsurf-service-key.ts';
import { qualtricsApiToken } from './qualtrics-api-token.ts';

export interface AuthDeps {
  fetch: typeof fetch;
  logger: Logger;
  userAgent: string;
  timings?: Partial<TokenTimings>;
  /** Bound on one token exchange (psoxy: min(30 s, REQUEST_TIMEOUT_SECONDS)). */
  timeoutMs?: number;
}

type ConfigProblem = MissingConfigError | InvalidConfigError;

export interface StrategyDefinition {
  /** The settings the strategy reads, all required, as configured (they may depend on GRANT_TYPE). */
  required(config: ConfigService): Promise<readonly string[]>;
  /** Problems with values that are present (a setting out of its choices, a URL that is not https). */
  invalid?(config: ConfigService): Promise<InvalidConfigError[]>;
  create(config: ConfigService, deps: AuthDeps): Promise<SourceAuth>;
}

const oauth2RefreshToken: StrategyDefinition = {
  required: async (config) => {
    const grantType = (await config.get('GRANT_TYPE')) ?? '';
    const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
    return ['GRANT_TYPE', 'REFRESH_ENDPOINT', ...(grant ? await grantRequired(grant, config) : [])];
  },
  invalid: async (config) => {
    const problems: InvalidConfigError[] = [];
    const grantType = await config.get('GRANT_TYPE');
    if (grantType !== undefined && !Object.hasOwn(GRANTS, grantType)) {
      problems.push(new InvalidConfigError(`GRANT_TYPE ${grantType} is not supported yet (supported: ${Object.keys(GRANTS).join(', ')})`, 'GRANT_TYPE'));
    } else if (grantType !== undefined) {
      problems.push(...((await GRANTS[grantType].invalid?.(config)) ?? []));
    }
    const endpoint = await config.get('REFRESH_ENDPOINT');
    const why = endpoint === undefined ? null : refreshEndpointProblem(endpoint);
    if (why !== null) problems.push(new InvalidConfigError(why, 'REFRESH_ENDPOINT'));
    return problems;
  },
  create: async (config, deps) => {
    const grantType = await config.require('GRANT_TYPE');
    const definition = GRANTS[grantType];
    const grant = await definition.create(config, (await config.require('REFRESH_ENDPOINT')).trim(), deps);
    const store = config.writableInstanceStore();
    const useShared = await config.bool('USE_SHARED_TOKEN', definition.sharedByDefault);
    const manager = new OAuthTokenManager({
      grant,
      shared: useShared && store
        ? { store, tokenName: `${config.instancePrefix}ACCESS_TOKEN`, lockName: `${config.instancePrefix}OAUTH_REFRESH_TOKEN` }
        : undefined,
      timings: deps.timings,
      logger: deps.logger,
    });
    return bearerFromManager(() => manager);
  },
};

export const STRATEGIES: Readonly<Record<string, StrategyDefinition>> = {
  oauth2_refresh_token: oauth2RefreshToken,
  gcp_service_account_key: gcpServiceAccountKey,
  oauth2_access_token: {
    required: async () => ['ACCESS_TOKEN'],
    create: async (config) => staticBearerAuth(await config.require('ACCESS_TOKEN')),
  },
  // psoxy: the password defaults to empty (Cursor: its API key is the user id, trimmed here).
  basic_auth: {
    required: async () => ['BASIC_AUTH_USER_ID'],
    create: async (config) => basicAuth((await config.require('BASIC_AUTH_USER_ID')).trim(), (await config.get('BASIC_AUTH_PASSWORD')) ?? ''),
  },
  claude_admin_api_key: claudeAdminApiKey,
  windsurf_service_key: windsurfServiceKey,
  qualtrics_api_token: qualtricsApiToken,
};

/**
 * Everything that would stop `createSourceAuth`, each error naming its setting (and where it was
 * looked for): the health check and the runtime build report these without contacting anything.
 */
export async function authSettingProblems(config: ConfigService): Promise<ConfigProblem[]> {
  const id = await config.get('SOURCE_AUTH_STRATEGY_IDENTIFIER');
  if (id === undefined) return [new MissingConfigError('SOURCE_AUTH_STRATEGY_IDENTIFIER', config.lookedIn('SOURCE_AUTH_STRATEGY_IDENTIFIER'))];
  const strategy = Object.hasOwn(STRATEGIES, id) ? STRATEGIES[id] : undefined;
  if (!strategy) return [new InvalidConfigError(`SOURCE_AUTH_STRATEGY_IDENTIFIER ${id} is not supported (supported: ${Object.keys(STRATEGIES).join(', ')})`, 'SOURCE_AUTH_STRATEGY_IDENTIFIER')];
  const problems: ConfigProblem[] = [];
  for (const p of await strategy.required(config)) {
    if ((await config.get(p)) === undefined) problems.push(new MissingConfigError(p, config.lookedIn(p)));
  }
  return [...problems, ...((await strategy.invalid?.(config)) ?? [])];
}

/** The token endpoint gets the client secret: https only (http for loopback test servers). */
function refreshEndpointProblem(endpoint: string): string | null {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    return 'REFRESH_ENDPOINT is not a URL';
  }
  return isHttpsOrLoopback(url) ? null : 'REFRESH_ENDPOINT must be an https URL';
}

export async function createSourceAuth(config: ConfigService, deps: AuthDeps): Promise<SourceAuth> {
  const problem = (await authSettingProblems(config))[0];
  if (problem) throw problem;
  return STRATEGIES[await config.require('SOURCE_AUTH_STRATEGY_IDENTIFIER')].create(config, deps);
}
