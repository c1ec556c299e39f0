/** How the proxy authenticates to the source API (psoxy `SOURCE_AUTH_STRATEGY_IDENTIFIER`). */
import type { NetworkFailure } from '../http/network-error.ts';

/** What a strategy may need of the caller's request. */
export interface AuthCall {
  /** psoxy's `X-Psoxy-User-To-Impersonate` (p~ tokens decrypted), for domain-wide delegation; null when absent. */
  userToImpersonate: string | null;
}

export const NO_AUTH_CALL: AuthCall = { userToImpersonate: null };

export interface SourceAuth {
  /** Headers that authenticate the upstream request. */
  headers(call: AuthCall): Promise<Record<string, string>>;
  /**
   * The source answered 401 to a request sent with `headers`: returns fresh headers worth one
   * retry, or null when retrying cannot help.
   */
  afterUnauthorized(headers: Record<string, string>, call: AuthCall): Promise<Record<string, string> | null>;
  /**
   * The request body as the source must receive it (psoxy's `windsurf_service_key` adds its key);
   * absent: as sent. Throws `UnauthenticableRequestError` for a request that cannot carry it.
   */
  body?(request: BodyCall): string;
}

/** What a strategy that writes the body sees of the request. */
export interface BodyCall {
  method: string;
  /** The body as the source would get it, tokens reversed; undefined when there is none. */
  body: string | undefined;
  contentType: string | undefined;
}

/** The caller's request cannot carry the strategy's credentials; the message (never a secret) says what to send instead. */
export class UnauthenticableRequestError extends Error {}

/** The token endpoint refused or could not be reached; the message says what to check. */
export class TokenEndpointError extends Error {
  readonly status: number;
  /** The OAuth `error` code of the answer (`invalid_client`), when it had one. */
  readonly oauthError: string | undefined;
  /** Set when the endpoint was never heard from (refused, DNS, TLS, timeout, reset). */
  readonly network: NetworkFailure | undefined;
  constructor(status: number, message: string, oauthError?: string, network?: NetworkFailure) {
    super(message);
    this.status = status;
    this.oauthError = oauthError;
    this.network = network;
  }

  /** The endpoint refused the client credentials themselves (a wrong or regenerated secret; GitHub says `incorrect_client_credentials`). */
  get clientRejected(): boolean {
    return this.oauthError === 'invalid_client' || this.oauthError === 'incorrect_client_credentials' || this.status === 401;
  }
}

/** `oauth2_access_token`: a long-lived bearer token from config. */
export function staticBearerAuth(token: string): SourceAuth {
  const headers = { Authorization: `Bearer ${token.trim()}` };
  return { headers: async () => headers, afterUnauthorized: async () => null };
}

/** `basic_auth`. */
export function basicAuth(user: string, password: string): SourceAuth {
  const headers = { Authorization: 'Basic ' + Buffer.from(`${user}:${password}`, 'utf8').toString('base64') };
  return { headers: async () => headers, afterUnauthorized: async () => null };
}
