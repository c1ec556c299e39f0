// A fake of the Secret Manager v1 REST API on 127.0.0.1, as Google documents it, enough for our
// REST client (and @google-cloud/secret-manager on its REST transport): secrets with labels and
// etags, versions (add, access, list, destroy).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RunningServer } from '../../src/runtimes/node/server.ts';
import { listenWithBody } from './http.ts';

interface Secret { labels: Record<string, string>; etag: number; versions: { data: Buffer; state: string }[] }

/** psoxy's roles on secrets: Secret Accessor on admin-filled ones, its custom version manager on the token's. */
export type SecretRole = 'secretAccessor' | 'secretVersionManager' | 'viewer';
const ROLE_PERMISSIONS: Record<SecretRole, string[]> = {
  secretAccessor: ['secretmanager.versions.access'],
  viewer: ['secretmanager.secrets.get', 'secretmanager.versions.list'],
  secretVersionManager: ['secretmanager.secrets.get', 'secretmanager.secrets.update', 'secretmanager.versions.access', 'secretmanager.versions.add', 'secretmanager.versions.list', 'secretmanager.versions.destroy'],
};

export class FakeSecretManager {
  readonly secrets = new Map<string, Secret>();
  readonly calls: string[] = [];
  /** Calls refused by the IAM grants (`grant`): a deployment that works makes none. */
  readonly denied: string[] = [];
  /** Per secret, the permissions granted; a secret absent here is unrestricted (no IAM modelled). */
  private readonly grants = new Map<string, Set<string>>();
  private unavailable = 0;
  private server: RunningServer | null = null;

  /** Creates (or adds a version to) a secret, as an administrator would. */
  set(id: string, value?: string): void {
    const s = this.secrets.get(id) ?? { labels: {}, etag: 1, versions: [] };
    if (value !== undefined) s.versions.push({ data: Buffer.from(value), state: 'ENABLED' });
    this.secrets.set(id, s);
  }

  /** Grants the proxy's service account a role on a secret (from then on, only what it grants is allowed). */
  grant(id: string, role: SecretRole): void {
    const g = this.grants.get(id) ?? new Set<string>();
    for (const p of ROLE_PERMISSIONS[role]) g.add(p);
    this.grants.set(id, g);
  }

  latest(id: string): string | undefined {
    return this.secrets.get(id)?.versions.filter((v) => v.state === 'ENABLED').at(-1)?.data.toString();
  }

  /** The next `n` requests answer 503 UNAVAILABLE. */
  failNext(n: number): void {
    this.unavailable = n;
  }

  /** Protocols of the requests served (`1.1`, `2.0`). */
  readonly httpVersions: string[] = [];
  /** Connections accepted (TLS mode): HTTP/2 shares one among parallel requests. */
  connections = 0;

