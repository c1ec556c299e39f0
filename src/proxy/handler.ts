/**
 * The proxy core: a fetch-style handler `(Request, context) => Promise<Response>` implementing
 * psoxy's request lifecycle (api-proxy.md §1.2). Platform adapters (Node server, AWS Lambda, GCP
 * Functions) only translate their events into a Request plus the raw URL, client IP and scheme.
 */
import { createHash } from 'node:crypto';
import { gzipSync, gunzipSync } from 'node:zlib';
import { ConfigService, InvalidConfigError, MissingConfigError } from '../config/config-service.ts';
import { TransientConfigError } from '../config/store.ts';
import { pseudonymizerFromConfig } from '../config/pseudonymizer-config.ts';
import { loadApiRules, RulesError } from '../rules/load.ts';
import type { ApiRules } from '../rules/types.ts';
import { splitRawUrl } from '../rules/url.ts';
import { Sanitizer, BlockedByRulesError, MalformedResponseError } from '../sanitizer/sanitizer.ts';
import { TransformError } from '../sanitizer/transforms.ts';
import { MissingEncryptionKeyError } from '../pseudonym/pseudonymizer.ts';
import { InvalidTokenError } from '../pseudonym/crypto.ts';
import { builtInRulesYaml } from '../sources/index.ts';
import { createSourceAuth, requiredAuthProperties } from '../auth/strategies.ts';
import { TokenEndpointError, type SourceAuth } from '../auth/source-auth.ts';
import type { TokenTimings } from '../auth/oauth-token-manager.ts';
import { silentLogger, type Logger } from '../logging/logger.ts';
import { ProxyError } from './errors.ts';
import { IpAllowList } from './ip-allowlist.ts';
import { joinTarget, normalizeInboundPath, targetBase, validateOverride } from './target-url.ts';
import { healthResponse, PSOXY_COMPAT_VERSION, saltSha256Hash } from './health.ts';
import { requestBodyAllowed, reverseTokensInBody } from './request-body.ts';

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
  /** Upstream HTTP client (global fetch by default). */
  fetch?: typeof fetch;
  logger?: Logger;
  /** Host instance id (AWS_LAMBDA_FUNCTION_NAME / K_SERVICE), trimmed from inbound paths. */
  functionName?: string;
  tokenTimings?: Partial<TokenTimings>;
}

const USER_AGENT = `psoxy-ts (API Data Sanitization; psoxy ${PSOXY_COMPAT_VERSION} compatible; Node/${process.versions.node})`;
const PASS_THROUGH = new Set(['content-type', 'cache-control', 'etag', 'link', 'expires', 'last-modified', 'retry-after']);
const UTF8_COMPATIBLE = new Set(['utf-8', 'utf8', 'utf_8', 'ascii', 'us-ascii', 'us_ascii', 'iso-8859-1', 'iso_8859_1', 'latin1', 'latin-1']);
const COMPRESSION_THRESHOLD = 2048;
/** Every property the runtime reads, fetched together on a cold start. */
const PREFETCH = [
  'TARGET_HOST', 'RULES', 'SOURCE', 'PSEUDONYMIZE_APP_IDS', 'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY', 'EMAIL_CANONICALIZATION',
  'EMAIL_DOMAIN_HANDLING', 'PSEUDONYM_IMPLEMENTATION', 'SALT_IP', 'ENCRYPTION_KEY_IP', 'SALT_EMAIL_DOMAINS',
  'ENCRYPTION_KEY_EMAIL_DOMAINS', 'REQUEST_TIMEOUT_SECONDS', 'USER_AGENT', 'FOLLOW_REDIRECTS', 'IS_DEVELOPMENT_MODE',
  'REQUEST_PATH_PREFIX_TO_TRIM', 'SOURCE_AUTH_STRATEGY_IDENTIFIER', 'GRANT_TYPE', 'REFRESH_ENDPOINT', 'ACCOUNT_ID',
  'CLIENT_ID', 'CLIENT_SECRET', 'USE_SHARED_TOKEN', 'ALLOWED_DATA_ACCESS_IP_BLOCKS',
];

/** Per-process state built on the first request that needs it; rebuilt after a failure. */
interface Runtime {
  sanitizer: Sanitizer;
  keysReady: Promise<void>;
  rulesSha: string;
  saltHash: string;
  base: URL;
  auth: SourceAuth;
  allowedHeaders: string[];
  timeoutMs: number;
  followRedirects: boolean;
  developmentMode: boolean;
  prefixToTrim: string | undefined;
  userAgent: string;
  /** Path words that appear in the rules: the only path segments ever logged. */
  logVocabulary: Set<string>;
}

