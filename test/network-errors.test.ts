// Network failures name the host, the operation and the cause, wherever they surface: the
// description itself, the token exchange, data calls (X-Psoxy-Error, body, log) and `check zoom`.
// Real sockets on 127.0.0.1: a closed port, a server that never answers, one that resets, a TLS
// server with a self-signed certificate, and a `.invalid` host name (DNS fails without network).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describeNetworkFailure, networkAdvice, type NetworkCause } from '../src/http/network-error.ts';
import { requestAccountCredentialsToken } from '../src/auth/account-credentials.ts';
import { TokenEndpointError } from '../src/auth/source-auth.ts';
import { checkZoom } from '../src/cli/check-zoom.ts';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';
import { zoomStack } from './helpers/zoom-stack.ts';
import { SELF_SIGNED_CERT, SELF_SIGNED_KEY } from './fakes/self-signed-cert.ts';

/** What must never appear in a failure's text: the URL's path, query and credentials. */
const PRIVATE_PART = '/v2/users/alice%40acme.com/meetings?next_page_token=SECRETTOKEN';

interface Place { url: string; host: string; close(): Promise<void> }

async function listening(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Sockets a fake holds open are destroyed on close, so `close` does not wait for them. */
function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () => new Promise((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); });
}

async function closedPort(): Promise<Place> {
  const server = createServer();
  const port = await listening(server);
  await new Promise((resolve) => server.close(resolve));
  return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, close: async () => undefined };
}

/** Accepts connections and never answers. */
async function silentServer(): Promise<Place> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => { sockets.add(s); s.on('error', () => undefined); });
  const port = await listening(server);
  return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, close: closer(server, sockets) };
}

/** Reads the request, then resets the connection (TCP RST). */
async function resettingServer(): Promise<Place> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => { sockets.add(s); s.on('error', () => undefined); s.once('data', () => s.resetAndDestroy()); });
  const port = await listening(server);
  return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, close: closer(server, sockets) };
}

/** HTTPS with a certificate no client trusts. */
async function selfSignedServer(): Promise<Place> {
  const sockets = new Set<Socket>();
  const server = createTlsServer({ key: SELF_SIGNED_KEY, cert: SELF_SIGNED_CERT }, (_req, res) => res.end('{}'));
  server.on('connection', (s: Socket) => sockets.add(s));
  const port = await listening(server);
  return { url: `https://localhost:${port}`, host: `localhost:${port}`, close: closer(server, sockets) };
}

const unresolvable = async (): Promise<Place> => ({ url: 'https://psoxy-test.invalid', host: 'psoxy-test.invalid:443', close: async () => undefined });

const PLACES: [NetworkCause, () => Promise<Place>][] = [
  ['refused', closedPort], ['timeout', silentServer], ['reset', resettingServer], ['tls', selfSignedServer], ['dns', unresolvable],
];

async function failureOf(url: string): Promise<unknown> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(300) });
  } catch (e) {
    return e;
  }
  throw new Error(`${url} answered`);
}

test('describeNetworkFailure: each cause named with host and port, never the path or query', async () => {
  for (const [cause, make] of PLACES) {
    const place = await make();
    try {
      const f = describeNetworkFailure(await failureOf(place.url + PRIVATE_PART), place.url + PRIVATE_PART, 'source call');
      assert.equal(f.cause, cause, `${cause}: ${f.text}`);
      assert.equal(f.host, place.host);
      assert.match(f.text, new RegExp(`^source call to ${place.host.replace(/\./g, '\\.')} failed: .+ \\([A-Za-z_]+\\)$`));
      assert.doesNotMatch(f.text + networkAdvice(f, 'TARGET_HOST'), /alice|SECRETTOKEN|meetings|v2/, cause);
    } finally {
      await place.close();
    }
  }
});

test('advice follows the cause: only a refusal says nothing listens, only TLS mentions certificates', () => {
  const f = (cause: NetworkCause) => ({ host: 'h:443', operation: 'x', cause, code: 'X', text: '' });
  assert.match(networkAdvice(f('refused'), 'TARGET_HOST'), /nothing accepts connections at h:443: check TARGET_HOST/);
  assert.match(networkAdvice(f('dns'), 'TARGET_HOST'), /host name in TARGET_HOST/);
  assert.match(networkAdvice(f('tls'), 'TARGET_HOST'), /NODE_EXTRA_CA_CERTS/);
  assert.match(networkAdvice(f('timeout'), 'TARGET_HOST'), /outbound network access to h:443/);
  assert.doesNotMatch(networkAdvice(f('timeout'), 'TARGET_HOST'), /certificate/);
});

test('token exchange: TokenEndpointError carrying the failure, naming host, cause and REFRESH_ENDPOINT', async () => {
  for (const [cause, make] of PLACES) {
    const place = await make();
    try {
      const creds = { endpoint: `${place.url}/oauth/token?secret=SECRETTOKEN`, accountId: 'a', clientId: 'c', clientSecret: 'SECRETTOKEN' };
      const e = await requestAccountCredentialsToken(creds, { timeoutMs: 300 }).then(() => null, (err: unknown) => err);
      assert.ok(e instanceof TokenEndpointError, `${cause}: ${String(e)}`);
      assert.equal(e.network?.cause, cause);
      assert.equal(e.clientRejected, false, 'a network failure is not a refusal of the credentials');
      assert.match(e.message, new RegExp(`token request to ${place.host.replace(/\./g, '\\.')} failed: .*REFRESH_ENDPOINT`));
      assert.doesNotMatch(e.message, /SECRETTOKEN|oauth\/token/);
    } finally {
      await place.close();
    }
  }
});

