// A fake of Microsoft Entra's v2.0 token endpoint (`/<tenant>/oauth2/v2.0/token`) plus a Graph-like
// `/v1.0/users` on 127.0.0.1. It takes client credentials proved by a client assertion, as Entra
// does: a certificate's JWT (x5t → registered public key, aud = this endpoint, iss = sub = client
// id, unused jti, within its lifetime by Entra's clock) or a federated identity token (issuer,
// subject and audience of a registered federated credential, signed by that issuer). Refusals are
// Entra's OAuth codes; what a client sends wrong is also recorded in `violations`.
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import type { RunningServer } from '../../src/runtimes/node/server.ts';
import { listenWithBody } from './http.ts';
import { decodeJwt, signedBy } from './jwt-check.ts';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface FederatedCredential { issuer: string; subject: string; audience: string; key: KeyObject }

export const USERS = { value: [{ id: 'f3a1c2d4-0000-4000-8000-000000000001', mail: 'alice@acme.example', displayName: 'Alice Example' }] };

export class EntraTokenFake {
  readonly tenant = '6d2f3a1b-1111-4222-8333-944455556666';
  readonly clientId = '0f6e5d4c-aaaa-4bbb-8ccc-ddddeeeeffff';
  /** Registered certificates by SHA-1 thumbprint (hex). */
  readonly certificates = new Map<string, KeyObject>();
  readonly federated: FederatedCredential[] = [];
  readonly violations: string[] = [];
  readonly tokenRequests: { headers: Record<string, string | string[] | undefined>; form: URLSearchParams }[] = [];
  readonly issued = new Map<string, number>();
  readonly assertions: string[] = [];
  /** Entra's clock minus ours (a skewed host clock, seen from Entra). */
  clockOffsetMs = 0;
  accessTtlSeconds = 3599;
  readonly stats = { issued: 0, apiCalls: 0, rejectedTokens: 0 };
  private readonly seenJti = new Set<string>();
  private injected: { status: number; body: unknown; headers: Record<string, string>; times: number } | null = null;
  private server: RunningServer | null = null;

  /** Registers a certificate's public key; returns its thumbprint as openssl prints it. */
  addCertificate(publicKey: KeyObject): string {
    const hex = createHash('sha1').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').toUpperCase();
    this.certificates.set(hex, publicKey);
    return 'sha1 Fingerprint=' + hex.match(/../g)!.join(':');
  }

  /** The next `times` token requests get this answer (429 with Retry-After, 503…). */
  inject(status: number, body: unknown, headers: Record<string, string> = {}, times = 1): void {
    this.injected = { status, body, headers, times };
  }

  get url(): string { return this.server!.url; }
  get endpoint(): string { return `${this.url}/${this.tenant}/oauth2/v2.0/token`; }

  async start(): Promise<void> {
    this.server = await listenWithBody((req, res, body) => {
      const send = (status: number, out: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(out));
      };
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === '/v1.0/users') {
        this.stats.apiCalls++;
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (!token || (this.issued.get(token) ?? 0) < Date.now()) {
          this.stats.rejectedTokens++;
          return send(401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty or invalid.' } });
        }
        return send(200, USERS);
      }
      if (req.method !== 'POST' || path !== `/${this.tenant}/oauth2/v2.0/token`) return send(404, { error: 'not_found' });
      const form = new URLSearchParams(body.toString());
      this.tokenRequests.push({ headers: req.headers, form });
      const refuse = (status: number, error: string, aadsts: number, why: string) => send(status, { error, error_description: `AADSTS${aadsts}: ${why}`, error_codes: [aadsts] });
      if (this.injected && this.injected.times-- > 0) return send(this.injected.status, this.injected.body, this.injected.headers);
      if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) this.violations.push('content type is not a form');
      if (form.get('grant_type') !== 'client_credentials') return refuse(400, 'unsupported_grant_type', 70003, 'grant type not supported');
      if (form.get('client_assertion_type') !== JWT_BEARER) return refuse(400, 'invalid_request', 900144, 'client_assertion_type is missing or wrong');
      if (form.get('client_id') !== this.clientId) return refuse(400, 'unauthorized_client', 700016, 'Application was not found in the directory');
      if (form.get('scope') !== GRAPH_SCOPE) return refuse(400, 'invalid_scope', 1002012, 'The provided value for scope is not valid');
      const assertion = form.get('client_assertion') ?? '';
      this.assertions.push(assertion);
      const problem = this.assertionProblem(assertion);
      if (problem) return refuse(401, 'invalid_client', problem.code, problem.why);
      const token = 'eyJ0eXAi.entra.' + randomBytes(18).toString('base64url');
      this.issued.set(token, Date.now() + this.accessTtlSeconds * 1000);
      this.stats.issued++;
      send(200, { token_type: 'Bearer', expires_in: this.accessTtlSeconds, ext_expires_in: this.accessTtlSeconds, access_token: token });
    });
  }

  private assertionProblem(assertion: string): { code: number; why: string } | null {
    const jwt = decodeJwt(assertion);
    if (!jwt) return { code: 50027, why: 'JWT token is invalid or malformed' };
    const { header, claims } = jwt;
    const now = (Date.now() + this.clockOffsetMs) / 1000;
    if (typeof claims.exp !== 'number' || claims.exp <= now) return { code: 700024, why: 'Client assertion is not within its valid time range' };
    if (typeof claims.iat === 'number' && claims.iat > now + 60) return { code: 700024, why: 'Client assertion is not within its valid time range' };
    if (typeof header.x5t === 'string') {
      if (header.typ !== 'JWT') this.violations.push('typ is not JWT');
      const thumb = Buffer.from(header.x5t, 'base64url').toString('hex').toUpperCase();
      const key = this.certificates.get(thumb);
      if (!key) return { code: 700027, why: 'Client assertion contains an invalid signature: key was not found' };
      if (!signedBy(assertion, key)) return { code: 700027, why: 'Client assertion contains an invalid signature' };
      if (claims.aud !== this.endpoint) return { code: 700027, why: 'Client assertion audience claim does not match the token endpoint' };
      if (claims.iss !== this.clientId || claims.sub !== this.clientId) return { code: 700027, why: 'iss and sub must be the client id' };
      if (typeof claims.jti !== 'string' || this.seenJti.has(claims.jti)) return { code: 700229, why: 'jti missing or already used' };
      this.seenJti.add(claims.jti);
      return null;
    }
    const credential = this.federated.find((f) => f.issuer === claims.iss && f.subject === claims.sub && f.audience === claims.aud);
    if (!credential) return { code: 70021, why: 'No matching federated identity record found for presented assertion' };
    if (!signedBy(assertion, credential.key)) return { code: 700027, why: 'Client assertion contains an invalid signature' };
    return null;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }
}
