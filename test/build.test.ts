// `npm run build`: the packages exist, the Lambda zip stays under 1 MiB, and the bundle runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FakeAwsJson } from './fakes/aws-json-fake.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

test('build: Lambda zip < 1 MiB; the bundled handler answers a health check with secrets from SSM', async () => {
  const b = spawnSync(process.execPath, ['scripts/build.ts'], { cwd: root, encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /dist\/aws-lambda\.zip: [\d.]+ KiB/);
  assert.ok(statSync(`${root}dist/aws-lambda.zip`).size < 1024 * 1024);
  assert.ok(statSync(`${root}dist/gcp-function.zip`).size > 0);
  const ssm = new FakeAwsJson();
  const url = await ssm.start();
  try {
    ssm.putParam('PSOXY_SALT', 'salt');
    ssm.putParam('PSOXY_ENCRYPTION_KEY', 'key');
    for (const k of ['ACCOUNT_ID', 'CLIENT_ID', 'CLIENT_SECRET']) ssm.putParam(`PSOXY_ZOOM_${k}`, 'x');
    const driver = `const { handler } = await import(${JSON.stringify(`${root}dist/aws-lambda.mjs`)});
      const r = await handler({ version: '2.0', rawPath: '/', rawQueryString: '', headers: { 'x-psoxy-health-check': '1' }, requestContext: { http: { method: 'GET', sourceIp: '1.2.3.4' } } });
      process.stdout.write('RESULT ' + JSON.stringify(r) + '\\n');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', driver], {
      env: { ...process.env, AWS_LAMBDA_FUNCTION_NAME: 'psoxy-zoom', SOURCE: 'zoom', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 't', AWS_SECRET_ACCESS_KEY: 't', AWS_ENDPOINT_URL_SSM: url },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d; });
    await new Promise((r) => child.on('close', r));
    const line = out.split('\n').find((l) => l.startsWith('RESULT '));
    assert.ok(line, out);
    const result = JSON.parse(line.slice(7)) as { statusCode: number; body: string };
    assert.equal(result.statusCode, 200, result.body);
    assert.equal((JSON.parse(result.body) as { configuredSource: string }).configuredSource, 'zoom');
  } finally {
    await ssm.stop();
  }
});

test("build: the package's compile caches are used from wherever it is unpacked (the stub renames them for the module URLs there), in a fresh TMPDIR", async () => {
  const { cpSync, mkdtempSync, rmSync, existsSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  if (!existsSync(`${root}dist/aws-lambda-compile-cache/manifest.json`)) spawnSync(process.execPath, ['scripts/build.ts'], { cwd: root });
  const task = mkdtempSync(join(tmpdir(), 'psoxy-task-'));
  const tmp = mkdtempSync(join(tmpdir(), 'psoxy-tmp-'));
  try {
    for (const f of ['aws-lambda.mjs', 'aws-lambda-main.mjs', 'aws-lambda-chunks', 'aws-lambda-compile-cache']) cpSync(`${root}dist/${f}`, join(task, f === 'aws-lambda.mjs' ? 'index.mjs' : f), { recursive: true });
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(join(task, 'index.mjs'))}); process.stdout.write(typeof m.handler);`], {
      env: { ...process.env, TMPDIR: tmp, NODE_DEBUG_NATIVE: 'COMPILE_CACHE', SOURCE: 'zoom' }, encoding: 'utf8',
    });
    assert.equal(r.stdout, 'function', r.stderr);
    assert.match(r.stderr, new RegExp(`V8 code cache for ESM file://${join(task, 'aws-lambda-main.mjs').replace(/[.]/g, '\\.')} was accepted`));
    assert.doesNotMatch(r.stderr, /aws-lambda-main\.mjs was (rejected|not initialized)/);
  } finally {
    rmSync(task, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
});
