/**
 * The built-in Zoom connector: everything this project knows about Zoom in one place. psoxy's
 * settings for `SOURCE=zoom` (zoom-and-cloud.md §1.2), the endpoints its rules allow, the scopes
 * that grant each one in both of Zoom's scope families, plan requirements and rate-limit labels
 * (Zoom's API-hub OpenAPI documents). The simulator, `psoxy check zoom`, the README and the demo
 * read it from here.
 */

/** psoxy's defaults: any of them can be overridden by env or the stores (e.g. TARGET_HOST for the simulator). */
export const ZOOM_DEFAULTS: Record<string, string> = {
  SOURCE: 'zoom',
  TARGET_HOST: 'api.zoom.us',
  SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_refresh_token',
  GRANT_TYPE: 'account_credentials',
  REFRESH_ENDPOINT: 'https://zoom.us/oauth/token',
  USE_SHARED_TOKEN: 'true',
};

/** The three values an administrator copies from the Zoom Server-to-Server OAuth app. */
export const ZOOM_SECRETS = ['ACCOUNT_ID', 'CLIENT_ID', 'CLIENT_SECRET'] as const;

/**
 * What psoxy's AWS Terraform keeps in Secrets Manager in its Secrets Manager mode (its `sensitive`
 * flag, as `Connector.sensitive`): the secret and the shared token; the account and client ids
 * (which Zoom shows in clear) and the OAUTH_REFRESH_TOKEN lock stay in SSM.
 */
export const ZOOM_SENSITIVE = ['CLIENT_SECRET', 'ACCESS_TOKEN'] as const;

/** Zoom's token lifetime for Server-to-Server OAuth apps (no refresh token). */
export const ZOOM_TOKEN_TTL_SECONDS = 3600;

/**
 * Zoom's two scope families. Apps created before 2024 have *classic* scopes (`user:read:admin`),
 * which Zoom still honours on them; apps created since have *granular* ones
 * (`user:read:list_users:admin`). Either family, or a mix, grants an endpoint.
 */
export type ScopeFamily = 'classic' | 'granular';

export interface ZoomEndpoint {
  /** What it is, as Zoom's API reference names it. */
  name: string;
  /** OpenAPI-style path template, as in the rules. */
  path: string;
  /** Zoom's rate-limit label. */
  rateLimit: 'Light' | 'Medium' | 'Heavy';
  /** Needs a Pro plan or higher (Zoom answers code 200 "Only available for Paid account"). */
  paidOnly: boolean;
  /** Any one scope of either list grants it; the first of each is the one to add (`:admin`, for Server-to-Server apps). */
  scopes: Record<ScopeFamily, readonly string[]>;
  /** Granted by the scopes psoxy's Zoom guide tells admins to add; the others are optional extras. */
  inGuide: boolean;
}

