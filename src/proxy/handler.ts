/**
 * The proxy core: a fetch-style handler `(Request, context) => Promise<Response>` running psoxy's
 * request lifecycle (api-proxy.md §1.2) as a list of named stages, each of which may end the
 * request with a `ProxyError`. Platform adapters (Node server, AWS Lambda, GCP Functions) only
 * translate their events into a Request plus the raw URL, client IP and scheme.
 */
import { ConfigService, InvalidConfigError, MissingConfigError } from '../config/config-service.ts';
import { TransientConfigError } from '../config/store.ts';
import { splitRawUrl } from '../rules/url.ts';
import type { EndpointMatch } from '../rules/match.ts';
import { BlockedByRulesError } from '../sanitizer/sanitizer.ts';
import { MissingEncryptionKeyError, replaceTokens } from '../pseudonym/pseudonymizer.ts';
import { InvalidTokenError } from '../pseudonym/crypto.ts';
import { TokenEndpointError, UnauthenticableRequestError, type AuthCall, type SourceAuth } from '../auth/source-auth.ts';
import type { TokenTimings } from '../auth/oauth-token-manager.ts';
import { silentLogger, type Logger } from '../logging/logger.ts';
import { ProxyError } from './errors.ts';
import { IpAllowList } from './ip-allowlist.ts';
import { basePathOf, joinTarget, normalizeInboundPath, validateOverride } from './target-url.ts';
import { healthCheck } from './health.ts';
import { requestBodyAllowed, reverseTokensInBody } from './request-body.ts';
import { checkHeaderValue, checkTarget, reverseTokensInTarget, targetProblem, UnplaceableTokenError, type RequestTarget } from './request-target.ts';
import { checkRequestHeaders, checkRequestJson, ConcurrencyLimit, readRequestBody } from './limits.ts';
import { buildRuntime, type Runtime } from './runtime.ts';
import { ConfigurationProblemsError } from './configuration.ts';
import { RUNTIME_PROPERTIES } from './properties.ts';
import { callSource, type SourceRequest, type SourceResponse } from './source-call.ts';
import { respond } from './respond.ts';
import { fetchClient, nodeHttpClient, type HttpClient } from '../http/client.ts';

/** What a platform adapter knows about the request beyond the fetch `Request`. */
export interface RequestContext {
  /** Raw path and query as received (`/v2/users?page_size=30`), before any URL normalization. */
  rawUrl?: string;
  clientIp?: string | null;
  /** true / false when the platform knows the scheme; null or absent when unknown. */
  https?: boolean | null;
  /** A GET/HEAD arrived with a body (fetch Requests cannot carry one). */
  bodyOnGetOrHead?: boolean;
}

export type ProxyHandler = (request: Request, context?: RequestContext) => Promise<Response>;

export interface ProxyOptions {
  config: ConfigService;
  /**
   * Upstream HTTP client for the token exchange (global fetch by default) and, when given, for
   * source calls too; without it source calls go over node:http / node:https (`nodeHttpClient`).
   */
  fetch?: typeof fetch;
  logger?: Logger;
  /** Host instance id (AWS_LAMBDA_FUNCTION_NAME / K_SERVICE), trimmed from inbound paths. */
  functionName?: string;
  tokenTimings?: Partial<TokenTimings>;
}

/** How often a failing runtime build may drop the cached configuration to read it again. */
const CONFIG_REFRESH_INTERVAL_MS = 5_000;

const UTF8_COMPATIBLE = new Set(['utf-8', 'utf8', 'utf_8', 'ascii', 'us-ascii', 'us_ascii', 'iso-8859-1', 'iso_8859_1', 'latin1', 'latin-1']);

/** What one request asks of the source, as read from the caller. */
interface Call {
  method: string;
  contentType: string | null;
  body: string | null;
  /** The target, tokens intact: what the rules see and, tokens aside, what the source gets. */
  target: RequestTarget;
  skipSanitizer: boolean;
}

