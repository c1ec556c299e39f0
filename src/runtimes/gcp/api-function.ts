/**
 * The GCP adapter for the proxy core: an HTTP function served by the functions framework, with
 * GCP's client-IP (second-to-last X-Forwarded-For hop) and HTTPS (`X-Forwarded-Proto`) rules, and
 * config from env then Secret Manager (instance prefix `PSOXY_ZOOM_` by default).
 */
import * as functions from '@google-cloud/functions-framework';
import type { Request as ExpressRequest, Response as ExpressResponse } from '@google-cloud/functions-framework';
import { ConfigService, configFromEnvOnly, configPrefixes } from '../../config/config-service.ts';
import { createProxyHandler, unsendableMethodResponse, type ProxyHandler } from '../../proxy/handler.ts';
import { connectorDefaults } from '../../sources/index.ts';
import { jsonLogger, type Logger } from '../../logging/logger.ts';
import { SecretManagerStore } from './secret-manager-store.ts';
import { SecretManagerRest } from './secret-manager-rest.ts';
import { googleAccessToken } from './google-access-token.ts';
import { GcsResourceStore } from './gcs-resource-store.ts';
import { resourceStores } from '../../config/resources.ts';
import type { Storage } from '@google-cloud/storage';

/** GCP: with ≥ 2 X-Forwarded-For hops the client is the second-to-last (the last is Google's front end). */
export function gcpClientIp(forwardedFor: string | undefined): string | null {
  if (!forwardedFor) return null;
  const hops = forwardedFor.split(',').map((h) => h.trim()).filter(Boolean);
  return hops.length >= 2 ? hops[hops.length - 2] : hops[0] ?? null;
}

export function gcpHttpAdapter(core: ProxyHandler) {
  return async (req: ExpressRequest, res: ExpressResponse): Promise<void> => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(',') : v);
    const raw = (req as unknown as { rawBody?: Buffer }).rawBody;
    const getLike = req.method === 'GET' || req.method === 'HEAD';
    const proto = req.headers['x-forwarded-proto'];
    const response = unsendableMethodResponse(req.method) ?? await core(new Request('https://proxy.invalid/', { method: req.method, headers, body: getLike || !raw?.length ? undefined : new Uint8Array(raw) }), {
      rawUrl: req.originalUrl ?? req.url,
      clientIp: gcpClientIp(req.headers['x-forwarded-for'] as string | undefined) ?? req.socket?.remoteAddress ?? null,
      https: typeof proto === 'string' ? proto.toLowerCase() === 'https' : null,
      bodyOnGetOrHead: getLike && !!raw && raw.toString('utf8').trim() !== '',
    });
    res.status(response.status);
    response.headers.forEach((v, k) => res.setHeader(k, v));
    res.end(Buffer.from(await response.arrayBuffer()));
  };
}

export interface GcpProxyOptions {
  env: Record<string, string | undefined>;
  /**
   * Default: Secret Manager's REST API with the function's access token. Not the
   * `@google-cloud/secret-manager` client: importing it took ~210 ms of a ~300 ms budget, and a
   * gRPC client then ~120–190 ms more to load its .proto files.
   */
  secretManager?: SecretManagerRest;
  project: string;
  /** For REMOTE_RESOURCE_BUCKET (default: a Storage client created on first use). */
  storage?: () => Promise<Storage>;
  /** psoxy's local resource directory (default /var/psoxy/resources). */
  localResourceDir?: string;
  fetch?: typeof fetch;
  /** Default: JSON lines on stderr (Cloud Logging); tests keep them in memory. */
  logger?: Logger;
}

const lazyStorage = async (): Promise<Storage> => new (await import('@google-cloud/storage')).Storage();

export function gcpConfig(o: GcpProxyOptions): ConfigService {
  const prefixes = configPrefixes(o.env, o.env.K_SERVICE ?? 'psoxy');
  const resources = resourceStores({
    env: o.env, instancePrefix: prefixes.instancePrefix, localDir: o.localResourceDir,
    bucketStore: (bucket, path) => new GcsResourceStore(o.storage ?? lazyStorage, bucket, path),
  });
  const base = { env: o.env, ...prefixes, defaults: o.env.SOURCE ? connectorDefaults(o.env.SOURCE) : {}, resourceStores: resources };
  if (configFromEnvOnly(o.env)) return new ConfigService(base);
  const store = new SecretManagerStore(o.secretManager ?? new SecretManagerRest({ accessToken: googleAccessToken({ env: o.env, fetch: o.fetch }) }), o.project);
  return new ConfigService({ ...base, instanceStore: store, sharedStore: store });
}

export function createGcpProxy(o: GcpProxyOptions) {
  return gcpHttpAdapter(createProxyHandler({ config: gcpConfig(o), fetch: o.fetch, logger: o.logger ?? jsonLogger(), functionName: o.env.K_SERVICE }));
}

/** Registers the proxy as an HTTP function (project from GOOGLE_CLOUD_PROJECT / GCP_PROJECT). */
export function registerApiFunction(name: string, options?: GcpProxyOptions): void {
  let handler: ReturnType<typeof createGcpProxy> | null = null;
  functions.http(name, (req, res) => {
    handler ??= createGcpProxy(options ?? {
      env: process.env,
      project: process.env.GOOGLE_CLOUD_PROJECT ?? process.env.GCP_PROJECT ?? '',
    });
    return handler(req, res);
  });
}