export function createProxyHandler(options: ProxyOptions): ProxyHandler {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  const upstreamFetch = options.fetch ?? fetch;
  let runtime: Promise<Runtime> | null = null;
  // Parsed once per distinct ALLOWED_DATA_ACCESS_IP_BLOCKS value, not on every request.
  let allowListCache: { spec: string; list: IpAllowList } | null = null;
  const allowListFor = (spec: string | undefined): IpAllowList | null => {
    if (!spec) return null;
    if (allowListCache?.spec !== spec) allowListCache = { spec, list: new IpAllowList(spec, logger) };
    return allowListCache.list;
  };

  const getRuntime = (): Promise<Runtime> => {
    runtime ??= buildRuntime().catch((e: unknown) => {
      runtime = null; // not cached on failure: the next request tries again
      throw e;
    });
    return runtime;
  };

  async function loadRules(): Promise<{ text: string; file: string }> {
    const custom = await config.get('RULES');
    if (custom !== undefined) return { text: custom, file: 'RULES' };
    const source = await config.get('SOURCE');
    if (source === undefined) throw new MissingConfigError('SOURCE', config.lookedIn('SOURCE'));
    const appIds = (await config.bool('PSEUDONYMIZE_APP_IDS', false)) ? builtInRulesYaml(`${source}_no-app-ids`) : undefined;
    const builtIn = appIds ?? builtInRulesYaml(source);
    if (builtIn === undefined) throw new InvalidConfigError(`no built-in rules for SOURCE ${source}: set RULES`);
    return { text: builtIn, file: `built-in rules for ${source}` };
  }

  async function buildRuntime(): Promise<Runtime> {
    // One batch read from the remote stores instead of one call per property.
    await config.prefetch(PREFETCH);
    const targetHost = await config.require('TARGET_HOST');
    const base = targetBase(targetHost);
    const { text, file } = await loadRules();
    let rules;
    try {
      rules = loadApiRules(text, file);
    } catch (e) {
      if (e instanceof RulesError) {
        logger.error('rules are invalid', { reason: e.message });
        throw new ProxyError(500, e.problem.startsWith('invalid YAML') ? 'RULES_INVALID_YAML' : 'RULES_INVALID', 'Error loading sanitizer rules', e.message);
      }
      throw e;
    }
    const pseudonymizer = await pseudonymizerFromConfig(config);
    const impl = await config.get('PSEUDONYM_IMPLEMENTATION');
    if (impl !== undefined && impl !== 'v0.4') throw new InvalidConfigError(`PSEUDONYM_IMPLEMENTATION ${impl} is not supported (only v0.4; LEGACY v0.3 is no longer supported)`);
    const timeoutSeconds = Number((await config.get('REQUEST_TIMEOUT_SECONDS')) ?? 180);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new InvalidConfigError('REQUEST_TIMEOUT_SECONDS must be a positive number');
    const userAgent = (await config.get('USER_AGENT')) ?? USER_AGENT;
    // Key derivation overlaps the first upstream call; awaited before the first sanitization.
    const keysReady = pseudonymizer.warmUp().catch(() => undefined);
    return {
      keysReady,
      sanitizer: new Sanitizer(rules, pseudonymizer),
      rulesSha: createHash('sha1').update(text).digest('hex'),
      saltHash: saltSha256Hash(await config.require('PSOXY_SALT')),
      base,
      auth: await createSourceAuth(config, { fetch: upstreamFetch, logger, userAgent, timings: options.tokenTimings }),
      allowedHeaders: rules.allowedRequestHeaders ?? [],
      timeoutMs: timeoutSeconds * 1000,
      followRedirects: (await config.get('FOLLOW_REDIRECTS'))?.trim().toLowerCase() !== 'false',
      developmentMode: await config.bool('IS_DEVELOPMENT_MODE', false),
      prefixToTrim: await config.get('REQUEST_PATH_PREFIX_TO_TRIM'),
      userAgent,
      logVocabulary: new Set(rules.endpoints.flatMap((e) => `${e.pathTemplate ?? ''} ${e.pathRegex ?? ''}`.match(/[A-Za-z0-9_]+/g) ?? [])),
    };
  }

  async function health(clientIp: string | null, allowList: IpAllowList | null): Promise<Response> {
    const warnings: string[] = [];
    const missing: string[] = [];
    const targetHost = await config.get('TARGET_HOST');
    try {
      if (targetHost === undefined) missing.push('TARGET_HOST');
      else targetBase(targetHost);
    } catch {
      missing.push('TARGET_HOST');
    }
    const strategy = await config.get('SOURCE_AUTH_STRATEGY_IDENTIFIER');
    const grantType = await config.get('GRANT_TYPE');
    for (const p of requiredAuthProperties(strategy, grantType)) if ((await config.get(p)) === undefined) missing.push(p);
    const rules = await config.get('RULES');
    try {
      const { text, file } = await loadRules();
      if (needsEncryptionKey(loadApiRules(text, file)) && (await config.get('PSOXY_ENCRYPTION_KEY')) === undefined) missing.push('PSOXY_ENCRYPTION_KEY');
    } catch (e) {
      warnings.push(`${rules !== undefined ? 'RULES configuration error' : 'rules'}: ${(e as Error).message}`);
    }
    const authorized = allowList ? allowList.allows(clientIp) : null;
    if (authorized === false) warnings.push('Client IP is not authorized to access this proxy instance.');
    const salt = (await config.get('PSOXY_SALT')) ?? null;
    if (salt === null) warnings.push(`PSOXY_SALT is missing (looked in: ${config.lookedIn('PSOXY_SALT').join('; ')})`);
    return healthResponse({
      bundleFilename: (await config.get('BUNDLE_FILENAME')) ?? null,
      callerIp: clientIp,
      clientIpAuthorized: authorized,
      configuredHost: targetHost ?? null,
      configuredSource: (await config.get('SOURCE')) ?? null,
      missingConfigProperties: missing,
      salt,
      pseudonymImplementation: (await config.get('PSEUDONYM_IMPLEMENTATION')) ?? null,
      pseudonymizeAppIds: (await config.get('PSEUDONYMIZE_APP_IDS')) === undefined ? null : await config.bool('PSEUDONYMIZE_APP_IDS', false),
      rules: rules ?? null,
      sourceAuthGrantType: grantType ?? null,
      sourceAuthStrategy: strategy ?? null,
      userAgent: (await config.get('USER_AGENT')) ?? USER_AGENT,
      warningMessages: warnings,
    });
  }

  async function handle(request: Request, ctx: RequestContext): Promise<Response> {
    if (ctx.https === false) throw new ProxyError(400, 'HTTPS_REQUIRED', 'Requests MUST be sent over HTTPS');
    const clientIp = ctx.clientIp ?? null;
    const allowList = allowListFor(await config.get('ALLOWED_DATA_ACCESS_IP_BLOCKS'));
    if (request.headers.has('X-Psoxy-Health-Check')) return health(clientIp, allowList);
    if (allowList && !allowList.allows(clientIp)) {
      throw new ProxyError(403, 'UNAUTHORIZED_IP_ADDRESS', 'Client IP is not authorized to access this proxy instance.');
    }

    const rt = await getRuntime();
    const raw = splitRawUrl(ctx.rawUrl ?? new URL(request.url).pathname + new URL(request.url).search);
    const pathOverride = request.headers.get('X-Psoxy-TargetPath');
    const queryOverride = request.headers.get('X-Psoxy-TargetQuery');
    let path = pathOverride !== null ? validateOverride('X-Psoxy-TargetPath', pathOverride, false) : raw.path;
    let query = raw.query;
    if (queryOverride !== null) {
      const q = validateOverride('X-Psoxy-TargetQuery', queryOverride, true);
      query = q === '' ? null : q;
    }
    if (pathOverride !== null || queryOverride !== null) logger.info('target overridden by request headers');
    path = normalizeInboundPath(path, rt.prefixToTrim, options.functionName);
    const originalUrl = joinTarget(rt.base, path, query);
    let targetUrl: string;
    try {
      targetUrl = rt.sanitizer.pseudonymizer.reverseAll(originalUrl);
    } catch (e) {
      logger.warn('could not reverse a token in the request URL', { reason: (e as Error).message });
      throw new ProxyError(500, 'FAILED_TO_BUILD_URL', 'Error parsing request URL');
    }

    const contentEncoding = request.headers.get('Content-Encoding') ?? 'UTF-8';
    if (!UTF8_COMPATIBLE.has(contentEncoding.trim().toLowerCase())) {
      throw new ProxyError(400, 'INVALID_REQUEST', `Content encoding ${contentEncoding} not supported; only UTF-8 compatible encodings are supported (utf-8, ascii, iso-8859-1, us-ascii)`);
    }
    const method = request.method.toUpperCase();
    const bodyText = (await request.text()).trim();
    const body = bodyText === '' ? null : bodyText;
    if ((body !== null || ctx.bodyOnGetOrHead) && (method === 'GET' || method === 'HEAD')) throw new ProxyError(400, null, 'Request body is not allowed for GET or HEAD requests');

    // Rules see the original (tokenized) URL, minus any base path of TARGET_HOST.
    const basePath = rt.base.pathname.replace(/\/+$/, '');
    const matchPath = normalizeInboundPath(basePath && path.startsWith(basePath) ? path.slice(basePath.length) || '/' : path, rt.prefixToTrim, options.functionName);
    const skipSanitizer = rt.developmentMode && request.headers.get('X-Psoxy-Skip-Sanitizer')?.toLowerCase() === 'true';
    const contentType = request.headers.get('Content-Type');
    let endpointIndex: number | null = null;
    if (!skipSanitizer) {
      const match = rt.sanitizer.match(method, matchPath + (query !== null ? `?${query}` : ''));
      if (!match && !rt.sanitizer.rules.allowAllEndpoints) {
        logger.info(`${method} ${logShape(matchPath, rt.logVocabulary)} blocked by rules`, { clientIp });
        throw new ProxyError(403, 'BLOCKED_BY_RULES', null);
      }
      if (match) {
        if (!requestBodyAllowed(match.endpoint, contentType, body)) {
          logger.info(`${method} ${logShape(matchPath, rt.logVocabulary)} request body blocked by rules`, { clientIp });
          throw new ProxyError(403, 'BLOCKED_BY_RULES', null);
        }
        endpointIndex = match.index;
      }
    }
    logger.info(`${method} ${logShape(matchPath, rt.logVocabulary)} TokenInUrlDecrypted=${targetUrl !== originalUrl}. ${skipSanitizer ? 'Skipping sanitization.' : 'Rules allowed call.'}`, { clientIp });

    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Encoding': 'gzip', 'User-Agent': rt.userAgent };
    const endpointHeaders = endpointIndex !== null ? rt.sanitizer.rules.endpoints[endpointIndex] : undefined;
    const forward = [...rt.allowedHeaders, ...[...(endpointHeaders?.allowedRequestHeaders ?? [])].sort(), ...(endpointHeaders?.allowedRequestHeadersToForward ?? [])];
    for (const name of forward) {
      const v = request.headers.get(name);
      if (v !== null) headers[name] = reverseOrConflict(rt, v);
    }
    let upstreamBody: string | undefined;
    if (body !== null) {
      upstreamBody = reverseTokensWith409(() => reverseTokensInBody(body, contentType, (s) => rt.sanitizer.pseudonymizer.reverseAll(s)));
      headers['Content-Type'] = contentType ?? 'application/json';
    }

    const authHeaders = await authHeadersOrError(() => rt.auth.headers());
    let upstream = await send(rt, method, targetUrl, { ...headers, ...authHeaders }, upstreamBody);
    if (upstream.status === 401) {
      // Better than psoxy: one forced refresh (another instance may have rotated the token) and one retry.
      const fresh = await authHeadersOrError(() => rt.auth.afterUnauthorized(authHeaders));
      if (fresh && fresh.Authorization !== authHeaders.Authorization) {
        await upstream.body?.cancel();
        logger.info('source answered 401; retrying once with a refreshed token');
        upstream = await send(rt, method, targetUrl, { ...headers, ...fresh }, upstreamBody);
      }
    }
    return respond(rt, request, upstream, endpointIndex, skipSanitizer);
  }

  function reverseOrConflict(rt: Runtime, value: string): string {
    return reverseTokensWith409(() => rt.sanitizer.pseudonymizer.reverseAll(value));
  }

  async function authHeadersOrError<T>(get: () => Promise<T>): Promise<T> {
    try {
      return await get();
    } catch (e) {
      if (e instanceof TokenEndpointError || e instanceof MissingConfigError || e instanceof InvalidConfigError) {
        logger.error('could not authenticate to the source', { reason: e.message });
        throw new ProxyError(500, 'CONNECTION_SETUP', `Could not authenticate to the source API: ${e.message}`);
      }
      throw e;
    }
  }

  async function send(rt: Runtime, method: string, url: string, headers: Record<string, string>, body: string | undefined): Promise<Response> {
    try {
      return await upstreamFetch(url, {
        method,
        headers,
        body,
        redirect: rt.followRedirects ? 'follow' : 'manual',
        signal: AbortSignal.timeout(rt.timeoutMs),
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      if (err.name === 'TimeoutError') {
        throw new ProxyError(504, 'SOURCE_API_READ_TIMEOUT', `Source API read timeout: no response received within ${rt.timeoutMs / 1000} seconds. Consider increasing REQUEST_TIMEOUT_SECONDS or narrowing the request (e.g. a smaller page_size).`);
      }
      const code = err.cause?.code ?? err.name;
      logger.warn('could not reach the source API', { reason: code });
      throw new ProxyError(503, 'CONNECTION_TO_SOURCE', `Error connecting to source API: ${code}`);
    }
  }

  async function respond(rt: Runtime, request: Request, upstream: Response, endpointIndex: number | null, skip: boolean): Promise<Response> {
    const out = new Headers();
    upstream.headers.forEach((value, name) => {
      const lower = name.toLowerCase();
      if (PASS_THROUGH.has(lower) || lower.startsWith('x-ratelimit')) out.set(lower, value);
    });
    let bodyBytes = Buffer.from(await upstream.arrayBuffer());
    if (upstream.status < 200 || upstream.status >= 300) {
      out.set('X-Psoxy-Error', 'API_ERROR');
      logger.warn('source API error', { status: upstream.status });
      return finish(request, upstream.status, out, bodyBytes);
    }
    if ((upstream.headers.get('content-type') ?? '').trim() === 'application/gzip') bodyBytes = gunzipSync(bodyBytes);
    let text = bodyBytes.toString('utf8');
    if (!skip && endpointIndex !== null && text.trim() !== '') {
      await rt.keysReady;
      try {
        text = rt.sanitizer.sanitizeForEndpoint(endpointIndex, text, { pseudonymImplementation: request.headers.get('X-Psoxy-Pseudonym-Implementation') });
      } catch (e) {
        if (e instanceof MalformedResponseError || e instanceof TransformError || e instanceof MissingEncryptionKeyError) {
          logger.error('response could not be sanitized', { reason: e.message });
          throw new ProxyError(500, 'SANITIZATION_FAILED', `Response could not be sanitized: ${e.message}`);
        }
        throw e;
      }
    }
    out.set('X-Psoxy-Rules-SHA', rt.rulesSha);
    out.set('X-Psoxy-Psoxy-Version', PSOXY_COMPAT_VERSION);
    out.set('X-Psoxy-PII-Salt-Sha256', rt.saltHash);
    return finish(request, upstream.status, out, Buffer.from(text.trim(), 'utf8'));
  }

  function finish(request: Request, status: number, headers: Headers, body: Buffer): Response {
    if ((request.headers.get('Accept-Encoding') ?? '').includes('gzip') && body.length >= COMPRESSION_THRESHOLD) {
      headers.set('Content-Encoding', 'gzip');
      return new Response(new Uint8Array(gzipSync(body)), { status, headers });
    }
    return new Response(status === 204 || status === 304 ? null : new Uint8Array(body), { status, headers });
  }

  return async (request, context = {}) => {
    try {
      return await handle(request, context);
    } catch (e) {
      if (e instanceof ProxyError) return e.toResponse();
      if (e instanceof MissingConfigError || e instanceof InvalidConfigError) {
        logger.error('configuration problem', { reason: e.message });
        return new ProxyError(500, 'CONFIGURATION_FAILURE', e.message).toResponse();
      }
      if (e instanceof TransientConfigError) {
        logger.error('configuration store unavailable', { reason: e.message });
        return new ProxyError(503, 'CONFIGURATION_FAILURE', null).toResponse();
      }
      if (e instanceof BlockedByRulesError) return new ProxyError(403, 'BLOCKED_BY_RULES', null).toResponse();
      logger.error('unexpected error', { reason: (e as Error).name });
      return new ProxyError(500, 'UNKNOWN', 'Unknown internal proxy error; review logs').toResponse();
    }
  };
}

/**
 * The path as logged: segments that are not words of the rules (ids, emails, tokens) become `*`,
 * so no identifier a client sends ends up in logs.
 */
function logShape(path: string, vocabulary: Set<string>): string {
  return path.split('/').map((seg) => (seg === '' || vocabulary.has(seg) ? seg : '*')).join('/');
}

/** Rules that emit reversible tokens cannot work without PSOXY_ENCRYPTION_KEY. */
function needsEncryptionKey(rules: ApiRules): boolean {
  return rules.endpoints.some((e) => e.transforms.some((t) =>
    t.type === 'tokenize' || t.type === 'encryptIp' || ((t.type === 'pseudonymize' || t.type === 'pseudonymizeRegexMatches') && t.includeReversible)));
}

function reverseTokensWith409(fn: () => string): string {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InvalidTokenError || e instanceof MissingEncryptionKeyError) throw new ProxyError(409, 'TOKENIZED_REQUEST_PARAMETER_INVALID', null);
    throw e;
  }
}
