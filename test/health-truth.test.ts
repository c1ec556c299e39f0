// The health check tells the truth: it runs the configuration check the runtime build runs, so
// for every configuration either the health check passes (200) and a data call succeeds, or it
// answers 412 naming each problem and where it was looked for, and data calls fail with the
// same problems (status, X-Psoxy-Error, body, log line). A table of broken settings, each alone,
// then any combination of them (fast-check).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fc from 'fast-check';
import { zoomStack } from './helpers/zoom-stack.ts';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';
import { serveLocalProxy } from '../src/runtimes/node/serve.ts';
import { MemoryStore } from '../src/config/store.ts';
import { memoryLogger } from '../src/logging/logger.ts';

type Env = Record<string, string | undefined>;

interface Breakage {
  env: Env;
  /** The setting the health check must name. */
  setting: string;
  /** Listed in missingConfigProperties (absent), or not (set but unusable). */
  missing: boolean;
  message: RegExp;
  /** The data call's X-Psoxy-Error. */
  code: string;
}

/** Rules of our own: the user list, redacted whole (nothing personal passes, so the leak guard passes it). */
const MINIMAL_RULES = 'endpoints:\n  - pathTemplate: /v2/users\n    allowedMethods: [GET]\n    transforms:\n      - !<redact>\n        jsonPaths: ["$.users"]\n';

