/**
 * Cold start of the built Lambda bundle: spawn `node` on dist/aws-lambda.mjs, invoke its handler
 * with a function-URL event that goes to the Zoom simulator (secrets in a local SSM fake), and
 * time spawn → first sanitized response; also the child's peak RSS. Builds first if needed. A second
 * line has every setting in the environment (SECRETS_STORE=ENV): no store call may be made.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';
import { FakeAwsJson } from '../test/fakes/aws-json-fake.ts';
import { emit, median } from './stats.ts';

const bundle = fileURLToPath(new URL('../dist/aws-lambda.mjs', import.meta.url));

function coldStart(env: Record<string, string>): Promise<{ ms: number; rssMB: number; status: number }> {
  const driver = `
    const { handler } = await import(${JSON.stringify(bundle)});
    const r = await handler({ version: '2.0', rawPath: '/v2/users', rawQueryString: 'page_size=30', routeKey: '$default',
      headers: { 'x-forwarded-proto': 'https' }, requestContext: { http: { method: 'GET', sourceIp: '203.0.113.1' }, stage: '$default' } });
    process.stdout.write(JSON.stringify({ status: r.statusCode, rssMB: process.resourceUsage().maxRSS / 1024 }) + '\\n');`;
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--input-type=module', '-e', driver], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{"status"'));
      if (line) {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const r = JSON.parse(line) as { status: number; rssMB: number };
        resolve({ ms, rssMB: r.rssMB, status: r.status });
      }
    });
    child.on('exit', (code) => { if (!out.includes('{"status"')) reject(new Error(`cold-start child exited ${code}`)); });
  });
}

export async function benchColdStart(): Promise<void> {
  if (!existsSync(bundle)) spawnSync(process.execPath, [fileURLToPath(new URL('../scripts/build.ts', import.meta.url))], { stdio: 'ignore' });
  const ssm = new FakeAwsJson();
  const ssmUrl = await ssm.start();
  const sim = new ZoomSimulator({ orgOptions: { seed: 3, users: 50, meetingsPerUser: 0 }, tokenPolicy: 'multiple' });
  await sim.start();
  for (const [k, v] of Object.entries({ PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'key', ...sim.credentialSettings() })) ssm.putParam(k, v);
  const env = {
    AWS_LAMBDA_FUNCTION_NAME: 'psoxy-zoom', SOURCE: 'zoom', ...sim.targetSettings(),
    AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL_SSM: ssmUrl,
  };
  const envOnly = { ...env, SECRETS_STORE: 'ENV', PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'key', ...sim.credentialSettings() };
  try {
    for (const [name, e] of [['cold-start-aws', env], ['cold-start-aws-env-only', envOnly]] as const) {
      const callsBefore = ssm.calls.length;
      const runs: { ms: number; rssMB: number; status: number }[] = [];
      for (let i = 0; i < 10; i++) runs.push(await coldStart(e));
      if (runs.some((r) => r.status !== 200)) throw new Error(`${name} returned ${runs.map((r) => r.status).join(',')}`);
      const ms = runs.map((r) => r.ms);
      emit({ name, ms: median(ms), minMs: Math.min(...ms), maxMs: Math.max(...ms), rssMB: Math.max(...runs.map((r) => r.rssMB)), storeCalls: (ssm.calls.length - callsBefore) / runs.length, runs: runs.length });
    }
  } finally {
    await sim.stop();
    await ssm.stop();
  }
}
