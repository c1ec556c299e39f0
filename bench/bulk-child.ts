/**
 * One bulk benchmark run in its own process (so peak RSS is its own): `ours <file>` streams the
 * file through our columnar sanitizer, `baseline <file>` through a bare csv-parse → csv-stringify
 * passthrough, `over-limit <file>` through our sanitizer expecting the record limit to refuse it.
 * All write to /dev/null. Prints one JSON line.
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { loadBulkRules } from '../src/bulk/rules.ts';
import { sanitizeStream, type BulkProgress } from '../src/bulk/process.ts';
import { Pseudonymizer } from '../src/pseudonym/pseudonymizer.ts';

const [mode, file] = process.argv.slice(2);
const started = process.hrtime.bigint();
const progress: BulkProgress = { rows: 0, bytesIn: 0 };
const ours = () => sanitizeStream(createReadStream(file, { highWaterMark: 1 << 20 }), createWriteStream('/dev/null'), {
  rules: loadBulkRules('pseudonymFormat: URL_SAFE_TOKEN\ncolumnsToPseudonymize: [employee_id, email]\ncolumnsToRedact: [name]'),
  objectPath: 'bench.csv', pseudonymizer: new Pseudonymizer({ salt: 'bench-salt' }), decompress: false, compress: false, progress,
});
let refused: string | null = null;
if (mode === 'ours') {
  await ours();
} else if (mode === 'over-limit') {
  refused = await ours().then(() => null, (e: Error) => e.message);
  if (refused === null) throw new Error('the over-limit file was not refused');
} else {
  let rows = 0;
  await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), parse({ trim: true }), async function* (records: AsyncIterable<string[]>) {
    for await (const r of records) { rows++; yield r; }
  }, stringify(), createWriteStream('/dev/null'));
  progress.rows = rows - 1;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const bytes = statSync(file).size;
console.log(JSON.stringify({ seconds, bytes, rows: progress.rows, peakRssMB: process.resourceUsage().maxRSS / 1024, refused }));
