// `psoxy serve` over HTTPS, as psoxy's own test tool (`psoxy-test`, HTTPS only) and any HTTPS client
// meet it: a self-signed certificate made at start, or one given with --tls-cert / --tls-key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';
import { listen, nodeListener } from '../src/runtimes/node/server.ts';
import { selfSignedCertificate } from '../src/runtimes/node/self-signed.ts';
import type { RequestContext } from '../src/proxy/handler.ts';

const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'psoxy-cli-tls-'));

interface Started { child: ChildProcess; url: string; logs: Record<string, unknown>[]; exited: Promise<number | null> }

/** `psoxy serve …` in a child process, until it logs the URL it serves at. */
async function startServe(args: string[], env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [CLI, 'serve', '--source', 'zoom', '--port', '0', ...args], { env: { ...process.env, ...env } });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const logs: Record<string, unknown>[] = [];
  let buffered = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      buffered += d.toString();
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = JSON.parse(buffered.slice(0, nl)) as Record<string, unknown>;
        buffered = buffered.slice(nl + 1);
        logs.push(line);
        const serving = /^psoxy serving zoom at (\S+)$/.exec(String(line.message));
        if (serving) resolve(serving[1]);
      }
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${buffered}`)));
  });
  return { child, url, logs, exited };
}

/** GET over HTTPS trusting only `ca`. */
function httpsGet(url: string, ca: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { ca, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    }).on('error', reject).end();
  });
}

test('serve --tls-self-signed: logs the certificate path; HTTPS clients that trust it get sanitized data; the file goes at exit', async () => {
  const sim = new ZoomSimulator({ scopes: 'classic' });
  await sim.start();
  const env = { PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'key', PSOXY_LOCAL_STORE: join(dir, 'self-signed.json'), ...sim.targetSettings(), ...sim.credentialSettings() };
  const serve = await startServe(['--tls-self-signed'], env);
  try {
    assert.match(serve.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const certFile = String(serve.logs.find((l) => l.certificate)?.certificate);
    assert.match(String(serve.logs.find((l) => l.certificate)?.message), /NODE_EXTRA_CA_CERTS=/);
    const ca = readFileSync(certFile, 'utf8');
    const cert = new X509Certificate(ca);
    assert.equal(cert.checkHost('localhost'), 'localhost');
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');

    const users = await httpsGet(`${serve.url}/v2/users?page_size=2`, ca);
    assert.equal(users.status, 200, users.body);
    const emails = (JSON.parse(users.body) as { users: { email: string }[] }).users.map((u) => u.email);
    assert.ok(emails.length === 2 && emails.every((e) => e.startsWith('t~')), users.body);
    // Same host by name, as psoxy-test is usually pointed at it.
    assert.equal((await httpsGet(serve.url.replace('127.0.0.1', 'localhost') + '/', ca, { 'X-Psoxy-Health-Check': 'true' })).status, 200);
    // A Node client (such as psoxy-test) told to trust the file, the way the log line says.
    const client = spawn(process.execPath, ['-e', `fetch(${JSON.stringify(serve.url + '/')}, { headers: { 'X-Psoxy-Health-Check': 'true' } }).then((r) => console.log(r.status))`], { env: { ...process.env, NODE_EXTRA_CA_CERTS: certFile } });
    let out = '';
    client.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    await new Promise((resolve) => client.on('close', resolve));
    assert.equal(out.trim(), '200');
    // A client that does not trust it is refused by TLS, not answered.
    await assert.rejects(httpsGet(`${serve.url}/`, readFileSync(new URL('./fakes/self-signed-cert.ts', import.meta.url), 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/)![0]), /self-signed certificate|unable to verify/);

    serve.child.kill('SIGTERM');
    assert.equal(await serve.exited, 0);
    assert.equal(existsSync(certFile), false, 'the generated certificate is removed when serve stops');
  } finally {
    serve.child.kill();
    await sim.stop();
  }
});

test('serve --tls-cert/--tls-key serves the given certificate; X-Forwarded-Proto from a TLS front end still decides', async () => {
  const { cert, key } = selfSignedCertificate();
  writeFileSync(join(dir, 'cert.pem'), cert);
  writeFileSync(join(dir, 'key.pem'), key);
  const sim = new ZoomSimulator({ scopes: 'classic' });
  await sim.start();
  const env = { PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'key', PSOXY_LOCAL_STORE: join(dir, 'given.json'), ...sim.targetSettings(), ...sim.credentialSettings() };
  const serve = await startServe(['--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')], env);
  try {
    assert.equal((await httpsGet(`${serve.url}/v2/users?page_size=1`, cert)).status, 200);
    const forwardedHttp = await httpsGet(`${serve.url}/v2/users?page_size=1`, cert, { 'X-Forwarded-Proto': 'http' });
    assert.equal(forwardedHttp.status, 400);
    assert.equal(forwardedHttp.headers['x-psoxy-error'], 'HTTPS_REQUIRED');
    // Plain HTTP to the TLS port gets no answer from the proxy.
    await assert.rejects(fetch(serve.url.replace('https:', 'http:') + '/v2/users'));
  } finally {
    serve.child.kill();
    await sim.stop();
  }
});

test('the adapter: a TLS socket counts as https; on plain HTTP the scheme is X-Forwarded-Proto\'s, or unknown', async () => {
  const seen: RequestContext[] = [];
  const handler = (_req: Request, ctx: RequestContext) => { seen.push(ctx); return Promise.resolve(new Response('ok')); };
  const { cert, key } = selfSignedCertificate();
  const tls = await listen(nodeListener(handler), 0, '127.0.0.1', { cert, key });
  const plain = await listen(nodeListener(handler), 0, '127.0.0.1');
  try {
    await httpsGet(tls.url + '/', cert);
    await httpsGet(tls.url + '/', cert, { 'X-Forwarded-Proto': 'http' });
    await fetch(plain.url + '/');
    await fetch(plain.url + '/', { headers: { 'X-Forwarded-Proto': 'https' } });
    await fetch(plain.url + '/', { headers: { 'X-Forwarded-Proto': 'http' } });
    assert.deepEqual(seen.map((c) => c.https), [true, false, null, true, false]);
  } finally {
    await tls.close();
    await plain.close();
  }
});

test('serve TLS usage errors: one line, exit 2', async () => {
  const run = (args: string[]) => new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--source', 'zoom', ...args]);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (status) => resolve({ status, stderr }));
  });
  const alone = await run(['--tls-cert', join(dir, 'cert.pem')]);
  assert.equal(alone.status, 2);
  assert.equal(alone.stderr, 'psoxy serve: --tls-cert and --tls-key go together (a PEM certificate and its private key); see psoxy serve --help\n');
  const missing = await run(['--tls-cert', join(dir, 'nope.pem'), '--tls-key', join(dir, 'nope.pem')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^psoxy serve: --tls-cert \S+nope\.pem: no such file; see psoxy serve --help\n$/);
  const both = await run(['--tls-self-signed', '--tls-key', join(dir, 'key.pem')]);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /^psoxy serve: option '--tls-self-signed' cannot be used with option '--tls-key <file>'/);
  const port = await run(['--port', 'abc']);
  assert.equal(port.status, 2);
  assert.equal(port.stderr, 'psoxy serve: --port must be a whole number 0-65535, 0 for any free port (was "abc"); see psoxy serve --help\n');
});
