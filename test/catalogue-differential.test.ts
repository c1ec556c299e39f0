// Our built-in rules against psoxy's, on far more responses than psoxy's examples: for every
// connector whose psoxy rules file is in ../shared/conformance (read in place, never copied), the
// simulator's responses for each example call, psoxy's own example responses, and fast-check
// variations of both (values replaced by odd strings, emails, numbers, nulls, arrays and objects;
// keys added and removed; arrays wrapped, emptied, duplicated) go through our engine once with
// psoxy's file and once with our rules, and must come out the same. The only differences allowed
// are the ones we chose (helpers/deliberate-differences.ts, each with its reason), and only where
// ours protects more. psoxy's Java differential corpus (fuzz/mutations) must pass with our rules too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { loadApiRules } from '../src/rules/load.ts';
import { Sanitizer } from '../src/sanitizer/sanitizer.ts';
import { parseJson } from '../src/json/json.ts';
import { mutate, mutationArb, outcome, show, unexplained } from './helpers/rules-differential.ts';
import { PAIRS, compare, conformancePresent, conformanceRoot, corpus, readManifest, sanitizers, testPseudonymizer } from './helpers/differential-corpus.ts';
import { DELIBERATE } from './helpers/deliberate-differences.ts';

const skip = !conformancePresent && 'shared/conformance is not here';
/** Responses as providers send them must never fail with ours where psoxy's rules pass them. */
const AS_SENT = DELIBERATE.filter((d) => d.ours !== 'fails-closed');
/** How often each deliberate difference excused one (reported at the end). */
const used = new Map<string, number>();
let calls = 0;

for (const pair of PAIRS) {
  test(`${pair.id}: simulator and psoxy example responses come out as with psoxy's ${pair.name} rules`, { skip }, () => {
    const { psoxy, ours } = sanitizers(pair);
    const failures: string[] = [];
    const all = corpus(pair);
    for (const c of all) {
      calls++;
      const found = unexplained(pair.id, compare(outcome(psoxy, c.method, c.url, c.body), outcome(ours, c.method, c.url, c.body)), AS_SENT, used);
      failures.push(...found.map((d) => `${c.from} ${c.method} ${c.url}: ${show(d)}`));
    }
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} unexplained differences`);
    assert.ok(all.length > 0);
    // Calls both rules files block compare nothing: only a `_no-groups` variant's group calls may be such.
    const vacuous = all.filter((c) => !psoxy.isAllowed(c.method, c.url) && !ours.isAllowed(c.method, c.url));
    assert.deepEqual(vacuous.filter((c) => !(pair.id.endsWith('_no-groups') && c.url.startsWith('/v1.0/groups'))).map((c) => `${c.method} ${c.url}`), []);
  });

  test(`property: ${pair.id}: varied responses come out as with psoxy's ${pair.name} rules`, { skip }, () => {
    const { psoxy, ours } = sanitizers(pair);
    const all = corpus(pair);
    fc.assert(fc.property(fc.nat(all.length - 1), mutationArb, (i, mutations) => {
      calls++;
      const c = all[i];
      const body = mutate(c.body, mutations);
      const found = unexplained(pair.id, compare(outcome(psoxy, c.method, c.url, body), outcome(ours, c.method, c.url, body)), DELIBERATE, used);
      assert.deepEqual(found.map(show), [], `${c.from} ${c.method} ${c.url}`);
    }), { numRuns: Number(process.env.DIFFERENTIAL_RUNS ?? 150), ...(process.env.DIFFERENTIAL_SEED ? { seed: Number(process.env.DIFFERENTIAL_SEED) } : {}) });
  });
}

/**
 * URLs our rules allow though psoxy's block: none, but for these (our rules are one generator for
 * both Teams variants; Graph's meeting and report ids are base64 and may end in `=`, which psoxy's
 * `_no-userIds` pattern refuses). The response of such a call is sanitized like any other.
 */
const LOOSER_URLS: readonly { connectors: RegExp; url: RegExp; reason: string }[] = [
  { connectors: /^msft-teams_no-userIds$/, url: /\/onlineMeetings\/[^/?]+\/attendanceReports(\/[^/?]+)?(\?|$)/, reason: 'meeting and report ids: any segment, as in the default variant' },
];

/** A call and variations of it: no query, an unknown parameter, one more segment, other methods, each segment an email. */
function urlVariants(method: string, url: string): [string, string][] {
  const [path, query] = url.split('?', 2);
  const q = query === undefined ? '' : `?${query}`;
  const out: [string, string][] = [[method, url], [method, path], [method, `${path}?foo=bar`], [method, `${path}/extra${q}`], ['POST', url], ['DELETE', url], ['PUT', url]];
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) out.push([method, [...segments.slice(0, i), 'alice@acme.com', ...segments.slice(i + 1)].join('/') + q]);
  return out;
}

for (const pair of PAIRS) {
  test(`${pair.id}: no call psoxy's ${pair.name} rules block is allowed by ours (calls and variations of them)`, { skip }, () => {
    const { psoxy, ours } = sanitizers(pair);
    const looser: string[] = [];
    const urls = new Set(corpus(pair).map((c) => `${c.method} ${c.url.replace(/^https?:\/\/[^/]+/, '')}`));
    for (const call of urls) {
      const [method, url] = [call.slice(0, call.indexOf(' ')), call.slice(call.indexOf(' ') + 1)];
      for (const [m, u] of urlVariants(method, url)) {
        if (psoxy.isAllowed(m, u) || !ours.isAllowed(m, u)) continue;
        if (!LOOSER_URLS.some((x) => x.connectors.test(pair.id) && x.url.test(u))) looser.push(`${m} ${u}`);
      }
    }
    assert.deepEqual(looser, []);
  });
}

test('psoxy\'s differential corpus (fuzz/mutations) comes out as psoxy\'s Java made it, with our built-in rules', { skip }, () => {
  const dir = conformanceRoot + 'fuzz/mutations/';
  const ours = new Map(PAIRS.map((p) => [p.name, { id: p.id, s: new Sanitizer(loadApiRules(p.yaml, p.id), testPseudonymizer()) }]));
  const failures: string[] = [];
  let ran = 0;
  for (const k of readManifest(dir + 'manifest.json')) {
    const mine = ours.get(k.connector);
    // A few cases use another salt or key; the pairs' pseudonymizer has psoxy's test ones.
    if (!mine || k.config?.salt !== 'salt' || k.config.encryptionKey !== 'secret') continue;
    ran++;
    const expected = { out: readFileSync(dir + k.sanitized!, 'utf8').trim().split('\n').map((l) => parseJson(l)) };
    const got = outcome(mine.s, k.method ?? 'GET', k.requestUrl!, readFileSync(dir + k.original!, 'utf8'));
    failures.push(...unexplained(mine.id, compare(expected, got), DELIBERATE, used).map((d) => `${k.original} ${k.requestUrl}: ${show(d)}`));
  }
  calls += ran;
  assert.deepEqual(failures, []);
  assert.ok(ran > 1500, `only ${ran} cases ran`);
});

test('the deliberate differences met, and how often', { skip }, (t) => {
  t.diagnostic(`${calls} responses compared`);
  for (const [reason, n] of [...used].sort((a, b) => b[1] - a[1])) t.diagnostic(`${n}× ${reason}`);
});
