/**
 * Building the upstream URL (api-proxy.md §1.3, §1.10): inbound path normalization, the
 * `X-Psoxy-TargetPath` / `X-Psoxy-TargetQuery` overrides, and raw concatenation onto TARGET_HOST.
 */
import { InvalidConfigError } from '../config/config-service.ts';
import { ProxyError } from './errors.ts';

/**
 * `https://host[/basePath]` from TARGET_HOST; `http://` only for loopback hosts (local testing).
 * A value that is set but unusable is invalid (psoxy reports it as missing).
 */
export function targetBase(targetHost: string): URL {
  const host = targetHost.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `https://${host}`);
  } catch {
    throw new InvalidConfigError('TARGET_HOST is not a valid host name or URL', 'TARGET_HOST');
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new InvalidConfigError(`TARGET_HOST ${url.host} uses plain http://, accepted only for loopback hosts (localhost, 127.x.x.x, ::1): use https`, 'TARGET_HOST');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidConfigError(`TARGET_HOST must be a host name or an https:// URL, not a ${url.protocol} URL`, 'TARGET_HOST');
  return url;
}

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** Where secrets may be sent: https, or plain http to a loopback test server. */
export function isHttpsOrLoopback(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
}

/** `REQUEST_PATH_PREFIX_TO_TRIM`, then a leading `/<function name>` segment. */
export function normalizeInboundPath(path: string, prefixToTrim: string | undefined, functionName: string | undefined): string {
  let p = path.startsWith('/') ? path : '/' + path;
  if (prefixToTrim) {
    const prefix = prefixToTrim.startsWith('/') ? prefixToTrim : '/' + prefixToTrim;
    if (prefix.endsWith('/')) {
      if (p.startsWith(prefix)) p = '/' + p.slice(prefix.length).replace(/^\/+/, '');
    } else if (p === prefix) p = '/';
    else if (p.startsWith(prefix + '/')) p = p.slice(prefix.length);
  }
  if (functionName) {
    if (p === `/${functionName}`) p = '/';
    else if (p.startsWith(`/${functionName}/`)) p = p.slice(functionName.length + 1);
  }
  return p;
}

/** Validates an override header value (printable ASCII, ≤ 4096, no spaces, `#`, CR/LF). */
export function validateOverride(header: string, value: string, isQuery: boolean): string {
  let v = value.trim();
  if (isQuery && v.startsWith('?')) v = v.slice(1);
  const problem =
    !isQuery && v === '' ? 'must not be blank'
      : !isQuery && !v.startsWith('/') ? 'must start with /'
        : v.length > 4096 ? 'must be at most 4096 characters'
          : /[^\x21-\x7e]/.test(v) ? 'must be printable ASCII without spaces'
            : v.includes('#') ? 'must not contain #'
              : !isQuery && v.includes('?') ? 'must not contain ? (use X-Psoxy-TargetQuery)'
                : null;
  if (problem) throw new ProxyError(400, 'INVALID_REQUEST', `${header} ${problem}`);
  return v;
}

/** TARGET_HOST's base path without its trailing slash (`mycompany.com/gitlab` → `/gitlab`). */
export function basePathOf(base: URL): string {
  return base.pathname.replace(/\/+$/, '');
}

/**
 * Base + raw path (starting with `/`, checked: no empty segments) + `?` raw query, no re-encoding:
 * the path the rules matched is exactly what follows the base path upstream.
 */
export function joinTarget(base: URL, path: string, query: string | null): string {
  return `${base.protocol}//${base.host}${basePathOf(base)}${path}${query ? `?${query}` : ''}`;
}
