// psoxy's own expected outputs (../shared/conformance), read in place; skipped when absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runConformance } from '../src/conformance/runner.ts';
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
