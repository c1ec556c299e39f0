/**
 * `GRANT_TYPE=certificate_credentials` (psoxy's GitHub App grant): an RS256 JWT signed with the
 * app's private key authenticates an empty POST to the installation's `access_tokens` endpoint,
 * which answers with GitHub's `{ token, expires_at }` (an installation token, valid one hour).
 * Claims as GitHub documents them: `iss` the app's client id (or app id), `iat` 60 s in the past
 * (clock drift), `exp` within 10 minutes.
 */
import { InvalidConfigError, type ConfigService } from '../../config/config-service.ts';
import type { GrantDefinition } from '../grants.ts';
import { rotatingGrant } from '../credential-rotation.ts';
import { readRsaPrivateKey, signRs256 } from '../jwt.ts';
import { requestToken, type IssuedToken, type TokenRequestOptions } from '../token-endpoint.ts';

const SETTINGS = ['CLIENT_ID', 'PRIVATE_KEY'] as const;

/** The installation token endpoint, on github.com (`api.github.com`) or Enterprise Server (`/api/v3`). */
const INSTALLATION_TOKEN_PATH = /\/app\/installations\/\d+\/access_tokens$/;

interface GithubAppCredentials {
  endpoint: string;
  clientId: string;
  privateKey: string;
}

export const githubAppGrant: GrantDefinition = {
  required: SETTINGS,
  // psoxy's default (off); its GitHub connectors set USE_SHARED_TOKEN=TRUE.
  sharedByDefault: false,
  invalid: async (config) => problems(config),
  create: (config, endpoint, deps) => rotatingGrant({
    config,
    properties: [...SETTINGS],
    secretProperty: 'PRIVATE_KEY',
    secretDescription: 'a current private key of the GitHub App',
    read: async (): Promise<GithubAppCredentials> => ({
      endpoint,
      clientId: (await config.require('CLIENT_ID')).trim(),
      privateKey: await config.require('PRIVATE_KEY'),
    }),
    exchange: (creds) => requestInstallationToken(creds, { fetch: deps.fetch, userAgent: deps.userAgent, timeoutMs: deps.timeoutMs }),
    logger: deps.logger,
  }),
};

async function problems(config: ConfigService): Promise<InvalidConfigError[]> {
  const out: InvalidConfigError[] = [];
  const key = await config.get('PRIVATE_KEY');
  try {
    if (key !== undefined) readRsaPrivateKey(key, 'PRIVATE_KEY');
  } catch (e) {
    if (!(e instanceof InvalidConfigError)) throw e;
    out.push(e);
  }
  const endpoint = await config.get('REFRESH_ENDPOINT');
  if (endpoint !== undefined && !INSTALLATION_TOKEN_PATH.test(URL.parse(endpoint.trim())?.pathname ?? '')) {
    out.push(new InvalidConfigError('REFRESH_ENDPOINT must be the installation token URL, https://api.github.com/app/installations/<installation id>/access_tokens', 'REFRESH_ENDPOINT'));
  }
  const responseType = await config.get('TOKEN_RESPONSE_TYPE');
  if (responseType !== undefined && responseType.trim() !== 'GITHUB_ACCESS_TOKEN') {
    out.push(new InvalidConfigError('TOKEN_RESPONSE_TYPE must be GITHUB_ACCESS_TOKEN (or unset) for certificate_credentials: GitHub answers with token and expires_at', 'TOKEN_RESPONSE_TYPE'));
  }
  return out;
}

/** The app's JWT (RS256): valid from a minute ago for 5 minutes, as psoxy's is. */
export function githubAppJwt(clientId: string, privateKey: string, nowMs: number): string {
  const now = Math.floor(nowMs / 1000);
  return signRs256({ iss: clientId, iat: now - 60, exp: now + 300 }, readRsaPrivateKey(privateKey, 'PRIVATE_KEY'));
}

async function requestInstallationToken(c: GithubAppCredentials, options: TokenRequestOptions): Promise<IssuedToken> {
  return requestToken({
    endpoint: c.endpoint,
    headers: { Authorization: `Bearer ${githubAppJwt(c.clientId, c.privateKey, (options.now ?? Date.now)())}`, Accept: 'application/vnd.github+json' },
    body: '',
    responseType: 'github',
    hint,
  }, options);
}

/** GitHub's refusals carry a message, no OAuth error code: the status says what to check. */
function hint(status: number): string {
  if (status === 401) return 'check CLIENT_ID (the GitHub App\'s client id or app id), PRIVATE_KEY (a current private key of that app) and the host clock';
  if (status === 404) return 'check the installation id in REFRESH_ENDPOINT (the app must be installed on the organization)';
  if (status === 403 || status === 429) return 'GitHub refused or rate-limited the request (a suspended installation, or too many token requests); retry later or check the installation';
  if (status >= 500) return 'GitHub failed; retry later';
  return 'check CLIENT_ID, PRIVATE_KEY and REFRESH_ENDPOINT';
}
