/**
 * `psoxy serve`: the proxy as a plain Node server, configured by env and a local writable file
 * store (which also holds the shared token), with a built-in connector's defaults.
 */
import { ConfigService, configPrefixes } from '../../config/config-service.ts';
import { FileStore } from '../../config/file-store.ts';
import type { ConfigStore, WritableConfigStore } from '../../config/store.ts';
import { createProxyHandler, type ProxyHandler } from '../../proxy/handler.ts';
import { connectorDefaults } from '../../sources/index.ts';
import type { TokenTimings } from '../../auth/oauth-token-manager.ts';
import type { Logger } from '../../logging/logger.ts';
import { listen, nodeListener, type RunningServer, type TlsCredentials } from './server.ts';

export interface LocalProxyOptions {
  source: string;
  env?: Record<string, string | undefined>;
  /** Writable instance store (default: a FileStore at `.psoxy-local/<source>.json`). */
  store?: WritableConfigStore;
  sharedStore?: ConfigStore;
  logger: Logger;
  fetch?: typeof fetch;
  tokenTimings?: Partial<TokenTimings>;
}

export function localConfig(o: LocalProxyOptions): ConfigService {
  const env = o.env ?? process.env;
  const store = o.store ?? new FileStore(env.PSOXY_LOCAL_STORE ?? `.psoxy-local/${o.source}.json`);
  return new ConfigService({
    env,
    ...configPrefixes(env, `psoxy-${o.source}`),
    instanceStore: store,
    sharedStore: o.sharedStore,
    defaults: { ...connectorDefaults(o.source), SOURCE: o.source },
    // A local file changes only when we write it: short caches make edits visible quickly.
    instanceTtlMs: 5_000,
    sharedTtlMs: 5_000,
  });
}

export function localProxyHandler(o: LocalProxyOptions): ProxyHandler {
  return createProxyHandler({
    config: localConfig(o),
    logger: o.logger,
    fetch: o.fetch,
    // A local file store is consistent at once: no need to hold the lock after writing.
    tokenTimings: { settleMs: 0, ...o.tokenTimings },
  });
}

export async function serveLocalProxy(o: LocalProxyOptions & { port?: number; host?: string; tls?: TlsCredentials }): Promise<RunningServer> {
  return listen(nodeListener(localProxyHandler(o)), o.port ?? 0, o.host ?? '127.0.0.1', o.tls);
}
