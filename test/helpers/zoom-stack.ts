// A Zoom simulator plus one or more proxies in front of it, all on 127.0.0.1, for HTTP-level tests.
import { ZoomSimulator, type ZoomSimulatorOptions } from '../../src/sources/zoom/simulator/server.ts';
import { serveLocalProxy } from '../../src/runtimes/node/serve.ts';
import { MemoryStore, type WritableConfigStore } from '../../src/config/store.ts';
import { memoryLogger } from '../../src/logging/logger.ts';
import type { TokenTimings } from '../../src/auth/oauth-token-manager.ts';
import type { RunningServer } from '../../src/runtimes/node/server.ts';

export const SALT = 'test-salt';
export const ENCRYPTION_KEY = 'test-encryption-key';

export interface Stack {
  sim: ZoomSimulator;
  proxy: RunningServer;
  logs: string[];
  store: WritableConfigStore;
  env: Record<string, string>;
  get(path: string, init?: RequestInit): Promise<Response>;
  addProxy(): Promise<RunningServer>;
  close(): Promise<void>;
}

export async function zoomStack(options: {
  sim?: ZoomSimulatorOptions;
  env?: Record<string, string | undefined>;
  store?: WritableConfigStore;
  timings?: Partial<TokenTimings>;
} = {}): Promise<Stack> {
  const sim = new ZoomSimulator({ orgOptions: { seed: 3, users: 20, meetingsPerUser: 2, participantsPerMeeting: 5 }, ...options.sim });
  await sim.start();
  const env: Record<string, string> = {
    PSOXY_SALT: SALT, PSOXY_ENCRYPTION_KEY: ENCRYPTION_KEY,
    ...sim.targetSettings(), ...sim.credentialSettings(),
  };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const store = options.store ?? new MemoryStore();
  const logger = memoryLogger();
  const proxies: RunningServer[] = [];
  const addProxy = async () => {
    const p = await serveLocalProxy({ source: 'zoom', env, store, logger, tokenTimings: { lockRetryMs: 20, ...options.timings } });
    proxies.push(p);
    return p;
  };
  const proxy = await addProxy();
  return {
    sim, proxy, logs: logger.lines, store, env,
    get: (path, init) => fetch(proxy.url + path, init),
    addProxy,
    close: async () => {
      await Promise.all(proxies.map((p) => p.close()));
      await sim.stop();
    },
  };
}
