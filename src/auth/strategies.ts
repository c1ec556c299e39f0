/** Builds the `SourceAuth` named by `SOURCE_AUTH_STRATEGY_IDENTIFIER` from configuration. */
import { InvalidConfigError, MissingConfigError, type ConfigService } from '../config/config-service.ts';
import { basicAuth, staticBearerAuth, type SourceAuth } from './source-auth.ts';
import { OAuthTokenManager, type TokenTimings } from './oauth-token-manager.ts';
import { requestAccountCredentialsToken } from './account-credentials.ts';
import { rotatingGrant } from './credential-rotation.ts';
import { isLoopback } from '../proxy/target-url.ts';
import type { Logger } from '../logging/logger.ts';

export interface AuthDeps {
  fetch: typeof fetch;
  logger: Logger;
  userAgent: string;
  timings?: Partial<TokenTimings>;
  /** Bound on one token exchange (psoxy: min(30 s, REQUEST_TIMEOUT_SECONDS)). */
  timeoutMs?: number;
}

const STRATEGIES = ['oauth2_refresh_token', 'oauth2_access_token', 'basic_auth'];
const GRANT_TYPES = ['account_credentials'];

/** The settings each strategy reads (all required). */
function requiredAuthSettings(strategy: string): string[] {
  switch (strategy) {
    case 'oauth2_refresh_token': return ['GRANT_TYPE', 'REFRESH_ENDPOINT', 'ACCOUNT_ID', 'CLIENT_ID', 'CLIENT_SECRET'];
    case 'oauth2_access_token': return ['ACCESS_TOKEN'];
    case 'basic_auth': return ['BASIC_AUTH_USER_ID', 'BASIC_AUTH_PASSWORD'];
    default: return [];
  }
}

/**
 * Everything that would stop `createSourceAuth`, each error naming its setting (and where it was
 * looked for): the health check and the runtime build report these without contacting anything.
 */
export async function authSettingProblems(config: ConfigService): Promise<(MissingConfigError | InvalidConfigError)[]> {
  const strategy = await config.get('SOURCE_AUTH_STRATEGY_IDENTIFIER');
  if (strategy === undefined) return [new MissingConfigError('SOURCE_AUTH_STRATEGY_IDENTIFIER', config.lookedIn('SOURCE_AUTH_STRATEGY_IDENTIFIER'))];
  if (!STRATEGIES.includes(strategy)) return [new InvalidConfigError(`SOURCE_AUTH_STRATEGY_IDENTIFIER ${strategy} is not supported (supported: ${STRATEGIES.join(', ')})`, 'SOURCE_AUTH_STRATEGY_IDENTIFIER')];
  const problems: (MissingConfigError | InvalidConfigError)[] = [];
  for (const p of requiredAuthSettings(strategy)) {
    const value = await config.get(p);
    if (value === undefined) problems.push(new MissingConfigError(p, config.lookedIn(p)));
    else if (p === 'GRANT_TYPE' && !GRANT_TYPES.includes(value)) problems.push(new InvalidConfigError(`GRANT_TYPE ${value} is not supported yet (supported: ${GRANT_TYPES.join(', ')})`, 'GRANT_TYPE'));
    else if (p === 'REFRESH_ENDPOINT') {
      const why = refreshEndpointProblem(value);
      if (why !== null) problems.push(new InvalidConfigError(why, 'REFRESH_ENDPOINT'));
    }
  }
  return problems;
}

/** The token endpoint gets the client secret: https only (http for loopback test servers). */
function refreshEndpointProblem(endpoint: string): string | null {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    return 'REFRESH_ENDPOINT is not a URL';
  }
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname)) ? null : 'REFRESH_ENDPOINT must be an https URL';
}

export async function createSourceAuth(config: ConfigService, deps: AuthDeps): Promise<SourceAuth> {
  const problem = (await authSettingProblems(config))[0];
  if (problem) throw problem;
  switch (await config.require('SOURCE_AUTH_STRATEGY_IDENTIFIER')) {
    case 'oauth2_refresh_token':
      return oauthRefreshTokenAuth(config, deps);
    case 'oauth2_access_token':
      return staticBearerAuth(await config.require('ACCESS_TOKEN'));
    default:
      return basicAuth(await config.require('BASIC_AUTH_USER_ID'), await config.require('BASIC_AUTH_PASSWORD'));
  }
}

async function oauthRefreshTokenAuth(config: ConfigService, deps: AuthDeps): Promise<SourceAuth> {
  const grantType = await config.require('GRANT_TYPE');
  const endpoint = (await config.require('REFRESH_ENDPOINT')).trim();
  const grant = await rotatingGrant({
    config,
    properties: ['ACCOUNT_ID', 'CLIENT_ID', 'CLIENT_SECRET'],
    secretProperty: 'CLIENT_SECRET',
    read: async () => ({
      endpoint,
      accountId: await config.require('ACCOUNT_ID'),
      clientId: await config.require('CLIENT_ID'),
      clientSecret: await config.require('CLIENT_SECRET'),
    }),
    exchange: (creds) => requestAccountCredentialsToken(creds, { fetch: deps.fetch, userAgent: deps.userAgent, timeoutMs: deps.timeoutMs }),
    logger: deps.logger,
  });
  const store = config.writableInstanceStore();
  const useShared = await config.bool('USE_SHARED_TOKEN', grantType === 'account_credentials');
  const manager = new OAuthTokenManager({
    grant,
    shared: useShared && store
      ? { store, tokenName: `${config.instancePrefix}ACCESS_TOKEN`, lockName: `${config.instancePrefix}OAUTH_REFRESH_TOKEN` }
      : undefined,
    timings: deps.timings,
    logger: deps.logger,
  });
  return {
    headers: async () => ({ Authorization: `Bearer ${await manager.token()}` }),
    afterUnauthorized: async (used) => ({ Authorization: `Bearer ${await manager.afterRejection(used.Authorization.replace(/^Bearer /, ''))}` }),
  };
}
