// `psoxy call`: requests signed with SigV4, checked by a local server that verifies signatures
// with AWS's algorithm (implemented independently in test/fakes/sigv4-verifier.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { listen } from '../src/runtimes/node/server.ts';
import { verifySigV4 } from './fakes/sigv4-verifier.ts';
import { awsTarget, signAws } from '../src/cli/call.ts';

const SECRET = 'test-secret-key';

/** The CLI in a child process, asynchronously (the verifying server runs in this process). */
function run(cli: string, args: string[], env: Record<string, string | undefined>): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d; });
    child.on('close', (status) => resolve({ status, stdout }));
  });
}

test('psoxy call signs with SigV4; the verifier accepts it and rejects tampering', async () => {
  const seen: string[] = [];
  const server = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const v = verifySigV4(req, Buffer.concat(chunks), { AKIDTEST: SECRET });
      seen.push(v.reason);
      if (!v.ok) { res.writeHead(403, { 'x-psoxy-error': 'SIGNATURE' }); return res.end(v.reason); }
      const health = req.headers['x-psoxy-health-check'] !== undefined;
      res.writeHead(200, { 'content-type': 'application/json', 'x-psoxy-rules-sha': 'abc123' });
      res.end(JSON.stringify(health ? { configuredSource: 'zoom' } : { users: [{ email: 't~x@acme.com' }] }));
    });
  });
  try {
    const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
    const env: Record<string, string | undefined> = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: SECRET };
    delete env.AWS_PROFILE;
    delete env.AWS_SESSION_TOKEN;
    const url = `${server.url}/v2/users/p~abc%2Fdef/meetings?page_size=5&from=2026-01-01&note=a%20b`;
    const ok = await run(cli, ['call', url, '--sign', 'aws', '--region', 'us-east-1', '--service', 'lambda'], env);
    assert.equal(ok.status, 0, ok.stdout);
    assert.match(ok.stdout, /^HTTP 200\nx-psoxy-rules-sha: abc123\n\{\n {2}"users"/);
    assert.equal(seen.at(-1), 'lambda/us-east-1');
    const health = await run(cli, ['call', server.url + '/', '--health', '--sign', 'aws', '--region', 'eu-west-1'], env);
    assert.match(health.stdout, /"configuredSource": "zoom"/);
    const wrong = await run(cli, ['call', url, '--sign', 'aws', '--region', 'us-east-1'], { ...env, AWS_SECRET_ACCESS_KEY: 'wrong' });
    assert.equal(wrong.status, 1);
    assert.match(wrong.stdout, /HTTP 403/);
    assert.equal(seen.at(-1), 'signature mismatch');
    // A signed request replayed to another path fails verification.
    const signed = await signAws(new URL(`${server.url}/v2/users`), 'GET', {}, undefined, { service: 'lambda', region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: SECRET } });
    const replay = await fetch(`${server.url}/v2/groups`, { headers: signed });
    assert.equal(replay.status, 403);
  } finally {
    await server.close();
  }
  assert.deepEqual(awsTarget(new URL('https://abc.lambda-url.eu-west-2.on.aws/v2/users')), { service: 'lambda', region: 'eu-west-2' });
  assert.deepEqual(awsTarget(new URL('https://x1.execute-api.us-east-2.amazonaws.com/live')), { service: 'execute-api', region: 'us-east-2' });
});
