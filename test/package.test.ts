// The installable package: `npm pack`, installed from the tarball into a folder of its own with no
// registry (the bundle needs no dependencies), and its `psoxy` command run from node_modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

test('npm pack → npm install --offline <tarball> → psoxy --help and psoxy sanitize run from node_modules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'psoxy-package-'));
  const npm = (args: string[], cwd: string) => spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd, encoding: 'utf8' });
  const packed = npm(['pack', '--pack-destination', dir], root);
  assert.equal(packed.status, 0, packed.stderr);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, packed.stdout);
  // Only the bundle, the rules schema and the package's own files: no TypeScript sources, no tests.
  const files = [...packed.stderr.matchAll(/^npm notice [\d.]+[kMG]?B (\S+)$/gm)].map((m) => m[1]).sort();
  assert.deepEqual(files, ['README.md', 'dist/psoxy.mjs', 'package.json', 'schema/rules.schema.json']);

  const app = join(dir, 'app');
  mkdirSync(app);
  const installed = npm(['install', '--offline', '--no-save', join(dir, tarball)], app);
  assert.equal(installed.status, 0, installed.stderr);
  assert.match(installed.stdout, /added 1 package/, 'nothing but the package itself is installed');

  // The bin as a shell finds it, on the Node running these tests (22.18+), from a folder that is not this repository.
  const env = { ...process.env, PATH: [dirname(process.execPath), process.env.PATH].join(delimiter) };
  const psoxy = (args: string[], input?: string) => spawnSync(join(app, 'node_modules/.bin/psoxy'), args, { cwd: app, env, input, encoding: 'utf8' });
  const help = psoxy(['--help']);
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^Usage: psoxy /);
  const users = readFileSync(join(root, 'examples/zoom-users.json'), 'utf8');
  const sanitized = psoxy(['sanitize', '--rules', 'zoom', '--url', '/v2/users', '--salt', 'salt', '--encryption-key', 'key'], users);
  assert.equal(sanitized.status, 0, sanitized.stderr);
  const out = JSON.parse(sanitized.stdout) as { users: { email: string; first_name?: string }[] };
  assert.ok(out.users.length > 0 && out.users.every((u) => u.email.startsWith('t~') && u.first_name === undefined), sanitized.stdout);
});