/** State shared by the requests of one handler. */
interface Proxy {
  config: ConfigService;
  logger: Logger;
  /** How source calls are sent. */
  client: HttpClient;
  functionName: string | undefined;
  runtime(): Promise<Runtime>;
  /** Once per instance: every runtime setting in one batch, so the IP allowlist is not a round trip of its own. */
  firstRead(): Promise<void>;
  allowListFor(spec: string | undefined): IpAllowList | null;
  concurrency: ConcurrencyLimit;
}

export function createProxyHandler(options: ProxyOptions): ProxyHandler {
  const px = proxyState(options);
  return async (request, context = {}) => {
    try {
      return await handle(px, request, context);
    } catch (e) {
      return errorResponse(e, px.logger);
    }
  };
}

/** The lifecycle, in order. */
async function handle(px: Proxy, request: Request, ctx: RequestContext): Promise<Response> {
  requireHttps(ctx);
  const clientIp = ctx.clientIp ?? null;
  const allowList = async () => px.allowListFor(await px.config.get('ALLOWED_DATA_ACCESS_IP_BLOCKS'));
  if (request.headers.has('X-Psoxy-Health-Check')) return healthCheck(px.config, clientIp, async () => (await allowList())?.allows(clientIp) ?? null, px.logger);
  await px.firstRead();
  const list = await allowList();
  if (list && !list.allows(clientIp)) throw new ProxyError(403, 'UNAUTHORIZED_IP_ADDRESS', 'Client IP is not authorized to access this proxy instance.');
  const rt = await px.runtime();
  // One deadline for everything this request waits on: a slot, the source, a retry, redirects.
  const deadline = AbortSignal.timeout(rt.timeoutMs);
  checkRequestHeaders(request.headers, rt.limits);
  const call = await readCall(px, rt, request, ctx);
  const endpoint = checkRules(px, rt, call, clientIp);
  const { sourceRequest, authCall, decrypted } = buildSourceRequest(rt, request, call, endpoint);
  return px.concurrency.run(rt.limits.maxConcurrentSourceRequests, deadline, async () => {
    const source = await sendWithAuth(px, rt, sourceRequest, authCall, call, endpoint, deadline);
    return respond(rt, request, { source, endpointIndex: endpoint?.index ?? null, skipSanitizer: call.skipSanitizer, decrypted }, px.logger);
  });
}

function proxyState(options: ProxyOptions): Proxy {
  const logger = options.logger ?? silentLogger;
  const upstreamFetch = options.fetch ?? fetch;
  let runtime: Promise<Runtime> | null = null;
  let firstRead: Promise<void> | null = null;
  // Parsed once per distinct ALLOWED_DATA_ACCESS_IP_BLOCKS value, not on every request.
  let allowListCache: { spec: string; list: IpAllowList } | null = null;
  return {
    config: options.config,
    logger,
    client: options.fetch ? fetchClient(options.fetch) : nodeHttpClient,
    functionName: options.functionName,
    concurrency: new ConcurrencyLimit(),
    runtime: () => {
      runtime ??= buildRuntime(options.config, { fetch: upstreamFetch, logger, tokenTimings: options.tokenTimings }).catch((e: unknown) => {
        // Not cached on failure: a later request tries again with the configuration read afresh
        // (an admin filling a missing secret sees it work within seconds; psoxy: up to 5 minutes),
        // at most every few seconds, so a broken configuration does not turn traffic into store reads.
        runtime = null;
        if (e instanceof ConfigurationProblemsError) options.config.refresh(e.problems.filter((p) => p.missing).map((p) => p.setting));
        options.config.refreshAtMostEvery('runtime build', CONFIG_REFRESH_INTERVAL_MS, RUNTIME_PROPERTIES);
        throw e;
      });
      return runtime;
    },
    firstRead: () => firstRead ??= options.config.prefetch(RUNTIME_PROPERTIES),
    allowListFor: (spec) => {
      if (!spec) return null;
      if (allowListCache?.spec !== spec) allowListCache = { spec, list: new IpAllowList(spec, logger) };
      return allowListCache.list;
    },
  };
}

