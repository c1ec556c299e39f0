/**
 * `psoxy serve --source zoom`: the proxy for real use, configured by env and a local store; HTTP or
 * HTTPS; with `--workers N`, N processes (node:cluster) serving the one port.
 */
import cluster, { type Worker } from 'node:cluster';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { Command, Option } from 'commander';
import { jsonLogger, type Logger } from '../logging/logger.ts';
import { localProxyHandler } from '../runtimes/node/serve.ts';
import type { ProxyHandler } from '../proxy/handler.ts';
import { listen, nodeListener, type TlsCredentials } from '../runtimes/node/server.ts';
import { selfSignedCertificate } from '../runtimes/node/self-signed.ts';
import { builtInSources, bulkConnectorProblem } from '../sources/index.ts';
import { action, port, UsageError, wholeNumber } from './options.ts';

interface ServeOptions { source?: string; port: number; host: string; tlsCert?: string; tlsKey?: string; tlsSelfSigned?: boolean; workers: number }

/** What the primary tells a worker: the certificate to serve with (made or read once, for all). */
interface WorkerSetup { kind: 'setup'; tls: TlsCredentials | null }

/** The certificate to serve with, if any; a self-signed one is written to a temp file for clients to trust. */
function tlsCredentials(o: ServeOptions, logger: Logger): { tls?: TlsCredentials; cleanup(): void } {
  if (o.tlsSelfSigned) {
    const generated = selfSignedCertificate();
    const dir = mkdtempSync(join(tmpdir(), 'psoxy-tls-'));
    const certFile = join(dir, 'localhost.pem');
    writeFileSync(certFile, generated.cert);
    logger.info(`self-signed TLS certificate for localhost, 127.0.0.1 and ::1 at ${certFile}: have clients trust it (NODE_EXTRA_CA_CERTS=${certFile}, curl --cacert ${certFile})`, { certificate: certFile, validTo: generated.validTo });
    return { tls: generated, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!o.tlsCert !== !o.tlsKey) throw new UsageError('--tls-cert and --tls-key go together (a PEM certificate and its private key)');
  if (!o.tlsCert || !o.tlsKey) return { cleanup() {} };
  const read = (flag: string, file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`${flag} ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
  };
  const tls = { cert: read('--tls-cert', o.tlsCert), key: read('--tls-key', o.tlsKey) };
  try {
    createSecureContext(tls);
  } catch (e) {
    throw new UsageError(`--tls-cert ${o.tlsCert} / --tls-key ${o.tlsKey}: ${(e as Error).message} (they must be a PEM certificate and its private key)`, { cause: e });
  }
  return { tls, cleanup() {} };
}

async function serve(o: ServeOptions): Promise<number> {
  const source = o.source;
  if (!source) throw new UsageError(`needs --source (or SOURCE in the environment); built-in: ${builtInSources().join(', ')}`);
  const bulk = bulkConnectorProblem(source);
  if (bulk) throw new UsageError(`--source ${bulk}`);
  if (cluster.isWorker) return serveAsWorker(source, o);
  const logger = jsonLogger();
  const { tls, cleanup } = tlsCredentials(o, logger);
  try {
    // The primary of a pool only checks: its handler is dropped once it has answered.
    if (o.workers > 1) return await servePool(source, o, tls, await startupHealth(localProxyHandler({ source, logger }), logger), logger);
    const handler = localProxyHandler({ source, logger });
    const healthy = await startupHealth(handler, logger);
    let server;
    try {
      server = await listen(nodeListener(handler), o.port, o.host, tls);
    } catch (e) {
      throw new Error(`cannot serve on ${o.host}:${o.port}: ${(e as Error).message}`, { cause: e });
    }
    logger.info(`psoxy serving ${source} at ${server.url}`, { healthy });
    await stopSignal();
    await server.close();
    return 0;
  } finally {
    cleanup();
  }
}

/**
 * The health check's verdict at start: each problem (what is wrong, where it was looked for), from
 * the same check that decides whether data calls can work. True when healthy.
 */
async function startupHealth(handler: ProxyHandler, logger: Logger): Promise<boolean> {
  const health = await handler(new Request('http://localhost/', { headers: { 'X-Psoxy-Health-Check': 'true' } }), { clientIp: '127.0.0.1' });
  const report = (await health.json()) as { warningMessages: string[] };
  for (const w of report.warningMessages) logger.warn(w);
  return health.status === 200;
}

const stopSignal = () => new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});

/** A pool whose serving workers die more than max(5, 2N) times a minute has a fault a restart will not fix. */
const CRASH_WINDOW_MS = 60_000;
const MIN_CRASHES_TOLERATED = 5;
const MAX_RESTART_DELAY_MS = 5_000;

/**
 * The primary of `--workers N`: forks N workers (this same command), hands each the certificate,
 * says where it serves once all listen, replaces a worker that dies after it started serving (after
 * 0.1, 0.2, 0.4 … s, at most 5 s), and stops them all on SIGINT / SIGTERM. A worker that dies
 * before serving (port taken, bad setup), or more than max(5, 2N) deaths in a minute, stops the
 * pool: exit 1.
 */
async function servePool(source: string, o: ServeOptions, tls: TlsCredentials | undefined, healthy: boolean, logger: Logger): Promise<number> {
  if (!process.argv[1]) throw new UsageError('--workers needs psoxy started from its script (node <psoxy> serve ...), which each worker runs again');
  let stopping = false;
  let failed = false;
  const serving = new Set<Worker>();
  let announced = false;
  /** When serving workers died, within the last CRASH_WINDOW_MS. */
  let deaths: number[] = [];
  const done = new Promise<void>((resolve) => {
    const fork = () => {
      const worker = cluster.fork();
      worker.once('online', () => worker.send({ kind: 'setup', tls: tls ?? null } satisfies WorkerSetup));
      worker.once('listening', (address) => {
        serving.add(worker);
        if (!announced && serving.size === o.workers) {
          announced = true;
          const host = address.address ?? o.host;
          logger.info(`psoxy serving ${source} at ${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${address.port}`, { healthy, workers: o.workers });
        }
      });
      worker.once('exit', (code, signal) => {
        const wasServing = serving.delete(worker);
        if (!stopping && wasServing) {
          const now = Date.now();
          deaths = deaths.filter((t) => now - t < CRASH_WINDOW_MS).concat(now);
          if (deaths.length <= Math.max(MIN_CRASHES_TOLERATED, 2 * o.workers)) {
            // Each replacement repeats a cold start (store reads, maybe a token exchange): back off.
            const delayMs = Math.min(MAX_RESTART_DELAY_MS, 100 * 2 ** (deaths.length - 1));
            logger.error('a worker stopped; starting another', { exitCode: code, signal, delayMs });
            setTimeout(() => { if (!stopping) fork(); }, delayMs);
            return;
          }
          logger.error('workers keep stopping: stopping the pool', { exitCode: code, signal, stoppedInLastMinute: deaths.length });
        }
        if (!stopping) {
          failed = true;
          stop();
        }
        if (Object.keys(cluster.workers ?? {}).length === 0) resolve();
      });
    };
    const stop = () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      // Stopped while a replacement was waiting for its back-off: no worker is left to exit.
      if (Object.keys(cluster.workers ?? {}).length === 0) resolve();
    };
    void stopSignal().then(stop);
    for (let i = 0; i < o.workers; i++) fork();
  });
  await done;
  return failed ? 1 : 0;
}

/** One worker of `--workers N`: the certificate from the primary, then the same server as alone. */
async function serveAsWorker(source: string, o: ServeOptions): Promise<number> {
  const setup = await new Promise<WorkerSetup>((resolve) => {
    const onMessage = (m: unknown) => {
      if ((m as WorkerSetup | null)?.kind !== 'setup') return;
      process.off('message', onMessage);
      resolve(m as WorkerSetup);
    };
    process.on('message', onMessage);
  });
  try {
    const handler = localProxyHandler({ source, logger: jsonLogger() });
    let server;
    try {
      server = await listen(nodeListener(handler), o.port, o.host, setup.tls ?? undefined);
    } catch (e) {
      throw new Error(`cannot serve on ${o.host}:${o.port}: ${(e as Error).message}`, { cause: e });
    }
    await stopSignal();
    await server.close();
    return 0;
  } finally {
    // The channel to the primary would keep this process alive.
    cluster.worker?.disconnect();
  }
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the proxy on this machine (settings from the environment and .psoxy-local/<source>.json)')
    .addOption(new Option('--source <source>', `the connector: ${builtInSources().join(', ')} (built-in rules and settings), or any psoxy SOURCE with RULES set`).env('SOURCE'))
    .addOption(new Option('--port <port>', 'the port to listen on (0: any free port)').default(8080).argParser(port))
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (chain); needs --tls-key')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert')
    .addOption(new Option('--tls-self-signed', 'serve HTTPS with a certificate made at start for localhost / 127.0.0.1; its path is logged').conflicts(['tlsCert', 'tlsKey']))
    .addOption(new Option('--workers <n>', 'processes serving the port (node:cluster), each sanitizing on its own core; they share the token through the local store').default(1).argParser(wholeNumber('--workers', 1, 256)))
    .addHelpText('after', `
Examples:
  $ psoxy serve --source zoom --port 8080
  $ psoxy serve --source zoom --tls-self-signed      # then: NODE_EXTRA_CA_CERTS=<logged path> psoxy-test ...
  $ psoxy serve --source zoom --tls-cert cert.pem --tls-key key.pem --host 0.0.0.0

Over HTTPS every request counts as https; an X-Forwarded-Proto header, when sent (a TLS front
end), still decides. Health check: curl -H 'X-Psoxy-Health-Check: 1' localhost:8080/

--workers N: one process sanitizes one response at a time, so with concurrent callers on a host
with several cores N processes (up to the core count) serve more; each holds its own memory
(~100-200 MB under load) and its own MAX_CONCURRENT_SOURCE_REQUESTS.`)
    .action(action(serve));
}

/** `serve` from its arguments alone (tests start it in a child process this way). */
export async function cmdServe(argv: string[]): Promise<number> {
  await serveCommand().exitOverride().parseAsync(argv, { from: 'user' });
  return Number(process.exitCode ?? 0);
}
