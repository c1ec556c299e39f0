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

/** The names in a zip's central directory. */
function zipNames(zip: Buffer): string[] {
  const names: string[] = [];
  for (let i = zip.indexOf(Buffer.from([0x50, 0x4b, 1, 2])); i >= 0 && i + 46 <= zip.length; i = zip.indexOf(Buffer.from([0x50, 0x4b, 1, 2]), i + 46)) {
    const n = zip.readUInt16LE(i + 28), extra = zip.readUInt16LE(i + 30), comment = zip.readUInt16LE(i + 32);
    names.push(zip.subarray(i + 46, i + 46 + n).toString('utf8'));
    i += n + extra + comment;
  }
  return names;
}

test('build: each package is index.mjs (the handler module) and its chunks, nothing else beside them (no compile caches)', async () => {
  const { readFileSync, existsSync } = await import('node:fs');
  if (!existsSync(`${root}dist/gcp-function.zip`)) spawnSync(process.execPath, ['scripts/build.ts'], { cwd: root });
  for (const [name, extra] of [['aws-lambda', []], ['aws-bulk-lambda', []], ['gcp-function', ['package.json']]] as const) {
    const names = zipNames(readFileSync(`${root}dist/${name}.zip`));
    assert.ok(names.includes('index.mjs'), `${name}: ${names.join(', ')}`);
    assert.deepEqual(names.filter((n) => n !== 'index.mjs' && !n.startsWith(`${name}-chunks/`)), [...extra], name);
  }
});
