/**
 * Cold start of the built Lambda bundle: spawn `node` on dist/aws-lambda.mjs, invoke its handler
 * with a function-URL event that goes to the Zoom simulator (secrets in a local SSM fake), and
 * time spawn → first sanitized response; also the child's peak RSS. Builds first if needed. A second
 * line has every setting in the environment (SECRETS_STORE=ENV): no store call may be made.
 * `cold-start-gcp`: the same on the GCP bundle (dist/gcp-function.mjs, functions framework) with
 * secrets in the Secret Manager fake, read over its REST API.
 * Each child gets a fresh TMPDIR, as a new function instance has an empty /tmp. `mainThreadCpuMs`:
 * the child's main-thread CPU time up to its answer, steadier than wall time on a loaded machine;
 * `cold-start-node-baseline`: `node` printing the same line and nothing else, measured in the same
 * run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';
import { FakeAwsJson } from '../test/fakes/aws-json-fake.ts';
import { FakeSecretManager } from '../test/fakes/secret-manager-fake.ts';
import { emit, median } from './stats.ts';

/** COLD_START_DIST: another build's dist/ (e.g. an earlier commit's), to compare in the same run. */
const dist = process.env.COLD_START_DIST ?? fileURLToPath(new URL('../dist/', import.meta.url));
const bundle = join(dist, 'aws-lambda.mjs');
const gcpBundle = join(dist, 'gcp-function.mjs');
const report = `const cpu = process.threadCpuUsage(); process.stdout.write(JSON.stringify({ status, rssMB: process.resourceUsage().maxRSS / 1024, cpuMs: (cpu.user + cpu.system) / 1000 }) + '\\n');`;

const baselineDriver = `const status = 200; ${report}`;

const awsDriver = `
  const { handler } = await import(${JSON.stringify(bundle)});
  const r = await handler({ version: '2.0', rawPath: '/v2/users', rawQueryString: 'page_size=30', routeKey: '$default',
    headers: { 'x-forwarded-proto': 'https' }, requestContext: { http: { method: 'GET', sourceIp: '203.0.113.1' }, stage: '$default' } });
  const status = r.statusCode; ${report}`;

/** The deployed function's first request, its Secret Manager client pointed at the fake (host:port in SM_FAKE). */
const gcpDriver = `
  const { registerApiFunction, SecretManagerRest } = await import(${JSON.stringify(gcpBundle)});
  const { getTestServer } = await import('@google-cloud/functions-framework/testing');
  const client = new SecretManagerRest({ endpoint: 'http://' + process.env.SM_FAKE, accessToken: async () => 't' });
  registerApiFunction('psoxyBench', { env: process.env, project: 'p', secretManager: client });
  const server = getTestServer('psoxyBench');
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const res = await fetch('http://127.0.0.1:' + server.address().port + '/v2/users?page_size=30', { headers: { 'X-Forwarded-For': '203.0.113.1, 35.191.0.1', 'X-Forwarded-Proto': 'https' } });
  await res.text();
  const status = res.status; ${report}
  server.close();`;

interface Run { ms: number; rssMB: number; cpuMs: number; status: number }

function coldStart(driver: string, env: Record<string, string>): Promise<Run> {
  const tmp = mkdtempSync(join(tmpdir(), 'psoxy-cold-'));
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--input-type=module', '-e', driver], { env: { ...process.env, ...env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', process.env.COLD_START_DEBUG ? 'inherit' : 'ignore'] });
  return new Promise<Run>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{"status"'));
      if (line) {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const r = JSON.parse(line) as { status: number; rssMB: number; cpuMs: number };
        resolve({ ms, rssMB: r.rssMB, cpuMs: r.cpuMs, status: r.status });
      }
    });
    child.on('exit', (code) => { if (!out.includes('{"status"')) reject(new Error(`cold-start child exited ${code}`)); });
  }).finally(() => new Promise<void>((r) => { if (child.exitCode !== null) r(); else child.once('exit', () => r()); }).then(() => rmSync(tmp, { recursive: true, force: true })));
}

async function measure(name: string, driver: string, env: Record<string, string>, calls: () => number): Promise<void> {
  const callsBefore = calls();
  const runs: Run[] = [];
  for (let i = 0; i < 10; i++) runs.push(await coldStart(driver, env));
  if (runs.some((r) => r.status !== 200)) throw new Error(`${name} returned ${runs.map((r) => r.status).join(',')}`);
  const ms = runs.map((r) => r.ms);
  emit({
    name, ms: median(ms), minMs: Math.min(...ms), maxMs: Math.max(...ms), mainThreadCpuMs: median(runs.map((r) => r.cpuMs)),
    rssMB: Math.max(...runs.map((r) => r.rssMB)), storeCalls: (calls() - callsBefore) / runs.length, runs: runs.length,
  });
}

export async function benchColdStart(): Promise<void> {
  if (!existsSync(bundle) || !existsSync(gcpBundle)) spawnSync(process.execPath, [fileURLToPath(new URL('../scripts/build.ts', import.meta.url))], { stdio: 'ignore' });
  const ssm = new FakeAwsJson();
  const ssmUrl = await ssm.start();
  const sm = new FakeSecretManager();
  const smEndpoint = await sm.start();
  const sim = new ZoomSimulator({ orgOptions: { seed: 3, users: 50, meetingsPerUser: 0 }, tokenPolicy: 'multiple' });
  await sim.start();
  for (const [k, v] of Object.entries({ PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'key', ...sim.credentialSettings() })) {
    ssm.putParam(k, v);
    sm.set(k, v);
  }
  for (const k of ['PSOXY_ZOOM_ACCESS_TOKEN', 'PSOXY_ZOOM_OAUTH_REFRESH_TOKEN']) sm.set(k);
  const env = {
    AWS_LAMBDA_FUNCTION_NAME: 'psoxy-zoom', SOURCE: 'zoom', ...sim.targetSettings(),
    AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL_SSM: ssmUrl,
  };
  const envOnly = { ...env, SECRETS_STORE: 'ENV', PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'key', ...sim.credentialSettings() };
  const gcpEnv = { K_SERVICE: 'psoxy-zoom', SOURCE: 'zoom', ...sim.targetSettings(), SM_FAKE: `${smEndpoint.host}:${smEndpoint.port}` };
  try {
    await measure('cold-start-node-baseline', baselineDriver, {}, () => 0);
    await measure('cold-start-aws', awsDriver, env, () => ssm.calls.length);
    await measure('cold-start-aws-env-only', awsDriver, envOnly, () => ssm.calls.length);
    await measure('cold-start-gcp', gcpDriver, gcpEnv, () => sm.calls.length);
  } finally {
    await sim.stop();
    await ssm.stop();
    await sm.stop();
  }
}
