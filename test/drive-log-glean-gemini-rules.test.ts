// The connectors added from psoxy's later specs: gdrive-log (Drive audit log), gitlab-managed, the
// Glean Customer Event logs bulk connector and the Gemini usage report, beyond the catalogue-wide leak tests:
// what each keeps, what it drops, and that the drop is by allow-list (fields a provider adds later
// do not come out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { loadApiRules } from '../src/rules/load.ts';
import { loadBulkRules } from '../src/bulk/rules.ts';
import { sanitizeStream } from '../src/bulk/process.ts';
import { Sanitizer } from '../src/sanitizer/sanitizer.ts';
import { Pseudonymizer } from '../src/pseudonym/pseudonymizer.ts';
import { builtInBulkRulesYaml, builtInRulesYaml, connectorDefaults } from '../src/sources/index.ts';
import { GITLAB_MANAGED } from '../src/sources/gitlab/index.ts';
import { GLEAN } from '../src/sources/glean/index.ts';
import { SourceSimulator } from '../src/sources/catalogue/simulator.ts';
import { ConfigService } from '../src/config/config-service.ts';
import { MemoryStore } from '../src/config/store.ts';
import { memoryLogger } from '../src/logging/logger.ts';
import { createProxyHandler } from '../src/proxy/handler.ts';
import { withConnectorProxy } from './helpers/catalogue-proxy.ts';

const pseudonymizer = () => new Pseudonymizer({ salt: 'salt', encryptionKey: 'secret' });

async function bulk(name: string, objectPath: string, text: string): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (d: Buffer) => chunks.push(d));
  await sanitizeStream(Readable.from([Buffer.from(text)]), out, { rules: loadBulkRules(builtInBulkRulesYaml(name)!, name), objectPath, pseudonymizer: pseudonymizer(), decompress: true, compress: false });
  return Buffer.concat(chunks).toString('utf8');
}

test('gdrive-log: owners and sharing targets become tokens, titles and renames go, ids and flags stay; reads of the drive log only', () => {
  const s = new Sanitizer(loadApiRules(builtInRulesYaml('gdrive-log')!, 'gdrive-log'), pseudonymizer());
  const url = '/admin/reports/v1/activity/users/all/applications/drive?maxResults=25';
  const body = JSON.stringify({ items: [{ actor: { email: 'ann@acme.com', profileId: '1' }, ipAddress: '203.0.113.9', events: [{ type: 'acl_change', name: 'change_user_access', parameters: [
    { name: 'doc_id', value: 'DOC123' }, { name: 'doc_title', value: 'Ann - salary' }, { name: 'owner', value: 'bob@acme.com' }, { name: 'target_user', value: 'carl@acme.com' },
    { name: 'old_value', multiValue: ['Old title'] }, { name: 'new_value', multiValue: ['New title'] }, { name: 'visibility', value: 'shared_internally' },
    { name: 'destination_folder_title', multiValue: ['Ann HR'] }, { name: 'a_future_parameter', value: 'carl@acme.com' },
  ] }] }] });
  const out = s.sanitize('GET', url, body);
  for (const gone of ['ann@', 'bob@', 'carl@', 'Ann - salary', 'Old title', 'New title', 'Ann HR', '203.0.113.9', 'a_future_parameter']) assert.ok(!out.includes(gone), `${gone} is gone`);
  for (const kept of ['DOC123', 'shared_internally', 'change_user_access', '"owner"', '"target_user"']) assert.ok(out.includes(kept), `${kept} stays`);
  assert.equal(s.isAllowed('GET', '/admin/reports/v1/activity/users/all/applications/drive'), true);
  assert.equal(s.isAllowed('POST', '/admin/reports/v1/activity/users/all/applications/drive'), false);
  assert.equal(s.isAllowed('GET', '/admin/reports/v1/activity/users/all/applications/login'), false);
});

