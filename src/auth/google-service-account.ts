/**
 * `gcp_service_account_key` (psoxy's Google Workspace connectors): Google access tokens for a
 * service account, scoped with `OAUTH_SCOPES`, impersonating the user in
 * `X-Psoxy-User-To-Impersonate` by domain-wide delegation. The key is `SERVICE_ACCOUNT_KEY`
 * (JSON, raw or base64); without one, Application Default Credentials, as psoxy falls back.
 *
 * google-auth-library builds and signs the JWT grant (its `JWT` client, `subject` for the user);
 * the exchange itself goes through our `requestToken` to the key's `token_uri` (Google's unless
 * the key says otherwise, as Google's Java library honours it): bounded, network failures named,
 * only the OAuth error code kept. Tokens are cached per user by `OAuthTokenManager`s, at most 50
 * users (psoxy's bound), least recently used evicted. The library is imported on first use only,
 * so other strategies' cold starts do not load it.
 */
import { createPrivateKey } from 'node:crypto';
import type { gaxios, GoogleAuth, JWT } from 'google-auth-library';
import { InvalidConfigError, type ConfigService } from '../config/config-service.ts';
import { isHttpsOrLoopback } from '../proxy/target-url.ts';
import { bearerFromManager, OAuthTokenManager } from './oauth-token-manager.ts';
import { TokenEndpointError, type AuthCall, type SourceAuth } from './source-auth.ts';
import { requestToken, type IssuedToken } from './token-endpoint.ts';
import type { AuthDeps, StrategyDefinition } from './strategies.ts';

type GoogleAuthLibrary = typeof import('google-auth-library');

const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

/** psoxy's bound on cached per-user credentials (about the number of active Workspace shards). */
export const MAX_IMPERSONATED_USERS = 50;

export interface ServiceAccountKey {
  clientEmail: string;
  /** The numeric OAuth client id the Admin console's domain-wide delegation is granted to. */
  clientId: string;
  privateKey: string;
  tokenUri: string;
}

/** `SERVICE_ACCOUNT_KEY` as psoxy reads it: JSON when it starts with `{`, else base64 of it. */
export function parseServiceAccountKey(value: string): ServiceAccountKey {
  const bad = (why: string) => new InvalidConfigError(`SERVICE_ACCOUNT_KEY ${why}`, 'SERVICE_ACCOUNT_KEY');
  const trimmed = value.trim();
  const text = trimmed.startsWith('{') ? trimmed : Buffer.from(trimmed, 'base64').toString('utf8');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw bad('is not a service account key: neither JSON nor base64-encoded JSON (download a JSON key of the service account)');
  }
  return keyFromJson(json, bad);
}

function keyFromJson(json: Record<string, unknown>, bad: (why: string) => Error): ServiceAccountKey {
  if (json === null || typeof json !== 'object') throw bad('is not a JSON object');
  if (json.type !== undefined && json.type !== 'service_account') throw bad(`is a key of type ${String(json.type).slice(0, 40)}, not service_account`);
  const field = (name: string) => (typeof json[name] === 'string' && json[name] !== '' ? json[name] : undefined);
  const clientEmail = field('client_email');
  const privateKey = field('private_key');
  if (!clientEmail || !privateKey) throw bad('lacks client_email or private_key (download a JSON key of the service account)');
  try {
    createPrivateKey(privateKey);
  } catch {
    throw bad('private_key is not a PEM private key');
  }
  const tokenUri = (field('token_uri') ?? GOOGLE_TOKEN_URI).trim();
  let url: URL;
  try {
    url = new URL(tokenUri);
  } catch {
    throw bad('token_uri is not a URL');
  }
  // The signed assertion goes there: https only (http for loopback test servers).
  if (!isHttpsOrLoopback(url)) throw bad('token_uri must be an https URL');
  return { clientEmail, clientId: field('client_id') ?? '', privateKey, tokenUri };
}

function scopesOf(value: string): string[] {
  return value.split(/\s+/).filter(Boolean);
}

