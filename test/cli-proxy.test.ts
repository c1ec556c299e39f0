// `npm start`, `psoxy check zoom` and `psoxy zoom-sim` as users run them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';

const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, cwd: fileURLToPath(new URL('..', import.meta.url)) });

test('npm start (psoxy demo): simulator + proxy + calls, exits 0, shows removals and no leaks', () => {
  const r = run(['demo']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /GET \/v2\/users\?page_size=5 {2}→ {2}200/);
  assert.match(r.stdout, /email +\S+@example-corp\.com +→ t~/);
  assert.match(r.stdout, /first_name +\S+ +→ \(removed\)/);
  assert.match(r.stdout, /GET \/v2\/groups {2}→ {2}403 BLOCKED_BY_RULES/);
  assert.match(r.stdout, /OK: 1 token request/);
});

/** `psoxy check zoom` against a simulator: exit status and output. */
async function checkZoomCli(env: Record<string, string>): Promise<{ status: number | null; out: string }> {
  const child = spawn(process.execPath, [CLI, 'check', 'zoom'], { env: { ...process.env, ...env } });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { status, out };
}

test("an app set up as psoxy's Zoom guide says (three classic scopes) passes check zoom and serves the guide's endpoints", async () => {
  const sim = new ZoomSimulator({ scopes: 'classic' });
  await sim.start();
  try {
    const { status, out } = await checkZoomCli({ ...sim.targetSettings(), ...sim.credentialSettings(), PSOXY_LOCAL_STORE: '/nonexistent/dir/zoom.json' });
    assert.equal(status, 0, out);
    assert.match(out, /OK {4}scopes +classic scopes grant the 8 endpoints psoxy's Zoom guide covers/);
    assert.match(out, /OK {4}optional scopes +not granted: recording:read:admin, meeting_summary:read:admin \(disables: List all recordings/);
    assert.doesNotMatch(out, /granular|user:read:list_users:admin/, 'no granular advice for a classic app');
  } finally {
    await sim.stop();
  }
});

test('psoxy check zoom reports token, scopes and plan with fixes', async () => {
  const sim = new ZoomSimulator({ plan: 'free', scopes: ['user:read:list_users:admin', 'report:read:user:admin'] });
  await sim.start();
  try {
    const env = { ...sim.targetSettings(), ...sim.credentialSettings(), PSOXY_LOCAL_STORE: '/nonexistent/dir/zoom.json' };
    const child = spawn(process.execPath, [CLI, 'check', 'zoom'], { env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(status, 1);
    assert.match(out, /OK {4}token/);
    assert.match(out, /FAIL {2}scopes +granular scopes: missing .*meeting:read:past_meeting:admin.*\(disables: .*Get past meeting details \/v2\/past_meetings\/\{meetingId\}/);
    assert.match(out, /FAIL {2}plan .*code 200: Only available for Paid account[\s\S]*Pro plan or higher/);
    const bad = spawn(process.execPath, [CLI, 'check', 'zoom'], { env: { ...process.env, ...env, PSOXY_ZOOM_CLIENT_SECRET: 'nope' } });
    let badOut = '';
    bad.stdout.on('data', (d) => { badOut += d; });
    await new Promise((resolve) => bad.on('close', resolve));
    assert.match(badOut, /FAIL {2}token .*invalid_client/);
    assert.doesNotMatch(badOut, /nope/);
  } finally {
    await sim.stop();
  }
});
