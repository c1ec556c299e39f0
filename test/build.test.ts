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

test("every API connector's rules converted to JSON (as the function packages embed them) load to the same rules as their YAML", async () => {
  const { yamlRulesToJson } = await import('../src/rules/yaml-source.ts');
  const { loadApiRules } = await import('../src/rules/load.ts');
  const { CONNECTORS } = await import('../src/sources/catalogue/registry.ts');
  for (const c of CONNECTORS) {
    for (const [variant, yaml] of Object.entries(c.rules)) {
      const name = `${c.id}${variant}`;
      assert.deepEqual(loadApiRules(yamlRulesToJson(yaml, name), `${name}.json`), loadApiRules(yaml, `${name}.yaml`), name);
    }
  }
});

test('build: the Lambda bundle binds a catalogue connector\'s built-in rules (slack) without loading the YAML parser, and finds its settings and aliases', async () => {
  const { existsSync } = await import('node:fs');
  if (!existsSync(`${root}dist/aws-lambda.mjs`)) spawnSync(process.execPath, ['scripts/build.ts'], { cwd: root });
  const driver = `import { registerHooks } from 'node:module';
    const loaded = [];
    registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
    const { handler } = await import(${JSON.stringify(`${root}dist/aws-lambda.mjs`)});
    const r = await handler({ version: '2.0', rawPath: '/', rawQueryString: '', headers: { 'x-psoxy-health-check': '1' }, requestContext: { http: { method: 'GET', sourceIp: '1.2.3.4' } } });
    process.stdout.write('RESULT ' + JSON.stringify({ r, loaded }) + '\\n');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', driver], {
    // slack-discovery-api: psoxy's Terraform key for slack (an alias).
    env: { ...process.env, AWS_LAMBDA_FUNCTION_NAME: 'psoxy-slack', SOURCE: 'slack-discovery-api', SECRETS_STORE: 'ENV', PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'key', ACCESS_TOKEN: 'x' },
    encoding: 'utf8',
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  assert.ok(line, r.stdout + r.stderr);
  const { r: result, loaded } = JSON.parse(line.slice(7)) as { r: { statusCode: number; body: string }; loaded: string[] };
  const body = JSON.parse(result.body) as { configuredSource: string; configuredHost: string };
  assert.equal(result.statusCode, 200, result.body);
  assert.equal(body.configuredSource, 'slack-discovery-api');
  assert.equal(body.configuredHost, 'www.slack.com', 'the connector found by its alias gives its defaults');
  assert.deepEqual(loaded.filter((u) => /yaml/.test(u)), []);
});
