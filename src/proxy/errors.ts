/** The proxy's error responses (api-proxy.md §1.8): status, `X-Psoxy-Error`, plain-text body. */

export type PsoxyErrorCode =
  | 'HTTPS_REQUIRED' | 'UNAUTHORIZED_IP_ADDRESS' | 'INVALID_REQUEST' | 'FAILED_TO_BUILD_URL'
  | 'RULES_INVALID_YAML' | 'RULES_INVALID' | 'CONFIGURATION_FAILURE' | 'BLOCKED_BY_RULES'
  | 'NETWORK_EGRESS_BLOCKED' | 'CONNECTION_SETUP' | 'TOKENIZED_REQUEST_PARAMETER_INVALID'
  | 'CONNECTION_TO_SOURCE' | 'SOURCE_API_READ_TIMEOUT' | 'API_ERROR' | 'SANITIZATION_FAILED'
  | 'RESPONSE_TOO_LARGE' | 'UNKNOWN'
  // Ours (SECURITY.md): bounds, redirects and the outbound leak guard.
  | 'REQUEST_TOO_LARGE' | 'REQUEST_HEADERS_TOO_LARGE' | 'SOURCE_RESPONSE_TOO_LARGE'
  | 'TOO_MANY_CONCURRENT_REQUESTS' | 'SOURCE_REDIRECT_REFUSED' | 'LEAK_GUARD_BLOCKED';

/**
 * An error that ends a request with a given response. Messages must not contain personal data.
 * `logMessage`, when given, is what the operator needs to know: the handler logs it.
 */
export class ProxyError extends Error {
  readonly status: number;
  readonly code: PsoxyErrorCode | null;
  readonly body: string | null;
  readonly headers: Record<string, string>;
  readonly logMessage: string | undefined;
  constructor(status: number, code: PsoxyErrorCode | null, body: string | null, logMessage?: string, headers: Record<string, string> = {}) {
    super(logMessage ?? body ?? code ?? `HTTP ${status}`);
    this.status = status;
    this.code = code;
    this.body = body;
    this.headers = headers;
    this.logMessage = logMessage;
  }

  toResponse(): Response {
    const headers: Record<string, string> = { ...this.headers };
    if (this.code) headers['X-Psoxy-Error'] = this.code;
    if (this.body !== null) headers['Content-Type'] = 'text/plain; charset=utf-8';
    return new Response(this.body, { status: this.status, headers });
  }
}
