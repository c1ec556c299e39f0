// One proxy (createProxyHandler over a ConfigService with a MemoryStore) in front of a source
// fake, for the source-auth strategy tests: data calls, the health check, and its log lines.
import { MemoryStore } from '../../src/config/store.ts';
import { ConfigService } from '../../src/config/config-service.ts';
import { createProxyHandler, type ProxyHandler } from '../../src/proxy/handler.ts';
import { memoryLogger } from '../../src/logging/logger.ts';
import type { TokenTimings } from '../../src/auth/oauth-token-manager.ts';

export const PREFIX = 'PSOXY_SRC_';

/** Rules for a list under `$.<list>` with `email` pseudonymized and `name` redacted. */
export function listRules(path: string, list: string, methods = ['GET'], fields = { email: 'email', name: 'name' }): string {
  return `endpoints:
  - pathRegex: "^${path}$"
    allowedMethods: [${methods.join(', ')}]
    transforms:
      - !<pseudonymize>
        jsonPaths: ["$.${list}[*].${fields.email}"]
      - !<redact>
        jsonPaths: ["$.${list}[*].${fields.name}"]
`;
}

export interface AuthProxy {
  proxies: ProxyHandler[];
  store: MemoryStore;
  logs: string[];
  call(path: string, init?: RequestInit, proxy?: number): Promise<{ status: number; code: string | null; body: string }>;
  health(): Promise<{ status: number; missing: string[]; problems: { setting: string; message: string }[] }>;
}

/** `env` goes to the process environment, `stored` to the instance store under PSOXY_SRC_. */
export function authProxy(o: { env: Record<string, string>; stored?: Record<string, string>; instances?: number; timings?: Partial<TokenTimings> }): AuthProxy {
  const store = new MemoryStore(Object.fromEntries(Object.entries(o.stored ?? {}).map(([k, v]) => [PREFIX + k, v])));
  const logger = memoryLogger();
  const env = { SOURCE: 'src', PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'key', ...o.env };
  const proxies = Array.from({ length: o.instances ?? 1 }, () => createProxyHandler({
    config: new ConfigService({ env, instancePrefix: PREFIX, instanceStore: store }),
    logger,
    tokenTimings: { lockRetryMs: 20, settleMs: 20, ...o.timings },
  }));
  return {
    proxies, store, logs: logger.lines,
    call: async (path, init = {}, proxy = 0) => {
      const res = await proxies[proxy](new Request('https://proxy.invalid/', init), { rawUrl: path });
      return { status: res.status, code: res.headers.get('x-psoxy-error'), body: await res.text() };
    },
    health: async () => {
      const res = await proxies[0](new Request('https://proxy.invalid/', { headers: { 'X-Psoxy-Health-Check': '1' } }), { rawUrl: '/' });
      const facts = (await res.json()) as { missingConfigProperties: string[]; problems: { setting: string; message: string }[] };
      return { status: res.status, missing: facts.missingConfigProperties, problems: facts.problems };
    },
  };
}

/** The secrets among `secrets` that appear in any of `texts` (expected: none). */
export function leaked(secrets: string[], texts: string[]): string[] {
  const all = texts.join('\n');
  return secrets.filter((s) => s !== '' && all.includes(s));
}
