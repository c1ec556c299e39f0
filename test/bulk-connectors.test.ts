// Every catalogue bulk connector, the way users meet it: selectable by id in bulk mode, psoxy's
// bulk conformance cases pass byte for byte with our built-in rules in place of psoxy's file, its
// example file (made from a random fake org) comes out with no personal value and its non-personal
// values intact, and its doc page matches the catalogue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { BULK_CONNECTORS, CONNECTORS } from '../src/sources/catalogue/registry.ts';
import { generateFakeOrg, personalValues } from '../src/sources/catalogue/fake-org.ts';
import { bulkConnectorDoc } from '../src/sources/catalogue/docs.ts';
import { runConformance } from '../src/conformance/runner.ts';
import { loadBulkRules } from '../src/bulk/rules.ts';
import { sanitizeStream } from '../src/bulk/process.ts';
import { Pseudonymizer } from '../src/pseudonym/pseudonymizer.ts';
import { builtInBulkRuleNames, builtInBulkRulesYaml } from '../src/sources/index.ts';
import { appearsIn } from '../src/cli/demo.ts';

const root = fileURLToPath(new URL('../../shared/conformance/', import.meta.url));
const present = existsSync(root + 'manifest.json');

async function sanitized(text: string, objectPath: string, rulesYaml: string): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (d: Buffer) => chunks.push(d));
  await sanitizeStream(Readable.from([Buffer.from(text)]), out, {
    rules: loadBulkRules(rulesYaml, objectPath), objectPath, pseudonymizer: new Pseudonymizer({ salt: 'salt', encryptionKey: 'secret' }), decompress: true, compress: false,
  });
  return Buffer.concat(chunks).toString('utf8');
}

test('bulk connector ids are unique, distinct from API ids, and each is a built-in bulk rule set', () => {
  const ids = BULK_CONNECTORS.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(ids.filter((id) => CONNECTORS.some((c) => c.id === id) || id === 'zoom'), []);
  for (const c of BULK_CONNECTORS) {
    assert.equal(builtInBulkRulesYaml(c.id), c.rules, `${c.id} is selectable by name`);
    assert.ok(c.examples.length > 0, `${c.id} has an example file`);
  }
  assert.deepEqual(builtInBulkRuleNames(), ids, 'the built-in bulk rule sets are the catalogue\'s, Zoom AI Metrics among them');
  assert.equal(ids[0], 'zoom-ai-metrics');
});

for (const c of BULK_CONNECTORS) {
  for (const name of c.conformance) {
    test(`${c.id}: psoxy's ${name} bulk cases pass with our built-in rules`, { skip: !present && 'shared/conformance is not here' }, async () => {
      const rules = loadBulkRules(c.rules, c.id);
      const s = await runConformance(root + 'manifest.json', root + 'psoxy', { connectors: [name], bulkRulesOverride: () => rules });
      assert.deepEqual(s.results.filter((r) => r.ok === false).map((r) => `${r.requestUrl}: ${r.reason}`), []);
      assert.ok(s.passed > 0, `no ${name} cases ran`);
    });
  }

  test(`${c.id}: example files leak no personal value and keep the non-personal ones`, async () => {
    for (const seed of [3, 11]) {
      const org = generateFakeOrg({ seed, people: 2 + seed });
      for (const e of c.examples) {
        const { text, kept } = e.generate(org);
        const secrets = personalValues(org);
        assert.ok(secrets.some((v) => appearsIn(text, v)), `${e.objectPath}: the input carries personal values`);
        const out = await sanitized(text, e.objectPath, c.rules);
        assert.deepEqual(secrets.filter((v) => appearsIn(out, v)), [], `${e.objectPath} (seed ${seed}) leaks`);
        assert.ok(kept.length > 0);
        assert.deepEqual(kept.filter((v) => !appearsIn(out, v)), [], `${e.objectPath} (seed ${seed}) keeps its non-personal values`);
        assert.equal(out.trimEnd().split('\n').length, text.trimEnd().split('\n').length, 'one output line per input line');
      }
    }
  });

  test(`${c.id}: docs/connectors/${c.id}.md is generated from the catalogue (npm run docs)`, () => {
    const file = fileURLToPath(new URL(`../docs/connectors/${c.id}.md`, import.meta.url));
    assert.equal(existsSync(file) ? readFileSync(file, 'utf8') : '(missing)', bulkConnectorDoc(c));
  });
}
