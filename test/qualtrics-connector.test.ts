// Qualtrics (`qualtrics-api`) as users meet it: the proxy sends the API token in `X-API-TOKEN` to
// a Qualtrics fake and sanitizes what comes back; the rules let responses out only through an
// export naming its questions and embedded data; and the name `qualtrics` is the bulk survey
// connector everywhere (psoxy's only `qualtrics`), which serve, check and demo refuse, pointing to
// `qualtrics-api`. Also: `zoom-ai-snapshot-bulk` is Zoom AI Metrics' bulk rules by psoxy's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenWithBody } from './fakes/http.ts';
import { authProxy, leaked } from './helpers/auth-proxy.ts';
import { BULK_CONNECTORS, connectorById } from '../src/sources/catalogue/registry.ts';
import { generateFakeOrg, personalValues } from '../src/sources/catalogue/fake-org.ts';
import { builtInBulkRulesYaml, builtInRulesYaml, bulkConnectorProblem, canonicalSource, connectorDefaults } from '../src/sources/index.ts';
import { ZOOM_AI_METRICS_RULES_YAML } from '../src/sources/zoom/ai-metrics-rules.ts';
import { readRules } from '../src/cli/rules-ref.ts';
import { bulkConfig } from '../src/runtimes/bulk-config.ts';
import { ConfigService } from '../src/config/config-service.ts';
import { MemoryStore } from '../src/config/store.ts';
import { memoryLogger } from '../src/logging/logger.ts';
import { localProxyHandler } from '../src/runtimes/node/serve.ts';
import { checkSource } from '../src/cli/check-source.ts';
import { SourceSimulator } from '../src/sources/catalogue/simulator.ts';
import { loadApiRules } from '../src/rules/load.ts';
import { Sanitizer } from '../src/sanitizer/sanitizer.ts';
import { Pseudonymizer } from '../src/pseudonym/pseudonymizer.ts';
import { appearsIn } from '../src/cli/demo.ts';

const QUALTRICS = connectorById('qualtrics-api')!;
const KEY = 'qX7pV9sLm2Rt4Wz8Yb1Nc6Dh3Fj5Gk0Q';
const example = (name: string) => QUALTRICS.examples.find((e) => e.name === name)!;
const CONTACTS = example('List directory contacts');
const EXPORT = example('Start response export');
const FILE = example('Get response export file');

/** A Qualtrics fake: answers the connector's example calls when `X-API-TOKEN` is the key, else 401 quoting what it got (as a careless API might). */
async function qualtricsFake() {
  const org = generateFakeOrg({ seed: 7, people: 5 });
  const bodies = new Map(QUALTRICS.examples.map((e) => [`${e.method ?? 'GET'} ${new URL(e.path, 'http://x').pathname}`, JSON.stringify(e.response(org))]));
  const requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const server = await listenWithBody((req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    requests.push({ method: req.method!, url: req.url!, headers: req.headers, body: body.toString('utf8') });
    const send = (status: number, value: unknown) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(value)); };
    if (req.headers['x-api-token'] !== KEY) {
      return send(401, { meta: { httpStatus: '401 - Unauthorized', error: { errorMessage: `invalid token ${String(req.headers['x-api-token'])}`, errorCode: 'AUTH_1.0' } } });
    }
    const answer = bodies.get(`${req.method} ${new URL(req.url!, 'http://x').pathname}`);
    return answer === undefined ? send(404, { meta: { httpStatus: '404 - Not Found' } }) : send(200, JSON.parse(answer));
  });
  return { org, requests, url: server.url, close: () => server.close() };
}

/** The proxy as the Terraform modules deploy `qualtrics-api`: SOURCE=qualtrics-api, built-in rules, the token in the store. */
async function stack(token: string | null = KEY) {
  const fake = await qualtricsFake();
  const p = authProxy({
    env: { SOURCE: 'qualtrics-api', TARGET_HOST: fake.url, SOURCE_AUTH_STRATEGY_IDENTIFIER: 'qualtrics_api_token' },
    stored: token === null ? {} : { API_TOKEN: `${token}\n` },
  });
  return { fake, p, close: () => fake.close() };
}

const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

test('qualtrics_api_token: a data call carries the trimmed token in X-API-TOKEN and nothing else; sanitized; the token in no log or body', async () => {
  const s = await stack();
  try {
    const res = await s.p.call(CONTACTS.path);
    assert.equal(res.status, 200, res.body);
    const sent = s.fake.requests[0];
    assert.equal(sent.headers['x-api-token'], KEY);
    assert.equal(sent.headers.authorization, undefined);
    const contacts = (JSON.parse(res.body) as { result: { elements: Record<string, unknown>[] } }).result.elements;
    assert.equal(contacts.length, s.fake.org.people.length);
    for (const c of contacts) {
      assert.match(String(c.email), /^t~/);
      assert.match(String(c.extRef), /^t~/);
      for (const gone of ['firstName', 'lastName', 'phone', 'embeddedData']) assert.equal(c[gone], undefined, gone);
      assert.match(String(c.contactId), /^CID_/);
    }
    assert.deepEqual(personalValues(s.fake.org).filter((v) => appearsIn(res.body, v)), []);
    assert.deepEqual(leaked([KEY], [...s.p.logs, res.body]), []);
  } finally {
    await s.close();
  }
});

