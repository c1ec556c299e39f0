/** `psoxy serve --source zoom`: the proxy for real use, configured by env and a local store; HTTP or HTTPS. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { Command, Option } from 'commander';
import { jsonLogger, type Logger } from '../logging/logger.ts';
import { localProxyHandler } from '../runtimes/node/serve.ts';
import { listen, nodeListener, type TlsCredentials } from '../runtimes/node/server.ts';
import { selfSignedCertificate } from '../runtimes/node/self-signed.ts';
import { builtInSources } from '../sources/index.ts';
import { action, port, UsageError } from './options.ts';

interface ServeOptions { source?: string; port: number; host: string; tlsCert?: string; tlsKey?: string; tlsSelfSigned?: boolean }

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
  const logger = jsonLogger();
  const { tls, cleanup } = tlsCredentials(o, logger);
  const handler = localProxyHandler({ source, logger });
  // The health check's verdict at start: each problem (what is wrong, where it was looked for),
  // from the same check that decides whether data calls can work.
  const health = await handler(new Request('http://localhost/', { headers: { 'X-Psoxy-Health-Check': 'true' } }), { clientIp: '127.0.0.1' });
  const report = (await health.json()) as { warningMessages: string[] };
  for (const w of report.warningMessages) logger.warn(w);
  let server;
  try {
    server = await listen(nodeListener(handler), o.port, o.host, tls);
  } catch (e) {
    cleanup();
    throw new Error(`cannot serve on ${o.host}:${o.port}: ${(e as Error).message}`, { cause: e });
  }
  logger.info(`psoxy serving ${source} at ${server.url}`, { healthy: health.status === 200 });
  await new Promise<void>((resolve) => {
    const stop = () => { void server.close().then(resolve); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  cleanup();
  return 0;
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
    .addHelpText('after', `
Examples:
  $ psoxy serve --source zoom --port 8080
  $ psoxy serve --source zoom --tls-self-signed      # then: NODE_EXTRA_CA_CERTS=<logged path> psoxy-test ...
  $ psoxy serve --source zoom --tls-cert cert.pem --tls-key key.pem --host 0.0.0.0

Over HTTPS every request counts as https; an X-Forwarded-Proto header, when sent (a TLS front
end), still decides. Health check: curl -H 'X-Psoxy-Health-Check: 1' localhost:8080/`)
    .action(action(serve));
}

/** `serve` from its arguments alone (tests start it in a child process this way). */
export async function cmdServe(argv: string[]): Promise<number> {
  await serveCommand().exitOverride().parseAsync(argv, { from: 'user' });
  return Number(process.exitCode ?? 0);
}
