// A fake of Google's OAuth token endpoint for service accounts (JWT bearer grant, domain-wide
// delegation) on 127.0.0.1, plus a tiny Google API that accepts only the tokens it issued.
// The token endpoint checks what a client sends as Google does: the form, the RS256 signature
// against the key's public key, and the claims (iss, sub, scope, aud, iat / exp); it answers with
// Google's refusals: `unauthorized_client` (401) when domain-wide delegation does not grant a
// scope, `invalid_grant` (400) for an unknown user or a clock out of step, and on demand 429 / 5xx.
import { generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import type { RunningServer } from '../../src/runtimes/node/server.ts';
import { listenWithBody } from './http.ts';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** A service-account key file as the Cloud console downloads it. */
export interface ServiceAccountKeyFile {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  token_uri: string;
}

export interface IssuedGoogleToken { sub: string | null; scope: string; token: string }

/** The claims of one assertion the fake accepted or refused (for assertions on what was sent). */
export interface SeenAssertion { assertion: string; header: Record<string, unknown>; claims: Record<string, unknown> }

export class GoogleTokenFake {
  readonly key: ServiceAccountKeyFile;
  /** Users of the fake Workspace domain: impersonating anyone else is `invalid_grant`. */
  readonly users = new Set<string>();
  /** Scopes the Admin console grants the client id by domain-wide delegation. */
  readonly delegatedScopes = new Set<string>();
  readonly issued: IssuedGoogleToken[] = [];
  readonly assertions: SeenAssertion[] = [];
  /** The fake's clock minus the real one: beyond Google's tolerance, every assertion is refused. */
  clockOffsetMs = 0;
  private readonly publicKey: KeyObject;
  private failures: number[] = [];
  private server: RunningServer | null = null;

  constructor(o: { users?: string[]; delegatedScopes?: string[] } = {}) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.publicKey = publicKey;
    for (const u of o.users ?? []) this.users.add(u);
    for (const s of o.delegatedScopes ?? []) this.delegatedScopes.add(s);
    this.key = {
      type: 'service_account',
      project_id: 'psoxy-test',
      private_key_id: randomBytes(20).toString('hex'),
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: 'psoxy-gdirectory@psoxy-test.iam.gserviceaccount.com',
      client_id: '108731450211234567890',
      token_uri: 'http://127.0.0.1:1/token',
    };
  }

  get tokenUrl(): string {
    return this.key.token_uri;
  }

  /** The next token requests answer these statuses (429, 500, 503...), in order. */
  failNext(...statuses: number[]): void {
    this.failures.push(...statuses);
  }

  /** Who a token the fake issued stands for, if it issued it. */
  holder(token: string): IssuedGoogleToken | undefined {
    return this.issued.find((t) => t.token === token);
  }

  async start(): Promise<void> {
    this.server = await listenWithBody((req, res, body) => {
      const answer = (status: number, v: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(v));
      };
      const refuse = (status: number, error: string, description: string) => answer(status, { error, error_description: description });
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== '/token') return refuse(404, 'not_found', 'no such endpoint');
      const failure = this.failures.shift();
      if (failure !== undefined) return refuse(failure, failure === 429 ? 'rate_limit_exceeded' : 'internal_failure', 'try again later');
      if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return refuse(400, 'invalid_request', 'Invalid content type');
      const form = new URLSearchParams(body.toString('utf8'));
      if (form.get('grant_type') !== JWT_BEARER) return refuse(400, 'unsupported_grant_type', 'Invalid grant_type');
      const parsed = this.verifyAssertion(form.get('assertion') ?? '');
      if (typeof parsed === 'string') return refuse(400, 'invalid_grant', parsed);
      const { claims } = parsed;
      this.assertions.push(parsed);
      const sub = typeof claims.sub === 'string' ? claims.sub : null;
      const scope = String(claims.scope ?? '');
      if (sub !== null) {
        if (!this.users.has(sub)) return refuse(400, 'invalid_grant', 'Invalid email or User ID');
        if (!scope.split(' ').every((s) => this.delegatedScopes.has(s))) {
          return refuse(401, 'unauthorized_client', 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.');
        }
      }
      const token = `ya29.fake-${randomBytes(16).toString('hex')}`;
      this.issued.push({ sub, scope, token });
      answer(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
    });
    this.key.token_uri = `${this.server.url}/token`;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  /** The assertion's header and claims, or why Google would refuse it (`invalid_grant`'s description). */
  private verifyAssertion(assertion: string): SeenAssertion | string {
    const parts = assertion.split('.');
    if (parts.length !== 3) return 'Invalid JWT: not three parts';
    const decode = (p: string) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = decode(parts[0]);
      claims = decode(parts[1]);
    } catch {
      return 'Invalid JWT: not JSON';
    }
    if (header.alg !== 'RS256') return 'Invalid JWT: alg must be RS256';
    const signed = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), this.publicKey, Buffer.from(parts[2], 'base64url'));
    if (!signed) return 'Invalid JWT Signature.';
    if (claims.iss !== this.key.client_email) return 'Invalid JWT: iss is not the key\'s client_email';
    if (claims.aud !== this.key.token_uri) return 'Invalid JWT: aud is not the token endpoint';
    if (typeof claims.scope !== 'string' || claims.scope.trim() === '') return 'Invalid JWT: no scope';
    const now = (Date.now() + this.clockOffsetMs) / 1000;
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    // Google: a short-lived token (at most 60 minutes) in a reasonable timeframe.
    if (!(exp > iat) || exp - iat > 3600 || iat > now + 300 || exp < now - 300) {
      return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';
    }
    return { assertion, header, claims };
  }
}
