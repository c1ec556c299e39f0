// A fake of Amazon Cognito Identity's GetOpenIdTokenForDeveloperIdentity (AWS JSON 1.1, SigV4
// checked) on 127.0.0.1, for the real SDK v3 client: one identity pool with one developer
// provider and identity, OpenID tokens as Cognito issues them (iss cognito-identity.amazonaws.com,
// aud = pool id, sub = identity id), and Cognito's refusals by name.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { RunningServer } from '../../src/runtimes/node/server.ts';
import { listenWithBody } from './http.ts';
import { verifySigV4 } from './sigv4-verifier.ts';
import { issueRs256 } from './jwt-check.ts';

export const COGNITO_ISSUER = 'https://cognito-identity.amazonaws.com';

export class CognitoFake {
  readonly identityPoolId = 'us-east-1:0b7f3a52-5d1e-4c39-9a0e-6f1c2b3d4e5f';
  readonly identityId = 'us-east-1:9c8b7a65-4321-4fed-8cba-0123456789ab';
  readonly developerName = 'psoxy-msft';
  readonly publicKey: KeyObject;
  private readonly privateKey: KeyObject;
  /** The login the identity is linked to (psoxy: the Entra app's client id). */
  login = '';
  readonly issued: string[] = [];
  readonly calls: { target: string; input: Record<string, unknown> }[] = [];
  private failures: { type: string; status: number; times: number }[] = [];
  private server: RunningServer | null = null;

  constructor() {
    ({ publicKey: this.publicKey, privateKey: this.privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 }));
  }

  /** The next `times` calls fail with Cognito's `type` (TooManyRequestsException, InternalErrorException…). */
  fail(type: string, times = 1, status = 400): void {
    this.failures.push({ type, status, times });
  }

  async start(): Promise<string> {
    this.server = await listenWithBody((req, res, body) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const input = JSON.parse(body.toString() || '{}') as Record<string, unknown>;
      this.calls.push({ target, input });
      const send = (status: number, out: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(out));
      };
      const error = (type: string, message: string, status = 400) => send(status, { __type: type, message });
      const signature = verifySigV4(req, body, { test: 'test' });
      if (!signature.ok) return error('UnrecognizedClientException', `The security token included in the request is invalid (${signature.reason})`);
      const f = this.failures.find((x) => x.times > 0);
      if (f) { f.times--; return error(f.type, 'injected failure', f.status); }
      if (target !== 'AWSCognitoIdentityService.GetOpenIdTokenForDeveloperIdentity') return error('UnknownOperationException', `unsupported ${target}`);
      const logins = (input.Logins ?? {}) as Record<string, string>;
      if (input.IdentityPoolId !== this.identityPoolId) return error('ResourceNotFoundException', `IdentityPool '${String(input.IdentityPoolId)}' not found.`);
      if (Object.keys(logins).length !== 1 || !(this.developerName in logins)) return error('NotAuthorizedException', 'Developer provider name does not match the identity pool.');
      if (input.IdentityId !== this.identityId || logins[this.developerName] !== this.login) return error('ResourceConflictException', 'Identity is linked to a different login.');
      const now = Math.floor(Date.now() / 1000);
      const token = issueRs256({ iss: COGNITO_ISSUER, aud: this.identityPoolId, sub: this.identityId, amr: ['authenticated', this.developerName], iat: now, exp: now + 900 }, this.privateKey, { kid: 'fake-cognito' });
      this.issued.push(token);
      send(200, { IdentityId: this.identityId, Token: token });
    });
    return this.server.url;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }
}
