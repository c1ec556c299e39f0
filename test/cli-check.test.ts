// `psoxy check <source>` as users run it: the generic check (configuration, credentials through the
// configured strategy, one allowed call) against the Zoom simulator and against the Google fakes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';
import { GoogleTokenFake } from './fakes/google-token-fake.ts';
import { DIRECTORY_RULES, DIRECTORY_SCOPE, GoogleApiFake } from './fakes/google-api-fake.ts';
import { connectorDefaults } from '../src/sources/index.ts';

const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

/** Runs the CLI without blocking this process (the fakes answer from its event loop), each run with an empty local store. */
async function psoxy(args: string[], env: Record<string, string | undefined>): Promise<{ status: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, PSOXY_LOCAL_STORE: join(mkdtempSync(join(tmpdir(), 'psoxy-check-')), 'store.json'), ...env } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { status, out, err };
}

test('check zoom --path: the generic check against the simulator; a wrong secret is a credentials failure with the fix', async () => {
  const sim = new ZoomSimulator();
  await sim.start();
  try {
    const env = { ...sim.targetSettings(), ...sim.credentialSettings(), PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'key' };
    const ok = await psoxy(['check', 'zoom', '--path', '/v2/users?page_size=1'], env);
    assert.equal(ok.status, 0, ok.out + ok.err);
    assert.match(ok.out, /^OK {4}configuration +target 127\.0\.0\.1:\d+, \d+ endpoints in the rules$/m);
    assert.match(ok.out, /^OK {4}credentials +oauth2_refresh_token: access token obtained$/m);
    assert.match(ok.out, /^OK {4}GET \/v2\/users\?page_size=1 +HTTP 200, \d+ bytes$/m);
    const bad = await psoxy(['check', 'zoom', '--path', '/v2/users'], { ...env, PSOXY_ZOOM_CLIENT_SECRET: 'wrong-secret-value' });
    assert.equal(bad.status, 1);
    assert.match(bad.out, /^FAIL {2}credentials +token endpoint refuses the client credentials \(HTTP 400, invalid_client\).*\n +fix: update PSOXY_ZOOM_CLIENT_SECRET with the app's current Client Secret/m);
    assert.doesNotMatch(bad.out, /wrong-secret-value/);
    const blocked = await psoxy(['check', 'zoom', '--path', '/v2/groups'], env);
    assert.equal(blocked.status, 1);
    assert.match(blocked.out, /^FAIL {2}GET \/v2\/groups +the rules do not allow this call/m);
    assert.equal(sim.stats.apiRequests, 1, 'only the allowed call reached Zoom');
  } finally {
    await sim.stop();
  }
});

test('check <google source>: token for the impersonated user, the first plain GET endpoint, and each failure with its fix', async () => {
  const tokens = new GoogleTokenFake({ users: ['admin@acme.test'], delegatedScopes: [DIRECTORY_SCOPE] });
  await tokens.start();
  const api = new GoogleApiFake(tokens);
  await api.start();
  try {
    const env = {
      PSOXY_SALT: 'salt', TARGET_HOST: api.url, RULES: DIRECTORY_RULES, SOURCE_AUTH_STRATEGY_IDENTIFIER: 'gcp_service_account_key',
      PSOXY_GDIRECTORY_OAUTH_SCOPES: DIRECTORY_SCOPE, PSOXY_GDIRECTORY_SERVICE_ACCOUNT_KEY: JSON.stringify(tokens.key),
    };
    const ok = await psoxy(['check', 'gdirectory', '--impersonate', 'admin@acme.test'], env);
    assert.equal(ok.status, 0, ok.out + ok.err);
    assert.match(ok.out, /^OK {4}credentials +gcp_service_account_key: access token obtained for the user to impersonate$/m);
    assert.match(ok.out, /^OK {4}GET \/admin\/directory\/v1\/users +HTTP 200/m);
    assert.equal(api.requests.at(-1)!.sub, 'admin@acme.test');

    const noUser = await psoxy(['check', 'gdirectory'], env);
    assert.equal(noUser.status, 1);
    assert.match(noUser.out, /^FAIL {2}GET \/admin\/directory\/v1\/users +HTTP 403 \{"error":\{"code":403,"status":"PERMISSION_DENIED"\}\}\n +fix: .*--impersonate/m);

    tokens.delegatedScopes.clear();
    const noDelegation = await psoxy(['check', 'gdirectory', '--impersonate', 'admin@acme.test'], env);
    assert.equal(noDelegation.status, 1);
    assert.match(noDelegation.out, /^FAIL {2}credentials +token endpoint answered HTTP 401 \(unauthorized_client\)$/m);
    assert.ok(noDelegation.out.includes(`fix: domain-wide delegation does not grant these scopes: in the Google Workspace Admin console (Security > Access and data control > API controls > Manage Domain Wide Delegation) allow client ID ${tokens.key.client_id} the scopes ${DIRECTORY_SCOPE}`), noDelegation.out);

    // Without OAUTH_SCOPES, gdirectory asks for the catalogue's scopes (psoxy's for that SOURCE)…
    const defaults = await psoxy(['check', 'gdirectory', '--impersonate', 'admin@acme.test'], { ...env, PSOXY_GDIRECTORY_OAUTH_SCOPES: undefined });
    assert.equal(defaults.status, 1);
    assert.ok(defaults.out.includes(`the scopes ${connectorDefaults('gdirectory').OAUTH_SCOPES.split(' ').join(',')}`), defaults.out);

    // …while a source outside the catalogue must be given them.
    const missing = await psoxy(['check', 'gsheets', '--impersonate', 'admin@acme.test'], { ...env, PSOXY_GSHEETS_SERVICE_ACCOUNT_KEY: JSON.stringify(tokens.key) });
    assert.equal(missing.status, 1);
    assert.match(missing.out, /^FAIL {2}configuration +missing configuration OAUTH_SCOPES .*\n +fix: set PSOXY_GSHEETS_OAUTH_SCOPES \(env or local store\)$/m);

    const usage = await psoxy(['check', 'gdirectory', '--path', 'admin/directory/v1/users'], env);
    assert.equal(usage.status, 2);
    assert.match(usage.err, /--path must start with \//);

    const everything = [ok, noUser, noDelegation, defaults, missing].map((r) => r.out + r.err).join('\n');
    assert.doesNotMatch(everything, /PRIVATE KEY|ya29\.|eyJ/, 'no key, token or assertion printed');
  } finally {
    await api.stop();
    await tokens.stop();
  }
});
