/**
 * A Zoom API simulator: a real HTTP server (127.0.0.1) for tests, the demo and `psoxy zoom-sim`.
 * Server-to-Server OAuth (`POST /oauth/token`, Basic client credentials, `account_id`, 1-hour
 * tokens, optionally revoking the previous token as Zoom did before mid-2023), the ten GET
 * endpoints the Zoom connector proxies, Zoom's pagination and `{code, message}` errors, rate
 * limiting, a free-plan mode and missing-scope mode.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, type RunningServer } from '../../../runtimes/node/server.ts';
import { generateOrg, type OrgOptions, type ZoomMeeting, type ZoomOrg, type ZoomUser } from './org.ts';
import {
  meetingDetails, meetingSummary, paginate, participantsPage, pastMeetingDetails, pastMeetingInstances,
  recordingsPage, reportUserMeetingsPage, userMeetingsPage, usersPage,
} from './responses.ts';

/** Granular scopes the connector needs (psoxy's Zoom README list). */
export const ZOOM_SCOPES = [
  'meeting:read:past_meeting:admin', 'meeting:read:meeting:admin', 'meeting:read:list_past_participants:admin',
  'meeting:read:list_past_instances:admin', 'meeting:read:list_meetings:admin', 'meeting:read:participant:admin',
  'meeting:read:summary:admin', 'cloud_recording:read:list_user_recordings:admin', 'report:read:list_meeting_participants:admin',
  'report:read:meeting:admin', 'report:read:user:admin', 'user:read:user:admin', 'user:read:list_users:admin', 'user:read:settings:admin',
];

export interface ZoomSimulatorOptions {
  org?: ZoomOrg;
  orgOptions?: OrgOptions;
  clientId?: string;
  clientSecret?: string;
  tokenTtlSeconds?: number;
  /** `revoke-previous`: a new token invalidates earlier ones (Zoom before June 2023); `multiple`: today's Zoom. */
  tokenPolicy?: 'revoke-previous' | 'multiple';
  plan?: 'paid' | 'free';
  /** Scopes granted to the app (default: all the connector needs). */
  scopes?: string[];
  /** Requests per second per account before 429 (unlimited when absent). */
  rateLimitPerSecond?: number;
  now?: () => number;
}

/** A planned misbehaviour for the next matching API requests (tests of error paths). */
export interface Fault {
  path: RegExp;
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  times?: number;
}

interface Route {
  pattern: RegExp;
  scope: string;
  category: 'Light' | 'Medium' | 'Heavy';
  paidOnly?: boolean;
  handle: (m: string[], q: URLSearchParams) => { status: number; body: unknown };
}

class ZoomError {
  readonly status: number;
  readonly code: number;
  readonly message: string;
  constructor(status: number, code: number, message: string) {
    this.status = status;
    this.code = code;
    this.message = message;
  }
}

export class ZoomSimulator {
  readonly org: ZoomOrg;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly stats = { tokenRequests: 0, apiRequests: 0, rejectedTokens: 0, rateLimited: 0 };
  options: Required<Pick<ZoomSimulatorOptions, 'tokenTtlSeconds' | 'tokenPolicy' | 'plan' | 'scopes'>> & ZoomSimulatorOptions;
  private readonly tokens = new Map<string, { expiresAt: number; revoked: boolean; scopes: string[] }>();
  private readonly faults: Fault[] = [];
  private window = { second: 0, count: 0 };
  private running: RunningServer | null = null;

  constructor(options: ZoomSimulatorOptions = {}) {
    this.org = options.org ?? generateOrg(options.orgOptions);
    this.clientId = options.clientId ?? 'sim-client-id';
    this.clientSecret = options.clientSecret ?? 'sim-client-secret';
    this.options = { tokenTtlSeconds: 3600, tokenPolicy: 'revoke-previous', plan: 'paid', scopes: ZOOM_SCOPES, ...options };
  }

  get accountId(): string {
    return this.org.accountId;
  }

  get url(): string {
    if (!this.running) throw new Error('simulator is not running');
    return this.running.url;
  }

  /** psoxy's settings that point a proxy at this simulator instead of api.zoom.us / zoom.us. */
  targetSettings(): { TARGET_HOST: string; REFRESH_ENDPOINT: string } {
    return { TARGET_HOST: this.url, REFRESH_ENDPOINT: `${this.url}/oauth/token` };
  }

  /** This simulator's app credentials under psoxy's Zoom config names. */
  credentialSettings(): { PSOXY_ZOOM_ACCOUNT_ID: string; PSOXY_ZOOM_CLIENT_ID: string; PSOXY_ZOOM_CLIENT_SECRET: string } {
    return { PSOXY_ZOOM_ACCOUNT_ID: this.accountId, PSOXY_ZOOM_CLIENT_ID: this.clientId, PSOXY_ZOOM_CLIENT_SECRET: this.clientSecret };
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.running = await listen((req, res) => { void this.serve(req, res); }, port, host);
    return this.running.url;
  }

