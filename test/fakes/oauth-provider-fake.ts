// A source API and its OAuth token endpoint on 127.0.0.1, as four providers behave (their public
// docs): Atlassian (form refresh grant; every use rotates the refresh token, and the one sent stops
// working, as does the access token issued with it; presenting a spent refresh token revokes the
// whole family), GitHub (form refresh grant, rotating; JSON only with `Accept: application/json`,
// refusals as HTTP 200 with an OAuth error), Gong (refresh token in the query, empty body, Basic
// client credentials, rotating), Salesforce (client_credentials with the secret in the form, no
// `expires_in`). Every token request is checked field by field; what deviates is recorded in
// `violations` and refused. Failure modes are injected with `failNext`.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RunningServer } from '../../src/runtimes/node/server.ts';
import { listenWithBody } from './http.ts';

export type Provider = 'atlassian' | 'github' | 'gong' | 'salesforce';

export type Failure = 'rate_limited' | 'server_error' | 'invalid_client';

export interface OAuthProviderFakeOptions {
  provider: Provider;
  /** Access-token lifetime (Atlassian, Gong and GitHub say; Salesforce does not). */
  accessTtlSeconds?: number;
  /** Whether a refresh answers with a new refresh token (default: yes, except Salesforce, which has none). */
  rotate?: boolean;
  /** Delay of each token answer, so exchanges overlap under load. */
  tokenDelayMs?: number;
}

interface RefreshTokenState { state: 'live' | 'spent' | 'revoked'; accessToken: string | null }

export const ITEMS = { items: [{ id: 'u-1', email: 'alice@acme.example', name: 'Alice Example' }] };

const TOKEN_PATH: Record<Provider, string> = {
  atlassian: '/oauth/token',
  github: '/login/oauth/access_token',
  gong: '/oauth2/generate-customer-token',
  salesforce: '/services/oauth2/token',
};

