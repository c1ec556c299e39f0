// What an operator meets first: `psoxy <command> --help`, exit codes, one-line errors naming the
// option and the value, built-in rule sets by name, and the verdicts sanitize / bulk / rules check share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PSOXY_') && k !== 'SOURCE' && k !== 'BULK_MAX_RECORD_BYTES'));
const psoxy = (args: string[], input = '') => spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', cwd: root, env });
const dir = mkdtempSync(join(tmpdir(), 'psoxy-cli-usage-'));

const COMMANDS = ['sanitize', 'rules check', 'rules list', 'bulk', 'serve', 'check', 'zoom-sim', 'call', 'conformance', 'demo'];

test('every command answers --help with its usage and examples, exit 0, doing nothing else', () => {
  for (const command of COMMANDS) {
    const r = psoxy([...command.split(' '), '--help']);
    assert.equal(r.status, 0, `${command}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^Usage: psoxy ${command}`), command);
    assert.match(r.stdout, /\nExamples?:\n {2}\$ psoxy /, `${command} has examples`);
  }
  // `demo --help` must not run the demo, `rules check --help` must not open a file named --help.
  assert.doesNotMatch(psoxy(['demo', '--help']).stdout, /Zoom simulator at/);
  assert.equal(psoxy(['help', 'bulk']).stdout, psoxy(['bulk', '--help']).stdout);
  const bulkHelp = psoxy(['bulk', '--help']).stdout;
  for (const option of ['--no-shuffle', '--output-format', '--max-record-bytes', '--object-path']) assert.ok(bulkHelp.includes(option), option);
  const serveHelp = psoxy(['serve', '--help']).stdout;
  for (const option of ['--tls-cert', '--tls-key', '--tls-self-signed']) assert.ok(serveHelp.includes(option), option);
});

test('exit codes: 0 help, 2 no command or a usage error, with the codes in the top-level help', () => {
  const help = psoxy(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Exit codes: 0 ok; 1 the command failed .*\n2 usage error/);
  for (const command of COMMANDS.filter((c) => c !== 'rules list')) assert.ok(help.stdout.includes(`  ${command.split(' ')[0]} `), command);
  assert.equal(psoxy([]).status, 2);
  const unknown = psoxy(['sanitise']);
  assert.equal(unknown.status, 2);
  assert.equal(unknown.stderr, "psoxy: unknown command 'sanitise' (Did you mean sanitize?); see psoxy --help\n");
});

test('bad option values: one line naming the option, what is expected and the value; exit 2', () => {
  const cases: [string[], string][] = [
    [['bulk', 'examples/zoom-ai-metrics.csv', '--rules', 'zoom-ai-metrics', '--salt', 's', '--max-record-bytes', '0'], 'psoxy bulk: --max-record-bytes (or BULK_MAX_RECORD_BYTES) must be a whole number 1 or more (was "0")'],
    [['bulk', 'examples/events.ndjson', '--rules', 'examples/events-rules.yaml', '--salt', 's', '--output-format', 'XML'], 'psoxy bulk: --output-format must be one of NDJSON, CSV, JSON_ARRAY (was "XML")'],
    [['sanitize', '--rules', 'zoom', '--url', '/v2/users', '--method', 'FETCH'], 'psoxy sanitize: --method must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS (was "FETCH")'],
    [['zoom-sim', '--scopes', 'all'], 'psoxy zoom-sim: --scopes must be one of classic, granular (was "all")'],
    [['zoom-sim', '--users', 'many'], 'psoxy zoom-sim: --users must be a whole number 1-100000 (was "many")'],
    [['call', 'not a url'], 'psoxy call: <url> must be an absolute URL such as https://abc.lambda-url.us-east-1.on.aws/v2/users (was "not a url")'],
    [['sanitize', '--rules', 'zoom', '--url', '/v2/users', '--rulez', 'x'], "psoxy sanitize: unknown option '--rulez' (Did you mean --rules?)"],
    [['sanitize', '--url', '/v2/users'], "psoxy sanitize: required option '--rules <file|name>' not specified"],
    [['sanitize', '--rules', 'zoom', '--url', '/v2/users'], 'psoxy sanitize: needs --salt (or PSOXY_SALT in the environment)'],
    [['rules', 'check'], "psoxy rules check: missing required argument 'rules'"],
  ];
  for (const [args, message] of cases) {
    const r = psoxy(args, '{}');
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stdout, '');
    const command = message.slice(0, message.indexOf(':'));
    assert.equal(r.stderr, `${message}; see ${command} --help\n`);
  }
});

test('built-in rule sets by name: listed by rules list, accepted by sanitize, bulk and rules check; the wrong kind is named', () => {
  const list = psoxy(['rules', 'list']);
  assert.equal(list.status, 0);
  assert.match(list.stdout, /^zoom +API rules, \d+ endpoints/m);
  assert.match(list.stdout, /^zoom-ai-metrics +bulk rules, columnar/m);
  assert.match(psoxy(['rules', 'check', 'zoom']).stdout, /^built-in:zoom: OK, \d+ endpoint/);
  const bulk = psoxy(['bulk', 'examples/zoom-ai-metrics.csv', '--rules', 'zoom-ai-metrics', '--salt', 's']);
  assert.equal(bulk.status, 0, bulk.stderr);
  assert.match(bulk.stdout, /t~[\w-]{43}/);
  const apiForBulk = psoxy(['bulk', 'examples/zoom-ai-metrics.csv', '--rules', 'zoom', '--salt', 's']);
  assert.equal(apiForBulk.status, 1);
  assert.match(apiForBulk.stderr, /^psoxy bulk: built-in:zoom: these are API rules \(endpoints\); bulk mode needs columnar, record or fileRules rules\n$/);
  const bulkForApi = psoxy(['sanitize', '--rules', 'zoom-ai-metrics', '--url', '/v2/users', '--salt', 's'], '{}');
  assert.equal(bulkForApi.status, 2);
  assert.match(bulkForApi.stderr, /^psoxy sanitize: built-in:zoom-ai-metrics are bulk rules \(columnar\); sanitize needs API rules \(endpoints\): use psoxy bulk/);
  const noFile = psoxy(['rules', 'check', 'zoom-api']);
  assert.match(noFile.stderr, /^psoxy rules check: zoom-api: no such file \(rules are a file or a built-in name: [^)]*\bzoom-ai-metrics\b[^)]*\)\n$/);
});

