// Our built-in bulk rules against psoxy's, as catalogue-differential.test.ts does for API rules:
// for each bulk connector whose psoxy rules file is in ../shared/conformance (read in place), the
// connector's example files (made from fake organisations), psoxy's example files, and fast-check
// variations of one record of each go through our bulk engine with psoxy's file and with our rules,
// and must come out the same, record by record, except the listed choices where ours protects more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import { BULK_CONNECTORS } from '../src/sources/catalogue/registry.ts';
import { generateFakeOrg } from '../src/sources/catalogue/fake-org.ts';
import { loadBulkRules, type BulkRules } from '../src/bulk/rules.ts';
import { sanitizeStream } from '../src/bulk/process.ts';
import { parseJson } from '../src/json/json.ts';
import { differences, mutate, mutationArb, show, unexplained, type DeliberateDifference, type Difference } from './helpers/rules-differential.ts';
import { conformancePresent, conformanceRoot, readManifest, testPseudonymizer } from './helpers/differential-corpus.ts';

const skip = !conformancePresent && 'shared/conformance is not here';

/** Where our bulk rules protect more than psoxy's (each also said in the connector's notes). */
const DELIBERATE_BULK: readonly DeliberateDifference[] = [
  {
    connectors: /^slack-discovery-bulk$/, at: /^\$\.(profile\.[a-z_0-9]+|real_name|name|name_normalized|previous_names|topic|purpose|text|blocks|attachments|files|user_profile|channel_name)$/, ours: 'empties',
    reason: 'Slack discovery export: psoxy drops only users\' name / real_name and messages\' text; ours also redact the profile (display name, phone, title, status, avatars), conversation names, topics and purposes, and messages\' blocks, attachments, files and user profile (bulk/slack.ts)',
  },

];

interface FileCase { objectPath: string; text: string; from: string }

type BulkOutcome = { records: ReturnType<typeof parseJson>[] } | { error: string };

/**
 * psoxy's outcome for a file. psoxy's Slack rules name only `.ndjson.gz` keys and refuse a plain
 * `.ndjson` one; ours take both (bulk/slack.ts). Where psoxy refuses such a key, its outcome for the
 * same content under the `.gz` key is what ours must equal, so the plain key is still compared.
 */
async function runPsoxy(rules: BulkRules, c: FileCase, text = c.text): Promise<BulkOutcome> {
  const o = await run(rules, c, text);
  if ('error' in o && c.objectPath.endsWith('.ndjson')) return await run(rules, { ...c, objectPath: c.objectPath + '.gz' }, text);
  return o;
}

async function run(rules: BulkRules, c: FileCase, text = c.text): Promise<BulkOutcome> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (d: Buffer) => chunks.push(d));
  try {
    await sanitizeStream(Readable.from([Buffer.from(text)]), out, {
      rules, objectPath: c.objectPath, pseudonymizer: testPseudonymizer(), decompress: true, compress: false, shuffleChunkSize: 1,
    });
  } catch (e) {
    return { error: (e as Error).name };
  }
  return { records: Buffer.concat(chunks).toString('utf8').split('\n').filter((l) => l.trim() !== '').map((l) => parseJson(l)) };
}

function compare(psoxy: BulkOutcome, ours: BulkOutcome): Difference[] {
  if ('error' in psoxy || 'error' in ours) {
    const kind = (o: BulkOutcome) => ('error' in o ? `error ${o.error}` : 'output');
    return kind(psoxy) === kind(ours) ? [] : [{ at: '(outcome)', psoxy: kind(psoxy), ours: kind(ours) }];
  }
  if (psoxy.records.length !== ours.records.length) return [{ at: '(records)', psoxy: psoxy.records.length, ours: ours.records.length }];
  return psoxy.records.flatMap((r, i) => differences(r, ours.records[i]));
}

const manifest = conformancePresent ? readManifest(conformanceRoot + 'manifest.json') : [];
const pairs = BULK_CONNECTORS.flatMap((c) => c.conformance.map((name) => ({ connector: c, name })));
const used = new Map<string, number>();

for (const { connector, name } of pairs) {
  const files = (): FileCase[] => {
    const cases: FileCase[] = [];
    for (const [seed, people] of [[1, 1], [2, 4], [3, 9]]) {
      const org = generateFakeOrg({ seed, people });
      for (const e of connector.examples) cases.push({ objectPath: e.objectPath, text: e.generate(org).text, from: `example ${e.objectPath}` });
    }
    for (const k of manifest.filter((m) => m.kind === 'bulk' && m.connector === name)) {
      cases.push({ objectPath: (k as { objectPath?: string }).objectPath!, text: readFileSync(conformanceRoot + 'psoxy/' + k.original!, 'utf8'), from: `psoxy ${k.original!.split('/').at(-1)}` });
    }
    return cases;
  };
  const rules = () => {
    const file = manifest.find((k) => k.connector === name)!.rulesFile;
    return { psoxy: loadBulkRules(readFileSync(conformanceRoot + 'psoxy/' + file, 'utf8'), file), ours: loadBulkRules(connector.rules, connector.id) };
  };

  test(`${connector.id}: example files and psoxy's come out as with psoxy's ${name} rules`, { skip }, async () => {
    const { psoxy, ours } = rules();
    const failures: string[] = [];
    for (const c of files()) {
      const found = unexplained(connector.id, compare(await runPsoxy(psoxy, c), await run(ours, c)), DELIBERATE_BULK, used);
      failures.push(...found.map((d) => `${c.from}: ${show(d)}`));
    }
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} unexplained differences`);
  });

  test(`property: ${connector.id}: varied records come out as with psoxy's ${name} rules`, { skip }, async () => {
    const { psoxy, ours } = rules();
    const all = files().filter((c) => c.objectPath.includes('.ndjson'));
    await fc.assert(fc.asyncProperty(fc.nat(all.length - 1), fc.nat(), mutationArb, async (i, line, mutations) => {
      const c = all[i];
      const lines = c.text.split('\n').filter((l) => l.trim() !== '');
      const at = line % lines.length;
      lines[at] = mutate(lines[at], mutations);
      const text = lines.join('\n') + '\n';
      const found = unexplained(connector.id, compare(await runPsoxy(psoxy, c, text), await run(ours, c, text)), DELIBERATE_BULK, used);
      assert.deepEqual(found.map(show), [], `${c.from} line ${at}`);
    }), { numRuns: Number(process.env.DIFFERENTIAL_RUNS ?? 100) });
  });
}

test('bulk: the deliberate differences met, and how often', { skip }, (t) => {
  assert.ok(pairs.length >= 3, 'slack-discovery-bulk (two psoxy files) and workdata-generic');
  for (const [reason, n] of used) t.diagnostic(`${n}× ${reason}`);
});
