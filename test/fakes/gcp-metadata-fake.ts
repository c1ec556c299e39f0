// A fake of the GCP metadata server's identity endpoint on 127.0.0.1: Google-signed-style ID
// tokens (iss https://accounts.google.com, aud = the audience asked for, sub = the service
// account's unique id) for requests with `Metadata-Flavor: Google`, as the real server demands.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { listen, type RunningServer } from '../../src/runtimes/node/server.ts';
import { issueRs256 } from './jwt-check.ts';

export const GOOGLE_ISSUER = 'https://accounts.google.com';

export class GcpMetadataFake {
  readonly serviceAccountId = '104729384756102938475';
  readonly publicKey: KeyObject;
  private readonly privateKey: KeyObject;
  readonly issued: string[] = [];
  readonly requests: { path: string; flavor: string | undefined }[] = [];
  /** The next `times` answers: this status, plain text (the server's 404 / 500 pages). */
  private failure: { status: number; times: number } | null = null;
  private server: RunningServer | null = null;

  constructor() {
    ({ publicKey: this.publicKey, privateKey: this.privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 }));
  }

  fail(status: number, times = 1): void {
    this.failure = { status, times };
  }

  /** `host:port`, as GCE_METADATA_HOST takes it. */
  get host(): string {
    return new URL(this.server!.url).host;
  }

  async start(): Promise<void> {
    this.server = await listen((req, res) => {
      const url = new URL(req.url ?? '/', 'http://metadata.invalid');
      const flavor = req.headers['metadata-flavor'] as string | undefined;
      this.requests.push({ path: url.pathname, flavor });
      const send = (status: number, text: string) => {
        res.writeHead(status, { 'Content-Type': 'text/plain', 'Metadata-Flavor': 'Google' });
        res.end(text);
      };
      if (flavor !== 'Google') return send(403, 'Missing required header "Metadata-Flavor": "Google"');
      if (this.failure && this.failure.times-- > 0) return send(this.failure.status, 'injected failure');
      if (url.pathname !== '/computeMetadata/v1/instance/service-accounts/default/identity') return send(404, 'Not Found');
      const audience = url.searchParams.get('audience');
      if (!audience) return send(400, 'non-empty audience parameter required');
      const now = Math.floor(Date.now() / 1000);
      const token = issueRs256({ iss: GOOGLE_ISSUER, aud: audience, sub: this.serviceAccountId, azp: this.serviceAccountId, iat: now, exp: now + 3600 }, this.privateKey, { kid: 'fake-google' });
      this.issued.push(token);
      send(200, token);
    });
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }
}
