// The README's `npm run -s psoxy -- …` commands that need no network or cloud run as written, on
// the sample inputs in examples/, and print nothing personal from them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(root + 'README.md', 'utf8');
const run = promisify(execFile);

/** Commands that run offline on the shipped samples, and those that need a network, a Zoom app or a cloud. */
const OFFLINE = new Set(['sanitize', 'bulk', 'rules']);
const NEEDS_NETWORK = new Set(['serve', 'check', 'zoom-sim', 'call', 'demo']);

const shellBlocks = (): string[] => [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].replace(/\\\n\s*/g, ''));

/** Every `npm run -s psoxy -- …` of the README: lines of shell blocks, and inline code without placeholders. */
function psoxyCommands(): string[] {
  const inBlocks = shellBlocks().flatMap((b) => b.split('\n')).filter((l) => l.startsWith('npm run -s psoxy -- '));
  const inline = [...readme.matchAll(/`(npm run -s psoxy -- [^`]+)`/g)].map((m) => m[1]).filter((c) => !/[<[…]/.test(c));
  return [...new Set([...inBlocks, ...inline])];
}

const subcommand = (command: string) => command.slice('npm run -s psoxy -- '.length).split(' ')[0];

/** What the sample inputs hold that must never be printed: every email and every full name. */
function sampleIdentities(): string[] {
  const samples = readdirSync(root + 'examples').map((f) => readFileSync(`${root}examples/${f}`, 'utf8')).join('\n');
  const emails = samples.match(/[\w.+-]+@[\w-]+\.[\w.]+/g) ?? [];
  const names = [...samples.matchAll(/"display_name": "([^"]+)"/g)].map((m) => m[1]);
  return [...new Set([...emails, ...names])];
}

test('every psoxy command in the README is known to run offline or to need a network', () => {
  const commands = psoxyCommands();
  assert.ok(commands.filter((c) => OFFLINE.has(subcommand(c))).length >= 5, commands.join('\n'));
  for (const c of commands) assert.ok(OFFLINE.has(subcommand(c)) || NEEDS_NETWORK.has(subcommand(c)), `classify: ${c}`);
});

test('the README names no sample input that examples/ lacks', () => {
  for (const c of psoxyCommands()) {
    for (const [path] of c.matchAll(/examples\/[\w.-]+/g)) assert.ok(readdirSync(root + 'examples').includes(path.slice('examples/'.length)), `${c}: ${path}`);
  }
  assert.doesNotMatch(readme, /[^\w-]users\.json|AI Metrics Snapshot\.csv|my-rules\.yaml/);
});

test('the README rules example is examples/users-rules.yaml', () => {
  const example = /## Quick start for rules authors[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)![1];
  assert.equal(readFileSync(root + 'examples/users-rules.yaml', 'utf8'), example);
});

test('the offline README commands run as written: exit 0, sanitized output, no sample email or name', async () => {
  const exports = shellBlocks().flatMap((b) => b.split('\n')).filter((l) => l.startsWith('export ')).join('\n');
  assert.match(exports, /PSOXY_SALT=.*PSOXY_ENCRYPTION_KEY=/, 'the README sets the salt and key it uses');
  const identities = sampleIdentities();
  assert.ok(identities.length >= 6, identities.join());
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PSOXY_')));
  for (const command of psoxyCommands().filter((c) => OFFLINE.has(subcommand(c)))) {
    const { stdout } = await run('bash', ['-c', `set -e\n${exports}\n${command}`], { cwd: root, env, maxBuffer: 1 << 24 });
    for (const identity of identities) assert.ok(!stdout.includes(identity), `${command} printed ${identity}`);
    if (subcommand(command) !== 'rules') assert.match(stdout, /t~[\w-]{43}/, `${command}: no pseudonym in\n${stdout}`);
    else assert.match(stdout, /OK/, command);
  }
});