  /**
   * Serves over plain HTTP/1.1, or with `tls` over HTTPS speaking HTTP/2 and HTTP/1.1 as Google's
   * endpoint does (HTTP/1.1 only with `http1Only`).
   */
  async start(o: { tls?: { cert: string; key: string; http1Only?: boolean } } = {}): Promise<{ host: string; port: number }> {
    const handler = (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
      this.httpVersions.push(req.httpVersion);
      const url = new URL(req.url ?? '/', 'http://x');
      const path = decodeURIComponent(url.pathname);
      this.calls.push(`${req.method} ${path}`);
      const json = (status: number, v: unknown) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(v)); };
      const error = (status: number, s: string, message: string) => json(status, { error: { code: status, message, status: s } });
      if (this.unavailable > 0) { this.unavailable--; return error(503, 'UNAVAILABLE', 'try again'); }
      const m = /^\/v1\/projects\/([^/]+)\/secrets\/([^/:]+)(?:\/versions(?:\/([^/:]+))?)?(?::(\w+))?$/.exec(path);
      if (!m) return error(404, 'NOT_FOUND', `unsupported ${path}`);
      const [, project, id, version, verb] = m;
      const name = `projects/${project}/secrets/${id}`;
      const permission = req.method === 'PATCH' ? 'secretmanager.secrets.update'
        : verb === 'access' ? 'secretmanager.versions.access'
          : verb === 'addVersion' ? 'secretmanager.versions.add'
            : verb === 'destroy' ? 'secretmanager.versions.destroy'
              : path.endsWith('/versions') ? 'secretmanager.versions.list' : 'secretmanager.secrets.get';
      const granted = this.grants.get(id);
      if (granted && !granted.has(permission)) {
        this.denied.push(`${permission} ${id}`);
        return error(403, 'PERMISSION_DENIED', `Permission '${permission}' denied on resource '${name}'.`);
      }
      const s = this.secrets.get(id);
      if (!s) return error(404, 'NOT_FOUND', `Secret [${name}] not found.`);
      const secretJson = () => ({ name, labels: s.labels, etag: `"${s.etag}"`, replication: { automatic: {} } });
      const body = raw.length ? (JSON.parse(raw.toString()) as Record<string, unknown>) : {};
      if (req.method === 'GET' && version === undefined && !path.includes('/versions')) return json(200, secretJson());
      if (req.method === 'PATCH') {
        const upd = body as { labels?: Record<string, string>; etag?: string };
        if (upd.etag !== undefined && upd.etag !== `"${s.etag}"`) return error(409, 'ABORTED', 'etag mismatch');
        s.labels = upd.labels ?? {};
        s.etag++;
        return json(200, secretJson());
      }
      if (req.method === 'POST' && verb === 'addVersion') {
        const data = Buffer.from(String((body.payload as { data?: string } | undefined)?.data ?? ''), 'base64');
        s.versions.push({ data, state: 'ENABLED' });
        return json(200, { name: `${name}/versions/${s.versions.length}`, state: 'ENABLED' });
      }
      if (req.method === 'GET' && path.endsWith('/versions')) {
        const filter = url.searchParams.get('filter');
        const versions = s.versions.map((v, i) => ({ name: `${name}/versions/${i + 1}`, state: v.state })).filter((v) => !filter?.includes('ENABLED') || v.state === 'ENABLED');
        return json(200, { versions, totalSize: versions.length });
      }
      const enabled = s.versions.map((v, i) => ({ ...v, n: i + 1 })).filter((v) => v.state === 'ENABLED');
      const v = version === 'latest' ? enabled.at(-1) : enabled.find((x) => String(x.n) === version);
      if (req.method === 'GET' && verb === 'access') {
        if (!v) return error(404, 'NOT_FOUND', `Secret Version [${name}/versions/${version}] not found.`);
        return json(200, { name: `${name}/versions/${v.n}`, payload: { data: v.data.toString('base64') } });
      }
      if (req.method === 'POST' && verb === 'destroy') {
        if (!v) return error(404, 'NOT_FOUND', 'no such version');
        s.versions[v.n - 1].state = 'DESTROYED';
        return json(200, { name: `${name}/versions/${v.n}`, state: 'DESTROYED' });
      }
      error(404, 'NOT_FOUND', `unsupported ${req.method} ${path}`);
    };
    if (o.tls) {
      const tls = o.tls;
      const withBody = (req: IncomingMessage, res: ServerResponse) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => handler(req, res, Buffer.concat(chunks)));
      };
      const server = tls.http1Only
        ? (await import('node:https')).createServer({ cert: tls.cert, key: tls.key }, withBody)
        : (await import('node:http2')).createSecureServer({ cert: tls.cert, key: tls.key, allowHTTP1: true }, withBody as never);
      server.on('secureConnection', () => this.connections++);
      const sockets = new Set<import('node:net').Socket>();
      server.on('connection', (c: import('node:net').Socket) => { sockets.add(c); c.on('close', () => sockets.delete(c)); });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as import('node:net').AddressInfo).port;
      this.server = {
        server: server as never, url: `https://127.0.0.1:${port}`,
        close: () => new Promise<void>((r) => { for (const c of sockets) c.destroy(); server.close(() => r()); }),
      };
      return { host: '127.0.0.1', port };
    }
    this.server = await listenWithBody(handler);
    const u = new URL(this.server.url);
    return { host: u.hostname, port: Number(u.port) };
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }
}
