/**
 * The grants of `oauth2_refresh_token` (psoxy `GRANT_TYPE`), one entry each: the settings it
 * needs, whether instances share its token by default, and how it asks the token endpoint. The
 * token manager caches, shares, refreshes and retries what any of them returns.
 */
import type { ConfigService, InvalidConfigError } from '../config/config-service.ts';
import type { IssuedToken } from './token-endpoint.ts';
import type { AuthDeps } from './strategies.ts';
import { requestAccountCredentialsToken } from './account-credentials.ts';
import { rotatingGrant } from './credential-rotation.ts';
import { refreshTokenGrant, refreshTokenViaQueryParameterGrant } from './grants/refresh-token.ts';
import { clientCredentialsGrant } from './grants/client-credentials.ts';
import { githubAppGrant } from './grants/github-app.ts';
import { workloadIdentityFederationGrant } from './grants/workload-identity-federation.ts';

export interface GrantDefinition {
  /**
   * Settings the grant reads, all required (REFRESH_ENDPOINT and GRANT_TYPE are the strategy's);
   * a function when they depend on other settings (client_credentials on CREDENTIALS_FLOW).
   */
  required: readonly string[] | ((config: ConfigService) => Promise<readonly string[]>);
  /** Problems with values that are present (a CREDENTIALS_FLOW out of its choices). */
  invalid?(config: ConfigService): Promise<InvalidConfigError[]>;
  /** psoxy's USE_SHARED_TOKEN default for this grant. */
  sharedByDefault: boolean;
  /** The token request, given the configured REFRESH_ENDPOINT. */
  create(config: ConfigService, endpoint: string, deps: AuthDeps): Promise<() => Promise<IssuedToken>>;
}

const accountCredentials: GrantDefinition = {
  required: ['ACCOUNT_ID', 'CLIENT_ID', 'CLIENT_SECRET'],
  sharedByDefault: true,
  create: (config, endpoint, deps) => rotatingGrant({
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
  }),
};

/** The settings a grant needs, as configured. */
export async function grantRequired(grant: GrantDefinition, config: ConfigService): Promise<readonly string[]> {
  return typeof grant.required === 'function' ? grant.required(config) : grant.required;
}

export const GRANTS: Readonly<Record<string, GrantDefinition>> = {
  account_credentials: accountCredentials,
  refresh_token: refreshTokenGrant,
  refresh_token_via_query_parameter: refreshTokenViaQueryParameterGrant,
  client_credentials: clientCredentialsGrant,
  certificate_credentials: githubAppGrant,
  workload_identity_federation: workloadIdentityFederationGrant,
};
