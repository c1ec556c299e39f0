/**
 * Child processes for the proxy benchmark (each on its own event loop, 127.0.0.1 only):
 * `sim` runs the Zoom simulator; `proxies <sim url> <account id> <token>` runs a bare Node
 * passthrough proxy and our proxy with the built-in Zoom rules. Each prints one JSON line.
 */
import { request as httpRequest } from 'node:http';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';
import { serveLocalProxy } from '../src/runtimes/node/serve.ts';
import { listen } from '../src/runtimes/node/server.ts';
import { MemoryStore } from '../src/config/store.ts';
import { silentLogger } from '../src/logging/logger.ts';
import { requestAccountCredentialsToken } from '../src/auth/account-credentials.ts';

const [mode, simUrl, accountId] = process.argv.slice(2);

if (mode === 'sim') {
  const sim = new ZoomSimulator({ orgOptions: { seed: 11, users: 300, meetingsPerUser: 0 }, tokenPolicy: 'multiple' });
  await sim.start();
  const { token } = await requestAccountCredentialsToken({ endpoint: `${sim.url}/oauth/token`, accountId: sim.accountId, clientId: sim.clientId, clientSecret: sim.clientSecret });
  console.log(JSON.stringify({ sim: sim.url, accountId: sim.accountId, clientId: sim.clientId, clientSecret: sim.clientSecret, token }));
} else {
  const target = new URL(simUrl);
  // The baseline: forwards method, path and headers, streams the body back, no inspection.
  const passthrough = await listen((req, res) => {
    const up = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(up);
  });
  const proxy = await serveLocalProxy({
    source: 'zoom',
    env: {
      PSOXY_SALT: 'bench-salt', PSOXY_ENCRYPTION_KEY: 'bench-key', TARGET_HOST: simUrl, REFRESH_ENDPOINT: `${simUrl}/oauth/token`,
      PSOXY_ZOOM_ACCOUNT_ID: accountId, PSOXY_ZOOM_CLIENT_ID: 'sim-client-id', PSOXY_ZOOM_CLIENT_SECRET: 'sim-client-secret',
    },
    store: new MemoryStore(),
    logger: silentLogger,
  });
  console.log(JSON.stringify({ passthrough: passthrough.url, proxy: proxy.url }));
}
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