export class OAuthProviderFake {
  readonly provider: Provider;
  readonly clientId = `client-${randomBytes(6).toString('hex')}`;
  clientSecret = `secret-${randomBytes(12).toString('hex')}`;
  /** The refresh token the admin configured first. */
  readonly initialRefreshToken: string;
  readonly stats = { tokenRequests: 0, issued: 0, reusedRefreshTokens: 0, refusedRefreshTokens: 0, refusedClients: 0, apiRequests: 0, rejectedTokens: 0 };
  /** Token requests that were not what the provider expects (method, headers, fields). */
  readonly violations: string[] = [];
  /** Every token request as received (URL, headers, body). */
  readonly tokenRequests: { url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  /** Every access and refresh token issued, to look for them where they must not be. */
  readonly issuedTokens: string[] = [];
  private readonly options: Required<OAuthProviderFakeOptions>;
  private readonly refreshTokens = new Map<string, RefreshTokenState>();
  private readonly accessTokens = new Map<string, { expiresAt: number; revoked: boolean }>();
  private readonly failures: { kind: Failure; times: number }[] = [];
  private running: RunningServer | null = null;

  constructor(options: OAuthProviderFakeOptions) {
    this.provider = options.provider;
    this.options = { accessTtlSeconds: 3600, rotate: options.provider !== 'salesforce', tokenDelayMs: 0, ...options };
    this.initialRefreshToken = this.newRefreshToken();
  }

  get url(): string {
    if (!this.running) throw new Error('not started');
    return this.running.url;
  }

  /** What the proxy is configured with (the instance store's values). */
  settings(): Record<string, string> {
    return {
      TARGET_HOST: this.url,
      REFRESH_ENDPOINT: `${this.url}${TOKEN_PATH[this.provider]}`,
      CLIENT_ID: this.clientId,
      CLIENT_SECRET: this.clientSecret,
      ...(this.provider === 'salesforce' ? {} : { REFRESH_TOKEN: this.initialRefreshToken }),
    };
  }

  async start(): Promise<string> {
    this.running = await listenWithBody((req, res, body) => void this.serve(req, res, body.toString('utf8')));
    return this.running.url;
  }

  async stop(): Promise<void> {
    await this.running?.close();
  }

  failNext(kind: Failure, times = 1): void {
    this.failures.push({ kind, times });
  }

  /** The user revoked the app's access (or the refresh token expired): every token stops working. */
  revokeAll(): void {
    for (const t of this.refreshTokens.values()) t.state = 'revoked';
    for (const t of this.accessTokens.values()) t.revoked = true;
  }

  /** The admin authorizes the app again: a fresh refresh token, the old ones revoked. */
  reauthorize(): string {
    this.revokeAll();
    return this.newRefreshToken();
  }

  regenerateClientSecret(): string {
    this.clientSecret = `secret-${randomBytes(12).toString('hex')}`;
    return this.clientSecret;
  }

  /** Refresh tokens still usable (a rotation that was never stored leaves one nobody holds). */
  liveRefreshTokens(): string[] {
    return [...this.refreshTokens].filter(([, t]) => t.state === 'live').map(([k]) => k);
  }

  private newRefreshToken(): string {
    const token = `rt-${randomBytes(18).toString('base64url')}`;
    this.refreshTokens.set(token, { state: 'live', accessToken: null });
    this.issuedTokens.push(token);
    return token;
  }

  private async serve(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const send = (status: number, payload: unknown, type = 'application/json') => {
      res.writeHead(status, { 'Content-Type': type, ...(status === 429 ? { 'Retry-After': '1' } : {}) });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    if (url.pathname === TOKEN_PATH[this.provider]) {
      this.stats.tokenRequests++;
      this.tokenRequests.push({ url: req.url ?? '', headers: req.headers, body });
      if (this.options.tokenDelayMs) await new Promise((r) => setTimeout(r, this.options.tokenDelayMs));
      return this.token(req, url, body, send);
    }
    this.stats.apiRequests++;
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? this.accessTokens.get(auth.slice(7)) : undefined;
    if (req.method !== 'GET' || url.pathname !== '/api/items') return send(404, { message: 'not found' });
    if (!token || token.revoked || Date.now() >= token.expiresAt) {
      this.stats.rejectedTokens++;
      return send(401, { code: 401, message: 'Unauthorized' });
    }
    send(200, ITEMS);
  }

  private token(req: IncomingMessage, url: URL, body: string, send: (status: number, payload: unknown, type?: string) => void): void {
    // GitHub answers refusals with HTTP 200 and an OAuth error.
    const refuse = (status: number, error: string) => send(this.provider === 'github' ? 200 : status, { error, error_description: `refused: ${error}` });
    const refuseClient = () => {
      this.stats.refusedClients++;
      refuse(this.provider === 'salesforce' ? 400 : 401, this.provider === 'github' ? 'incorrect_client_credentials' : 'invalid_client');
    };
    const failure = this.failures.find((f) => f.times > 0);
    if (failure) {
      failure.times--;
      if (failure.kind === 'rate_limited') return send(429, { error: 'rate_limit_exceeded' });
      if (failure.kind === 'server_error') return send(503, '<html><body>Service Unavailable</body></html>', 'text/html');
      return refuseClient();
    }
    const request = this.readRequest(req, url, body);
    if (typeof request === 'string') {
      this.violations.push(request);
      return refuse(400, 'invalid_request');
    }
    if (request.clientId !== this.clientId || request.clientSecret !== this.clientSecret) return refuseClient();
    let rotated: string | undefined;
    if (request.refreshToken !== undefined) {
      const presented = this.refreshTokens.get(request.refreshToken);
      if (presented?.state === 'spent') {
        // Reuse of a rotated token: the provider assumes theft and revokes the whole family.
        this.stats.reusedRefreshTokens++;
        this.revokeAll();
      }
      if (presented?.state !== 'live') {
        this.stats.refusedRefreshTokens++;
        return refuse(this.provider === 'atlassian' ? 403 : 400, this.provider === 'github' ? 'bad_refresh_token' : 'invalid_grant');
      }
      if (this.options.rotate) {
        presented.state = 'spent';
        const companion = presented.accessToken === null ? undefined : this.accessTokens.get(presented.accessToken);
        if (companion) companion.revoked = true;
        rotated = this.newRefreshToken();
      }
    }
    const accessToken = `at-${randomBytes(18).toString('base64url')}`;
    this.issuedTokens.push(accessToken);
    this.accessTokens.set(accessToken, { expiresAt: Date.now() + this.options.accessTtlSeconds * 1000, revoked: false });
    if (rotated) this.refreshTokens.get(rotated)!.accessToken = accessToken;
    this.stats.issued++;
    const answer: Record<string, unknown> = this.provider === 'salesforce'
      ? { access_token: accessToken, instance_url: this.url, id: `${this.url}/id/00D/005`, token_type: 'Bearer', issued_at: String(Date.now()), signature: 'c2ln' }
      : { access_token: accessToken, token_type: 'bearer', expires_in: this.options.accessTtlSeconds, scope: 'read', ...(rotated ? { refresh_token: rotated } : {}) };
    if (this.provider === 'github' && !(req.headers.accept ?? '').includes('application/json')) {
      // GitHub's default answer is form-encoded.
      return send(200, new URLSearchParams(Object.entries(answer).map(([k, v]) => [k, String(v)])).toString(), 'application/x-www-form-urlencoded');
    }
    send(200, answer);
  }

  /** The client credentials and refresh token as this provider takes them, or what is wrong. */
  private readRequest(req: IncomingMessage, url: URL, body: string): { clientId: string; clientSecret: string; refreshToken?: string } | string {
    if (req.method !== 'POST') return `method ${req.method}`;
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return `content type ${req.headers['content-type']}`;
    const form = new URLSearchParams(body);
    const fields = [...form.keys()].sort().join(',');
    if (this.provider === 'gong') {
      if (body !== '') return 'a body (Gong takes the query)';
      const query = [...url.searchParams.keys()].sort().join(',');
      if (query !== 'grant_type,refresh_token' || url.searchParams.get('grant_type') !== 'refresh_token') return `query fields ${query}`;
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
      if (!basic) return 'no Basic authorization';
      const [clientId, clientSecret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      return { clientId, clientSecret, refreshToken: url.searchParams.get('refresh_token')! };
    }
    if (url.search !== '') return 'a query string';
    if (req.headers.authorization) return 'an Authorization header besides the form credentials';
    if (this.provider === 'salesforce') {
      if (fields !== 'client_id,client_secret,grant_type' || form.get('grant_type') !== 'client_credentials') return `form fields ${fields}`;
      return { clientId: form.get('client_id')!, clientSecret: form.get('client_secret')! };
    }
    if (fields !== 'client_id,client_secret,grant_type,refresh_token' || form.get('grant_type') !== 'refresh_token') return `form fields ${fields}`;
    return { clientId: form.get('client_id')!, clientSecret: form.get('client_secret')!, refreshToken: form.get('refresh_token')! };
  }
}
