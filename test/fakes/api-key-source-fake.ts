// Fakes of three APIs that take a static key on 127.0.0.1, each as its provider checks it:
// Anthropic's Admin API (`x-api-key`), Windsurf's (`service_key` in the JSON body of a POST) and
// Cursor's Admin API (HTTP Basic, the key as user, empty password). A wrong key is answered with
// an error body that quotes what was sent, as careless APIs do: the proxy must not pass it on.
import { randomBytes } from 'node:crypto';
import type { RunningServer } from '../../src/runtimes/node/server.ts';
import { listenWithBody } from './http.ts';

export type KeyedProvider = 'claude' | 'windsurf' | 'cursor';

export const PEOPLE = { data: [{ id: 'user_01', email: 'alice@acme.example', name: 'Alice Example' }] };

const PATHS: Record<KeyedProvider, { method: string; path: string }> = {
  claude: { method: 'GET', path: '/v1/organizations/users' },
  windsurf: { method: 'POST', path: '/api/v1/UserPageAnalytics' },
  cursor: { method: 'GET', path: '/teams/members' },
};

export class ApiKeySourceFake {
  readonly key: string;
  readonly requests: { method: string; path: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  private server: RunningServer | null = null;
  readonly provider: KeyedProvider;

  constructor(provider: KeyedProvider) {
    this.provider = provider;
    this.key = { claude: 'sk-ant-admin01-', windsurf: 'svc-', cursor: 'key_' }[provider] + randomBytes(24).toString('hex');
  }

  get url(): string { return this.server!.url; }
  get route(): { method: string; path: string } { return PATHS[this.provider]; }

  /** What the request carried as the key, or null. */
  private presented(headers: Record<string, string | string[] | undefined>, body: string): string | null {
    switch (this.provider) {
      case 'claude': return (headers['x-api-key'] as string | undefined) ?? null;
      case 'cursor': {
        const basic = /^Basic (.+)$/.exec(String(headers.authorization ?? ''))?.[1];
        if (!basic) return null;
        const [user, password] = Buffer.from(basic, 'base64').toString().split(':');
        return password === '' ? user : null;
      }
      case 'windsurf':
        try {
          return String((JSON.parse(body) as { service_key?: unknown }).service_key ?? '') || null;
        } catch {
          return null;
        }
    }
  }

  async start(): Promise<void> {
    this.server = await listenWithBody((req, res, raw) => {
      const body = raw.toString();
      const path = (req.url ?? '/').split('?')[0];
      this.requests.push({ method: req.method ?? '', path, headers: req.headers, body });
      const send = (status: number, out: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(out));
      };
      if (req.method !== this.route.method || path !== this.route.path) return send(404, { error: 'not found' });
      const key = this.presented(req.headers, body);
      if (key !== this.key) return send(401, { error: { type: 'authentication_error', message: `invalid key: ${key ?? '(none)'}` } });
      send(200, PEOPLE);
    });
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }
}