test('qualtrics_api_token: without API_TOKEN the health check names it alone and a data call is a 500 naming it; nothing reaches Qualtrics', async () => {
  const s = await stack(null);
  try {
    const h = await s.p.health();
    assert.equal(h.status, 412);
    assert.deepEqual(h.missing, ['API_TOKEN']);
    const res = await s.p.call(CONTACTS.path);
    assert.equal(res.status, 500);
    assert.match(res.body, /missing configuration API_TOKEN/);
    assert.equal(s.fake.requests.length, 0);
  } finally {
    await s.close();
  }
});

test('qualtrics_api_token: a token Qualtrics refuses is its 401, summarised, sent once (a static token is not retried); neither token leaks', async () => {
  const s = await stack('wrong-token-0123456789');
  try {
    const res = await s.p.call(CONTACTS.path);
    assert.equal(res.status, 401);
    assert.equal(res.code, 'API_ERROR');
    assert.equal(s.fake.requests.length, 1);
    assert.deepEqual(leaked(['wrong-token-0123456789', KEY], [...s.p.logs, res.body]), []);
  } finally {
    await s.close();
  }
});

test('responses: an export naming its questions and embedded data, as uncompressed JSON, goes through; the exported file comes out with recipients pseudonymized and their names, IPs and locations gone', async () => {
  const s = await stack();
  try {
    const started = await s.p.call(EXPORT.path, post(EXPORT.body));
    assert.equal(started.status, 200, started.body);
    assert.deepEqual(JSON.parse(s.fake.requests[0].body), EXPORT.body, 'the export request reaches Qualtrics as sent');
    const file = await s.p.call(FILE.path);
    assert.equal(file.status, 200, file.body);
    const responses = (JSON.parse(file.body) as { responses: { values: Record<string, unknown>; labels: Record<string, unknown> }[] }).responses;
    assert.equal(responses.length, s.fake.org.people.length);
    for (const { values, labels } of responses) {
      assert.match(String(values.recipientEmail), /^t~/);
      assert.match(String(values.externalDataReference), /^t~/);
      for (const gone of ['recipientFirstName', 'recipientLastName', 'ipAddress', 'locationLatitude', 'locationLongitude']) assert.equal(values[gone], undefined, gone);
      assert.equal(typeof values.QID1, 'number', 'coded answers pass');
      assert.ok(Array.isArray(values.QID3));
      assert.equal(typeof labels.QID1, 'string');
    }
    assert.deepEqual(personalValues(s.fake.org).filter((v) => appearsIn(file.body, v)), []);
  } finally {
    await s.close();
  }
});

test('responses: exports that do not name their questions or embedded data, ask for a zip or another format, or carry other options, and single responses, are refused before Qualtrics is called', async () => {
  const s = await stack();
  try {
    const base = EXPORT.body as Record<string, unknown>;
    const without = (k: string) => Object.fromEntries(Object.entries(base).filter(([key]) => key !== k));
    const refused: [string, RequestInit][] = [
      ['no questionIds (every question, free text too)', post(without('questionIds'))],
      ['no embeddedDataIds (every embedded-data field)', post(without('embeddedDataIds'))],
      ['compressed (a zip the proxy cannot read)', post({ ...base, compress: true })],
      ['compress left to its default', post(without('compress'))],
      ['csv', post({ ...base, format: 'csv' })],
      ['a question id that is no question id', post({ ...base, questionIds: ['QID1', 'alice@example.com'] })],
      ['an option the rules do not know', post({ ...base, includeDisplayOrder: true })],
      ['no body', { method: 'POST' }],
      ['a form body', { method: 'POST', body: 'format=json', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }],
    ];
    for (const [why, init] of refused) {
      const res = await s.p.call(EXPORT.path, init);
      assert.equal(res.status, 403, `${why}: ${res.body}`);
      assert.equal(res.code, 'BLOCKED_BY_RULES', why);
    }
    const survey = EXPORT.path.split('/')[4];
    for (const path of [`/API/v3/surveys/${survey}/responses/R_1234567890abcde`, '/API/v3/directories/POOL_3fAZGWRVfLKuxe3/contacts?includeEmbedded=true',
      '/API/v3/directories/alice@example.com/contacts', '/API/v3/users', '/API/v3/whoami']) {
      const res = await s.p.call(path);
      assert.equal(res.status, 403, path);
    }
    assert.equal(s.fake.requests.length, 0);
  } finally {
    await s.close();
  }
});

