/**
 * One call to the source with its bounds: the request's deadline over the whole exchange, the body read no
 * further than MAX_SOURCE_RESPONSE_BYTES (as received and as decompressed, so a gzip bomb stops at
 * the limit), and redirects followed by hand, only within TARGET_HOST's origin and only to a target
 * the same rules endpoint allows.
 */
import { ProxyError } from './errors.ts';
import { readSourceBody } from './limits.ts';
import type { RequestTarget } from './request-target.ts';
import { splitRawUrl } from '../rules/url.ts';
import { describeNetworkFailure } from '../http/network-error.ts';
import type { HttpClient, IncomingAnswer } from '../http/client.ts';

export interface SourceRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface SourceResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

export interface SourceCallOptions {
  client: HttpClient;
  /** The request's deadline (REQUEST_TIMEOUT_SECONDS from its arrival), shared by retries and redirects. */
  deadline: AbortSignal;
  timeoutMs: number;
  maxResponseBytes: number;
  followRedirects: boolean;
  /** TARGET_HOST's base path (`/gitlab`, or empty): a redirect must stay under it. */
  basePath: string;
  /** Whether a same-origin redirect to this raw target (relative to the base path) may be followed. */
  redirectAllowed(target: RequestTarget): boolean;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 3;

export async function callSource(request: SourceRequest, options: SourceCallOptions): Promise<SourceResponse> {
  const signal = options.deadline;
  let current = request;
  for (let hop = 0; ; hop++) {
    const response = await exchange(current, options, signal);
    const location = response.headers.get('location');
    if (!options.followRedirects || !REDIRECTS.has(response.status) || location === null) {
      return { status: response.status, headers: response.headers, body: await readBody(response, current.url, options, signal) };
    }
    response.discard();
    if (hop >= MAX_REDIRECTS) throw redirectRefused(`more than ${MAX_REDIRECTS} redirects`);
    current = redirectedRequest(current, response.status, location, options);
  }
}

function redirectedRequest(from: SourceRequest, status: number, location: string, options: SourceCallOptions): SourceRequest {
  const origin = new URL(from.url).origin;
  const root = origin + options.basePath;
  let rest: string;
  if (location.startsWith(options.basePath + '/') && !location.startsWith('//')) rest = location.slice(options.basePath.length);
  else if (location.startsWith(root + '/')) rest = location.slice(root.length);
  else throw redirectRefused('redirect leaves the source origin or its base path');
  const target = splitRawUrl(rest);
  if (!options.redirectAllowed(target)) throw redirectRefused('redirect target is not allowed by the same rules endpoint');
  const toGet = status === 303 || ((status === 301 || status === 302) && from.method === 'POST');
  const headers = { ...from.headers };
  if (toGet) delete headers['Content-Type'];
  return {
    method: toGet ? 'GET' : from.method,
    url: root + target.path + (target.query ? `?${target.query}` : ''),
    headers,
    body: toGet ? undefined : from.body,
  };
}

function redirectRefused(why: string): ProxyError {
  return new ProxyError(502, 'SOURCE_REDIRECT_REFUSED', 'Source answered with a redirect the proxy will not follow', `source redirect refused: ${why}`);
}

async function exchange(request: SourceRequest, options: SourceCallOptions, signal: AbortSignal): Promise<IncomingAnswer> {
  try {
    return await options.client(request, signal);
  } catch (e) {
    throw networkError(signal.aborted ? signal.reason : e, options, request.url);
  }
}

async function readBody(response: IncomingAnswer, url: string, options: SourceCallOptions, signal: AbortSignal): Promise<Buffer> {
  try {
    return await readSourceBody(response, options.maxResponseBytes);
  } catch (e) {
    if (e instanceof ProxyError) throw e;
    throw networkError(signal.aborted ? signal.reason : e, options, url);
  }
}

/**
 * A failed exchange as the caller and the log see it: host, operation and cause, never the path,
 * query or a body. Failures to connect are psoxy's 503; a cut connection or a TLS failure, its 500.
 */
function networkError(e: unknown, options: SourceCallOptions, url: string): ProxyError {
  const failure = describeNetworkFailure(e, url, 'source call');
  if (failure.code === 'UND_ERR_HEADERS_OVERFLOW' || failure.code === 'HPE_HEADER_OVERFLOW') return new ProxyError(502, 'SOURCE_RESPONSE_TOO_LARGE', "Source response headers exceed the HTTP client's limit");
  if (failure.code === 'TimeoutError') {
    return new ProxyError(504, 'SOURCE_API_READ_TIMEOUT', `Source API read timeout: no response received from ${failure.host} within ${options.timeoutMs / 1000} seconds. Consider increasing REQUEST_TIMEOUT_SECONDS or narrowing the request (e.g. a smaller page_size).`, failure.text);
  }
  const connecting = failure.cause === 'refused' || failure.cause === 'dns' || failure.cause === 'unreachable' || failure.cause === 'timeout';
  return connecting
    ? new ProxyError(503, 'CONNECTION_TO_SOURCE', `Error connecting to source API: ${failure.text}`, failure.text)
    : new ProxyError(500, 'CONNECTION_TO_SOURCE', `Error communicating with source API: ${failure.text}`, failure.text);
}