export const gcpServiceAccountKey: StrategyDefinition = {
  // Without SERVICE_ACCOUNT_KEY psoxy uses Application Default Credentials: only the scopes are required.
  required: async () => ['OAUTH_SCOPES'],
  invalid: async (config) => {
    const problems: InvalidConfigError[] = [];
    const key = await config.get('SERVICE_ACCOUNT_KEY');
    if (key !== undefined) {
      try {
        parseServiceAccountKey(key);
      } catch (e) {
        problems.push(e as InvalidConfigError);
      }
    }
    const scopes = await config.get('OAUTH_SCOPES');
    if (scopes !== undefined && scopesOf(scopes).length === 0) problems.push(new InvalidConfigError('OAUTH_SCOPES lists no scope (space-separated scopes)', 'OAUTH_SCOPES'));
    return problems;
  },
  create: async (config: ConfigService, deps: AuthDeps) => {
    const scopes = scopesOf(await config.require('OAUTH_SCOPES'));
    const keyValue = await config.get('SERVICE_ACCOUNT_KEY');
    const lib = await import('google-auth-library');
    const exchange = keyValue === undefined
      ? applicationDefaultExchange(lib, scopes, deps)
      : keyExchange(lib, parseServiceAccountKey(keyValue), scopes, deps);
    return delegatedAuth(exchange, deps);
  },
};

/** A token for the service account itself (null) or for a user it impersonates. */
type Exchange = (subject: string | null) => Promise<IssuedToken>;

/** Bearer tokens per user: a 401 from the source refreshes that user's token only. */
function delegatedAuth(exchange: Exchange, deps: AuthDeps): SourceAuth {
  const manager = (user: string | null) => new OAuthTokenManager({ grant: () => exchange(user), timings: deps.timings, logger: deps.logger });
  const own = manager(null);
  const users = new Map<string, OAuthTokenManager>();
  const managerFor = (call: AuthCall): OAuthTokenManager => {
    const user = call.userToImpersonate?.trim() || null;
    if (user === null) return own;
    const cached = users.get(user);
    users.delete(user); // (re-)inserted last: the map's order is the order of use
    if (!cached && users.size >= MAX_IMPERSONATED_USERS) users.delete(users.keys().next().value!);
    const m = cached ?? manager(user);
    users.set(user, m);
    return m;
  };
  return bearerFromManager(managerFor);
}

/** The JWT grant for a key: a new `JWT` client per exchange, so a forced refresh is never served from its cache. */
function keyExchange(lib: GoogleAuthLibrary, key: ServiceAccountKey, scopes: string[], deps: AuthDeps): Exchange {
  return async (subject) => {
    const jwt: JWT = new lib.JWT({
      email: key.clientEmail,
      key: key.privateKey,
      scopes,
      subject: subject ?? undefined,
      // The library's audience is Google's endpoint; a key naming another one is asserted to it.
      additionalClaims: { aud: key.tokenUri },
      transporter: tokenTransport(lib, key, scopes, subject !== null, deps),
      useAuthRequestParameters: false,
    });
    const tokens = await jwt.authorize();
    if (!tokens.access_token || !tokens.expiry_date) throw new TokenEndpointError(200, `token endpoint answered without an access_token: check SERVICE_ACCOUNT_KEY (token_uri ${key.tokenUri})`);
    return { token: tokens.access_token, expiresAt: tokens.expiry_date };
  };
}

/**
 * The library's token request, sent by `requestToken` to the key's `token_uri`. Only the JWT
 * grant is expected of it; anything else the library might ask is refused, not sent.
 */
function tokenTransport(lib: GoogleAuthLibrary, key: ServiceAccountKey, scopes: string[], impersonating: boolean, deps: AuthDeps): gaxios.Gaxios {
  class GoogleTokenTransport extends lib.gaxios.Gaxios {
    override async request<T>(opts: gaxios.GaxiosOptions = {}): gaxios.GaxiosPromise<T> {
      const form = opts.data instanceof URLSearchParams ? opts.data : null;
      if (opts.method !== 'POST' || !form?.has('assertion')) throw new Error('google-auth-library asked for a request other than the JWT grant; not sent');
      const issued = await requestToken({
        endpoint: key.tokenUri,
        headers: {},
        body: form.toString(),
        hint: googleTokenHint(key, scopes, impersonating),
        endpointSetting: 'SERVICE_ACCOUNT_KEY (its token_uri)',
      }, { fetch: deps.fetch, userAgent: deps.userAgent, timeoutMs: deps.timeoutMs });
      const data = { access_token: issued.token, token_type: 'Bearer', expires_in: Math.max(0, Math.floor((issued.expiresAt - Date.now()) / 1000)) };
      return Object.assign(new Response(null, { status: 200 }), { data, config: opts }) as unknown as gaxios.GaxiosResponse<T>;
    }
  }
  return new GoogleTokenTransport();
}