test('rules: a survey\'s owner, comments and embedded-data defaults; mailing-list owners; survey owners', () => {
  const org = generateFakeOrg({ seed: 3, people: 4 });
  const sanitizer = new Sanitizer(loadApiRules(QUALTRICS.rules[''], 'qualtrics'), new Pseudonymizer({ salt: 'salt', encryptionKey: 'key' }));
  const out = (name: string) => {
    const e = example(name);
    return JSON.parse(sanitizer.sanitize(e.method ?? 'GET', e.path, JSON.stringify(e.response(org)))) as { result: Record<string, unknown> & { elements?: Record<string, unknown>[] } };
  };
  const survey = out('Get survey').result;
  assert.match(String(survey.ownerId), /^t~/);
  assert.equal(survey.comments, undefined);
  assert.deepEqual(survey.embeddedData, [{ name: 'Department' }, { name: 'ManagerEmail' }]);
  assert.equal((survey.questions as Record<string, { questionText: string }>).QID1.questionText, 'I have the focus time I need.', 'question texts pass');
  for (const name of ['List mailing lists in a directory', 'List surveys']) assert.match(String(out(name).result.elements![0].ownerId), /^t~/, name);
  assert.equal(out('List surveys').result.elements![0].name, 'Q3 Engagement Pulse');
  assert.deepEqual(personalValues(org).filter((v) => appearsIn(JSON.stringify(out('Get survey')), v)), []);
});

test('the name `qualtrics` is the bulk survey connector only: bulk SOURCE and --rules read its rules, and no API rules, settings or alias answer to it', async () => {
  assert.equal(canonicalSource('qualtrics'), 'qualtrics');
  assert.equal(builtInRulesYaml('qualtrics'), undefined);
  assert.deepEqual(connectorDefaults('qualtrics'), {});
  assert.equal(connectorById('qualtrics'), undefined);
  assert.deepEqual(QUALTRICS.aliases ?? [], []);
  assert.equal(builtInRulesYaml('qualtrics-api'), QUALTRICS.rules['']);
  assert.equal(connectorDefaults('qualtrics-api').SOURCE_AUTH_STRATEGY_IDENTIFIER, 'qualtrics_api_token');
  const bulk = BULK_CONNECTORS.find((c) => c.id === 'qualtrics')!;
  assert.equal(builtInBulkRulesYaml('qualtrics'), bulk.rules);
  assert.equal(builtInBulkRulesYaml('qualtrics-api'), undefined, 'the API connector has no bulk rules');
  assert.deepEqual(readRules('qualtrics'), { text: bulk.rules, file: 'built-in:qualtrics' }, 'psoxy bulk --rules qualtrics');
  assert.deepEqual(readRules('qualtrics-api'), { text: QUALTRICS.rules[''], file: 'built-in:qualtrics-api' });
  const config = new ConfigService({ env: { SOURCE: 'qualtrics', PSOXY_SALT: 'salt', OUTPUT_BUCKET: 'out' }, instancePrefix: 'PSOXY_QUALTRICS_' });
  const { handler } = await bulkConfig(config, 'psoxy-qualtrics');
  assert.equal(handler.rules.kind, 'columnar', 'a bulk function with SOURCE=qualtrics reads the survey CSV rules');
  assert.equal(bulkConnectorProblem('qualtrics'), 'qualtrics is a bulk connector (files sanitized from a bucket, not API calls): run it with psoxy bulk <file> --rules qualtrics; the API connector is qualtrics-api');
  assert.equal(bulkConnectorProblem('qualtrics-api'), undefined);

  // psoxy serve --source qualtrics-api and psoxy check qualtrics-api, under the id's settings prefix.
  const sim = new SourceSimulator(QUALTRICS, { seed: 9, people: 3 });
  await sim.start();
  try {
    const env = { PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'secret', PSOXY_QUALTRICS_API_TARGET_HOST: sim.settings().TARGET_HOST, PSOXY_QUALTRICS_API_API_TOKEN: KEY };
    const proxy = localProxyHandler({ source: 'qualtrics-api', env, store: new MemoryStore(), logger: memoryLogger() });
    const res = await proxy(new Request('https://x/'), { rawUrl: CONTACTS.path, https: true });
    const text = await res.text();
    assert.equal(res.status, 200, text.slice(0, 300));
    assert.equal(sim.calls[0].headers['x-api-token'], KEY);
    assert.deepEqual(sim.personalValues().filter((v) => appearsIn(text, v)), []);
    const checks = await checkSource('qualtrics-api', { env: { ...env, PSOXY_LOCAL_STORE: join(mkdtempSync(join(tmpdir(), 'psoxy-qualtrics-check-')), 'store.json') }, path: '/API/v3/surveys' });
    assert.deepEqual(checks.filter((c) => !c.ok), [], JSON.stringify(checks));
    assert.equal(sim.calls.at(-1)!.path, '/API/v3/surveys');
  } finally {
    await sim.stop();
  }
});

