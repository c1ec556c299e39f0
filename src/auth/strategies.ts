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

/** Config each strategy needs (reported by the health check when absent). */
export function requiredAuthProperties(strategy: string | undefined, grantType: string | undefined): string[] {
  switch (strategy) {
    case 'oauth2_refresh_token':
      return ['REFRESH_ENDPOINT', 'GRANT_TYPE', 'CLIENT_ID', ...(grantType === 'account_credentials' ? ['ACCOUNT_ID', 'CLIENT_SECRET'] : [])];
    case 'oauth2_access_token':
      return ['ACCESS_TOKEN'];
    default:
      return [];
  }
}

export async function createSourceAuth(config: ConfigService, deps: AuthDeps): Promise<SourceAuth> {
  const strategy = await config.get('SOURCE_AUTH_STRATEGY_IDENTIFIER');
  switch (strategy) {
    case 'oauth2_refresh_token':
      return oauthRefreshTokenAuth(config, deps);
    case 'oauth2_access_token':
      return staticBearerAuth(await config.require('ACCESS_TOKEN'));
    case 'basic_auth':
      return basicAuth((await config.get('BASIC_AUTH_USER_ID')) ?? '', (await config.get('BASIC_AUTH_PASSWORD')) ?? '');
    case undefined:
      throw new MissingConfigError('SOURCE_AUTH_STRATEGY_IDENTIFIER', config.lookedIn('SOURCE_AUTH_STRATEGY_IDENTIFIER'));
    default:
      throw new InvalidConfigError(`SOURCE_AUTH_STRATEGY_IDENTIFIER ${strategy} is not supported (supported: oauth2_refresh_token, oauth2_access_token, basic_auth)`);
  }
}

async function oauthRefreshTokenAuth(config: ConfigService, deps: AuthDeps): Promise<SourceAuth> {
  const grantType = await config.require('GRANT_TYPE');
  if (grantType !== 'account_credentials') {
    throw new InvalidConfigError(`GRANT_TYPE ${grantType} is not supported yet (supported: account_credentials)`);
  }
  const endpoint = await config.require('REFRESH_ENDPOINT');
  const url = new URL(endpoint);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new InvalidConfigError('REFRESH_ENDPOINT must be an https URL');
  }
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