test('--output-format reaches the record writer; for columnar rules it is refused with the reason', () => {
  const asArray = psoxy(['bulk', 'examples/events.ndjson', '--rules', 'examples/events-rules.yaml', '--salt', 's', '--output-format', 'JSON_ARRAY', '--no-shuffle']);
  assert.equal(asArray.status, 0, asArray.stderr);
  const records = JSON.parse(asArray.stdout) as Record<string, unknown>[];
  assert.equal(records.length, readFileSync(join(root, 'examples/events.ndjson'), 'utf8').trim().split('\n').length);
  const asNdjson = psoxy(['bulk', 'examples/events.ndjson', '--rules', 'examples/events-rules.yaml', '--salt', 's', '--output-format', 'ndjson', '--no-shuffle']);
  assert.deepEqual(asNdjson.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown), records);
  const columnar = psoxy(['bulk', 'examples/zoom-ai-metrics.csv', '--rules', 'zoom-ai-metrics', '--salt', 's', '--output-format', 'NDJSON']);
  assert.equal(columnar.status, 2);
  assert.equal(columnar.stdout, '');
  assert.match(columnar.stderr, /^psoxy bulk: --output-format applies to record rules only; built-in:zoom-ai-metrics has columnar rules for zoom-ai-metrics\.csv, which always write CSV/);
});

test('sanitize: empty input, a blocked URL (which part) and a missing key (the flag) fail with exit 1 and print no data', () => {
  const base = ['sanitize', '--rules', 'zoom', '--salt', 's'];
  const empty = psoxy([...base, '--url', '/v2/users'], ' \n');
  assert.equal(empty.status, 1);
  assert.equal(empty.stderr, 'psoxy sanitize: the response is empty (stdin); give the JSON body to sanitize on stdin or with --input <file>\n');
  const blocked = (url: string, method = 'GET') => {
    const r = psoxy([...base, '--encryption-key', 'k', '--url', url, '--method', method], '{"users":[]}');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    return r.stderr;
  };
  assert.equal(blocked('/v2/groups'), 'psoxy sanitize: GET /v2/groups is not allowed by the rules: no endpoint matches the path /v2/groups\n');
  assert.match(blocked('/v2/users?page_size=5&email=x'), /: \/v2\/users does not allow query parameter "email" \(allowed: status, page_size, /);
  assert.match(blocked('/v2/users', 'delete'), /^psoxy sanitize: DELETE \/v2\/users is not allowed by the rules: \/v2\/users does not allow method DELETE \(allowed: GET, HEAD\)\n$/);
  const rules = join(dir, 'required.yaml');
  writeFileSync(rules, 'endpoints:\n  - pathTemplate: "/v2/report"\n    queryParamSchemas:\n      from: { type: string, required: true, pattern: "^\\\\d{4}-\\\\d\\\\d-\\\\d\\\\d$" }\n');
  const schema = (url: string) => psoxy(['sanitize', '--rules', rules, '--salt', 's', '--url', url], '{}').stderr;
  assert.match(schema('/v2/report'), /: \/v2\/report requires query parameter "from"\n$/);
  assert.match(schema('/v2/report?from=alice@acme.com'), /: \/v2\/report refuses the value of query parameter "from" \(queryParamSchemas\)\n$/);
  assert.doesNotMatch(schema('/v2/report?from=alice@acme.com').split('by the rules: ')[1], /alice/, 'the reason does not repeat the value');
  const users = readFileSync(join(root, 'examples/zoom-users.json'), 'utf8');
  const noKey = psoxy([...base, '--url', '/v2/users'], users);
  assert.equal(noKey.status, 1);
  assert.equal(noKey.stdout, '');
  assert.equal(noKey.stderr, 'psoxy sanitize: built-in:zoom makes reversible pseudonyms (p~), which need --encryption-key (or PSOXY_ENCRYPTION_KEY in the environment)\n');
});

test('an empty rules file: the same verdict from rules check, sanitize and bulk', () => {
  const empty = join(dir, 'empty.yaml');
  writeFileSync(empty, '# nothing yet\n\n');
  const verdict = `${empty}: the rules file is empty; rules need endpoints (API rules) or columns, transforms or fileRules (bulk rules)`;
  const runs: [string, ReturnType<typeof psoxy>][] = [
    ['rules check', psoxy(['rules', 'check', empty])],
    ['sanitize', psoxy(['sanitize', '--rules', empty, '--url', '/v2/users', '--salt', 's'], '{}')],
    ['bulk', psoxy(['bulk', 'examples/zoom-ai-metrics.csv', '--rules', empty, '--salt', 's'])],
  ];
  for (const [command, r] of runs) {
    assert.equal(r.status, 1, command);
    assert.equal(r.stdout, '', command);
    assert.equal(r.stderr, `psoxy ${command}: ${verdict}\n`);
  }
});