test('glean-customer-events-log-bulk: user ids and emails become tokens, queries digests, listed fields only', async () => {
  const record = { timestamp: '2026-10-01T00:00:00Z', insertId: 'i-1', receiveTimestamp: '2026-10-01T00:00:01Z', jsonPayload: {
    Type: 'SEARCH', IsScrubbed: false, User: { UserEmail: 'ann@acme.com', UserId: '5F9A6DF572F4577168C069CA725645D0', Department: 'Widget QA', DepartmentId: 52 },
    Search: { TrackingToken: 'tt1', Query: 'ann salary band', ResultCount: 3, Results: [{ Title: 'Ann review' }] },
    FuturePayload: { SecretField: 'x' },
  } };
  const llm = { insertId: 'i-2', jsonPayload: { Type: 'LLM_CALL', User: { UserEmail: 'bob@acme.com' }, LlmCall: { InputTokens: 31144, OutputTokens: 201, Model: 'GPT5_4', Prompt: 'bob secret prompt' } } };
  const out = await bulk('glean-customer-events-log-bulk', 'any/key.ndjson', JSON.stringify(record) + '\n' + JSON.stringify(llm) + '\n');
  const [a, b] = out.trim().split('\n').map((l) => JSON.parse(l) as { jsonPayload: Record<string, Record<string, unknown>> });
  assert.match(String(a.jsonPayload.User.UserEmail), /^t~[\w-]{43}@acme\.com$/);
  assert.match(String(a.jsonPayload.User.UserId), /^t~[\w-]{43}$/);
  assert.equal(a.jsonPayload.User.Department, 'Widget QA');
  assert.deepEqual(JSON.parse(String(a.jsonPayload.Search.Query)), { length: 15, word_count: 3 });
  assert.equal(a.jsonPayload.Search.ResultCount, 3);
  assert.equal(a.jsonPayload.Search.Results, undefined);
  assert.equal(a.jsonPayload.FuturePayload, undefined);
  assert.deepEqual(b.jsonPayload.LlmCall, { InputTokens: 31144, OutputTokens: 201, Model: 'GPT5_4' });
  assert.ok(!out.includes('ann@acme.com') && !out.includes('bob') && !out.includes('Ann review'));
});

test('gemini-usage: the email column becomes a t~ token, the counts pass', async () => {
  const out = await bulk('gemini-usage', 'report.csv', 'Email,Overall usage,Active days,Gmail\nann@acme.com,12,3,4\n');
  const [header, row] = out.trim().split('\n');
  assert.equal(header, 'Email,Overall usage,Active days,Gmail');
  assert.match(row, /^t~[\w-]{43}@acme\.com,12,3,4$/);
});

test('gitlab-managed: the instance\'s users come out as tokens, and a user\'s emails are read with the reversible id Worklytics got', async () => {
  await withConnectorProxy(GITLAB_MANAGED, async ({ sim, get, call }) => {
    const users = await call('List users (administrator)');
    assert.equal(users.status, 200, users.text);
    const list = JSON.parse(users.text) as { id: string; username: string; email: string; bio?: string; identities?: unknown }[];
    assert.ok(list.every((u) => u.id.startsWith('p~') && u.username.startsWith('t~') && u.email.startsWith('t~') && u.bio === undefined && u.identities === undefined));
    const emails = await get(`/api/v4/users/${list[0].id}/emails`);
    assert.equal(emails.status, 200, emails.text);
    assert.ok(sim.calls.some((c) => c.path === '/api/v4/users/9100000/emails'), 'the proxy sent the real id');
    assert.ok((JSON.parse(emails.text) as { email: string }[]).every((e) => e.email.startsWith('t~')));
    assert.equal((await get('/api/v4/version')).status, 200);
  });
});

test('glean: the X-Glean-ActAs header Worklytics sends reaches Glean (a global token acts as that user), other headers do not', async () => {
  const sim = new SourceSimulator(GLEAN, { seed: 4, people: 3 });
  await sim.start();
  try {
    const config = new ConfigService({
      env: { PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'secret', ...sim.settings() },
      instancePrefix: 'PSOXY_GLEAN_', instanceStore: new MemoryStore(), defaults: { ...connectorDefaults('glean') },
    });
    const proxy = createProxyHandler({ config, logger: memoryLogger() });
    const e = GLEAN.examples[0];
    const res = await proxy(new Request('https://x/', { method: 'POST', body: JSON.stringify(e.body), headers: { 'Content-Type': 'application/json', 'X-Glean-ActAs': 'admin@example-corp.com', 'X-Other': 'no' } }), { rawUrl: e.path, https: true });
    assert.equal(res.status, 200, await res.text());
    assert.equal(sim.calls.at(-1)!.headers['x-glean-actas'], 'admin@example-corp.com');
    assert.equal(sim.calls.at(-1)!.headers['x-other'], undefined);
  } finally {
    await sim.stop();
  }
});
