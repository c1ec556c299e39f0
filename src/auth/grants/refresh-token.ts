/**
 * psoxy's two refresh-token grants of `oauth2_refresh_token`:
 * - `refresh_token` (GitHub Enterprise Server, Jira / Confluence Cloud, Dropbox): a form POST of
 *   `grant_type=refresh_token`, `refresh_token`, `client_id`, `client_secret`, answered in JSON
 *   (`Accept: application/json`, which GitHub needs);
 * - `refresh_token_via_query_parameter` (Gong): `?grant_type=refresh_token&refresh_token=…` on
 *   REFRESH_ENDPOINT, an empty form body, HTTP Basic `client_id:client_secret`. The URL then holds
 *   the refresh token: it is never logged, and network failures name only host and port.
 * The refresh token is read, rotated and stored by `RefreshTokenKeeper`; client credentials an
 * admin regenerates are re-read by `rotatingGrant`.
 */
import type { ConfigService } from '../../config/config-service.ts';
import type { GrantDefinition } from '../grants.ts';
import type { AuthDeps } from '../strategies.ts';
import { requestToken, type IssuedToken, type TokenRequest } from '../token-endpoint.ts';
import { rotatingGrant } from '../credential-rotation.ts';
import { RefreshTokenKeeper } from './refresh-token-keeper.ts';

interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** The POST for one refresh token (headers, body, URL), given the client credentials. */
type BuildRequest = (endpoint: string, client: ClientCredentials, refreshToken: string) => Pick<TokenRequest, 'endpoint' | 'headers' | 'body'>;

const REQUIRED = ['CLIENT_ID', 'CLIENT_SECRET', 'REFRESH_TOKEN'] as const;

/** What to check when the endpoint refuses, for the grants whose client authenticates with a secret. */
export function clientSecretHint(otherSettings: string, refusedGrant: string) {
  return (status: number, code: string): string => {
    if (code === 'invalid_grant' || code === 'bad_refresh_token') return refusedGrant;
    if (code === 'invalid_client' || code === 'incorrect_client_credentials' || status === 401) return 'check CLIENT_ID and CLIENT_SECRET (no extra characters; a regenerated secret must be updated)';
    if (status === 429) return 'the token endpoint is limiting requests: retry later';
    if (status >= 500) return 'the token endpoint failed: retry later';
    return `check REFRESH_ENDPOINT, CLIENT_ID, CLIENT_SECRET${otherSettings}`;
  };
}

export function basicAuthorization(client: ClientCredentials): string {
  return 'Basic ' + Buffer.from(`${client.clientId}:${client.clientSecret}`, 'utf8').toString('base64');
}

/** The client id and secret as psoxy reads them (trimmed). */
export async function readClientCredentials(config: ConfigService): Promise<ClientCredentials> {
  return { clientId: (await config.require('CLIENT_ID')).trim(), clientSecret: (await config.require('CLIENT_SECRET')).trim() };
}

function refreshGrant(build: BuildRequest): GrantDefinition {
  return {
    required: REQUIRED,
    sharedByDefault: false, // psoxy; Atlassian's connectors set USE_SHARED_TOKEN=true
    create: async (config: ConfigService, endpoint: string, deps: AuthDeps) => {
      const keeper = new RefreshTokenKeeper({
        config,
        logger: deps.logger,
        locked: (await config.bool('USE_SHARED_TOKEN', false)) && config.writableInstanceStore() !== undefined,
      });
      const hint = clientSecretHint(' and REFRESH_TOKEN',
        `the refresh token was refused (expired, revoked or already used): authorize the app again and put its refresh token in ${config.instancePrefix}REFRESH_TOKEN`);
      const send = (client: ClientCredentials, refreshToken: string): Promise<IssuedToken> =>
        requestToken({ ...build(endpoint, client, refreshToken), hint }, { fetch: deps.fetch, userAgent: deps.userAgent, timeoutMs: deps.timeoutMs });
      return rotatingGrant({
        config,
        properties: ['CLIENT_ID', 'CLIENT_SECRET'],
        secretProperty: 'CLIENT_SECRET',
        read: () => readClientCredentials(config),
        exchange: (client) => keeper.exchange((refreshToken) => send(client, refreshToken)),
        logger: deps.logger,
      });
    },
  };
}

export const refreshTokenGrant = refreshGrant((endpoint, client, refreshToken) => ({
  endpoint,
  headers: {},
  body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client.clientId, client_secret: client.clientSecret }).toString(),
}));

/** psoxy encodes the token twice (URLEncoder, then URIBuilder); once is what the URL means. */
export const refreshTokenViaQueryParameterGrant = refreshGrant((endpoint, client, refreshToken) => {
  const url = new URL(endpoint);
  url.searchParams.append('grant_type', 'refresh_token');
  url.searchParams.append('refresh_token', refreshToken);
  return { endpoint: url.toString(), headers: { Authorization: basicAuthorization(client) }, body: '' };
});