/** Methods fetch cannot represent, so no rules can allow them. */
const UNSENDABLE_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/**
 * What adapters answer to a method a fetch `Request` cannot carry (CONNECT, TRACE, TRACK): the
 * 403 a blocked call gets. Null for every other method.
 */
export function unsendableMethodResponse(method: string): Response | null {
  return UNSENDABLE_METHODS.has(method.toUpperCase()) ? new ProxyError(403, 'BLOCKED_BY_RULES', null).toResponse() : null;
}

function requireHttps(ctx: RequestContext): void {
  if (ctx.https === false) throw new ProxyError(400, 'HTTPS_REQUIRED', 'Requests MUST be sent over HTTPS');
}

/** Target (overrides, normalization, checks) and body (encoding, bounded read, none on GET). */
async function readCall(px: Proxy, rt: Runtime, request: Request, ctx: RequestContext): Promise<Call> {
  const target = requestTarget(px, rt, request, ctx);
  const contentEncoding = request.headers.get('Content-Encoding') ?? 'UTF-8';
  if (!UTF8_COMPATIBLE.has(contentEncoding.trim().toLowerCase())) {
    throw new ProxyError(400, 'INVALID_REQUEST', `Content encoding ${contentEncoding} not supported; only UTF-8 compatible encodings are supported (utf-8, ascii, iso-8859-1, us-ascii)`);
  }
  const impl = request.headers.get('X-Psoxy-Pseudonym-Implementation');
  if (impl !== null && impl !== 'v0.4' && impl !== 'v0.3') throw new ProxyError(400, 'INVALID_REQUEST', 'X-Psoxy-Pseudonym-Implementation must be v0.4 or v0.3');
  const method = request.method.toUpperCase();
  const bodyText = (await readRequestBody(request, rt.limits.maxRequestBodyBytes)).toString('utf8').trim();
  const body = bodyText === '' ? null : bodyText;
  if ((body !== null || ctx.bodyOnGetOrHead) && (method === 'GET' || method === 'HEAD')) throw new ProxyError(400, null, 'Request body is not allowed for GET or HEAD requests');
  if (body !== null && isJsonType(request.headers.get('Content-Type'))) checkRequestJson(body);
  return {
    method,
    contentType: request.headers.get('Content-Type'),
    body,
    target,
    skipSanitizer: rt.developmentMode && request.headers.get('X-Psoxy-Skip-Sanitizer')?.toLowerCase() === 'true',
  };
}

/** Bodies the proxy parses as JSON (a missing Content-Type means JSON, as in psoxy). */
function isJsonType(contentType: string | null): boolean {
  return contentType === null || contentType.toLowerCase().includes('json');
}

/** The rules endpoint allowing `method target`, or null. */
function matchTarget(rt: Runtime, method: string, target: RequestTarget): EndpointMatch | null {
  return rt.sanitizer.match(method, target.path + (target.query !== null ? `?${target.query}` : ''));
}

/** The raw target, after `X-Psoxy-Target*` overrides and prefix trimming; refused unless sendable as is. */
function requestTarget(px: Proxy, rt: Runtime, request: Request, ctx: RequestContext): RequestTarget {
  const rawUrl = ctx.rawUrl ?? (({ pathname, search }) => pathname + search)(new URL(request.url));
  // A fragment is never sent; one in the request line is refused rather than silently cut.
  if (rawUrl.includes('#')) throw new ProxyError(400, 'INVALID_REQUEST', 'Request target must not contain #');
  const raw = splitRawUrl(rawUrl);
  const pathOverride = request.headers.get('X-Psoxy-TargetPath');
  const queryOverride = request.headers.get('X-Psoxy-TargetQuery');
  let path = pathOverride !== null ? validateOverride('X-Psoxy-TargetPath', pathOverride, false) : raw.path;
  let query = raw.query;
  if (queryOverride !== null) {
    const q = validateOverride('X-Psoxy-TargetQuery', queryOverride, true);
    query = q === '' ? null : q;
  }
  if (pathOverride !== null || queryOverride !== null) px.logger.info('target overridden by request headers');
  path = normalizeInboundPath(path, rt.prefixToTrim, px.functionName);
  const target = { path, query };
  checkTarget(target, pathOverride !== null || queryOverride !== null ? 'X-Psoxy-TargetPath / X-Psoxy-TargetQuery' : 'Request target');
  return target;
}

