/**
 * The OAuth `account_credentials` grant (Zoom Server-to-Server OAuth): POST the form
 * `account_id=…&grant_type=account_credentials` with HTTP Basic `client_id:client_secret`.
 */
import { TokenEndpointError } from './source-auth.ts';
import { readAtMost } from '../http/read-bounded.ts';
import { describeNetworkFailure, networkAdvice } from '../http/network-error.ts';

/** A token response is a few hundred bytes; anything far larger is not one. */
const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

export interface IssuedToken {
  token: string;
  /** Epoch millis. */
  expiresAt: number;
  /** Space-separated scopes granted, when the endpoint says (Zoom does). */
  scope?: string;
}

export interface AccountCredentials {
  endpoint: string;
  accountId: string;
  clientId: string;
  clientSecret: string;
}

export async function requestAccountCredentialsToken(
  creds: AccountCredentials,
  options: { fetch?: typeof fetch; userAgent?: string; timeoutMs?: number; now?: () => number } = {},
): Promise<IssuedToken> {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const body = new URLSearchParams({ account_id: creds.accountId.trim(), grant_type: 'account_credentials' });
  let res: Response;
  let text: string;
  try {
    res = await doFetch(creds.endpoint, {
      method: 'POST',
      headers: {
        Authorization: 'Basic ' + Buffer.from(`${creds.clientId.trim()}:${creds.clientSecret.trim()}`, 'utf8').toString('base64'),
        'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8',
        Accept: 'application/json',
        ...(options.userAgent ? { 'User-Agent': options.userAgent } : {}),
      },
      body: body.toString(),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const tooLarge = () => new TokenEndpointError(res.status, `token endpoint answered with more than ${MAX_TOKEN_RESPONSE_BYTES} bytes: check REFRESH_ENDPOINT`);
    text = (await readAtMost(res.body, res.headers, MAX_TOKEN_RESPONSE_BYTES, tooLarge)).toString('utf8');
  } catch (e) {
    if (e instanceof TokenEndpointError) throw e;
    const failure = describeNetworkFailure(e, creds.endpoint, 'token request');
    throw new TokenEndpointError(0, `token endpoint could not be reached: ${failure.text}; ${networkAdvice(failure, 'REFRESH_ENDPOINT')}`, undefined, failure);
  }
  if (!res.ok) {
    // Only the OAuth error code is kept: the endpoint's free text (Zoom's `reason`) may quote
    // what it was sent, and this message reaches logs and callers.
    let detail = '';
    try {
      const j = JSON.parse(text) as { error?: unknown };
      if (typeof j.error === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(j.error)) detail = j.error;
    } catch {
      // not an OAuth error body: the status alone guides the hint
    }
    throw new TokenEndpointError(res.status, `token endpoint answered HTTP ${res.status}${detail ? ` (${detail})` : ''}: ${hint(res.status, detail)}`, detail || undefined);
  }
  let json: { access_token?: unknown; expires_in?: unknown; scope?: unknown };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw new TokenEndpointError(res.status, 'token endpoint answered with a body that is not JSON: check REFRESH_ENDPOINT');
  }
  if (typeof json.access_token !== 'string' || json.access_token === '') {
    throw new TokenEndpointError(res.status, 'token endpoint answered without an access_token: check REFRESH_ENDPOINT and GRANT_TYPE');
  }
  const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in ?? 3600) || 3600;
  return { token: json.access_token, expiresAt: now() + expiresIn * 1000, ...(typeof json.scope === 'string' ? { scope: json.scope } : {}) };
}

function hint(status: number, detail: string): string {
  if (/invalid_client/.test(detail)) return 'check CLIENT_ID and CLIENT_SECRET (no extra characters; regenerated secrets must be updated)';
  if (/invalid_request/.test(detail)) return 'check ACCOUNT_ID (no extra characters)';
  if (status === 401 || status === 403) return 'check CLIENT_ID, CLIENT_SECRET and that the Server-to-Server OAuth app is activated';
  return 'check ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET and REFRESH_ENDPOINT';
}