const BREAKAGES: Breakage[] = [
  { env: { RULES: '/etc/psoxy/rules.yaml' }, setting: 'RULES', missing: false, code: 'RULES_INVALID', message: /RULES: rules must be a mapping \(RULES takes the rules' YAML text itself.* not a path to a file/ },
  { env: { RULES: 'zoom' }, setting: 'RULES', missing: false, code: 'RULES_INVALID', message: /not a name: .*for built-in rules leave RULES unset and set SOURCE/ },
  { env: { RULES: 'endpoints: [' }, setting: 'RULES', missing: false, code: 'RULES_INVALID_YAML', message: /^RULES:1: invalid YAML/ },
  { env: { RULES: MINIMAL_RULES.replace('$.users', '$..[') }, setting: 'RULES', missing: false, code: 'RULES_INVALID', message: /^RULES:6: invalid JSONPath/ },
  { env: { SOURCE: 'gsheets' }, setting: 'RULES', missing: false, code: 'RULES_INVALID', message: /no built-in rules for SOURCE gsheets: set RULES \(looked in: env RULES; / },
  { env: { PSOXY_SALT: undefined }, setting: 'PSOXY_SALT', missing: true, code: 'CONFIGURATION_FAILURE', message: /^missing configuration PSOXY_SALT \(looked in: env PSOXY_SALT; env PSOXY_ZOOM_PSOXY_SALT; memory: PSOXY_ZOOM_PSOXY_SALT\)$/ },
  { env: { PSOXY_ENCRYPTION_KEY: undefined }, setting: 'PSOXY_ENCRYPTION_KEY', missing: true, code: 'CONFIGURATION_FAILURE', message: /^missing configuration PSOXY_ENCRYPTION_KEY \(looked in: .*\): the rules make reversible tokens$/ },
  { env: { TARGET_HOST: 'https://' }, setting: 'TARGET_HOST', missing: false, code: 'FAILED_TO_BUILD_URL', message: /^TARGET_HOST is not a valid host name or URL \(read from env TARGET_HOST\)$/ },
  { env: { TARGET_HOST: 'http://api.zoom.us' }, setting: 'TARGET_HOST', missing: false, code: 'FAILED_TO_BUILD_URL', message: /^TARGET_HOST api\.zoom\.us uses plain http:\/\/, accepted only for loopback hosts .* \(read from env TARGET_HOST\)$/ },
  { env: { REQUEST_TIMEOUT_SECONDS: 'abc' }, setting: 'REQUEST_TIMEOUT_SECONDS', missing: false, code: 'CONFIGURATION_FAILURE', message: /REQUEST_TIMEOUT_SECONDS must be a positive number \(was "abc"\) \(looked in: / },
  { env: { MAX_REQUEST_BODY_BYTES: '-1' }, setting: 'MAX_REQUEST_BODY_BYTES', missing: false, code: 'CONFIGURATION_FAILURE', message: /MAX_REQUEST_BODY_BYTES must be a positive whole number/ },
  { env: { LEAK_GUARD: 'maybe' }, setting: 'LEAK_GUARD', missing: false, code: 'CONFIGURATION_FAILURE', message: /^LEAK_GUARD must be one of/ },
  { env: { SOURCE_ERROR_BODY: 'all' }, setting: 'SOURCE_ERROR_BODY', missing: false, code: 'CONFIGURATION_FAILURE', message: /^SOURCE_ERROR_BODY must be summary or pass-through/ },
  { env: { EMAIL_CANONICALIZATION: 'LOOSE' }, setting: 'EMAIL_CANONICALIZATION', missing: false, code: 'CONFIGURATION_FAILURE', message: /^EMAIL_CANONICALIZATION must be STRICT or IGNORE_DOTS \(read from env EMAIL_CANONICALIZATION\)$/ },
  { env: { PSEUDONYM_IMPLEMENTATION: 'v0.3' }, setting: 'PSEUDONYM_IMPLEMENTATION', missing: false, code: 'CONFIGURATION_FAILURE', message: /LEGACY v0\.3 is no longer supported/ },
  { env: { SOURCE_AUTH_STRATEGY_IDENTIFIER: 'magic' }, setting: 'SOURCE_AUTH_STRATEGY_IDENTIFIER', missing: false, code: 'CONFIGURATION_FAILURE', message: /^SOURCE_AUTH_STRATEGY_IDENTIFIER magic is not supported/ },
  { env: { GRANT_TYPE: 'password' }, setting: 'GRANT_TYPE', missing: false, code: 'CONFIGURATION_FAILURE', message: /^GRANT_TYPE password is not supported yet/ },
  { env: { REFRESH_ENDPOINT: 'http://zoom.us/oauth/token' }, setting: 'REFRESH_ENDPOINT', missing: false, code: 'CONFIGURATION_FAILURE', message: /^REFRESH_ENDPOINT must be an https URL \(read from env REFRESH_ENDPOINT\)$/ },
  { env: { PSOXY_ZOOM_CLIENT_SECRET: undefined }, setting: 'CLIENT_SECRET', missing: true, code: 'CONFIGURATION_FAILURE', message: /^missing configuration CLIENT_SECRET \(looked in: / },
  { env: { SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_access_token' }, setting: 'ACCESS_TOKEN', missing: true, code: 'CONFIGURATION_FAILURE', message: /^missing configuration ACCESS_TOKEN/ },
];

interface Health { status: number; missing: string[]; problems: { setting: string; message: string }[]; warnings: string[] }
interface Call { status: number; code: string | null; body: string }

/** The health check, then one data call, on a proxy configured with `env` over a working Zoom setup. */
async function observe(env: Env): Promise<{ health: Health; call: Call; logs: string }> {
  const s = await zoomStack({ env });
  try {
    const h = await s.get('/', { headers: { 'X-Psoxy-Health-Check': '1' } });
    const facts = (await h.json()) as { missingConfigProperties: string[]; problems: Health['problems']; warningMessages: string[] };
    const c = await s.get('/v2/users?page_size=1');
    return {
      health: { status: h.status, missing: facts.missingConfigProperties, problems: facts.problems, warnings: facts.warningMessages },
      call: { status: c.status, code: c.headers.get('x-psoxy-error'), body: await c.text() },
      logs: s.logs.join(''),
    };
  } finally {
    await s.close();
  }
}

/** The invariant: healthy and the call works, or unhealthy and the call fails with every named problem. */
function assertAgree(o: { health: Health; call: Call; logs: string }, label: string): void {
  if (o.health.status === 200) {
    assert.deepEqual(o.health.problems, [], label);
    assert.equal(o.call.status, 200, `${label}: healthy, so the call must work: ${o.call.body}`);
    assert.match(o.logs, /"message":"configuration checked: no problems"/, `${label}: the runtime's verdict is logged`);
    return;
  }
  assert.equal(o.health.status, 412, label);
  assert.ok(o.health.problems.length > 0, `${label}: 412 names at least one problem`);
  assert.equal(o.call.status, 500, `${label}: unhealthy, so the call must fail: ${o.call.body}`);
  for (const p of o.health.problems) {
    assert.ok(o.call.body.includes(p.message), `${label}: the call names "${p.message}"; body: ${o.call.body}`);
    assert.ok(o.health.warnings.includes(p.message), `${label}: warningMessages carry it for psoxy's clients`);
  }
  assert.match(o.logs, /"level":"error","message":"configuration invalid: /, `${label}: logged`);
}

test('a working configuration: health 200 with no problems, and the data call succeeds', async () => {
  for (const env of [{}, { RULES: MINIMAL_RULES }, { RULES: Buffer.from(MINIMAL_RULES).toString('base64') }, { REQUEST_TIMEOUT_SECONDS: '10', LEAK_GUARD: 'log', MAX_REQUEST_BODY_BYTES: '2048' }]) {
    const o = await observe(env);
    assert.equal(o.health.status, 200, `${JSON.stringify(env)}: ${JSON.stringify(o.health)}`);
    assertAgree(o, JSON.stringify(env));
  }
});

test('each broken setting alone: health 412 naming it (missing or invalid) and where it was looked for; the data call fails with its code', async () => {
  for (const b of BREAKAGES) {
    const label = JSON.stringify(b.env);
    const o = await observe(b.env);
    assertAgree(o, label);
    assert.deepEqual(o.health.problems.map((p) => p.setting), [b.setting], `${label}: ${JSON.stringify(o.health.problems)}`);
    assert.match(o.health.problems[0].message, b.message, label);
    assert.deepEqual(o.health.missing, b.missing ? [b.setting] : [], `${label}: missingConfigProperties`);
    assert.equal(o.call.code, b.code, label);
  }
});

test('any combination of broken settings: health and data calls agree, and the call gets the earliest stage\'s code', async () => {
  // psoxy's stages: the URL, then the rules (RULES_INVALID_YAML / RULES_INVALID), then the rest.
  const stage = (code: string) => (code === 'FAILED_TO_BUILD_URL' ? 0 : code.startsWith('RULES_') ? 1 : 2);
  // One breakage per configuration key, so combined envs do not overwrite each other.
  const keyOf = (b: Breakage) => Object.keys(b.env).sort().join();
  await fc.assert(fc.asyncProperty(fc.uniqueArray(fc.constantFrom(...BREAKAGES), { selector: keyOf, maxLength: 4 }), async (chosen) => {
    const env = Object.assign({}, ...chosen.map((b) => b.env)) as Env;
    const label = JSON.stringify(env);
    const o = await observe(env);
    assertAgree(o, label);
    assert.equal(o.health.status === 200, chosen.length === 0, label);
    if (chosen.length > 0) {
      const named = new Set(o.health.problems.map((p) => p.setting));
      assert.ok(chosen.some((b) => named.has(b.setting)), `${label}: names one of the broken settings: ${[...named].join()}`);
      const namedCodes = chosen.filter((b) => named.has(b.setting)).map((b) => b.code);
      assert.ok(namedCodes.includes(o.call.code!), `${label}: ${o.call.code} is the code of a named problem`);
      assert.ok(namedCodes.every((c) => stage(o.call.code!) <= stage(c)), `${label}: ${o.call.code} is the earliest stage`);
    }
  }), { numRuns: 15 });
});

test('`serve --source gsheets` (no built-in rules, no connector settings): 412 naming rules, target, strategy and salt', async () => {
  const logger = memoryLogger();
  const proxy = await serveLocalProxy({ source: 'gsheets', env: {}, store: new MemoryStore(), logger });
  try {
    const res = await fetch(proxy.url + '/', { headers: { 'X-Psoxy-Health-Check': '1' } });
    const facts = (await res.json()) as { missingConfigProperties: string[]; problems: { setting: string; message: string }[] };
    assert.equal(res.status, 412);
    assert.deepEqual(facts.problems.map((p) => p.setting).sort(), ['PSOXY_SALT', 'RULES', 'SOURCE_AUTH_STRATEGY_IDENTIFIER', 'TARGET_HOST']);
    assert.match(facts.problems.find((p) => p.setting === 'RULES')!.message, /no built-in rules for SOURCE gsheets: set RULES \(looked in: /);
    const call = await fetch(proxy.url + '/api/conversations.list');
    assert.equal(call.status, 500);
    assert.equal(call.headers.get('x-psoxy-error'), 'FAILED_TO_BUILD_URL');
  } finally {
    await proxy.close();
  }
});

test("environment-only settings in the store alone are not read: the health check names them as looked for in the environment only", async () => {
  const logger = memoryLogger();
  const store = new MemoryStore({
    PSOXY_GSHEETS_TARGET_HOST: 'sheets.googleapis.com', PSOXY_GSHEETS_SOURCE_AUTH_STRATEGY_IDENTIFIER: 'gcp_service_account_key',
    PSOXY_GSHEETS_PSOXY_SALT: 'stored-salt',
  });
  const proxy = await serveLocalProxy({ source: 'gsheets', env: {}, store, logger });
  try {
    const res = await fetch(proxy.url + '/', { headers: { 'X-Psoxy-Health-Check': '1' } });
    const facts = (await res.json()) as { missingConfigProperties: string[]; problems: { setting: string; message: string }[] };
    assert.equal(res.status, 412);
    assert.deepEqual(facts.problems.map((p) => p.setting).sort(), ['RULES', 'SOURCE_AUTH_STRATEGY_IDENTIFIER', 'TARGET_HOST'], 'the salt is read from the store');
    assert.equal(facts.problems.find((p) => p.setting === 'TARGET_HOST')!.message, 'missing configuration TARGET_HOST (looked in: env TARGET_HOST; env PSOXY_GSHEETS_TARGET_HOST)');
    assert.equal(facts.problems.find((p) => p.setting === 'SOURCE_AUTH_STRATEGY_IDENTIFIER')!.message,
      'missing configuration SOURCE_AUTH_STRATEGY_IDENTIFIER (looked in: env SOURCE_AUTH_STRATEGY_IDENTIFIER; env PSOXY_GSHEETS_SOURCE_AUTH_STRATEGY_IDENTIFIER)');
  } finally {
    await proxy.close();
  }
  // On Zoom, an unusable LEAK_GUARD in the store alone is not read: the default applies and the check passes.
  const s = await zoomStack({ store: new MemoryStore({ PSOXY_ZOOM_LEAK_GUARD: 'maybe', PSOXY_ZOOM_TARGET_HOST: 'http://example.com' }) });
  try {
    const h = await s.get('/', { headers: { 'X-Psoxy-Health-Check': '1' } });
    assert.equal(h.status, 200, await h.clone().text());
    assert.equal((await s.get('/v2/users?page_size=1')).status, 200);
  } finally {
    await s.close();
  }
});

test('a configuration fixed while running: health turns 200 and calls work without a restart', async () => {
  const sim = new ZoomSimulator();
  await sim.start();
  const store = new MemoryStore();
  const env = { PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'key', ...sim.targetSettings(), PSOXY_ZOOM_ACCOUNT_ID: sim.accountId, PSOXY_ZOOM_CLIENT_ID: sim.clientId };
  const proxy = await serveLocalProxy({ source: 'zoom', env, store, logger: memoryLogger() });
  try {
    const health = () => fetch(proxy.url + '/', { headers: { 'X-Psoxy-Health-Check': '1' } });
    assert.equal((await health()).status, 412);
    assert.equal((await fetch(proxy.url + '/v2/users')).status, 500);
    await store.put('PSOXY_ZOOM_CLIENT_SECRET', sim.clientSecret);
    assert.equal((await health()).status, 200);
    assert.equal((await fetch(proxy.url + '/v2/users')).status, 200);
  } finally {
    await proxy.close();
    await sim.stop();
  }
});

/** `psoxy serve`'s start-up lines (stderr) until it says it is serving; then the process is stopped. */
async function serveStartup(args: string[], env: Record<string, string>): Promise<{ level: string; message: string; healthy?: boolean }[]> {
  const serve = new URL('../src/cli/serve.ts', import.meta.url).href;
  const child = spawn(process.execPath, ['--input-type=module', '-e', `(await import(${JSON.stringify(serve)})).cmdServe(${JSON.stringify(args)})`], { env: { PSOXY_LOCAL_STORE: '/nonexistent/dir/store.json', ...env } });
  let err = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => { err += d; if (err.includes('psoxy serving')) resolve(); });
    child.on('close', () => reject(new Error(`serve exited: ${err}`)));
  });
  child.kill();
  return err.trim().split('\n').map((l) => JSON.parse(l) as { level: string; message: string; healthy?: boolean });
}

test('psoxy serve: the start-up lines give the health check\'s verdict, each problem once with where it was looked for', async () => {
  const broken = await serveStartup(['--source', 'gsheets', '--port', '0'], {});
  const serving = broken.find((l) => l.message.startsWith('psoxy serving'))!;
  assert.equal(serving.healthy, false);
  const warnings = broken.filter((l) => l.level === 'warn').map((l) => l.message);
  assert.ok(warnings.some((w) => /^no built-in rules for SOURCE gsheets: set RULES \(looked in: /.test(w)), warnings.join('\n'));
  assert.ok(warnings.some((w) => /^missing configuration TARGET_HOST \(looked in: env TARGET_HOST; /.test(w)), warnings.join('\n'));
  assert.equal(warnings.filter((w) => w.includes('PSOXY_SALT')).length, 1, 'each problem once');
  const sim = new ZoomSimulator();
  await sim.start();
  try {
    const good = await serveStartup(['--source', 'zoom', '--port', '0'], { PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'key', ...sim.targetSettings(), ...sim.credentialSettings() });
    assert.deepEqual(good.filter((l) => l.level !== 'info'), []);
    assert.equal(good.find((l) => l.message.startsWith('psoxy serving'))!.healthy, true);
  } finally {
    await sim.stop();
  }
});
