/**
 * `psoxy check <source>`: for any configured source (settings as `psoxy serve` reads them), the
 * configuration check, credentials through the configured auth strategy, and one call to an
 * endpoint the rules allow, each failure with what to fix. Zoom keeps its own report (scopes,
 * plan) unless an endpoint is named with `--path`.
 */
import { Command } from 'commander';
import { localConfig } from '../runtimes/node/serve.ts';
import { checkConfiguration, type ConfigProblem } from '../proxy/configuration.ts';
import { createSourceAuth, STRATEGIES } from '../auth/strategies.ts';
import { TokenEndpointError, type AuthCall, type SourceAuth } from '../auth/source-auth.ts';
import { InvalidConfigError, MissingConfigError, type ConfigService } from '../config/config-service.ts';
import { joinTarget } from '../proxy/target-url.ts';
import { splitRawUrl } from '../rules/url.ts';
import { UNDECLARED_METHODS } from '../rules/match.ts';
import { summarizeSourceError } from '../proxy/source-error.ts';
import { readAtMost } from '../http/read-bounded.ts';
import { describeNetworkFailure, networkAdvice } from '../http/network-error.ts';
import { DEFAULT_USER_AGENT } from '../proxy/health.ts';
import type { Sanitizer } from '../sanitizer/sanitizer.ts';
import { silentLogger } from '../logging/logger.ts';
import { bulkConnectorProblem } from '../sources/index.ts';
import { checkZoom } from './check-zoom.ts';
import { action, UsageError } from './options.ts';

export interface Check { check: string; ok: boolean; detail: string; fix: string }

export interface CheckOptions {
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** The endpoint to call (path and query, as a caller of the proxy sends it). */
  path?: string;
  /** `X-Psoxy-User-To-Impersonate` for the call (Google domain-wide delegation). */
  impersonate?: string;
}

/** A check's body is read no further than this: only its status and error codes are shown. */
const MAX_CHECK_BODY_BYTES = 1024 * 1024;

/** Sources with a report of their own, used when no endpoint is named. */
const SOURCE_REPORTS: Record<string, (o: CheckOptions) => Promise<Check[]>> = {
  zoom: (o) => checkZoom(o),
};

