// psoxy's own expected outputs (../shared/conformance), read in place; skipped when absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jsonDiff, runConformance } from '../src/conformance/runner.ts';
import { parseJson } from '../src/json/json.ts';
import { loadApiRules } from '../src/rules/load.ts';
import { builtInRulesYaml } from '../src/sources/index.ts';

const root = fileURLToPath(new URL('../../shared/conformance/', import.meta.url));
const manifest = root + 'manifest.json';
const present = existsSync(manifest);

test('every example, unmatched, sanitize-call and bulk case passes', { skip: !present && 'shared/conformance is not here' }, async () => {
  const s = await runConformance(manifest, root + 'psoxy');
  const failures = s.results.filter((r) => r.ok === false).map((r) => `${r.connector} ${r.kind} ${r.requestUrl}: ${r.reason}`);
  assert.deepEqual(failures, []);
  assert.ok(s.passed >= 801, `only ${s.passed} passed`);
  assert.equal(s.skipped, 0);
});

test('our built-in Zoom rules pass every zoom/zoom case', { skip: !present && 'shared/conformance is not here' }, async () => {
  const zoom = loadApiRules(builtInRulesYaml('zoom')!, 'built-in:zoom');
  const s = await runConformance(manifest, root + 'psoxy', { connectors: ['zoom/zoom'], rulesOverride: () => zoom });
  assert.deepEqual(s.results.filter((r) => r.ok === false), []);
  assert.ok(s.passed >= 61, `only ${s.passed} zoom cases passed`);
});

/** Every differential corpus under fuzz/ (psoxy's Java sanitizer run on inputs its examples lack). */
const fuzzCorpora = (): string[] => {
  const fuzz = root + 'fuzz/';
  if (!existsSync(fuzz)) return [];
  return readdirSync(fuzz, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(`${fuzz}${d.name}/manifest.json`)).map((d) => `${fuzz}${d.name}/`);
};

for (const corpus of fuzzCorpora()) {
  test(`differential corpus ${corpus.split('/').at(-2)}: zero differences from psoxy's Java`, async () => {
    const s = await runConformance(corpus + 'manifest.json', corpus);
    const failures = s.results.filter((r) => r.ok === false).map((r) => `${r.connector} ${r.requestUrl}: ${r.reason}`);
    assert.deepEqual(failures, []);
    assert.ok(s.passed > 0 && s.skipped === 0, `${s.passed} passed, ${s.skipped} skipped`);
  });
}
test('the differential corpora are here when the conformance manifest is', { skip: !present && 'shared/conformance is not here' }, () => {
  assert.ok(fuzzCorpora().length >= 2, 'expected fuzz/mutations and fuzz/vectors');
});

test('the runner sees key order, integer-like keys included, and compares numbers as doubles', () => {
  assert.equal(jsonDiff(parseJson('{"b":1,"10":"ten"}'), parseJson('{"10":"ten","b":1}')), '$: expected keys [b,10], got [10,b]');
  assert.equal(jsonDiff(parseJson('{"a":1.0,"+x":1}'), parseJson('{"a":1}')), null, 'a dropped source + key and 1.0 vs 1 are no difference');
  assert.match(jsonDiff(parseJson('[1.5]'), parseJson('["1.5"]')) ?? '', /^\$\[0\]: expected 1\.5, got "1\.5"$/);
});