test('`psoxy bulk --rules qualtrics` sanitizes a survey CSV with the bulk rules; serve, check and demo refuse `qualtrics` in one line naming qualtrics-api; `psoxy demo --source qualtrics-api` runs the API connector', () => {
  const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
  const psoxy = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, SOURCE: '' } });
  const dir = mkdtempSync(join(tmpdir(), 'psoxy-qualtrics-'));
  const input = join(dir, 'survey.csv');
  writeFileSync(input, 'EMPLOYEE_ID,EMPLOYEE_EMAIL,SURVEY_ID,QUESTION_ID,RESPONSE\nE001,alice@example.com,SV_1,QID1,4\n');
  const out = join(dir, 'out.csv');
  const bulk = psoxy(['bulk', input, '--rules', 'qualtrics', '--salt', 'salt', '-o', out]);
  assert.equal(bulk.status, 0, bulk.stderr);
  const text = readFileSync(out, 'utf8');
  assert.doesNotMatch(text, /alice@example\.com|E001/);
  assert.match(text, /SV_1,QID1,4/);
  const problem = 'qualtrics is a bulk connector (files sanitized from a bucket, not API calls): run it with psoxy bulk <file> --rules qualtrics; the API connector is qualtrics-api';
  for (const [args, line] of [
    [['serve', '--source', 'qualtrics', '--port', '0'], `psoxy serve: --source ${problem}; see psoxy serve --help\n`],
    [['check', 'qualtrics'], `psoxy check: ${problem}; see psoxy check --help\n`],
    [['demo', '--source', 'qualtrics'], `psoxy demo: --source ${problem}; see psoxy demo --help\n`],
  ] as const) {
    const r = psoxy([...args]);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.equal(r.stderr, line);
    assert.equal(r.stdout, '');
  }
  const demo = psoxy(['demo', '--source', 'qualtrics-api']);
  assert.equal(demo.status, 0, demo.stdout + demo.stderr);
  assert.match(demo.stdout, /with the built-in qualtrics-api rules/);
  assert.doesNotMatch(demo.stdout, /LEAKED/);
  const listed = psoxy(['connectors']).stdout;
  assert.match(listed, /^qualtrics-api {12}Qualtrics \(survey\) API\n {25}auth: qualtrics_api_token; fill: API_TOKEN$/m, 'no alias line');
  assert.match(listed, /^qualtrics {16}Qualtrics survey responses \(bulk\)$/m);
});

test('zoom-ai-snapshot-bulk (psoxy\'s name for the Zoom AI Metrics Snapshot export) selects the zoom-ai-metrics bulk rules everywhere a bulk name is taken', async () => {
  assert.equal(canonicalSource('zoom-ai-snapshot-bulk'), 'zoom-ai-metrics');
  assert.equal(builtInBulkRulesYaml('zoom-ai-snapshot-bulk'), ZOOM_AI_METRICS_RULES_YAML);
  assert.deepEqual(readRules('zoom-ai-snapshot-bulk'), { text: ZOOM_AI_METRICS_RULES_YAML, file: 'built-in:zoom-ai-metrics' });
  const config = new ConfigService({ env: { SOURCE: 'zoom-ai-snapshot-bulk', PSOXY_SALT: 'salt', OUTPUT_BUCKET: 'out' }, instancePrefix: 'PSOXY_ZOOM_AI_SNAPSHOT_BULK_' });
  await assert.doesNotReject(bulkConfig(config, 'psoxy-zoom-ai-snapshot-bulk'));
  const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
  const example = fileURLToPath(new URL('../examples/zoom-ai-metrics.csv', import.meta.url));
  const [byAlias, byId] = ['zoom-ai-snapshot-bulk', 'zoom-ai-metrics'].map((rules) => spawnSync(process.execPath, [CLI, 'bulk', example, '--rules', rules, '--salt', 'salt'], { encoding: 'utf8' }));
  assert.equal(byAlias.status, 0, byAlias.stderr);
  // Rows come out shuffled (as psoxy's bulk mode does), so compare them as sets.
  const rows = (text: string) => text.trimEnd().split('\n').sort();
  assert.deepEqual(rows(byAlias.stdout), rows(byId.stdout));
  assert.ok(byAlias.stdout.length > 0);
});