export async function checkSource(source: string, o: CheckOptions = {}): Promise<Check[]> {
  if (o.path === undefined && o.impersonate === undefined && Object.hasOwn(SOURCE_REPORTS, source)) return SOURCE_REPORTS[source](o);
  const timeoutMs = o.timeoutMs ?? 30_000;
  const config = localConfig({ source, env: o.env, logger: silentLogger });
  const { problems, settings } = await checkConfiguration(config);
  if (settings === null) return [{ check: 'configuration', ok: false, detail: problems.map((p) => p.message).join('; '), fix: problems.map((p) => settingFix(config, p)).join('; ') }];
  const checks: Check[] = [{ check: 'configuration', ok: true, detail: `target ${settings.base.host}, ${settings.sanitizer.rules.endpoints.length} endpoints in the rules`, fix: '' }];
  const strategy = (await config.get('SOURCE_AUTH_STRATEGY_IDENTIFIER'))!;
  const call: AuthCall = { userToImpersonate: o.impersonate ?? null };
  let auth: SourceAuth;
  let headers: Record<string, string>;
  try {
    auth = await createSourceAuth(config, { fetch, logger: silentLogger, userAgent: (await config.get('USER_AGENT')) ?? DEFAULT_USER_AGENT, timeoutMs });
    headers = await auth.headers(call);
    checks.push({ check: 'credentials', ok: true, detail: `${strategy}: ${headers.Authorization?.startsWith('Bearer ') ? 'access token obtained' : 'credentials read'}${call.userToImpersonate ? ' for the user to impersonate' : ''}`, fix: '' });
  } catch (e) {
    checks.push(credentialsFailure(e));
    return checks;
  }
  const path = o.path ?? firstPlainGetPath(settings.sanitizer);
  if (path === null) {
    checks.push({ check: 'call', ok: false, detail: 'the rules have no GET endpoint without path parameters', fix: 'name an endpoint the rules allow: --path /some/path?query' });
    return checks;
  }
  const label = `GET ${path}`;
  if (!settings.sanitizer.isAllowed('GET', path)) {
    checks.push({ check: label, ok: false, detail: 'the rules do not allow this call', fix: 'name a path the rules allow (psoxy rules check lists them)' });
    return checks;
  }
  const { path: rawPath, query } = splitRawUrl(path);
  const url = joinTarget(settings.base, rawPath, query);
  const send = async (h: Record<string, string>) => {
    const res = await fetch(url, { headers: { Accept: 'application/json', ...h }, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    return { status: res.status, body: await readAtMost(res.body, res.headers, MAX_CHECK_BODY_BYTES, () => new Error(`the answer is larger than ${MAX_CHECK_BODY_BYTES} bytes`)) };
  };
  try {
    let answer = await send(headers);
    if (answer.status === 401) {
      // As the proxy does: one forced refresh and one retry.
      const fresh = await auth.afterUnauthorized(headers, call);
      if (fresh && fresh.Authorization !== headers.Authorization) answer = await send(fresh);
    }
    const ok = answer.status >= 200 && answer.status < 300;
    checks.push({
      check: label, ok,
      detail: ok ? `HTTP ${answer.status}, ${answer.body.length} bytes` : summaryOf(answer.status, answer.body),
      fix: ok ? '' : await callFix(config, strategy, answer.status, call),
    });
  } catch (e) {
    if (e instanceof TokenEndpointError || e instanceof MissingConfigError || e instanceof InvalidConfigError) {
      checks.push(credentialsFailure(e));
    } else {
      const f = describeNetworkFailure(e, url, 'API call');
      checks.push({ check: label, ok: false, detail: f.cause === 'other' ? `${f.text}: ${(e as Error).message}` : f.text, fix: networkAdvice(f, 'TARGET_HOST') });
    }
  }
  return checks;
}

/** The first endpoint a plain GET reaches: GET allowed and a template without parameters. */
function firstPlainGetPath(sanitizer: Sanitizer): string | null {
  const e = sanitizer.rules.endpoints.find((x) => x.pathTemplate !== undefined && !x.pathTemplate.includes('{')
    && (x.allowedMethods === undefined ? UNDECLARED_METHODS.has('GET') : x.allowedMethods.some((m) => m.toUpperCase() === 'GET')));
  return e?.pathTemplate ?? null;
}

/** A refusal's message is "what happened: what to check"; only our words, never the endpoint's. */
function credentialsFailure(e: unknown): Check {
  if (e instanceof TokenEndpointError) {
    if (e.network) return { check: 'credentials', ok: false, detail: e.network.text, fix: e.message.slice(e.message.indexOf(';') + 1).trim() };
    const at = e.message.indexOf(': ');
    return { check: 'credentials', ok: false, detail: at < 0 ? e.message : e.message.slice(0, at), fix: at < 0 ? '' : e.message.slice(at + 2) };
  }
  if (e instanceof MissingConfigError || e instanceof InvalidConfigError) return { check: 'credentials', ok: false, detail: e.message, fix: 'see the setting named' };
  throw e;
}

/** The source's error codes, never its text (it may name people). */
function summaryOf(status: number, body: Buffer): string {
  const { sourceError } = JSON.parse(summarizeSourceError(status, body)) as { sourceError?: unknown };
  return `HTTP ${status}${sourceError === undefined ? '' : ` ${JSON.stringify(sourceError)}`}`;
}

async function callFix(config: ConfigService, strategy: string, status: number, call: AuthCall): Promise<string> {
  const credentials = (await STRATEGIES[strategy].required(config)).join(', ');
  const google = strategy === 'gcp_service_account_key';
  if (status === 401) return `the source refused the credentials: check ${credentials || 'the credential settings'}`;
  if (status === 403) {
    if (google && !call.userToImpersonate) return 'Google Workspace APIs answer for a user of the domain: name one with --impersonate (an administrator for admin APIs)';
    if (google) return 'check that OAUTH_SCOPES covers this endpoint, that the impersonated user may read this data (an administrator for admin APIs), and that the API is enabled in the service account\'s Google Cloud project';
    return `the credentials lack a permission or scope this endpoint needs: check the app's scopes and ${credentials || 'the credential settings'}`;
  }
  if (status === 400) return 'the endpoint may need query parameters: name the full call with --path \'/path?param=value\'';
  if (status === 404) return 'check TARGET_HOST (host and base path) and the path';
  if (status === 429) return 'the source is rate limiting: retry later';
  if (status >= 500) return 'the source failed: retry later';
  return 'check TARGET_HOST and the path';
}

function settingFix(config: ConfigService, p: ConfigProblem): string {
  return p.missing ? `set ${config.instancePrefix}${p.setting} (env or local store)` : `correct ${p.setting}`;
}

export async function runCheck(source: string, o: CheckOptions = {}): Promise<number> {
  const checks = await checkSource(source, o);
  const w = Math.max(...checks.map((c) => c.check.length));
  for (const c of checks) console.log(`${c.ok ? 'OK  ' : 'FAIL'}  ${c.check.padEnd(w)}  ${c.detail}${c.fix ? `\n      ${' '.repeat(w)}  fix: ${c.fix}` : ''}`);
  return checks.every((c) => c.ok) ? 0 : 1;
}

export function checkCommand(): Command {
  return new Command('check')
    .description('verify a source\'s credentials and one call the rules allow, with what to fix (Zoom: also scopes and plan)')
    .argument('<source>', 'the source (SOURCE) to check: zoom, or any source configured with RULES')
    .option('--path <path>', 'the call to make (path and query as sent to the proxy); default: the rules\' first GET endpoint without parameters')
    .option('--impersonate <user>', 'the user to impersonate (X-Psoxy-User-To-Impersonate; Google Workspace sources)')
    .addHelpText('after', `
Settings are read as psoxy serve reads them: the environment (PSOXY_<SOURCE>_*, or plain names)
and .psoxy-local/<source>.json.

Examples:
  $ psoxy check zoom
  $ psoxy check gdirectory --impersonate admin@example.com --path '/admin/directory/v1/users?customer=my_customer'

Exits 0 when every check passes, 1 otherwise.`)
    .action(action((source: string, o: { path?: string; impersonate?: string }) => {
      const bulk = bulkConnectorProblem(source);
      if (bulk) throw new UsageError(bulk);
      if (o.path !== undefined && !o.path.startsWith('/')) throw new UsageError(`--path must start with / (was "${o.path}")`);
      return runCheck(source, o);
    }));
}
