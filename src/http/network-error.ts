/**
 * A failed HTTP exchange in words an operator can act on: the host (and port), what we were doing
 * and why it failed (refused, DNS, TLS, timeout, reset). Node's fetch (undici) throws
 * `TypeError: fetch failed` and puts the system error in `cause`; an `AbortSignal.timeout` ends it
 * with a `TimeoutError`. Only the URL's host and port are ever read: never its path, query or
 * credentials, nor any header or body, so the text may go to logs, callers and the terminal.
 */

export type NetworkCause = 'refused' | 'dns' | 'tls' | 'timeout' | 'reset' | 'unreachable' | 'other';

export interface NetworkFailure {
  /** `host:port`. */
  host: string;
  /** What we were doing (`token request`, `source call`). */
  operation: string;
  cause: NetworkCause;
  /** The code behind the cause (`ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`, `CERT_HAS_EXPIRED`…). */
  code: string;
  /** `<operation> to <host> failed: <cause in words> (<code>)`. */
  text: string;
}

const CAUSES: Record<string, [NetworkCause, string]> = {
  ECONNREFUSED: ['refused', 'connection refused'],
  ENOTFOUND: ['dns', 'host name not found (DNS)'],
  EAI_AGAIN: ['dns', 'DNS lookup failed (temporary)'],
  EAI_FAIL: ['dns', 'DNS lookup failed'],
  ECONNRESET: ['reset', 'connection reset by the other side'],
  EPIPE: ['reset', 'connection closed by the other side'],
  UND_ERR_SOCKET: ['reset', 'connection closed by the other side'],
  UND_ERR_CLOSED: ['reset', 'connection closed by the other side'],
  ETIMEDOUT: ['timeout', 'timed out connecting'],
  UND_ERR_CONNECT_TIMEOUT: ['timeout', 'timed out connecting'],
  UND_ERR_HEADERS_TIMEOUT: ['timeout', 'no answer in time'],
  UND_ERR_BODY_TIMEOUT: ['timeout', 'the answer stopped arriving'],
  TimeoutError: ['timeout', 'no answer in time'],
  ENETUNREACH: ['unreachable', 'network unreachable'],
  EHOSTUNREACH: ['unreachable', 'host unreachable'],
  EADDRNOTAVAIL: ['unreachable', 'address not available'],
  CERT_HAS_EXPIRED: ['tls', 'TLS: the certificate has expired'],
  CERT_NOT_YET_VALID: ['tls', 'TLS: the certificate is not yet valid'],
  DEPTH_ZERO_SELF_SIGNED_CERT: ['tls', 'TLS: self-signed certificate'],
  SELF_SIGNED_CERT_IN_CHAIN: ['tls', 'TLS: self-signed certificate in the chain'],
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: ['tls', 'TLS: the certificate\'s issuer is not trusted'],
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: ['tls', 'TLS: the certificate\'s issuer is not trusted'],
  ERR_TLS_CERT_ALTNAME_INVALID: ['tls', 'TLS: the certificate does not name this host'],
};

/** Codes of TLS failures not listed above (`ERR_SSL_WRONG_VERSION_NUMBER`, `EPROTO`…). */
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|EPROTO$|CERT_|UNABLE_TO_)/;

/** The failure of an exchange with `url` while doing `operation`. */
export function describeNetworkFailure(e: unknown, url: string | URL, operation: string): NetworkFailure {
  const host = hostAndPort(url);
  const code = failureCode(e);
  const [cause, words] = CAUSES[code] ?? (TLS_CODE.test(code) ? ['tls', 'TLS handshake failed'] : ['other', 'failed']);
  return { host, operation, cause, code, text: `${operation} to ${host} failed: ${words} (${code})` };
}

/** What to check for each cause; `setting` is the configuration that names the host. */
export function networkAdvice(f: NetworkFailure, setting: string): string {
  switch (f.cause) {
    case 'refused': return `nothing accepts connections at ${f.host}: check ${setting} (host and port) and that the service is up`;
    case 'dns': return `check the host name in ${setting} and that this machine can resolve it`;
    case 'tls': return `check that ${setting} names the right host; a private certificate authority goes in NODE_EXTRA_CA_CERTS`;
    case 'timeout': return `check outbound network access to ${f.host} (firewall, proxy, VPC egress) and that the service ${setting} names is up`;
    case 'reset': return `something cut the connection: check for a proxy or firewall in between, and that ${setting} speaks HTTPS`;
    case 'unreachable': return `check outbound network access to ${f.host} (routes, VPC egress) and the host in ${setting}`;
    case 'other': return `check ${setting} and outbound network access`;
  }
}

function hostAndPort(url: string | URL): string {
  try {
    const u = typeof url === 'string' ? new URL(url) : url;
    const port = u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');
    return port ? `${u.hostname}:${port}` : u.hostname;
  } catch {
    return 'an unparsable URL';
  }
}

/** The first code on the cause chain (an AggregateError's first error included), else the name. */
function failureCode(e: unknown): string {
  const seen = new Set<unknown>();
  for (let err = e as { code?: unknown; cause?: unknown; errors?: unknown[]; name?: unknown } | undefined; err && typeof err === 'object' && !seen.has(err);) {
    seen.add(err);
    if (typeof err.code === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(err.code)) return err.code;
    err = (err.cause ?? err.errors?.[0]) as typeof err;
  }
  const name = (e as { name?: unknown } | null)?.name;
  return typeof name === 'string' && /^[A-Za-z]{1,40}$/.test(name) ? name : 'Error';
}
