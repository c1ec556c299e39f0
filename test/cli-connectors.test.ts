// `psoxy connectors` and `psoxy demo --source <id>` as users run them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BULK_CONNECTORS, CONNECTORS } from '../src/sources/catalogue/registry.ts';

const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const psoxy = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

test('psoxy connectors lists zoom and every catalogue connector (API, then bulk), each with its auth and what to fill', () => {
  const r = psoxy(['connectors', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const listed = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; auth: string; secrets: string[]; page: string });
  assert.deepEqual(listed.map((c) => c.id), ['zoom', ...CONNECTORS.map((c) => c.id), ...BULK_CONNECTORS.map((c) => c.id)]);
  assert.equal(listed[0].auth, 'oauth2_refresh_token / account_credentials');
  assert.deepEqual(listed[0].secrets, ['ACCOUNT_ID', 'CLIENT_ID', 'CLIENT_SECRET']);
  for (const c of listed.slice(1)) assert.match(c.page, new RegExp(`^docs/connectors/${c.id}\\.md$`));
  const text = psoxy(['connectors']);
  assert.match(text.stdout, /^zoom {21}Zoom\n {25}auth: oauth2_refresh_token \/ account_credentials; fill: ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET/);
});

test('psoxy demo --source names an unknown connector as a usage error', () => {
  const r = psoxy(['demo', '--source', 'no-such-source']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--source no-such-source is not a built-in connector \(psoxy connectors lists them\)/);
});

test('psoxy demo --source <catalogue connector> runs its calls through the proxy with nothing leaked', { skip: CONNECTORS.length === 0 && 'no catalogue connector yet' }, () => {
  const c = CONNECTORS[0];
  const r = psoxy(['demo', '--source', c.id]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`OK: ${c.examples.length} calls; no name, email or other personal value got through`));
  assert.doesNotMatch(r.stdout, /LEAKED/);
});
