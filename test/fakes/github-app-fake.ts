// A fake of GitHub's App installation-token endpoint (`POST /app/installations/<id>/access_tokens`)
// plus an org members API on 127.0.0.1. The app's JWT is checked as GitHub documents it (RS256 by
// the app's registered key, iss = the client id or app id, iat not in the future, exp not passed
// and at most 10 minutes ahead); refusals are GitHub's (401 with a message, 404 for an installation
// the app lacks, rate limits as 403 / 429); tokens come as `{ token, expires_at }`.
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { listen, type RunningServer } from '../../src/runtimes/node/server.ts';
import { decodeJwt, signedBy } from './jwt-check.ts';

export const MEMBERS = [{ login: 'alice-ex', id: 583231, email: 'alice@acme.example' }];

export class GithubAppFake {
  readonly appId = '359050';
  readonly clientId = 'Iv23liA1b2C3d4E5f6G7';
  readonly installationId = '39494331';
  readonly privateKeyPem: string;
  private readonly publicKey: KeyObject;
  readonly issued = new Map<string, number>();
  readonly jwts: string[] = [];
  readonly tokenRequests: { path: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  readonly stats = { issued: 0, apiCalls: 0, rejectedTokens: 0 };
  /** GitHub's clock minus ours. */
  clockOffsetMs = 0;
  tokenTtlSeconds = 3600;
  private injected: { status: number; body: unknown; headers: Record<string, string>; times: number } | null = null;
  private server: RunningServer | null = null;

  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.publicKey = pair.publicKey;
    // GitHub hands out PKCS#1 PEM files.
    this.privateKeyPem = pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  }

  inject(status: number, body: unknown, headers: Record<string, string> = {}, times = 1): void {
    this.injected = { status, body, headers, times };
  }

  /** Revokes every installation token (a token reset). */
  revokeAll(): void {
    this.issued.clear();
  }

  get url(): string { return this.server!.url; }
  get endpoint(): string { return `${this.url}/app/installations/${this.installationId}/access_tokens`; }

  async start(): Promise<void> {
    this.server = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req.method ?? '', req.url ?? '/', req.headers, Buffer.concat(chunks).toString(), (status, out, headers = {}) => {
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(out));
      }));
    });
  }

  private handle(method: string, url: string, headers: Record<string, string | string[] | undefined>, body: string, send: (status: number, out: unknown, headers?: Record<string, string>) => void): void {
    const path = url.split('?')[0];
    const bearer = /^Bearer (.+)$/.exec(String(headers.authorization ?? ''))?.[1] ?? '';
    if (method === 'GET' && path === '/orgs/acme/members') {
      this.stats.apiCalls++;
      if ((this.issued.get(bearer) ?? 0) < Date.now()) {
        this.stats.rejectedTokens++;
        return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      }
      return send(200, MEMBERS);
    }
    const m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (method !== 'POST' || !m) return send(404, { message: 'Not Found' });
    this.tokenRequests.push({ path, headers, body });
    this.jwts.push(bearer);
    if (this.injected && this.injected.times-- > 0) return send(this.injected.status, this.injected.body, this.injected.headers);
    const refused = (message: string) => send(401, { message, documentation_url: 'https://docs.github.com/rest' });
    const jwt = decodeJwt(bearer);
    if (!jwt) return refused('A JSON web token could not be decoded');
    if (!signedBy(bearer, this.publicKey)) return refused('A JSON web token could not be decoded');
    const { iss, iat, exp } = jwt.claims;
    const now = (Date.now() + this.clockOffsetMs) / 1000;
    if (iss !== this.clientId && iss !== this.appId) return refused('Integration not found');
    if (typeof iat !== 'number' || iat > now) return refused("'Issued at' claim ('iat') must be an Integer representing a time in the past");
    if (typeof exp !== 'number' || exp <= now) return refused("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires");
    if (exp - now > 600) return refused("'Expiration time' claim ('exp') is too far in the future");
    if (m[1] !== this.installationId) return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    const token = 'ghs_' + randomBytes(27).toString('base64url');
    const expiresAt = Date.now() + this.tokenTtlSeconds * 1000;
    this.issued.set(token, expiresAt);
    this.stats.issued++;
    send(201, { token, expires_at: new Date(expiresAt).toISOString().replace(/\.\d+Z$/, 'Z'), permissions: { members: 'read' }, repository_selection: 'all' });
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }
}
