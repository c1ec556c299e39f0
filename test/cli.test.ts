// The `psoxy` CLI as users run it: process in, stdout/stderr/exit code out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const psoxy = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'psoxy-cli-'));
const rulesFile = join(dir, 'rules.yaml');
writeFileSync(rulesFile, 'endpoints:\n  - pathTemplate: "/v2/users"\n    transforms:\n      - !<pseudonymize>\n        jsonPaths: ["$.users[*].email"]\n      - !<redact>\n        jsonPaths: ["$.users[*].name"]\n');

test('sanitize reads stdin and prints sanitized JSON', () => {
  const r = psoxy(['sanitize', '--rules', rulesFile, '--url', 'https://api.zoom.us/v2/users', '--salt', 'salt'], '{"users":[{"email":"alice@acme.com","name":"Alice"}]}');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { users: [{ email: 't~UFdK0TvVTvZ23c6QslyCy0o2MSq2DRtDjEXfTPJyyMk@acme.com' }] });
});

test('sanitize with a built-in rule set and an input file', () => {
  const input = join(dir, 'users.json');
  writeFileSync(input, '{"users":[{"id":"z8yAAAAA8bbbQ","email":"example@example.com","first_name":"X","pmi":111111111}]}');
  const r = psoxy(['sanitize', '--rules', 'zoom', '--url', '/v2/users', '--salt', 'salt', '--encryption-key', 'secret', '--input', input]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).users[0], {
    id: 'p~JzXCV2FA272NOeqHYQbR4PewwSZI9hznATn7Wse3j8GpsoD91NC0nDg1vNKrhPEc',
    email: 't~8ZuLJANBU0hIFqmaE8RjwHZqRb4MezRyGZ6rLZUkKSg@example.com',
    pmi: 'p~LKW3WIP3bZzEQFelvQBi0lpLDZtk-1qJbWe3rHfhYhdfeki-8voee3S0wopon6Y3',
  });
});

test('a blocked URL or bad input exits non-zero with a one-line reason and no data', () => {
  const blocked = psoxy(['sanitize', '--rules', rulesFile, '--url', '/v2/other', '--salt', 's'], '{"users":[{"email":"alice@acme.com"}]}');
  assert.equal(blocked.status, 1);
  assert.equal(blocked.stdout, '');
  assert.match(blocked.stderr, /^psoxy sanitize: GET \/v2\/other is not allowed by the rules: no endpoint matches the path \/v2\/other\n$/);
  const bad = psoxy(['sanitize', '--rules', rulesFile, '--url', '/v2/users', '--salt', 's'], 'alice@acme.com');
  assert.equal(bad.status, 1);
  assert.equal(bad.stdout, '');
  assert.doesNotMatch(bad.stderr, /alice/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
});

test('rules check lists endpoints, and names file and line for bad rules', () => {
  const ok = psoxy(['rules', 'check', rulesFile]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /OK, 1 endpoint\(s\)/);
  assert.match(ok.stdout, /\/v2\/users .*transforms=pseudonymize,redact/);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'endpoints:\n  - pathTemplate: "/x"\n    transformz: []\n');
  const r = psoxy(['rules', 'check', bad]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3: unknown key "transformz"`));
});

test('usage errors exit 2', () => {
  assert.equal(psoxy(['sanitize']).status, 2);
  assert.equal(psoxy(['nope']).status, 2);
});

test('conformance command prints the summary line and writes a report', () => {
  const manifest = join(dir, 'manifest.json');
  const root = join(dir, 'root');
  writeFileSync(manifest, JSON.stringify([
    { kind: 'unmatched', connector: 'x/x', rulesFile: 'rules.yaml', config: { salt: 's', encryptionKey: 'k' }, method: 'GET', requestUrl: 'https://h/v2/users', expect: 'allowed' },
    { kind: 'unmatched', connector: 'x/x', rulesFile: 'rules.yaml', config: { salt: 's', encryptionKey: 'k' }, method: 'GET', requestUrl: 'https://h/v2/nope', expect: 'allowed' },
    { kind: 'sanitize-call', connector: 'x/x', rulesFile: 'rules.yaml', config: { salt: 's', encryptionKey: 'k' }, method: 'GET', requestUrl: 'https://h/v2/users', original: 'none.json', originalModified: true },
  ]));
  spawnSync('mkdir', ['-p', root]);
  writeFileSync(join(root, 'rules.yaml'), 'endpoints:\n  - pathTemplate: "/v2/users"\n');
  const report = join(dir, 'report.json');
  const r = psoxy(['conformance', '--manifest', manifest, '--root', root, '--report', report]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /FAIL x\/x unmatched https:\/\/h\/v2\/nope/);
  assert.match(r.stdout, /^1 passed, 1 failed, 1 skipped$/m);
});

test('rules check describes bulk rules too', () => {
  const r = psoxy(['rules', 'check', 'zoom-ai-metrics']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /OK, bulk rules\n {2}columnar \(URL_SAFE_TOKEN\): pseudonymize \[User Name, Email\], redact \[Department\]/);
});