/** Status, X-Psoxy-Error and body the proxy answers for a data call, and what it logged. */
async function dataCallTo(targetHost: string, env: Record<string, string> = {}) {
  const s = await zoomStack({ env: { TARGET_HOST: targetHost, ...env } });
  try {
    const res = await s.get('/v2/users?page_size=1');
    return { status: res.status, code: res.headers.get('x-psoxy-error'), body: await res.text(), logs: s.logs.join('') };
  } finally {
    await s.close();
  }
}

test('data calls: X-Psoxy-Error, body and log name host, operation and cause for each failure', async () => {
  const expected: Record<NetworkCause, [number, string, RegExp]> = {
    refused: [503, 'CONNECTION_TO_SOURCE', /^Error connecting to source API: source call to \S+ failed: connection refused \(ECONNREFUSED\)$/],
    dns: [503, 'CONNECTION_TO_SOURCE', /^Error connecting to source API: source call to psoxy-test\.invalid:443 failed: host name not found \(DNS\) \((ENOTFOUND|EAI_AGAIN)\)$/],
    timeout: [504, 'SOURCE_API_READ_TIMEOUT', /^Source API read timeout: no response received from 127\.0\.0\.1:\d+ within 0\.5 seconds/],
    reset: [500, 'CONNECTION_TO_SOURCE', /^Error communicating with source API: source call to \S+ failed: connection (reset|closed) by the other side/],
    tls: [500, 'CONNECTION_TO_SOURCE', /^Error communicating with source API: source call to localhost:\d+ failed: TLS: self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/],
    unreachable: [0, '', /never/],
    other: [0, '', /never/],
  };
  for (const [cause, make] of PLACES) {
    const place = await make();
    try {
      const r = await dataCallTo(place.url, { REQUEST_TIMEOUT_SECONDS: '0.5' });
      const [status, code, body] = expected[cause];
      assert.equal(r.status, status, `${cause}: ${r.body}`);
      assert.equal(r.code, code, cause);
      assert.match(r.body, body, cause);
      const logged = r.logs.split('\n').filter((l) => l.includes('"level":"error"')).join('\n');
      assert.match(logged, new RegExp(`source call to ${place.host.replace(/\./g, '\\.')} failed`), `${cause}: logged`);
      assert.doesNotMatch(r.logs, /page_size/, `${cause}: no query in the logs`);
    } finally {
      await place.close();
    }
  }
});

test('check zoom: an unreachable token endpoint is a network problem with network advice, not a credentials problem', async () => {
  const sim = new ZoomSimulator();
  await sim.start();
  try {
    for (const [cause, make] of PLACES) {
      const place = await make();
      try {
        const env = { ...sim.targetSettings(), ...sim.credentialSettings(), REFRESH_ENDPOINT: `${place.url}/oauth/token`, PSOXY_LOCAL_STORE: '/nonexistent/dir/zoom.json' };
        const checks = await checkZoom({ env, timeoutMs: 300 });
        const token = checks.find((c) => c.check === 'token')!;
        assert.equal(token.ok, false, cause);
        assert.match(token.detail, new RegExp(`^token request to ${place.host.replace(/\./g, '\\.')} failed: `), cause);
        assert.doesNotMatch(token.fix, /App Credentials|Client Secret/, `${cause}: not a credentials problem`);
        assert.match(token.fix, /REFRESH_ENDPOINT|network access/, cause);
      } finally {
        await place.close();
      }
    }
    const wrong = await checkZoom({ env: { ...sim.targetSettings(), ...sim.credentialSettings(), PSOXY_ZOOM_CLIENT_SECRET: 'nope', PSOXY_LOCAL_STORE: '/nonexistent/dir/zoom.json' } });
    assert.match(wrong.find((c) => c.check === 'token')!.fix, /App Credentials/, 'refused credentials still get the credentials advice');
  } finally {
    await sim.stop();
  }
});

test('check zoom: an unreachable TARGET_HOST fails "list users" naming host and cause, with TARGET_HOST advice', async () => {
  const sim = new ZoomSimulator();
  await sim.start();
  try {
    for (const make of [closedPort, silentServer]) {
      const place = await make();
      try {
        const env = { ...sim.targetSettings(), ...sim.credentialSettings(), TARGET_HOST: place.url, PSOXY_LOCAL_STORE: '/nonexistent/dir/zoom.json' };
        const users = (await checkZoom({ env, timeoutMs: 300 })).find((c) => c.check === 'list users')!;
        assert.equal(users.ok, false);
        assert.match(users.detail, new RegExp(`^API call to ${place.host.replace(/\./g, '\\.')} failed: (connection refused|no answer in time)`));
        assert.match(users.fix, /TARGET_HOST|network access/);
      } finally {
        await place.close();
      }
    }
    const plain = await checkZoom({ env: { ...sim.targetSettings(), ...sim.credentialSettings(), TARGET_HOST: 'http://api.zoom.us', PSOXY_LOCAL_STORE: '/nonexistent/dir/zoom.json' } });
    assert.match(plain[0].detail, /TARGET_HOST api\.zoom\.us uses plain http:\/\//);
  } finally {
    await sim.stop();
  }
});
