/**
 * Proxy throughput: requests/s and p50/p99 latency for the simulator directly, a bare passthrough
 * proxy and our proxy with the Zoom rules — same run, same concurrency, 300-user pages, loopback
 * only, bounded in time. `ratio` = our throughput ÷ passthrough throughput.
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { emit, percentile } from './stats.ts';

const CONCURRENCY = 16;
const DURATION_MS = 4000;
const WARMUP_MS = 800;
const PATH = '/v2/users?page_size=300';

async function load(base: string, headers: Record<string, string>, durationMs: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const url = new URL(base + PATH);
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + durationMs;
  const one = () => new Promise<void>((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, agent, headers }, (res) => {
      res.on('data', () => {});
      res.on('end', () => {
        if (res.statusCode !== 200) errors++;
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        resolve();
      });
    });
    req.on('error', () => { errors++; resolve(); });
    req.end();
  });
  const started = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (Date.now() < end) await one(); }));
  const seconds = (Date.now() - started) / 1000;
  agent.destroy();
  return { rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors, requests: latencies.length };
}

function startChild(args: string[]) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./servers.ts', import.meta.url)), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = new Promise<Record<string, string>>((resolve) => createInterface({ input: child.stdout! }).once('line', (l) => resolve(JSON.parse(l) as Record<string, string>)));
  return { ready, stop: () => { child.stdin!.end(); child.kill(); } };
}

export async function benchProxy(): Promise<void> {
  const simChild = startChild(['sim']);
  let proxyChild: ReturnType<typeof startChild> | undefined;
  try {
    const sim = await simChild.ready;
    proxyChild = startChild(['proxies', sim.sim, sim.accountId]);
    const urls = await proxyChild.ready;
    const auth = { Authorization: `Bearer ${sim.token}` };
    const targets: [string, string, Record<string, string>][] = [
      ['proxy-simulator-direct', sim.sim, auth],
      ['proxy-passthrough', urls.passthrough, auth],
      ['proxy-psoxy-zoom', urls.proxy, {}],
    ];
    const results: Record<string, Awaited<ReturnType<typeof load>>> = {};
    for (const [name, base, headers] of targets) {
      await load(base, headers, WARMUP_MS);
      results[name] = await load(base, headers, DURATION_MS);
    }
    const passthrough = results['proxy-passthrough'].rps;
    for (const [name, r] of Object.entries(results)) {
      emit({ name, ratio: r.rps / passthrough, rps: r.rps, p50Ms: r.p50, p99Ms: r.p99, requests: r.requests, errors: r.errors, concurrency: CONCURRENCY });
    }
  } finally {
    proxyChild?.stop();
    simChild.stop();
  }
}
