// `psoxy serve --workers N`: N processes (node:cluster) serve one port with one token between
// them (the local store and its lock), one certificate made once for all, a worker that dies
// replaced, and SIGTERM stopping them all with exit 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';

const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'psoxy-cli-workers-'));

interface Log { level: string; message: string; [k: string]: unknown }
interface Started { child: ChildProcess; url: string; logs: Log[]; exited: Promise<number | null> }

/** `psoxy serve … --workers N` until it says where it serves (or exits first: `url` is then ''). */
async function startServe(args: string[], env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [CLI, 'serve', '--source', 'zoom', ...args], { env: { ...process.env, ...env } });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const logs: Log[] = [];
  let buffered = '';
  const url = await new Promise<string>((resolve) => {
    child.stderr!.on('data', (d: Buffer) => {
      buffered += d.toString();
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const text = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const line = (text.startsWith('{') ? JSON.parse(text) : { level: 'error', message: text }) as Log;
        logs.push(line);
        const serving = /^psoxy serving zoom at (\S+)$/.exec(line.message);
        if (serving) resolve(serving[1]);
      }
    });
    void exited.then(() => resolve(''));
  });
  return { child, url, logs, exited };
}

/** One call on its own connection (so the primary hands each to the next worker). */
async function call(url: string, ca?: string): Promise<{ status: number; body: string }> {
  if (!ca) {
    const res = await fetch(url, { headers: { Connection: 'close' } });
    return { status: res.status, body: await res.text() };
  }
  return new Promise((resolve, reject) => {
    request(url, { ca, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    }).on('error', reject).end();
  });
}

const waitFor = async (what: () => boolean) => { while (!what()) await new Promise((resolve) => setTimeout(resolve, 20)); };

test('serve --workers 2: both workers answer, one token exchange between them, a dead worker is replaced, SIGTERM stops all with 0', async () => {
  const sim = new ZoomSimulator({ scopes: 'classic' });
  await sim.start();
  const env = { PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'key', PSOXY_LOCAL_STORE: join(dir, 'store.json'), ...sim.targetSettings(), ...sim.credentialSettings() };
  const serve = await startServe(['--port', '0', '--workers', '2'], env);
  try {
    assert.match(serve.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(serve.logs.find((l) => l.message.startsWith('psoxy serving'))?.workers, 2);
    for (let i = 0; i < 4; i++) {
      const res = await call(`${serve.url}/v2/users?page_size=2`);
      assert.equal(res.status, 200, res.body);
      assert.ok((JSON.parse(res.body) as { users: { email: string }[] }).users.every((u) => u.email.startsWith('t~')));
    }
    await waitFor(() => serve.logs.filter((l) => l.message === 'configuration checked: no problems').length === 2);
    assert.equal(serve.logs.filter((l) => l.message === 'obtained a new access token').length, 1, 'the second worker took the token from the store');

    const workers = (await import('node:child_process')).execFileSync('ps', ['-o', 'pid=', '--ppid', String(serve.child.pid)]).toString().trim().split(/\s+/).map(Number);
    assert.equal(workers.length, 2);
    process.kill(workers[0], 'SIGKILL');
    await waitFor(() => serve.logs.some((l) => l.message === 'a worker stopped; starting another'));
    for (let i = 0; i < 4; i++) assert.equal((await call(`${serve.url}/v2/users?page_size=1`)).status, 200);

    serve.child.kill('SIGTERM');
    assert.equal(await serve.exited, 0);
  } finally {
    serve.child.kill('SIGKILL');
    await sim.stop();
  }
});

test('serve --workers 2 --tls-self-signed: one certificate for both workers', async () => {
  const sim = new ZoomSimulator({ scopes: 'classic' });
  await sim.start();
  const env = { PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'key', PSOXY_LOCAL_STORE: join(dir, 'tls.json'), ...sim.targetSettings(), ...sim.credentialSettings() };
  const serve = await startServe(['--port', '0', '--workers', '2', '--tls-self-signed'], env);
  try {
    const ca = readFileSync(String(serve.logs.find((l) => l.certificate)?.certificate), 'utf8');
    for (let i = 0; i < 4; i++) assert.equal((await call(`${serve.url}/v2/users?page_size=1`, ca)).status, 200);
    serve.child.kill('SIGTERM');
    assert.equal(await serve.exited, 0);
  } finally {
    serve.child.kill('SIGKILL');
    await sim.stop();
  }
});

test('serve --workers: a port already taken stops the pool with exit 1; 0 workers is a usage error', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const port = (taken.address() as AddressInfo).port;
    const serve = await startServe(['--port', String(port), '--workers', '2'], { PSOXY_LOCAL_STORE: join(dir, 'taken.json') });
    assert.equal(serve.url, '');
    assert.equal(await serve.exited, 1);
    assert.ok(serve.logs.some((l) => /cannot serve on 127\.0\.0\.1:\d+: .*EADDRINUSE/.test(l.message)), JSON.stringify(serve.logs));
  } finally {
    taken.close();
  }
  const zero = await startServe(['--workers', '0'], {});
  assert.equal(await zero.exited, 2);
  assert.ok(zero.logs.some((l) => l.message.includes('--workers must be a whole number 1-256')), JSON.stringify(zero.logs));
});
