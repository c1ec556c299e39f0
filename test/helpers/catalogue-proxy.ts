/** A proxy for one catalogue connector in front of its simulator, for tests that look at what comes out. */
import type { Connector } from '../../src/sources/catalogue/connector.ts';
import { SourceSimulator } from '../../src/sources/catalogue/simulator.ts';
import { createProxyHandler } from '../../src/proxy/handler.ts';
import { ConfigService } from '../../src/config/config-service.ts';
import { MemoryStore } from '../../src/config/store.ts';
import { memoryLogger } from '../../src/logging/logger.ts';
import { connectorDefaults } from '../../src/sources/index.ts';

export interface ProxyRun {
  sim: SourceSimulator;
  /** What the proxy logged so far, for tests that a secret is never logged. */
  logLines: string[];
  /** A GET of `path` through the proxy: status and body text. */
  get(path: string): Promise<{ status: number; text: string }>;
  /** A POST of `body` (as JSON) to `path` through the proxy: status and body text. */
  post(path: string, body: unknown): Promise<{ status: number; text: string }>;
  /** The connector's example call named `name` (its method, path and body) through the proxy. */
  call(name: string): Promise<{ status: number; text: string }>;
}

/**
 * Runs `body` against the proxy for `c` (its defaults, plus `env`, e.g. `RULES` for a variant, or a
 * real auth strategy and its settings in place of the simulator's static token), its simulator's
 * org made from `org`.
 */
export async function withConnectorProxy(c: Connector, body: (run: ProxyRun) => Promise<void>, env: Record<string, string> = {}, org: { seed: number; people: number } = { seed: 11, people: 5 }): Promise<void> {
  const sim = new SourceSimulator(c, org);
  await sim.start();
  try {
    const config = new ConfigService({
      env: { PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'secret', ...sim.settings(), ...env },
      instancePrefix: 'PSOXY_X_', instanceStore: new MemoryStore(), defaults: { ...connectorDefaults(c.id) },
    });
    const logger = memoryLogger();
    const proxy = createProxyHandler({ config, logger });
    const send = async (path: string, init?: RequestInit) => {
      const res = await proxy(new Request('https://x/', init), { rawUrl: path, https: true });
      return { status: res.status, text: await res.text() };
    };
    const post = (path: string, json: unknown) => send(path, { method: 'POST', body: JSON.stringify(json), headers: { 'Content-Type': 'application/json' } });
    await body({
      sim, logLines: logger.lines, post,
      get: (path) => send(path),
      call: (name) => {
        const e = c.examples.find((x) => x.name === name);
        if (!e) throw new Error(`${c.id} has no example named ${name}`);
        return e.method === 'POST' ? post(e.path, e.body) : send(e.path);
      },
    });
  } finally {
    await sim.stop();
  }
}
