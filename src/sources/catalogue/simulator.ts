/**
 * A generic source simulator: serves each of a connector's example calls with its
 * provider-shaped response, generated once from a seeded fake organisation, so the demo, the
 * tests and `psoxy serve` can run any connector locally. It asks for some credential (a bearer
 * token, an API key or token header, basic auth or a `service_key` in a JSON body) and answers 401
 * without one; the auth fakes under `test/fakes` check each strategy exactly.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connector } from './connector.ts';
import { generateFakeOrg, personalValues, type FakeOrg } from './fake-org.ts';

export interface SimulatedCall {
  method: string;
  path: string;
  authorized: boolean;
  /** The request body as received ('' for none). */
  body: string;
  /** The request headers as received (lower-case names), e.g. to see what the proxy forwarded. */
  headers: Record<string, string | string[] | undefined>;
}

/** Windsurf-style APIs take their key as `service_key` in a JSON body rather than in a header. */
function hasServiceKey(body: string): boolean {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as Record<string, unknown>).service_key === 'string';
  } catch {
    return false;
  }
}

export class SourceSimulator {
  readonly connector: Connector;
  readonly org: FakeOrg;
  readonly calls: SimulatedCall[] = [];
  private readonly responses = new Map<string, string>();
  private server: Server | null = null;
  private base = '';

  constructor(connector: Connector, options: { seed?: number; people?: number; domain?: string } = {}) {
    this.connector = connector;
    this.org = generateFakeOrg(options);
    // Generated up front, so personal values (org.extraPersonal) are known before any call.
    for (const e of connector.examples) this.responses.set(`${e.method ?? 'GET'} ${new URL(e.path, 'http://x').pathname}`, JSON.stringify(e.response(this.org)));
  }

  /** Every personal value the simulated responses carry. */
  personalValues(): string[] {
    return personalValues(this.org);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const requestBody = Buffer.concat(chunks).toString('utf8');
        const authorized = Boolean(req.headers.authorization || req.headers['x-api-key'] || req.headers['x-api-token'] || hasServiceKey(requestBody));
        this.calls.push({ method: req.method ?? 'GET', path, authorized, body: requestBody, headers: { ...req.headers } });
        const body = this.responses.get(`${req.method} ${path}`);
        const send = (status: number, text: string) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(text); };
        if (!authorized) return send(401, '{"error":"unauthorized"}');
        if (body === undefined) return send(404, '{"error":"not found"}');
        send(200, body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.base;
  }

  /** Settings that point the proxy at this simulator, with a static token standing in for the connector's auth. */
  settings(): Record<string, string> {
    return { TARGET_HOST: this.base, SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_access_token', ACCESS_TOKEN: 'simulated-token' };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
