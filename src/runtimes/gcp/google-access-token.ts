/**
 * The function's OAuth access token for Google APIs: from the metadata server (what Cloud Functions
 * and Cloud Run provide, and where google-auth-library gets it there too), cached until a minute
 * before it expires and shared by concurrent callers (a cold start reads ~30 secrets at once).
 * Off GCP (no metadata server answers), Application Default Credentials through google-auth-library,
 * loaded only then: its import alone costs ~60 ms of a cold start.
 */
import { SecretManagerApiError } from './secret-manager-rest.ts';
import { httpExchange } from '../http-exchange.ts';
import { DEFAULT_METADATA_HOST } from './metadata-identity-token.ts';

const EARLY_MS = 60_000;

export interface GoogleAccessTokenOptions {
  env: Record<string, string | undefined>;
  /** Default: node:http (see http-exchange.ts). */
  fetch?: typeof fetch;
  now?: () => number;
}

export function googleAccessToken(o: GoogleAccessTokenOptions): () => Promise<string> {
  const now = o.now ?? Date.now;
  const f = o.fetch;
  const get = async (url: string, headers: Record<string, string>) => {
    if (!f) return httpExchange(url, { method: 'GET', headers, timeoutMs: 3_000, maxBytes: 64 * 1024 });
    const res = await f(url, { headers, signal: AbortSignal.timeout(3_000) });
    return { status: res.status, text: await res.text() };
  };
  const host = o.env.GCE_METADATA_HOST ?? DEFAULT_METADATA_HOST;
  let cached: { token: string; until: number } | null = null;
  let pending: Promise<string> | null = null;

  async function fromMetadata(): Promise<{ token: string; until: number } | null> {
    let res: { status: number; text: string };
    try {
      res = await get(`http://${host}/computeMetadata/v1/instance/service-accounts/default/token`, { 'Metadata-Flavor': 'Google' });
    } catch {
      return null; // no metadata server: not on GCP
    }
    if (res.status < 200 || res.status > 299) throw new SecretManagerApiError(503, `no access token from the GCP metadata server ${host}: HTTP ${res.status}`);
    let t: { access_token?: string; expires_in?: number };
    try {
      t = JSON.parse(res.text) as typeof t;
    } catch {
      throw new SecretManagerApiError(503, `no access token from the GCP metadata server ${host}: the answer is not JSON`);
    }
    if (!t.access_token) throw new SecretManagerApiError(503, `no access token from the GCP metadata server ${host}: the answer has none`);
    return { token: t.access_token, until: now() + (t.expires_in ?? 0) * 1000 - EARLY_MS };
  }

  /** Off GCP: one client for the process; it caches and refreshes its token itself. */
  let adc: Promise<{ getAccessToken(): Promise<string | null | undefined> }> | null = null;
  async function fromApplicationDefaultCredentials(): Promise<string> {
    adc ??= import('google-auth-library').then(({ GoogleAuth }) => new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] }));
    const token = await (await adc).getAccessToken().catch((e: Error) => {
      throw new SecretManagerApiError(503, `no Google access token: no metadata server at ${host} and no Application Default Credentials (${e.message})`);
    });
    if (!token) throw new SecretManagerApiError(503, 'no Google access token from Application Default Credentials');
    return token;
  }

  return async () => {
    if (adc) return fromApplicationDefaultCredentials();
    if (cached && now() < cached.until) return cached.token;
    pending ??= fromMetadata()
      .then((t) => (t ? (cached = t).token : fromApplicationDefaultCredentials()))
      .finally(() => { pending = null; });
    return pending;
  };
}
