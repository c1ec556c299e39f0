/**
 * `psoxy check zoom`: verifies a Zoom Server-to-Server OAuth app (or the simulator): a token can
 * be had, whether its scopes (classic, granular, or a mix) grant the endpoints psoxy's Zoom guide
 * covers, which optional endpoints they leave out, and whether the plan allows the report and
 * past-participant endpoints. Prints a table with what to fix in the Zoom Marketplace.
 */
import { localConfig } from '../runtimes/node/serve.ts';
import { requestAccountCredentialsToken } from '../auth/account-credentials.ts';
import { TokenEndpointError } from '../auth/source-auth.ts';
import { targetBase } from '../proxy/target-url.ts';
import { describeNetworkFailure, networkAdvice, type NetworkFailure } from '../http/network-error.ts';
import { endpointFor, scopeReport, ZOOM_ENDPOINTS, type ScopeFamily } from '../sources/zoom/connector.ts';
import { silentLogger } from '../logging/logger.ts';
import type { Check } from './check-source.ts';

const CREDENTIALS_FIX = 'Zoom Marketplace > your app > App Credentials: copy Account ID, Client ID, Client Secret again; make sure the app is activated';

export async function checkZoom(options: { env?: Record<string, string | undefined>; timeoutMs?: number } = {}): Promise<Check[]> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const config = localConfig({ source: 'zoom', env: options.env, logger: silentLogger });
  const checks: Check[] = [];
  const missing: string[] = [];
  const get = async (p: string) => { const v = await config.get(p); if (v === undefined) missing.push(p); return v ?? ''; };
  const creds = { endpoint: await get('REFRESH_ENDPOINT'), accountId: await get('ACCOUNT_ID'), clientId: await get('CLIENT_ID'), clientSecret: await get('CLIENT_SECRET') };
  const host = await get('TARGET_HOST');
  if (missing.length) {
    checks.push({ check: 'configuration', ok: false, detail: `missing ${missing.join(', ')}`, fix: `set ${missing.map((m) => `PSOXY_ZOOM_${m}`).join(', ')} (env or local store)` });
    return checks;
  }
  let base: URL;
  try {
    base = targetBase(host);
  } catch (e) {
    checks.push({ check: 'configuration', ok: false, detail: (e as Error).message, fix: 'set PSOXY_ZOOM_TARGET_HOST to api.zoom.us (or the simulator\'s URL)' });
    return checks;
  }
  let token: string;
  let scope: string | undefined;
  try {
    const issued = await requestAccountCredentialsToken(creds, { timeoutMs });
    token = issued.token;
    scope = issued.scope;
    checks.push({ check: 'token', ok: true, detail: 'access token obtained', fix: '' });
  } catch (e) {
    if (!(e instanceof TokenEndpointError)) throw e;
    checks.push({ check: 'token', ok: false, detail: e.network?.text ?? e.message, fix: tokenFix(e) });
    return checks;
  }
  const granted = new Set((scope ?? '').split(/\s+/).filter(Boolean));
  const family: ScopeFamily = scope === undefined ? 'granular' : scopeReport(granted).family;
  checks.push(...scopeChecks(scope === undefined ? null : granted));
  const scopeFor = (path: string) => endpointFor(path)!.scopes[family][0];
  const root = base.href.replace(/\/+$/, '');
  const api = async (path: string): Promise<{ status: number; body: Record<string, unknown> } | NetworkFailure> => {
    try {
      const res = await fetch(root + path, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
      return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
    } catch (e) {
      return describeNetworkFailure(e, base, 'API call');
    }
  };
  const unreachable = (check: string, f: NetworkFailure): Check => ({ check, ok: false, detail: f.text, fix: networkAdvice(f, 'TARGET_HOST') });
  const users = await api('/v2/users?page_size=1');
  if (!('status' in users)) {
    checks.push(unreachable('list users', users));
    return checks;
  }
  const firstUser = (users.body.users as { id: string }[] | undefined)?.[0];
  checks.push({ check: 'list users', ok: users.status === 200, detail: `HTTP ${users.status}${users.body.code ? ` code ${String(users.body.code)}: ${String(users.body.message)}` : ''}`, fix: users.status === 200 ? '' : `add scope ${scopeFor('/v2/users')}` });
  if (firstUser) {
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 28 * 86400000).toISOString().slice(0, 10);
    const report = await api(`/v2/report/users/${encodeURIComponent(firstUser.id)}/meetings?from=${from}&to=${to}&page_size=1`);
    if (!('status' in report)) {
      checks.push(unreachable('plan (reports, past participants)', report));
      return checks;
    }
    const freePlan = report.body.code === 200;
    checks.push({
      check: 'plan (reports, past participants)', ok: report.status === 200,
      detail: report.status === 200 ? 'report endpoints available' : `HTTP ${report.status} code ${String(report.body.code)}: ${String(report.body.message)}`,
      fix: freePlan ? 'the account needs a Pro plan or higher for report and past-participant endpoints' : report.status === 200 ? '' : `add scope ${scopeFor('/v2/report/users/x/meetings')}`,
    });
  }
  return checks;
}

/** The credentials are at fault only when the token endpoint answered and refused them. */
function tokenFix(e: TokenEndpointError): string {
  if (e.network) return networkAdvice(e.network, 'REFRESH_ENDPOINT');
  if (e.clientRejected || e.status === 400 || e.status === 403) return CREDENTIALS_FIX;
  return "check REFRESH_ENDPOINT: Zoom's token endpoint is https://zoom.us/oauth/token";
}

/**
 * What the token's scopes grant, in the family the app uses: a failure when an endpoint psoxy's
 * guide covers is left out, a note for the optional ones (meeting summaries, recordings).
 */
export function scopeChecks(granted: ReadonlySet<string> | null): Check[] {
  if (granted === null) return [{ check: 'scopes', ok: true, detail: 'token response lists no scopes; not checked', fix: '' }];
  const report = scopeReport(granted);
  const family = `${report.family} scopes${report.mixed ? ' (mixed with the other family)' : ''}`;
  const describe = (ds: typeof report.disabled) =>
    `${[...new Set(ds.map((d) => d.add))].join(', ')} (disables: ${ds.map((d) => `${d.endpoint.name} ${d.endpoint.path}`).join('; ')})`;
  const essential = report.disabled.filter((d) => d.endpoint.inGuide);
  const optional = report.disabled.filter((d) => !d.endpoint.inGuide);
  const checks: Check[] = [essential.length === 0
    ? { check: 'scopes', ok: true, detail: `${family} grant the ${ZOOM_ENDPOINTS.filter((e) => e.inGuide).length} endpoints psoxy's Zoom guide covers`, fix: '' }
    : { check: 'scopes', ok: false, detail: `${family}: missing ${describe(essential)}`, fix: 'Zoom Marketplace > your app > Scopes: add the missing scopes, then re-activate the app' }];
  if (optional.length) checks.push({ check: 'optional scopes', ok: true, detail: `not granted: ${describe(optional)}; add them to collect those too`, fix: '' });
  return checks;
}
