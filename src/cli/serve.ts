/** `psoxy serve --source zoom`: the proxy for real use, configured by env and a local store. */
import { parseArgs } from 'node:util';
import { jsonLogger } from '../logging/logger.ts';
import { localProxyHandler } from '../runtimes/node/serve.ts';
import { listen, nodeListener } from '../runtimes/node/server.ts';
import { builtInSources } from '../sources/index.ts';

export async function cmdServe(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { source: { type: 'string' }, port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' } } });
  const source = values.source ?? process.env.SOURCE;
  if (!source) throw new Error(`serve needs --source (built-in: ${builtInSources().join(', ')})`);
  const logger = jsonLogger();
  const handler = localProxyHandler({ source, logger });
  // The health check's verdict at start: each problem (what is wrong, where it was looked for),
  // from the same check that decides whether data calls can work.
  const health = await handler(new Request('http://localhost/', { headers: { 'X-Psoxy-Health-Check': 'true' } }), { clientIp: '127.0.0.1' });
  const report = (await health.json()) as { warningMessages: string[] };
  for (const w of report.warningMessages) logger.warn(w);
  const server = await listen(nodeListener(handler), Number(values.port), values.host);
  logger.info(`psoxy serving ${source} at ${server.url}`, { healthy: health.status === 200 });
  await new Promise<void>((resolve) => {
    const stop = () => { void server.close().then(resolve); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
