/**
 * Proxy throughput: requests/s and p50/p99 latency for the simulator directly, a bare passthrough
 * proxy and our proxy with the Zoom rules — same run, at concurrency 1 and 16, 300-user pages,
 * loopback only, bounded in time. `ratio` = throughput ÷ passthrough throughput; for our proxy also
 * `ratioToSanitizeBound` = throughput ÷ 1 / (passthrough time per request + sanitize time per
 * request), the sanitize timed here on the same page (what the proxy adds beyond sanitizing).
 * `proxy-psoxy-zoom-gzip`: the same with the caller sending `Accept-Encoding: gzip` (as a real
 * client would), so the proxy also compresses its answer; its bound adds the time gzip takes on
 * the sanitized page (at the proxy's level). The simulator never compresses, so no line pays for
 * decompressing.
 *
 * The machine is shared (other processes come and go), so the targets are measured in short
 * interleaved slices (the order rotating each round) and the sanitize and gzip times between
 * them: a burst of outside load lands on every line alike instead of on whichever ran then.
 * `serversCpuMsPerRequest`: CPU time (user + system, all threads) of the process running both
 * proxies, per request (Linux), less sensitive to outside load than throughput; `loadAverage`:
 * the host's 1-minute load average when the line was written (above the core count, every
 * figure on the line is stretched by other processes).
 *
 * `proxy-serve-workers1` / `proxy-serve-workers2`: `psoxy serve --workers 1|2` (the CLI, with its
 * per-request log lines) in front of the same simulator, measured in the same slices;
 * `ratioToOneWorker` compares the two, `serveCpuMsPerRequest` and `servePeakRssMB` add up the
 * primary and its workers (`servePeakRssMBByProcess`: each, primary first).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { emit, percentile } from './stats.ts';
import { timeIt } from './sanitize.ts';
import { Sanitizer } from '../src/sanitizer/sanitizer.ts';
import { Pseudonymizer } from '../src/pseudonym/pseudonymizer.ts';
import { loadApiRules } from '../src/rules/load.ts';
import { builtInRulesYaml } from '../src/sources/index.ts';
import { RESPONSE_GZIP_LEVEL } from '../src/proxy/respond.ts';

const CONCURRENCIES = [1, 16];
/** Per target and concurrency: ROUNDS slices of SLICE_MS (4 s in all), after one warm-up. */
const ROUNDS = 8;
const SLICE_MS = 500;
const WARMUP_MS = 800;
const PATH = '/v2/users?page_size=300';

/** `concurrency` callers in a loop for `durationMs`, over the agent's keep-alive connections. */
async function load(agent: Agent, base: string, headers: Record<string, string>, durationMs: number, concurrency: number) {
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
  return { seconds, latencies, errors };
}

/** The slices of one target, added up. */
interface Tally { seconds: number; latencies: number[]; errors: number; cpuMs: number }

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function summary(t: Tally) {
  return { rps: t.latencies.length / t.seconds, p50: percentile(t.latencies, 50), p99: percentile(t.latencies, 99), errors: t.errors, requests: t.latencies.length };
}

/**
 * Times (ms) our sanitizer takes on the page the benchmark requests (fetched from the simulator),
 * and gzip on its output: `sample()` adds a few of each, `means()` gives their means. Each run
 * follows a 1 ms sleep, as a request's sanitize follows its wait for the source: on a busy host
 * a process that sleeps between bursts is scheduled as the proxy is, a tight loop is not. Means,
 * as throughput is a mean: a median of short runs misses the preemptions every request pays.
 */
async function sanitizeTimer(simUrl: string, headers: Record<string, string>) {
  const body = await (await fetch(simUrl + PATH, { headers })).text();
  const sanitizer = new Sanitizer(loadApiRules(builtInRulesYaml('zoom')!), new Pseudonymizer({ salt: 'bench-salt', encryptionKey: 'bench-key' }));
  const sanitized = Buffer.from(sanitizer.sanitize('GET', PATH, body));
  timeIt(() => sanitizer.sanitize('GET', PATH, body), 20);
  const sanitize: number[] = [];
  const gzip: number[] = [];
  const timeOnce = (fn: () => unknown) => {
    const t0 = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  return {
    async sample(n: number) {
      for (let i = 0; i < n; i++) {
        await sleep(1);
        sanitize.push(timeOnce(() => sanitizer.sanitize('GET', PATH, body)));
        await sleep(1);
        gzip.push(timeOnce(() => gzipSync(sanitized, { level: RESPONSE_GZIP_LEVEL })));
      }
    },
    means: () => ({ sanitizeMs: mean(sanitize), gzipMs: mean(gzip) }),
  };
}

/** CPU time (ms, user + system) a child process has used so far (Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Peak RSS so far of a child process (Linux: VmHWM); the passthrough shares the proxy's process. */
function peakRssMB(pid: number): number | null {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : null;
}

/** A process and its descendants (Linux). */
function processTree(pid: number): number[] {
  const children = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(pid);
    } catch {
      return false;
    }
  });
  return [pid, ...children.flatMap((c) => processTree(Number(c)))];
}

