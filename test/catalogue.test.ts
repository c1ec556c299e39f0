// Every catalogue connector, the way users meet it: psoxy's conformance cases pass with our
// built-in rules in place of psoxy's file; each example call goes through the proxy to the generic
// simulator and comes back 200 with no personal value in it; its doc page matches the catalogue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONNECTORS } from '../src/sources/catalogue/registry.ts';
import { SourceSimulator } from '../src/sources/catalogue/simulator.ts';
import { connectorDoc } from '../src/sources/catalogue/docs.ts';
import { runConformance } from '../src/conformance/runner.ts';
import { loadApiRules } from '../src/rules/load.ts';
import { createProxyHandler } from '../src/proxy/handler.ts';
import { ConfigService } from '../src/config/config-service.ts';
import { MemoryStore } from '../src/config/store.ts';
import { memoryLogger } from '../src/logging/logger.ts';
import { builtInRulesYaml, connectorDefaults } from '../src/sources/index.ts';
import { appearsIn } from '../src/cli/demo.ts';

const root = fileURLToPath(new URL('../../shared/conformance/', import.meta.url));
const present = existsSync(root + 'manifest.json');

test('connector ids are unique and every rules variant loads', () => {
  assert.equal(new Set(CONNECTORS.map((c) => c.id)).size, CONNECTORS.length);
  for (const c of CONNECTORS) {
    assert.ok(c.examples.length > 0, `${c.id} has example calls`);
    for (const [variant, yaml] of Object.entries(c.rules)) {
      assert.equal(builtInRulesYaml(c.id + variant), yaml, `${c.id}${variant} is selectable by name`);
      loadApiRules(yaml, `${c.id}${variant}`);
    }
    assert.equal(connectorDefaults(c.id).SOURCE, c.id);
  }
});

for (const c of CONNECTORS) {
  for (const [variant, name] of Object.entries(c.conformance)) {
    test(`${c.id}${variant}: psoxy's ${name} cases pass with our built-in rules`, { skip: !present && 'shared/conformance is not here' }, async () => {
      const rules = loadApiRules(c.rules[variant], `${c.id}${variant}`);
      const s = await runConformance(root + 'manifest.json', root + 'psoxy', { connectors: [name], rulesOverride: () => rules });
      assert.deepEqual(s.results.filter((r) => r.ok === false).map((r) => `${r.kind} ${r.requestUrl}: ${r.reason}`), []);
      assert.ok(s.passed > 0, `no ${name} cases ran`);
    });
  }

  test(`${c.id}: example calls through the proxy to the simulator leak no personal value`, async () => {
    const sim = new SourceSimulator(c, { seed: 5, people: 6 });
    await sim.start();
    try {
      const env = { PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'secret', ...sim.settings() };
      const config = new ConfigService({ env, instancePrefix: `PSOXY_${c.id.toUpperCase().replace(/-/g, '_')}_`, instanceStore: new MemoryStore(), defaults: { ...connectorDefaults(c.id) } });
      const proxy = createProxyHandler({ config, logger: memoryLogger() });
      const secrets = sim.personalValues();
      for (const e of c.examples) {
        const res = await proxy(new Request('https://x/', { method: e.method ?? 'GET', ...(e.body !== undefined ? { body: JSON.stringify(e.body), headers: { 'Content-Type': 'application/json' } } : {}) }), { rawUrl: e.path, https: true });
        const text = await res.text();
        assert.equal(res.status, 200, `${e.name} ${e.path}: ${text.slice(0, 300)}`);
        assert.deepEqual(secrets.filter((v) => appearsIn(text, v)), [], `${e.name} leaks`);
      }
      assert.ok(sim.calls.every((call) => call.authorized), 'every upstream call carried credentials');
    } finally {
      await sim.stop();
    }
  });

  test(`${c.id}: docs/connectors/${c.id}.md is generated from the catalogue (npm run docs)`, () => {
    const file = fileURLToPath(new URL(`../docs/connectors/${c.id}.md`, import.meta.url));
    assert.equal(existsSync(file) ? readFileSync(file, 'utf8') : '(missing)', connectorDoc(c));
  });
}