export const ZOOM_ENDPOINTS: readonly ZoomEndpoint[] = [
  { name: 'List users', path: '/v2/users', rateLimit: 'Medium', paidOnly: false, inGuide: true,
    scopes: { classic: ['user:read:admin', 'user:write:admin', 'user:read', 'user:write'], granular: ['user:read:list_users:admin'] } },
  { name: 'List meetings', path: '/v2/users/{userId}/meetings', rateLimit: 'Medium', paidOnly: false, inGuide: true,
    scopes: { classic: ['meeting:read:admin', 'meeting:read'], granular: ['meeting:read:list_meetings:admin', 'meeting:read:list_meetings'] } },
  { name: 'List all recordings', path: '/v2/users/{userId}/recordings', rateLimit: 'Medium', paidOnly: false, inGuide: false,
    scopes: { classic: ['recording:read:admin', 'recording:read'], granular: ['cloud_recording:read:list_user_recordings:admin', 'cloud_recording:read:list_user_recordings:master', 'cloud_recording:read:list_user_recordings'] } },
  { name: 'Get a meeting summary', path: '/v2/meetings/{meetingId}/meeting_summary', rateLimit: 'Light', paidOnly: true, inGuide: false,
    scopes: { classic: ['meeting_summary:read:admin', 'meeting_summary:read'], granular: ['meeting:read:summary:admin', 'meeting:read:summary'] } },
  { name: 'Get a meeting', path: '/v2/meetings/{meetingId}', rateLimit: 'Light', paidOnly: false, inGuide: true,
    scopes: { classic: ['meeting:read:admin', 'meeting:read'], granular: ['meeting:read:meeting:admin', 'meeting:read:meeting'] } },
  { name: 'List past meeting instances', path: '/v2/past_meetings/{meetingId}/instances', rateLimit: 'Medium', paidOnly: false, inGuide: true,
    scopes: { classic: ['meeting:read:admin', 'meeting:read'], granular: ['meeting:read:list_past_instances:admin', 'meeting:read:list_past_instances'] } },
  { name: 'Get past meeting participants', path: '/v2/past_meetings/{meetingId}/participants', rateLimit: 'Medium', paidOnly: true, inGuide: true,
    scopes: { classic: ['meeting:read:admin', 'meeting:read'], granular: ['meeting:read:list_past_participants:admin', 'meeting:read:list_past_participants'] } },
  { name: 'Get past meeting details', path: '/v2/past_meetings/{meetingId}', rateLimit: 'Light', paidOnly: false, inGuide: true,
    scopes: { classic: ['meeting:read:admin', 'meeting:read'], granular: ['meeting:read:past_meeting:admin', 'meeting:read:past_meeting'] } },
  { name: 'Get meeting reports', path: '/v2/report/users/{userId}/meetings', rateLimit: 'Heavy', paidOnly: true, inGuide: true,
    scopes: { classic: ['report:read:admin'], granular: ['report:read:user:admin'] } },
  { name: 'Get meeting participant reports', path: '/v2/report/meetings/{meetingId}/participants', rateLimit: 'Heavy', paidOnly: true, inGuide: true,
    scopes: { classic: ['report:read:admin'], granular: ['report:read:list_meeting_participants:admin'] } },
];

const unique = (xs: string[]) => [...new Set(xs)];

/** The scopes to add to an app of a family: the first scope of each endpoint (guide's endpoints first). */
export function scopesToAdd(family: ScopeFamily, which: 'guide' | 'all' = 'all'): string[] {
  return unique(ZOOM_ENDPOINTS.filter((e) => which === 'all' || e.inGuide).map((e) => e.scopes[family][0]));
}

/** The classic scopes psoxy's Zoom guide names: `user:read:admin`, `meeting:read:admin`, `report:read:admin`. */
export const ZOOM_GUIDE_CLASSIC_SCOPES = scopesToAdd('classic', 'guide');

const FAMILY_OF = new Map<string, ScopeFamily>(ZOOM_ENDPOINTS.flatMap((e) => (['classic', 'granular'] as const).flatMap((f) => e.scopes[f].map((s) => [s, f] as const))));

/** Whether a granted scope set lets the app call an endpoint. */
export function grants(granted: ReadonlySet<string>, endpoint: ZoomEndpoint): boolean {
  return endpoint.scopes.classic.some((s) => granted.has(s)) || endpoint.scopes.granular.some((s) => granted.has(s));
}

/** The family an app uses, by the scopes its token carries (granular when it has any granular one). */
export function familyOf(granted: ReadonlySet<string>): ScopeFamily {
  const families = new Set([...granted].map((s) => FAMILY_OF.get(s)).filter((f) => f !== undefined));
  return families.has('granular') || !families.has('classic') ? 'granular' : 'classic';
}

export interface ScopeReport {
  family: ScopeFamily;
  /** Both families present among the granted scopes. */
  mixed: boolean;
  /** Endpoints the granted scopes do not cover, each with the scope to add in the app's family. */
  disabled: { endpoint: ZoomEndpoint; add: string }[];
}

/** What a token's scopes allow, in the terms of the family the app uses. */
export function scopeReport(granted: ReadonlySet<string>): ScopeReport {
  const family = familyOf(granted);
  const families = new Set([...granted].map((s) => FAMILY_OF.get(s)).filter((f) => f !== undefined));
  return {
    family,
    mixed: families.size > 1,
    disabled: ZOOM_ENDPOINTS.filter((e) => !grants(granted, e)).map((endpoint) => ({ endpoint, add: endpoint.scopes[family][0] })),
  };
}

/** The endpoint whose template matches a raw path (`[^/]+` per parameter), or undefined. */
export function endpointFor(path: string): ZoomEndpoint | undefined {
  return ZOOM_ENDPOINTS.find((e) => templateRegex(e.path).test(path));
}

/** `{name}` → one path segment, anchored. */
export function templateRegex(template: string): RegExp {
  return new RegExp('^' + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)') + '$');
}
