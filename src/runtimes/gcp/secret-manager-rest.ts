/**
 * Secret Manager's v1 REST API over node:http(s) (`httpExchange`; `fetch` when one is given): the few calls SecretManagerStore makes, without
 * `@google-cloud/secret-manager`, whose import alone (~210 ms: gax, its protos) was most of a GCP
 * cold start. Failures carry the HTTP status as `code`, as the library's REST transport did; a
 * request that got no answer (network, timeout) is 503, so the store reports it as transient.
 */
import { http2Exchange, httpExchange, type HttpAnswer } from '../http-exchange.ts';

export const SECRET_MANAGER_ENDPOINT = 'https://secretmanager.googleapis.com';

/** Longer than any answer Secret Manager gives; a hung connection becomes a transient error. */
const TIMEOUT_MS = 20_000;
/** A secret is at most 64 KiB (base64 in JSON: ~88 KiB); a version list page is smaller. */
const MAX_ANSWER_BYTES = 1024 * 1024;

export class SecretManagerApiError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

export interface SecretManagerRestOptions {
  /** An OAuth access token for `cloud-platform` (see google-access-token.ts). */
  accessToken: () => Promise<string>;
  /** Default: Google's endpoint; tests point it at the fake. */
  endpoint?: string;
  /**
   * Default: HTTP/2 for an https endpoint (one connection, so one TLS handshake, for a cold
   * start's ~30 parallel reads), HTTP/1.1 through node:http(s) otherwise, when an environment
   * proxy is set (NODE_USE_ENV_PROXY) or when the endpoint does not speak HTTP/2; all cheaper per
   * request than `fetch`.
   */
  fetch?: typeof fetch;
  /** The certificates (PEM) to trust instead of Node's roots, for a private endpoint (tests: the fake's). */
  ca?: string;
}

/** The TLS handshake refused HTTP/2 (ALPN): the endpoint speaks HTTP/1.1 only. */
function noHttp2(e: unknown): boolean {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return /NO_APPLICATION_PROTOCOL|no application protocol/i.test(`${cause?.code ?? ''} ${cause?.message ?? ''} ${(e as Error).message}`);
}

/** The error that says why (HTTP/2 wraps a refused connection in a cancelled stream). */
const rootCause = (e: unknown): Error => ((e as { code?: string }).code === 'ERR_HTTP2_STREAM_CANCEL' && (e as { cause?: Error }).cause) || (e as Error);

export class SecretManagerRest {
  private readonly accessToken: () => Promise<string>;
  private readonly endpoint: string;
  private readonly exchange: (url: string, method: string, headers: Record<string, string>, body?: string) => Promise<HttpAnswer>;

  constructor(o: SecretManagerRestOptions) {
    this.accessToken = o.accessToken;
    this.endpoint = o.endpoint ?? SECRET_MANAGER_ENDPOINT;
    const f = o.fetch;
    const proxied = !!process.env.NODE_USE_ENV_PROXY && !!(process.env.HTTPS_PROXY ?? process.env.https_proxy);
    let useHttp2 = this.endpoint.startsWith('https:') && !proxied;
    const http1 = (url: string, method: string, headers: Record<string, string>, body?: string) =>
      httpExchange(url, { method, headers, body, timeoutMs: TIMEOUT_MS, maxBytes: MAX_ANSWER_BYTES, ...(o.ca ? { ca: o.ca } : {}) });
    this.exchange = f
      ? async (url, method, headers, body) => {
        const res = await f(url, { method, headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
        return { status: res.status, headers: {}, text: await res.text() };
      }
      : async (url, method, headers, body) => {
        if (!useHttp2) return http1(url, method, headers, body);
        try {
          return await http2Exchange(url, { method, headers, body, timeoutMs: TIMEOUT_MS, maxBytes: MAX_ANSWER_BYTES, ca: o.ca });
        } catch (e) {
          if (!noHttp2(e)) throw rootCause(e);
          useHttp2 = false; // refused in the handshake: nothing was sent
          return http1(url, method, headers, body);
        }
      };
  }

  /** `path` is a resource name with its verb and query (`projects/p/secrets/s/versions/latest:access`). */
  async call<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
    const url = `${this.endpoint}/v1/${path}`;
    let res: HttpAnswer;
    try {
      const headers: Record<string, string> = { Authorization: `Bearer ${await this.accessToken()}` };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      res = await this.exchange(url, method, headers, body === undefined ? undefined : JSON.stringify(body));
    } catch (e) {
      if (e instanceof SecretManagerApiError) throw e;
      throw new SecretManagerApiError(503, `${method} ${url}: no answer (${(e as Error).message})`);
    }
    if (res.status < 200 || res.status > 299) {
      const message = (() => { try { return (JSON.parse(res.text) as { error?: { message?: string } }).error?.message; } catch { return undefined; } })();
      throw new SecretManagerApiError(res.status, `${method} ${url}: HTTP ${res.status}${message ? `: ${message}` : ''}`);
    }
    try {
      return JSON.parse(res.text) as T;
    } catch {
      // Not Secret Manager answering (a proxy's page?): a failure to read, never an absent value.
      throw new SecretManagerApiError(503, `${method} ${url}: HTTP ${res.status} with an answer that is not JSON`);
    }
  }
}
