// psoxy's names for our connectors (`Connector.aliases`: its Terraform keys where they differ from
// the SOURCE, e.g. `slack-discovery-api` for `slack`, and ids it renamed) select the same rules,
// settings and simulator as our ids, in serve, check, sanitize --rules, demo and `psoxy connectors`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BULK_CONNECTORS, CONNECTORS, connectorById } from '../src/sources/catalogue/registry.ts';
import { builtInBulkRulesYaml, builtInRulesYaml, bulkConnectorProblem, canonicalSource, connectorDefaults, sourceAliases } from '../src/sources/index.ts';
import { readRules } from '../src/cli/rules-ref.ts';
import { listedConnectors } from '../src/cli/connectors.ts';
import { checkSource } from '../src/cli/check-source.ts';
import { localProxyHandler } from '../src/runtimes/node/serve.ts';
import { SourceSimulator } from '../src/sources/catalogue/simulator.ts';
import { MemoryStore } from '../src/config/store.ts';
import { memoryLogger } from '../src/logging/logger.ts';
import { appearsIn } from '../src/cli/demo.ts';

test('aliases are unique, name no connector\'s id (API or bulk), and resolve to their connector', () => {
  const ids = new Set([...CONNECTORS, ...BULK_CONNECTORS].map((c) => c.id).concat(['zoom']));
  const all = [...CONNECTORS, ...BULK_CONNECTORS].flatMap((c) => (c.aliases ?? []).map((a) => [a, c.id] as const));
  assert.ok(all.some(([a, id]) => a === 'zoom-ai-snapshot-bulk' && id === 'zoom-ai-metrics'));
  assert.equal(new Set(all.map(([a]) => a)).size, all.length, 'no alias names two connectors');
  // An alias that is also an id would make one name select two connectors (as `qualtrics` once
  // did: the bulk connector's id and the Qualtrics API connector's alias).
  assert.deepEqual(all.filter(([a]) => ids.has(a)), [], 'no alias is an id');
  assert.deepEqual(Object.entries(sourceAliases()).sort(), [...all].sort());
  for (const [alias, id] of all) assert.equal(canonicalSource(alias), id);
  assert.ok(all.length >= 6);
  assert.equal(canonicalSource('slack'), 'slack');
  assert.equal(canonicalSource('no-such-thing'), 'no-such-thing');
});

test('psoxy\'s Terraform keys select the same rules and settings (variants too), and `psoxy rules` reads them by alias', () => {
  assert.equal(builtInRulesYaml('slack-discovery-api'), builtInRulesYaml('slack'));
  assert.equal(builtInRulesYaml('azure-ad'), builtInRulesYaml('msft-entra-id'));
  assert.equal(builtInRulesYaml('azure-ad_no-app-ids'), builtInRulesYaml('msft-entra-id_no-app-ids'));
  assert.notEqual(builtInRulesYaml('azure-ad_no-app-ids'), builtInRulesYaml('azure-ad'));
  assert.deepEqual(connectorDefaults('confluence'), connectorDefaults('confluence-cloud'));
  assert.equal(connectorDefaults('chatgpt').SOURCE, 'chatgpt-enterprise');
  assert.equal(builtInBulkRulesYaml('slack-ai-snapshot'), builtInBulkRulesYaml('slack-ai-analytics-bulk'));
  assert.equal(builtInBulkRulesYaml('gemini-usage-bulk'), builtInBulkRulesYaml('gemini-usage'));
  assert.deepEqual(readRules('slack-discovery-api'), { text: builtInRulesYaml('slack')!, file: 'built-in:slack' });
  assert.deepEqual(readRules('slack-ai-snapshot'), { text: builtInBulkRulesYaml('slack-ai-analytics-bulk')!, file: 'built-in:slack-ai-analytics-bulk' });
  assert.equal(connectorById('slack-discovery-api')?.id, 'slack');
  assert.equal(connectorById('nope'), undefined);
});

test('`psoxy connectors` shows each connector\'s aliases', () => {
  const slack = listedConnectors().find((c) => c.id === 'slack')!;
  assert.deepEqual(slack.aliases, ['slack-discovery-api']);
  assert.deepEqual(listedConnectors().find((c) => c.id === 'slack-ai-analytics-bulk')!.aliases, ['slack-ai-snapshot', 'slack-ai-bulk']);
});