  async stop(): Promise<void> {
    await this.running?.close();
    this.running = null;
  }

  inject(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const rawUrl = req.url ?? '/';
    const [rawPath, rawQuery = ''] = rawUrl.split('?', 2);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    if (req.method === 'POST' && rawPath === '/oauth/token') return this.tokenEndpoint(req, rawQuery, body, send);
    if (req.method !== 'GET') return send(405, { code: 405, message: 'Method not allowed.' });
    this.stats.apiRequests++;

    const fault = this.faults.find((f) => f.path.test(rawPath) && (f.times ?? 1) > 0);
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.status !== undefined) {
        res.writeHead(fault.status, { 'Content-Type': 'application/json;charset=UTF-8', ...fault.headers });
        res.end(fault.body ?? '');
        return;
      }
    }

    const route = this.routes.find((r) => r.pattern.test(rawPath));
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? this.tokens.get(auth.slice(7)) : undefined;
    if (!token || token.revoked) {
      this.stats.rejectedTokens++;
      return send(401, { code: 124, message: 'Invalid access token.' });
    }
    if (this.now() >= token.expiresAt) {
      this.stats.rejectedTokens++;
      return send(401, { code: 124, message: 'Access token is expired.' });
    }
    if (!route) return send(404, { code: 2300, message: 'This API endpoint is not recognized.' });
    const limitHeaders = this.rateLimit(route.category);
    if (limitHeaders === null) {
      this.stats.rateLimited++;
      return send(429, { code: 429, message: 'You have reached the maximum per-second rate limit for this API. Try again later.' }, {
        'Retry-After': '1', 'X-RateLimit-Category': route.category, 'X-RateLimit-Type': 'QPS',
        'X-RateLimit-Limit': String(this.options.rateLimitPerSecond), 'X-RateLimit-Remaining': '0',
      });
    }
    if (!token.scopes.includes(route.scope)) {
      return send(400, { code: 4711, message: `Invalid access token, does not contain scopes:[${route.scope}].` }, limitHeaders);
    }
    if (route.paidOnly && this.options.plan === 'free') {
      return send(400, { code: 200, message: `Only available for Paid account: ${this.accountId}` }, limitHeaders);
    }
    try {
      const m = route.pattern.exec(rawPath)!.slice(1).map(decodeSegment);
      const { status, body: payload } = route.handle(m, new URLSearchParams(rawQuery));
      send(status, payload, limitHeaders);
    } catch (e) {
      if (e instanceof ZoomError) send(e.status, { code: e.code, message: e.message }, limitHeaders);
      else send(500, { code: 500, message: 'Internal error.' });
    }
  }

  private tokenEndpoint(req: IncomingMessage, rawQuery: string, body: string, send: (s: number, p: unknown) => void): void {
    this.stats.tokenRequests++;
    const params = new URLSearchParams(rawQuery);
    for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
    const auth = req.headers.authorization ?? '';
    const expected = Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64');
    const given = auth.startsWith('Basic ') ? auth.slice(6) : '';
    if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
      return send(400, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
    }
    if (params.get('grant_type') !== 'account_credentials') return send(400, { reason: 'Unsupported grant type', error: 'unsupported_grant_type' });
    if (params.get('account_id') !== this.accountId) return send(400, { reason: 'Bad Request', error: 'invalid_request' });
    if (this.options.tokenPolicy === 'revoke-previous') for (const t of this.tokens.values()) t.revoked = true;
    const token = 'sim_' + randomBytes(24).toString('base64url');
    this.tokens.set(token, { expiresAt: this.now() + this.options.tokenTtlSeconds * 1000, revoked: false, scopes: this.options.scopes });
    send(200, { access_token: token, token_type: 'bearer', expires_in: this.options.tokenTtlSeconds, scope: this.options.scopes.join(' '), api_url: this.running?.url ?? 'https://api.zoom.us' });
  }

  /** Fixed one-second windows per account; null when over the limit. */
  private rateLimit(category: string): Record<string, string> | null {
    const limit = this.options.rateLimitPerSecond;
    if (limit === undefined) return {};
    const second = Math.floor(this.now() / 1000);
    if (this.window.second !== second) this.window = { second, count: 0 };
    if (this.window.count >= limit) return null;
    this.window.count++;
    return { 'X-RateLimit-Category': category, 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(limit - this.window.count) };
  }

  // ---- data lookups --------------------------------------------------------------------------

  private user(idOrEmail: string): ZoomUser {
    const u = this.org.users.find((x) => x.id === idOrEmail || x.email.toLowerCase() === idOrEmail.toLowerCase());
    if (!u) throw new ZoomError(404, 1001, `User does not exist: ${idOrEmail}.`);
    return u;
  }

  private meeting(idOrUuid: string): ZoomMeeting {
    const m = this.org.meetings.find((x) => x.uuid === idOrUuid || String(x.id) === idOrUuid);
    if (!m) throw new ZoomError(404, 3001, `Meeting does not exist: ${idOrUuid}.`);
    return m;
  }

  private page<T>(all: T[], q: URLSearchParams, max = 300) {
    const size = Math.min(Math.max(Number(q.get('page_size') ?? 30) || 30, 1), max);
    const p = paginate(all, size, q.get('next_page_token') || null);
    if (!p) throw new ZoomError(400, 300, 'The next page token is invalid or expired.');
    return p;
  }

  private readonly routes: Route[] = [
    { pattern: /^\/v2\/users$/, scope: 'user:read:list_users:admin', category: 'Medium', handle: (_m, q) => {
      const status = q.get('status') ?? 'active';
      return { status: 200, body: usersPage(this.page(this.org.users.filter((u) => u.status === status), q, 2000)) };
    } },
    { pattern: /^\/v2\/users\/([^/]+)\/meetings$/, scope: 'meeting:read:list_meetings:admin', category: 'Medium', handle: ([id], q) => {
      const u = this.user(id);
      return { status: 200, body: userMeetingsPage(this.page(this.org.meetings.filter((m) => m.host_id === u.id), q)) };
    } },
    { pattern: /^\/v2\/users\/([^/]+)\/recordings$/, scope: 'cloud_recording:read:list_user_recordings:admin', category: 'Medium', handle: ([id], q) => {
      const u = this.user(id);
      return { status: 200, body: recordingsPage(this.page(this.org.meetings.filter((m) => m.host_id === u.id), q), this.org) };
    } },
    { pattern: /^\/v2\/meetings\/([^/]+)\/meeting_summary$/, scope: 'meeting:read:summary:admin', category: 'Light', paidOnly: true, handle: ([id]) => {
      if (/^\d+$/.test(id)) throw new ZoomError(400, 300, 'Invalid meeting id.');
      const m = this.meeting(id);
      if (!m.summary) throw new ZoomError(404, 3001, 'Meeting summary does not exist.');
      return { status: 200, body: meetingSummary(m) };
    } },
    { pattern: /^\/v2\/meetings\/([^/]+)$/, scope: 'meeting:read:meeting:admin', category: 'Light', handle: ([id]) => ({ status: 200, body: meetingDetails(this.meeting(id)) }) },
    { pattern: /^\/v2\/past_meetings\/([^/]+)\/instances$/, scope: 'meeting:read:list_past_instances:admin', category: 'Medium', handle: ([id]) => {
      const m = this.meeting(id);
      return { status: 200, body: pastMeetingInstances(this.org.meetings.filter((x) => x.id === m.id)) };
    } },
    { pattern: /^\/v2\/past_meetings\/([^/]+)\/participants$/, scope: 'meeting:read:list_past_participants:admin', category: 'Medium', paidOnly: true, handle: ([id], q) =>
      ({ status: 200, body: participantsPage(this.page(this.meeting(id).participants, q), false) }) },
    { pattern: /^\/v2\/past_meetings\/([^/]+)$/, scope: 'meeting:read:past_meeting:admin', category: 'Light', handle: ([id]) => {
      const m = this.meeting(id);
      return { status: 200, body: pastMeetingDetails(m, this.org.users.find((u) => u.id === m.host_id)) };
    } },
    { pattern: /^\/v2\/report\/users\/([^/]+)\/meetings$/, scope: 'report:read:user:admin', category: 'Heavy', paidOnly: true, handle: ([id], q) => {
      const u = this.user(id);
      return { status: 200, body: reportUserMeetingsPage(this.page(this.org.meetings.filter((m) => m.host_id === u.id), q), this.org) };
    } },
    { pattern: /^\/v2\/report\/meetings\/([^/]+)\/participants$/, scope: 'report:read:list_meeting_participants:admin', category: 'Heavy', paidOnly: true, handle: ([id], q) =>
      ({ status: 200, body: participantsPage(this.page(this.meeting(id).participants, q), true) }) },
  ];
}

/** Zoom decodes path parameters; UUIDs with `/` arrive double-encoded (`%252F`). */
function decodeSegment(s: string): string {
  let v = s;
  for (let i = 0; i < 3 && /%[0-9A-Fa-f]{2}/.test(v); i++) {
    try {
      v = decodeURIComponent(v);
    } catch {
      break;
    }
  }
  return v;
}
