// A tiny Google Workspace Admin SDK (Directory users) on 127.0.0.1 that accepts only tokens the
// token fake issued, for a user (domain-wide delegation) with the directory scope; it records what
// reached it so tests can check which token came for whom and that no control header was forwarded.
import type { IncomingHttpHeaders } from 'node:http';
import type { RunningServer } from '../../src/runtimes/node/server.ts';
import type { GoogleTokenFake } from './google-token-fake.ts';
import { listenWithBody } from './http.ts';

export const DIRECTORY_SCOPE = 'https://www.googleapis.com/auth/admin.directory.user.readonly';

/** psoxy-style rules for the fake: the users list (emails pseudonymized, names redacted) and one user. */
export const DIRECTORY_RULES = `endpoints:
  - pathTemplate: "/admin/directory/v1/users"
    allowedQueryParams: ["customer", "pageToken"]
    transforms:
      - !<pseudonymize>
        jsonPaths: ["$.users[*].primaryEmail"]
      - !<redact>
        jsonPaths: ["$.users[*].name"]
  - pathTemplate: "/admin/directory/v1/users/{userKey}"
    transforms:
      - !<pseudonymize>
        jsonPaths: ["$.primaryEmail"]
      - !<redact>
        jsonPaths: ["$.name"]
`;

export interface SeenApiRequest { path: string; headers: IncomingHttpHeaders; sub: string | null }

export class GoogleApiFake {
  readonly requests: SeenApiRequest[] = [];
  /** Tokens the API no longer accepts (revoked early): they get 401. */
  readonly revoked = new Set<string>();
  private readonly tokens: GoogleTokenFake;
  private server: RunningServer | null = null;

  constructor(tokens: GoogleTokenFake) {
    this.tokens = tokens;
  }

  get url(): string {
    return this.server!.url;
  }

  async start(): Promise<void> {
    this.server = await listenWithBody((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const error = (status: number, s: string, message: string) => {
        res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8' });
        res.end(JSON.stringify({ error: { code: status, message, status: s } }));
      };
      const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const holder = this.revoked.has(bearer) ? undefined : this.tokens.holder(bearer);
      this.requests.push({ path: url.pathname + url.search, headers: req.headers, sub: holder?.sub ?? null });
      if (!holder) return error(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
      if (holder.sub === null || !holder.scope.split(' ').includes(DIRECTORY_SCOPE)) return error(403, 'PERMISSION_DENIED', 'Not Authorized to access this resource/api');
      const users = [...this.tokens.users].map((email, i) => ({ id: String(100 + i), primaryEmail: email, name: { fullName: `Person ${i}` } }));
      const one = /^\/admin\/directory\/v1\/users\/([^/]+)$/.exec(url.pathname);
      const body = url.pathname === '/admin/directory/v1/users' ? { kind: 'admin#directory#users', users }
        : one ? users.find((u) => u.primaryEmail === decodeURIComponent(one[1])) : undefined;
      if (body === undefined) return error(404, 'NOT_FOUND', 'Resource Not Found');
      res.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(body));
    });
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }
}