/** What to check when Google refuses the JWT grant (its error code, never its text). */
export function googleTokenHint(key: Pick<ServiceAccountKey, 'clientId' | 'clientEmail'>, scopes: string[], impersonating: boolean): (status: number, code: string) => string {
  const keyAdvice = `check that SERVICE_ACCOUNT_KEY is a current key of ${key.clientEmail} (not deleted or disabled)`;
  return (status, code) => {
    if (code === 'unauthorized_client' && impersonating) {
      return `domain-wide delegation does not grant these scopes: in the Google Workspace Admin console (Security > Access and data control > API controls > Manage Domain Wide Delegation) allow client ID ${key.clientId || `of ${key.clientEmail}`} the scopes ${scopes.join(',')} (changes can take hours to apply)`;
    }
    if (code === 'invalid_grant') {
      return impersonating
        ? `the user in X-Psoxy-User-To-Impersonate may not be an active user of the Google Workspace domain, this host's clock may be off (the assertion must be within minutes of Google's time: check NTP), or the key may be gone: ${keyAdvice}`
        : `this host's clock may be off (check NTP), or the key may be gone: ${keyAdvice}`;
    }
    if (code === 'invalid_scope') return 'OAUTH_SCOPES lists a scope Google does not know: check OAUTH_SCOPES (space-separated scope URLs)';
    if (code === 'invalid_client' || code === 'unauthorized_client' || status === 401) return keyAdvice;
    if (status === 429) return 'Google rate-limits token requests: retry later';
    if (status >= 500) return 'Google\'s token endpoint failed: retry later';
    return `check SERVICE_ACCOUNT_KEY and OAUTH_SCOPES (${keyAdvice})`;
  };
}

/**
 * Application Default Credentials, resolved on the first exchange. A service-account key file
 * (GOOGLE_APPLICATION_CREDENTIALS) is used as SERVICE_ACCOUNT_KEY would be, delegation included;
 * other credentials (the metadata server's, a user's) cannot impersonate: as psoxy, a warning and
 * the credentials' own identity.
 */
function applicationDefaultExchange(lib: GoogleAuthLibrary, scopes: string[], deps: AuthDeps): Exchange {
  let resolved: Promise<Exchange> | null = null;
  const resolve = async (): Promise<Exchange> => {
    const auth: GoogleAuth = new lib.GoogleAuth({ scopes });
    const client = await auth.getClient().catch((e: unknown) => {
      // The library's message may quote the credentials file: only which case it is.
      const found = !/^Could not load the default credentials/.test((e as Error).message);
      throw new TokenEndpointError(0, `SERVICE_ACCOUNT_KEY is not set and Application Default Credentials ${found ? 'could not be loaded (is GOOGLE_APPLICATION_CREDENTIALS a readable credentials file?)' : 'were not found'}: set SERVICE_ACCOUNT_KEY to the service account's JSON key`);
    });
    const json = auth.jsonContent as Record<string, unknown> | null;
    if (client instanceof lib.JWT && json) {
      return keyExchange(lib, keyFromJson(json, (why) => new TokenEndpointError(0, `the Application Default Credentials file ${why}`)), scopes, deps);
    }
    let warned = false;
    return async (subject) => {
      if (subject !== null && !warned) {
        warned = true;
        deps.logger.warn('X-Psoxy-User-To-Impersonate is ignored: Application Default Credentials other than a service-account key cannot impersonate users; set SERVICE_ACCOUNT_KEY for domain-wide delegation');
      }
      const { token } = await client.getAccessToken().catch((e: unknown) => {
        const status = (e as { response?: { status?: number } }).response?.status ?? 0;
        throw new TokenEndpointError(status, `Application Default Credentials gave no token${status ? ` (HTTP ${status})` : ''}: check the runtime's service account, or set SERVICE_ACCOUNT_KEY`);
      });
      if (!token) throw new TokenEndpointError(0, 'Application Default Credentials gave no token: check the runtime\'s service account, or set SERVICE_ACCOUNT_KEY');
      return { token, expiresAt: client.credentials.expiry_date ?? Date.now() + 3_600_000 };
    };
  };
  return async (subject) => {
    resolved ??= resolve().catch((e: unknown) => { resolved = null; throw e; });
    return (await resolved)(subject);
  };
}
