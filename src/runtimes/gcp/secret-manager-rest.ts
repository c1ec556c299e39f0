/**
 * Secret Manager's v1 REST API over `fetch`: the few calls SecretManagerStore makes, without
 * `@google-cloud/secret-manager`, whose import alone (~210 ms: gax, its protos) was most of a GCP
 * cold start. Failures carry the HTTP status as `code`, as the library's REST transport did; a
 * request that got no answer (network, timeout) is 503, so the store reports it as transient.
 */
export const SECRET_MANAGER_ENDPOINT = 'https://secretmanager.googleapis.com';

/** Longer than any answer Secret Manager gives; a hung connection becomes a transient error. */
const TIMEOUT_MS = 20_000;

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
  fetch?: typeof fetch;
}

export class SecretManagerRest {
  private readonly accessToken: () => Promise<string>;
  private readonly endpoint: string;
  private readonly fetch: typeof fetch;

  constructor(o: SecretManagerRestOptions) {
    this.accessToken = o.accessToken;
    this.endpoint = o.endpoint ?? SECRET_MANAGER_ENDPOINT;
    this.fetch = o.fetch ?? fetch;
  }

  /** `path` is a resource name with its verb and query (`projects/p/secrets/s/versions/latest:access`). */
  async call<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
    const url = `${this.endpoint}/v1/${path}`;
    let res: Response;
    let text: string;
    try {
      const headers: Record<string, string> = { Authorization: `Bearer ${await this.accessToken()}` };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      res = await this.fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS) });
      text = await res.text();
    } catch (e) {
      if (e instanceof SecretManagerApiError) throw e;
      throw new SecretManagerApiError(503, `${method} ${url}: no answer (${(e as Error).message})`);
    }
    if (!res.ok) {
      const message = (() => { try { return (JSON.parse(text) as { error?: { message?: string } }).error?.message; } catch { return undefined; } })();
      throw new SecretManagerApiError(res.status, `${method} ${url}: HTTP ${res.status}${message ? `: ${message}` : ''}`);
    }
    return JSON.parse(text) as T;
  }
}