/** The rules check on the original target, tokens intact, before any token is decrypted. */
function checkRules(px: Proxy, rt: Runtime, call: Call, clientIp: string | null): EndpointMatch | null {
  const shape = `${call.method} ${logShape(call.target.path, rt.logVocabulary)}`;
  if (call.skipSanitizer) {
    px.logger.info(`${shape} Skipping sanitization.`, { clientIp });
    return null;
  }
  const match = matchTarget(rt, call.method, call.target);
  if (!match && !rt.sanitizer.allowsUnmatched(call.method)) {
    px.logger.info(`${shape} blocked by rules`, { clientIp });
    throw new ProxyError(403, 'BLOCKED_BY_RULES', null);
  }
  if (match && !requestBodyAllowed(match.endpoint, call.contentType, call.body)) {
    px.logger.info(`${shape} request body blocked by rules`, { clientIp });
    throw new ProxyError(403, 'BLOCKED_BY_RULES', null);
  }
  px.logger.info(`${shape} Rules allowed call.`, { clientIp });
  return match;
}

/**
 * The source request: tokens decrypted into URL, allowed headers and body, each encoded for its
 * place; and the plaintexts decrypted, which the response must not reflect back to the caller.
 */
function buildSourceRequest(rt: Runtime, request: Request, call: Call, endpoint: EndpointMatch | null): { sourceRequest: SourceRequest; authCall: AuthCall; decrypted: string[] } {
  const pseudonymizer = rt.sanitizer.pseudonymizer;
  const decrypted: string[] = [];
  return withTokenErrors(() => {
    const reverse = (token: string) => {
      const plaintext = pseudonymizer.reverse(token);
      decrypted.push(plaintext);
      return plaintext;
    };
    const reverseAll = (text: string) => replaceTokens(text, reverse);
    const target = reverseTokensInTarget(call.target, reverse);
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Encoding': 'gzip', 'User-Agent': rt.userAgent };
    const forward = [...rt.allowedHeaders, ...[...(endpoint?.endpoint.allowedRequestHeaders ?? [])].sort(), ...(endpoint?.endpoint.allowedRequestHeadersToForward ?? [])];
    for (const name of forward) {
      const v = request.headers.get(name);
      if (v !== null) headers[name] = checkHeaderValue(reverseAll(v));
    }
    let body: string | undefined;
    if (call.body !== null) {
      body = reverseTokensInBody(call.body, call.contentType, reverseAll);
      headers['Content-Type'] = call.contentType ?? 'application/json';
    }
    const impersonate = request.headers.get('X-Psoxy-User-To-Impersonate');
    const authCall: AuthCall = { userToImpersonate: impersonate === null ? null : checkHeaderValue(reverseAll(impersonate.trim())) };
    return { sourceRequest: { method: call.method, url: joinTarget(rt.base, target.path, target.query), headers, body }, authCall, decrypted };
  });
}

/**
 * Every invalid token, wherever it stands and whatever is wrong with it, ends the request the
 * same way (no padding or hash oracle); a missing key is a configuration problem.
 */
function withTokenErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InvalidTokenError || e instanceof UnplaceableTokenError) throw new ProxyError(409, 'TOKENIZED_REQUEST_PARAMETER_INVALID', null);
    if (e instanceof MissingEncryptionKeyError) throw new ProxyError(500, 'CONFIGURATION_FAILURE', 'The request holds p~ tokens but PSOXY_ENCRYPTION_KEY is not configured');
    throw e;
  }
}

