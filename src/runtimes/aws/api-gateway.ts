/**
 * The AWS adapter for the proxy core: Lambda function-URL / API Gateway v2 (payload 2.0) and API
 * Gateway v1 events → (Request, context) → the core handler → a Lambda proxy result. psoxy's path
 * normalization (stage, route, `{proxy+}`), client IP and HTTPS rules (api-proxy.md §1.1).
 */
import { unsendableMethodResponse, type ProxyHandler, type RequestContext } from '../../proxy/handler.ts';

export interface LambdaEventV2 {
  version?: string;
  rawPath: string;
  rawQueryString?: string;
  routeKey?: string;
  headers?: Record<string, string | undefined>;
  pathParameters?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: { http: { method: string; sourceIp?: string }; stage?: string; requestId?: string };
}

export interface LambdaEventV1 {
  path: string;
  httpMethod?: string;
  resource?: string;
  headers?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext: { httpMethod?: string; stage?: string; identity?: { sourceIp?: string }; requestId?: string };
}

export interface LambdaResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

/** Lambda's response payload limit (6 MB), less room for the JSON envelope. */
export const LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024 - 8 * 1024;

function isV2(e: LambdaEventV2 | LambdaEventV1): e is LambdaEventV2 {
  return 'rawPath' in e && typeof (e as LambdaEventV2).requestContext?.http === 'object';
}

function lowerHeaders(h: Record<string, string | undefined> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}

/** path and raw query as psoxy derives them from each event shape. */
export function eventTarget(e: LambdaEventV2 | LambdaEventV1): { method: string; path: string; query: string } {
  if (isV2(e)) {
    let path: string;
    const proxy = e.pathParameters?.proxy;
    if (proxy !== undefined) path = '/' + proxy;
    else {
      path = e.rawPath;
      const stage = e.requestContext.stage;
      if (stage && stage !== '$default') path = path.split(`/${stage}`).join('');
      const route = e.routeKey?.includes(' ') ? e.routeKey.split(' ')[1].replace(/\/\{proxy\+\}$/, '') : undefined;
      if (route && route !== '/' && route !== '$default') path = path.split(route).join('');
      if (!path.startsWith('/')) path = '/' + path;
    }
    return { method: e.requestContext.http.method, path, query: e.rawQueryString ?? '' };
  }
  const stage = e.requestContext.stage ? `/${e.requestContext.stage}` : '';
  const resource = (e.resource ?? '').replace(/\/?\{proxy\+\}$/, '');
  let path = e.path;
  if (path.startsWith(stage + resource)) path = path.slice((stage + resource).length);
  else if (resource && path.startsWith(resource)) path = path.slice(resource.length);
  if (!path.startsWith('/')) path = '/' + path;
  // psoxy rebuilds v1 queries from the (decoded) parameters without re-encoding them.
  const multi = e.multiValueQueryStringParameters;
  const pairs = multi && Object.keys(multi).length
    ? Object.entries(multi).flatMap(([k, vs]) => (vs ?? []).map((v) => `${k}=${v}`))
    : Object.entries(e.queryStringParameters ?? {}).map(([k, v]) => `${k}=${v ?? ''}`);
  return { method: e.requestContext.httpMethod ?? e.httpMethod ?? 'GET', path, query: pairs.join('&') };
}

export function lambdaAdapter(core: ProxyHandler) {
  return async (event: LambdaEventV2 | LambdaEventV1): Promise<LambdaResult> => {
    const { method, path, query } = eventTarget(event);
    const headers = lowerHeaders(event.headers ?? undefined);
    const sourceIp = isV2(event) ? event.requestContext.http.sourceIp : event.requestContext.identity?.sourceIp;
    const clientIp = sourceIp ?? headers['x-forwarded-for']?.split(',')[0].trim() ?? null;
    const proto = headers['x-forwarded-proto'];
    const rawBody = event.body ?? null;
    const body = rawBody === null || rawBody === '' ? null : event.isBase64Encoded ? Buffer.from(rawBody, 'base64') : Buffer.from(rawBody, 'utf8');
    const getLike = method === 'GET' || method === 'HEAD';
    const context: RequestContext = {
      rawUrl: path + (query ? `?${query}` : ''),
      clientIp,
      https: proto === undefined ? null : proto === 'https',
      bodyOnGetOrHead: getLike && body !== null && body.toString('utf8').trim() !== '',
    };
    const response = unsendableMethodResponse(method)
      ?? await core(new Request('https://proxy.invalid/', { method, headers, body: getLike ? undefined : body }), context);
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => { out[k] = v; });
    const bytes = Buffer.from(await response.arrayBuffer());
    const binary = out['content-encoding'] === 'gzip';
    const payload = binary ? bytes.toString('base64') : bytes.toString('utf8');
    if (payload.length > LAMBDA_RESPONSE_LIMIT) {
      return {
        statusCode: 500,
        headers: { 'x-psoxy-error': 'RESPONSE_TOO_LARGE', 'content-type': 'text/plain; charset=utf-8' },
        body: `Response of ${bytes.length} bytes exceeds the AWS Lambda response limit (6 MB): request a smaller page (e.g. page_size) or send Accept-Encoding: gzip`,
        isBase64Encoded: false,
      };
    }
    return { statusCode: response.status, headers: out, body: payload, isBase64Encoded: binary };
  };
}