test('`psoxy serve --source slack-discovery-api` and `psoxy check slack-discovery-api` run the slack connector, under the alias\'s own settings prefix', async () => {
  const sim = new SourceSimulator(connectorById('slack')!, { seed: 3, people: 4 });
  await sim.start();
  try {
    // psoxy's Terraform names the instance by its key: PSOXY_SLACK_DISCOVERY_API_<setting>.
    const env = { PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'secret', PSOXY_SLACK_DISCOVERY_API_TARGET_HOST: sim.settings().TARGET_HOST, PSOXY_SLACK_DISCOVERY_API_ACCESS_TOKEN: 'simulated-token' };
    const handler = localProxyHandler({ source: 'slack-discovery-api', env, store: new MemoryStore(), logger: memoryLogger() });
    const res = await handler(new Request('https://x/'), { rawUrl: '/api/discovery.users.list?limit=100', https: true });
    const text = await res.text();
    assert.equal(res.status, 200, text.slice(0, 300));
    assert.deepEqual(sim.personalValues().filter((v) => appearsIn(text, v)), []);
    assert.match(text, /t~/);
    const checks = await checkSource('slack-discovery-api', { env: { ...env, PSOXY_LOCAL_STORE: join(mkdtempSync(join(tmpdir(), 'psoxy-alias-')), 'store.json') }, path: '/api/discovery.enterprise.info' });
    assert.deepEqual(checks.filter((c) => !c.ok), [], JSON.stringify(checks));
  } finally {
    await sim.stop();
  }
});

test('`psoxy demo --source slack-discovery-api` and `psoxy connectors` as users run them', () => {
  const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
  const psoxy = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  const demo = psoxy(['demo', '--source', 'slack-discovery-api']);
  assert.equal(demo.status, 0, demo.stdout + demo.stderr);
  assert.match(demo.stdout, /with the built-in slack rules/);
  assert.doesNotMatch(demo.stdout, /LEAKED/);
  assert.match(psoxy(['connectors']).stdout, /^slack {20}Slack Discovery API\n {25}also: slack-discovery-api \(psoxy's names for it; any of them selects it\)$/m);
});

test('a bulk connector\'s id or alias is no API source: bulkConnectorProblem says to run psoxy bulk, naming an API connector named like it', () => {
  const bulkNames = BULK_CONNECTORS.flatMap((c) => [c.id, ...(c.aliases ?? [])]);
  assert.ok(bulkNames.includes('zoom-ai-snapshot-bulk'));
  for (const name of bulkNames) {
    assert.match(bulkConnectorProblem(name) ?? '', new RegExp(`^${name} is a bulk connector .*: run it with psoxy bulk <file> --rules ${name}; `), name);
  }
  for (const name of ['zoom', 'slack', 'slack-discovery-api', 'azure-ad_no-app-ids', 'qualtrics-api', 'a-custom-source']) assert.equal(bulkConnectorProblem(name), undefined, name);
  assert.match(bulkConnectorProblem('gong-bulk')!, /; the API connector is gong-metrics$/);
  assert.match(bulkConnectorProblem('slack-discovery-bulk')!, /; the API connector is slack$/, 'by its alias slack-discovery-api');
  assert.match(bulkConnectorProblem('hris')!, /; psoxy connectors lists the API connectors$/);
});

test('`psoxy serve --source`, `psoxy check` and `psoxy demo --source` with a bulk connector\'s name: one usage line, exit 2, nothing started', () => {
  const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
  const psoxy = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, SOURCE: '' } });
  for (const [args, where] of [[['serve', '--source', 'hris', '--port', '0'], 'psoxy serve: --source '], [['check', 'slack-ai-snapshot'], 'psoxy check: '], [['demo', '--source', 'zoom-ai-metrics'], 'psoxy demo: --source ']] as const) {
    const r = psoxy([...args]);
    const name = args[args.length - (args[0] === 'serve' ? 3 : 1)];
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `${where}${bulkConnectorProblem(name)}; see psoxy ${args[0]} --help\n`);
  }
});