/** The source call with auth; on 401, one forced token refresh and one retry (psoxy re-sends). */
async function sendWithAuth(px: Proxy, rt: Runtime, unsigned: SourceRequest, authCall: AuthCall, call: Call, endpoint: EndpointMatch | null, deadline: AbortSignal): Promise<SourceResponse> {
  const request = rt.auth.body ? withAuthBody(rt.auth.body, unsigned) : unsigned;
  const options = {
    client: px.client,
    deadline,
    timeoutMs: rt.timeoutMs,
    maxResponseBytes: rt.limits.maxSourceResponseBytes,
    followRedirects: rt.followRedirects,
    basePath: basePathOf(rt.base),
    // A redirect may only lead where the same rules endpoint would have sent the caller.
    redirectAllowed: (target: RequestTarget) => targetProblem(target) === null && !call.skipSanitizer
      && matchTarget(rt, call.method, target)?.index === endpoint?.index,
  };
  const authHeaders = await sourceAuthHeaders(px, () => rt.auth.headers(authCall));
  const first = await callSource({ ...request, headers: { ...request.headers, ...authHeaders } }, options);
  if (first.status !== 401) return first;
  const fresh = await sourceAuthHeaders(px, () => rt.auth.afterUnauthorized(authHeaders, authCall));
  if (!fresh || fresh.Authorization === authHeaders.Authorization) return first;
  px.logger.info('source answered 401; retrying once with a refreshed token');
  return callSource({ ...request, headers: { ...request.headers, ...fresh } }, options);
}

/** The body a strategy writes (a JSON body when the caller sent none); a request it cannot write is the caller's 400. */
function withAuthBody(write: NonNullable<SourceAuth['body']>, unsigned: SourceRequest): SourceRequest {
  const contentType = unsigned.headers['Content-Type'];
  try {
    const body = write({ method: unsigned.method, body: unsigned.body, contentType });
    return { ...unsigned, body, headers: { ...unsigned.headers, 'Content-Type': contentType ?? 'application/json' } };
  } catch (e) {
    if (e instanceof UnauthenticableRequestError) throw new ProxyError(400, 'INVALID_REQUEST', e.message);
    throw e;
  }
}

/**
 * Auth headers. A `TokenEndpointError` carries only our own words and the OAuth error code,
 * never the token endpoint's text, so it may name what to check.
 */
async function sourceAuthHeaders<T>(px: Proxy, get: () => Promise<T>): Promise<T> {
  try {
    return await get();
  } catch (e) {
    if (e instanceof TokenEndpointError || e instanceof MissingConfigError || e instanceof InvalidConfigError) {
      px.logger.error('could not authenticate to the source', { reason: e.message });
      throw new ProxyError(500, 'CONNECTION_SETUP', `Could not authenticate to the source API: ${e.message}`);
    }
    throw e;
  }
}

function errorResponse(e: unknown, logger: Logger): Response {
  if (e instanceof ConfigurationProblemsError) return errorResponse(e.toProxyError(), logger);
  if (e instanceof ProxyError) {
    if (e.logMessage !== undefined) logger.error(e.logMessage, { status: e.status, code: e.code });
    return e.toResponse();
  }
  if (e instanceof MissingConfigError || e instanceof InvalidConfigError) {
    logger.error('configuration problem', { reason: e.message });
    return new ProxyError(500, 'CONFIGURATION_FAILURE', e.message).toResponse();
  }
  if (e instanceof TransientConfigError) {
    // The message names the store, the parameter and the cause; never a value.
    logger.error('configuration store unavailable', { reason: e.message });
    return new ProxyError(503, 'CONFIGURATION_FAILURE', e.message).toResponse();
  }
  if (e instanceof BlockedByRulesError) return new ProxyError(403, 'BLOCKED_BY_RULES', null).toResponse();
  logger.error('unexpected error', { reason: (e as Error).name });
  return new ProxyError(500, 'UNKNOWN', 'Unknown internal proxy error; review logs').toResponse();
}

/**
 * The path as logged: segments that are not words of the rules (ids, emails, tokens) become `*`,
 * so no identifier a client sends ends up in logs.
 */
function logShape(path: string, vocabulary: Set<string>): string {
  return path.split('/').map((seg) => (seg === '' || vocabulary.has(seg) ? seg : '*')).join('/');
}
