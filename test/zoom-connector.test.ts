// The Zoom connector is the one source of Zoom knowledge: the README, the simulator and the rules follow it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { endpointFor, familyOf, grants, scopeReport, scopesToAdd, ZOOM_ENDPOINTS, ZOOM_GUIDE_CLASSIC_SCOPES } from '../src/sources/zoom/connector.ts';
import { loadApiRules } from '../src/rules/load.ts';
import { EndpointMatcher } from '../src/rules/match.ts';
import { builtInRulesYaml } from '../src/sources/index.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const codes = (line: string) => [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

test("README's scope lists and endpoint table say what the connector says", () => {
  const classic = readme.split('\n').find((l) => l.includes('what psoxy\'s Zoom guide tells admins to add'))!;
  const section = readme.slice(readme.indexOf('### Scopes: classic or granular'), readme.indexOf('Either family (or a mix)'));
  const [classicPart, granularPart] = section.split('- **Granular**');
  const [classicRequired, classicOptional] = classicPart.split('Optional');
  const [granularRequired, granularOptional] = granularPart.split('Optional');
  assert.ok(classic);
  assert.deepEqual(codes(classicRequired), ZOOM_GUIDE_CLASSIC_SCOPES);
  assert.deepEqual(new Set(codes(classicOptional)), new Set(scopesToAdd('classic').filter((s) => !ZOOM_GUIDE_CLASSIC_SCOPES.includes(s))));
  assert.deepEqual(codes(granularRequired), scopesToAdd('granular', 'guide'));
  assert.deepEqual(new Set(codes(granularOptional)), new Set(scopesToAdd('granular').filter((s) => !scopesToAdd('granular', 'guide').includes(s))));
  for (const e of ZOOM_ENDPOINTS) {
    const row = readme.split('\n').find((l) => l.startsWith(`| ${e.name} |`));
    assert.ok(row, `README has no row for ${e.name}`);
    assert.deepEqual(codes(row), [e.path, e.scopes.classic[0], e.scopes.granular[0]], e.name);
    assert.match(row, e.paidOnly ? /Pro or higher/ : /\| any \|/);
    assert.match(row, e.inGuide ? /\| yes \|$/ : /\| optional \|$/);
  }
});

test("every endpoint the built-in rules allow is one the connector knows, and the other way round", () => {
  const matcher = new EndpointMatcher(loadApiRules(builtInRulesYaml('zoom')!));
  for (const e of ZOOM_ENDPOINTS) {
    const sample = e.path.replace('{userId}', 'u1').replace('{meetingId}', 'abc%252Fdef');
    assert.ok(matcher.match('GET', sample, null), `rules block ${e.path}`);
    assert.equal(endpointFor(sample), e, sample);
  }
});

test('scope families: either grants, a mix is reported, advice stays in the family the app uses', () => {
  const classic = new Set(ZOOM_GUIDE_CLASSIC_SCOPES);
  assert.equal(familyOf(classic), 'classic');
  assert.deepEqual(scopeReport(classic).disabled.map((d) => d.add), ['recording:read:admin', 'meeting_summary:read:admin']);
  assert.ok(ZOOM_ENDPOINTS.filter((e) => e.inGuide).every((e) => grants(classic, e)));
  const mixed = new Set(['user:read:admin', 'meeting:read:summary:admin']);
  const report = scopeReport(mixed);
  assert.equal(report.family, 'granular');
  assert.equal(report.mixed, true);
  assert.ok(!report.disabled.some((d) => d.endpoint.path === '/v2/users' || d.endpoint.path.endsWith('meeting_summary')));
  assert.ok(report.disabled.every((d) => d.add.split(':').length >= 4), 'granular advice for a granular app');
});