/** `psoxy serve --workers N` against the simulator with a fresh local store, once it says where it serves. */
function startServe(sim: Record<string, string>, workers: number) {
  const dir = mkdtempSync(join(tmpdir(), 'psoxy-bench-serve-'));
  const env = {
    ...process.env, PSOXY_SALT: 'bench-salt', PSOXY_ENCRYPTION_KEY: 'bench-key', TARGET_HOST: sim.sim, REFRESH_ENDPOINT: `${sim.sim}/oauth/token`,
    PSOXY_ZOOM_ACCOUNT_ID: sim.accountId, PSOXY_ZOOM_CLIENT_ID: 'sim-client-id', PSOXY_ZOOM_CLIENT_SECRET: 'sim-client-secret', PSOXY_LOCAL_STORE: join(dir, 'store.json'),
  };
  const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
  const child = spawn(process.execPath, [cli, 'serve', '--source', 'zoom', '--port', '0', '--workers', String(workers)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  // Its log lines (one per request) are read and dropped.
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (l) => {
      const m = /"psoxy serving zoom at ([^"\s]+)"/.exec(l);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`psoxy serve --workers ${workers} exited ${code}`)));
  });
  return { url, pid: child.pid!, stop: () => { child.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); } };
}

function startChild(args: string[]) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./servers.ts', import.meta.url)), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = new Promise<Record<string, string>>((resolve) => createInterface({ input: child.stdout! }).once('line', (l) => resolve(JSON.parse(l) as Record<string, string>)));
  return { ready, pid: child.pid!, stop: () => { child.stdin!.end(); child.kill(); } };
}

export async function benchProxy(): Promise<void> {
  const simChild = startChild(['sim']);
  let proxyChild: ReturnType<typeof startChild> | undefined;
  const serves: ReturnType<typeof startServe>[] = [];
  try {
    const sim = await simChild.ready;
    proxyChild = startChild(['proxies', sim.sim, sim.accountId]);
    const urls = await proxyChild.ready;
    serves.push(startServe(sim, 1), startServe(sim, 2));
    const [serve1, serve2] = await Promise.all(serves.map((s) => s.url));
    const auth = { Authorization: `Bearer ${sim.token}` };
    const targets: [string, string, Record<string, string>][] = [
      ['proxy-simulator-direct', sim.sim, auth],
      ['proxy-passthrough', urls.passthrough, auth],
      ['proxy-psoxy-zoom', urls.proxy, {}],
      ['proxy-psoxy-zoom-gzip', urls.proxy, { 'Accept-Encoding': 'gzip' }],
      ['proxy-serve-workers1', serve1, {}],
      ['proxy-serve-workers2', serve2, {}],
    ];
    /** The processes whose CPU a target's requests use. */
    const servers = (name: string) => name === 'proxy-serve-workers1' ? processTree(serves[0].pid) : name === 'proxy-serve-workers2' ? processTree(serves[1].pid) : [proxyChild!.pid];
    const cpuOf = (name: string) => servers(name).reduce((sum, pid) => sum + cpuMs(pid), 0);
    const timer = await sanitizeTimer(sim.sim, auth);
    await timer.sample(40);
    for (const concurrency of CONCURRENCIES) {
      const tallies = new Map<string, Tally>(targets.map(([name]) => [name, { seconds: 0, latencies: [], errors: 0, cpuMs: 0 }]));
      const agents = new Map(targets.map(([name]) => [name, new Agent({ keepAlive: true, maxSockets: concurrency })]));
      for (const [name, base, headers] of targets) await load(agents.get(name)!, base, headers, WARMUP_MS, concurrency);
      for (let round = 0; round < ROUNDS; round++) {
        for (let i = 0; i < targets.length; i++) {
          const [name, base, headers] = targets[(i + round) % targets.length];
          const cpu0 = cpuOf(name);
          const r = await load(agents.get(name)!, base, headers, SLICE_MS, concurrency);
          const t = tallies.get(name)!;
          t.cpuMs += cpuOf(name) - cpu0;
          t.seconds += r.seconds;
          t.errors += r.errors;
          for (const l of r.latencies) t.latencies.push(l);
        }
        await timer.sample(20);
      }
      for (const agent of agents.values()) agent.destroy();
      const { sanitizeMs, gzipMs } = timer.means();
      const passthrough = summary(tallies.get('proxy-passthrough')!).rps;
      for (const [name, tally] of tallies) {
        const r = summary(tally);
        const gzipped = name === 'proxy-psoxy-zoom-gzip';
        const ours = gzipped || name === 'proxy-psoxy-zoom';
        // What the proxy's own work (ms per request) allows, on top of the passthrough's time per request.
        const bound = 1 / (1 / passthrough + (sanitizeMs + (gzipped ? gzipMs : 0)) / 1000);
        const extra = ours ? { ratioToSanitizeBound: r.rps / bound, sanitizeBoundRps: bound, sanitizeMs, ...(gzipped ? { gzipMs } : {}), serversPeakRssMB: peakRssMB(proxyChild.pid) } : {};
        const serve = name.startsWith('proxy-serve-');
        const cpu = name === 'proxy-simulator-direct' ? {} : { [serve ? 'serveCpuMsPerRequest' : 'serversCpuMsPerRequest']: tally.cpuMs / r.requests };
        const rss = serve ? servers(name).map((pid) => peakRssMB(pid) ?? 0) : [];
        const pool = serve ? {
          ...(name === 'proxy-serve-workers2' ? { ratioToOneWorker: r.rps / summary(tallies.get('proxy-serve-workers1')!).rps } : {}),
          servePeakRssMB: rss.reduce((a, b) => a + b, 0), servePeakRssMBByProcess: rss.map((m) => Math.round(m)),
        } : {};
        emit({ name: `${name}-c${concurrency}`, ratio: r.rps / passthrough, ...extra, ...pool, rps: r.rps, p50Ms: r.p50, p99Ms: r.p99, ...cpu, requests: r.requests, errors: r.errors, concurrency, loadAverage: loadavg()[0], cores: availableParallelism() });
      }
    }
  } finally {
    for (const serve of serves) serve.stop();
    proxyChild?.stop();
    simChild.stop();
  }
}
