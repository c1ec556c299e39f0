/**
 * One request to an OAuth token endpoint, as every grant makes it: bounded answer, network
 * failures named (host, operation, cause), and of a refusal only the OAuth `error` code kept
 * (an endpoint's free text may quote what it was sent, and this message reaches logs and callers).
 */
import { TokenEndpointError } from './source-auth.ts';
import { readAtMost } from '../http/read-bounded.ts';
import { describeNetworkFailure, networkAdvice } from '../http/network-error.ts';

/** A token response is a few hundred bytes; anything far larger is not one. */
const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

/** psoxy's expiry when the endpoint gives none. */
const DEFAULT_EXPIRES_IN_SECONDS = 3600;

export interface IssuedToken {
  token: string;
  /** Epoch millis. */
  expiresAt: number;
  /** Space-separated scopes granted, when the endpoint says (Zoom does). */
  scope?: string;
  /** A new refresh token, when the endpoint rotates them (Atlassian, Dropbox). */
  refreshToken?: string;
}

export interface TokenRequest {
  /** The full URL (a grant may put parameters in its query, as Gong's does). */
  endpoint: string;
  headers: Record<string, string>;
  /** The form body (`application/x-www-form-urlencoded`); may be empty. */
  body: string;
  /** How the answer names the token: OAuth's `access_token` / `expires_in`, or GitHub's `token` / `expires_at`. */
  responseType?: 'oauth' | 'github';
  /** What to check for a refusal, from the HTTP status and the OAuth error code. */
  hint(status: number, oauthError: string): string;
  /** The setting that names the endpoint, for network advice. */
  endpointSetting?: string;
}

export interface TokenRequestOptions {
  fetch?: typeof fetch;
  userAgent?: string;
  timeoutMs?: number;
  now?: () => number;
}

export async function requestToken(r: TokenRequest, options: TokenRequestOptions = {}): Promise<IssuedToken> {
  const { res, text } = await post(r, options);
  // GitHub answers a refused refresh token with HTTP 200 and an OAuth `error`: a refusal too.
  const code = oauthErrorCode(text);
  if (!res.ok || code) {
    throw new TokenEndpointError(res.status, `token endpoint answered HTTP ${res.status}${code ? ` (${code})` : ''}: ${r.hint(res.status, code)}`, code || undefined);
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new TokenEndpointError(res.status, `token endpoint answered with a body that is not JSON: check ${r.endpointSetting ?? 'REFRESH_ENDPOINT'}`);
  }
  return (r.responseType === 'github' ? githubToken : oauthToken)(json, res.status, (options.now ?? Date.now)());
}

async function post(r: TokenRequest, o: TokenRequestOptions): Promise<{ res: Response; text: string }> {
  try {
    const res = await (o.fetch ?? fetch)(r.endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8',
        Accept: 'application/json',
        ...(o.userAgent ? { 'User-Agent': o.userAgent } : {}),
        ...r.headers,
      },
      body: r.body,
      signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
    });
    const tooLarge = () => new TokenEndpointError(res.status, `token endpoint answered with more than ${MAX_TOKEN_RESPONSE_BYTES} bytes: check ${r.endpointSetting ?? 'REFRESH_ENDPOINT'}`);
    return { res, text: (await readAtMost(res.body, res.headers, MAX_TOKEN_RESPONSE_BYTES, tooLarge)).toString('utf8') };
  } catch (e) {
    if (e instanceof TokenEndpointError) throw e;
    const failure = describeNetworkFailure(e, r.endpoint, 'token request');
    throw new TokenEndpointError(0, `token endpoint could not be reached: ${failure.text}; ${networkAdvice(failure, r.endpointSetting ?? 'REFRESH_ENDPOINT')}`, undefined, failure);
  }
}

/** The OAuth `error` code of a refusal, if it is a plain code; '' otherwise. */
function oauthErrorCode(text: string): string {
  try {
    const j = JSON.parse(text) as { error?: unknown };
    if (typeof j.error === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(j.error)) return j.error;
  } catch {
    // not an OAuth error body: the status alone guides the hint
  }
  return '';
}

function oauthToken(json: Record<string, unknown>, status: number, now: number): IssuedToken {
  if (typeof json.access_token !== 'string' || json.access_token === '') {
    throw new TokenEndpointError(status, 'token endpoint answered without an access_token: check REFRESH_ENDPOINT and GRANT_TYPE');
  }
  const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in ?? DEFAULT_EXPIRES_IN_SECONDS) || DEFAULT_EXPIRES_IN_SECONDS;
  return {
    token: json.access_token,
    expiresAt: now + expiresIn * 1000,
    ...(typeof json.scope === 'string' ? { scope: json.scope } : {}),
    ...(typeof json.refresh_token === 'string' && json.refresh_token !== '' ? { refreshToken: json.refresh_token } : {}),
  };
}

/** GitHub's installation token answer: `{ "token": …, "expires_at": "2026-…Z" }`. */
function githubToken(json: Record<string, unknown>, status: number, now: number): IssuedToken {
  if (typeof json.token !== 'string' || json.token === '') {
    throw new TokenEndpointError(status, 'token endpoint answered without a token: check REFRESH_ENDPOINT and TOKEN_RESPONSE_TYPE');
  }
  const at = typeof json.expires_at === 'string' ? Date.parse(json.expires_at) : Number.NaN;
  return { token: json.token, expiresAt: Number.isFinite(at) ? at : now + DEFAULT_EXPIRES_IN_SECONDS * 1000 };
}
