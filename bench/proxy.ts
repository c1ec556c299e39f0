/**
 * Proxy throughput: requests/s and p50/p99 latency for the simulator directly, a bare passthrough
 * proxy and our proxy with the Zoom rules — same run, at concurrency 1 and 16, 300-user pages,
 * loopback only, bounded in time. `ratio` = throughput ÷ passthrough throughput; for our proxy also
 * `ratioToSanitizeBound` = throughput ÷ 1 / (passthrough time per request + sanitize time per
 * request), the sanitize timed here on the same page (what the proxy adds beyond sanitizing).
 * `proxy-psoxy-zoom-gzip`: the same with the caller sending `Accept-Encoding: gzip` (as a real
 * client would), so the proxy also compresses its answer; its bound adds the time gzip takes on
 * the sanitized page. The simulator never compresses, so no line pays for decompressing.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { emit, median, percentile } from './stats.ts';
import { timeIt } from './sanitize.ts';
import { Sanitizer } from '../src/sanitizer/sanitizer.ts';
import { Pseudonymizer } from '../src/pseudonym/pseudonymizer.ts';
import { loadApiRules } from '../src/rules/load.ts';
import { builtInRulesYaml } from '../src/sources/index.ts';

const CONCURRENCIES = [1, 16];
const DURATION_MS = 4000;
const WARMUP_MS = 800;
const PATH = '/v2/users?page_size=300';

async function load(base: string, headers: Record<string, string>, durationMs: number, concurrency: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
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
  await Promise.all(Array.from({ length: concurrency }, async () => { while (Date.now() < end) await one(); }));
  const seconds = (Date.now() - started) / 1000;
  agent.destroy();
  return { rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors, requests: latencies.length };
}

/** Median times (ms) our sanitizer takes on the page the benchmark requests (fetched from the simulator), and gzip on its output. */
async function sanitizeTimes(simUrl: string, headers: Record<string, string>): Promise<{ sanitizeMs: number; gzipMs: number }> {
  const body = await (await fetch(simUrl + PATH, { headers })).text();
  const sanitizer = new Sanitizer(loadApiRules(builtInRulesYaml('zoom')!), new Pseudonymizer({ salt: 'bench-salt', encryptionKey: 'bench-key' }));
  const sanitized = Buffer.from(sanitizer.sanitize('GET', PATH, body));
  return { sanitizeMs: median(timeIt(() => sanitizer.sanitize('GET', PATH, body), 200)), gzipMs: median(timeIt(() => gzipSync(sanitized), 200)) };
}

/** Peak RSS so far of a child process (Linux: VmHWM); the passthrough shares the proxy's process. */
function peakRssMB(pid: number): number | null {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : null;
}

function startChild(args: string[]) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./servers.ts', import.meta.url)), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = new Promise<Record<string, string>>((resolve) => createInterface({ input: child.stdout! }).once('line', (l) => resolve(JSON.parse(l) as Record<string, string>)));
  return { ready, pid: child.pid!, stop: () => { child.stdin!.end(); child.kill(); } };
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
      ['proxy-psoxy-zoom-gzip', urls.proxy, { 'Accept-Encoding': 'gzip' }],
    ];
    const { sanitizeMs, gzipMs } = await sanitizeTimes(sim.sim, auth);
    /** What the proxy's own work (ms per request) allows, on top of the passthrough's time per request. */
    const boundFor = (name: string, passthrough: number): { bound?: number; sanitizeMs?: number; gzipMs?: number } => {
      const gzipped = name === 'proxy-psoxy-zoom-gzip';
      if (!gzipped && name !== 'proxy-psoxy-zoom') return {};
      return { bound: 1 / (1 / passthrough + (sanitizeMs + (gzipped ? gzipMs : 0)) / 1000), sanitizeMs, ...(gzipped ? { gzipMs } : {}) };
    };
    for (const concurrency of CONCURRENCIES) {
      const results: Record<string, Awaited<ReturnType<typeof load>>> = {};
      for (const [name, base, headers] of targets) {
        await load(base, headers, WARMUP_MS, concurrency);
        results[name] = await load(base, headers, DURATION_MS, concurrency);
      }
      const passthrough = results['proxy-passthrough'].rps;
      for (const [name, r] of Object.entries(results)) {
        const { bound, ...times } = boundFor(name, passthrough);
        const ours = bound === undefined ? {} : { ratioToSanitizeBound: r.rps / bound, sanitizeBoundRps: bound, ...times, serversPeakRssMB: peakRssMB(proxyChild.pid) };
        emit({ name: `${name}-c${concurrency}`, ratio: r.rps / passthrough, ...ours, rps: r.rps, p50Ms: r.p50, p99Ms: r.p99, requests: r.requests, errors: r.errors, concurrency });
      }
    }
  } finally {
    proxyChild?.stop();
    simChild.stop();
  }
}
