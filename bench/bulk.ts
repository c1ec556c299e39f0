/**
 * Bulk throughput and memory: a generated CSV (default 1 GiB; BENCH_BULK_MB to change) through
 * columnar rules with two pseudonymized and one redacted column, against a bare csv-parse →
 * csv-stringify passthrough of the same file in the same run; then the same rules on a file a
 * quarter the size, to show that peak RSS does not grow with file size; a file of the same size
 * whose rows each carry one field of 3 MB (within the record limit), against the ordinary one; and
 * the peak RSS of refusing a file with one 256 MB field (over the limit). Temp files are removed.
 * Every run uses the same bounded heap (HEAP_FLAGS).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { emit } from './stats.ts';
import { seededRandom } from '../src/sources/catalogue/fake-org.ts';

async function generateCsv(path: string, megabytes: number): Promise<void> {
  const out = createWriteStream(path);
  const rnd = seededRandom(5);
  const depts = ['Engineering', 'Sales', 'Marketing', 'Finance', 'People'];
  out.write('employee_id,email,name,department,join_date,manager_id,score\n');
  let written = 0;
  let id = 0;
  while (written < megabytes * 1024 * 1024) {
    let chunk = '';
    for (let i = 0; i < 5000; i++) {
      id++;
      const d = depts[Math.floor(rnd() * depts.length)];
      chunk += `E${id},person.${id}@example-corp.com,Person Number ${id},${d},2019-0${1 + (id % 9)}-1${id % 10},E${Math.floor(id / 10)},${(rnd() * 100).toFixed(2)}\n`;
    }
    written += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * Rows whose redacted `name` is one quoted field of `fieldMB`, up to `megabytes` in all. The field
 * is written 1 MiB at a time: a child's peak RSS includes its parent's at spawn (Linux keeps
 * maxrss across exec), so the parent must not hold it.
 */
async function generateLargeFieldCsv(path: string, megabytes: number, fieldMB: number): Promise<void> {
  const out = createWriteStream(path);
  const mebibyte = 'n'.repeat(1024 * 1024);
  const write = async (s: string) => { if (!out.write(s)) await once(out, 'drain'); };
  await write('employee_id,email,name,department\n');
  for (let id = 1, written = 0; written < megabytes; id++, written += fieldMB) {
    await write(`E${id},person.${id}@example-corp.com,"`);
    for (let i = 0; i < fieldMB; i++) await write(mebibyte);
    await write('",People\n');
  }
  out.end();
  await once(out, 'finish');
}

/** Heap limits as a 128–256 MB function would set them; without them V8 grows lazily to ~300 MB. */
const HEAP_FLAGS = ['--max-old-space-size=64', '--max-semi-space-size=2'];

function runChild(mode: 'ours' | 'baseline' | 'over-limit', file: string): { seconds: number; bytes: number; rows: number; peakRssMB: number; refused: string | null } {
  const r = spawnSync(process.execPath, [...HEAP_FLAGS, fileURLToPath(new URL('./bulk-child.ts', import.meta.url)), mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`bulk bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ReturnType<typeof runChild>;
}

export async function benchBulk(): Promise<void> {
  const sizeMB = Number(process.env.BENCH_BULK_MB ?? 1024);
  const dir = mkdtempSync(join(tmpdir(), 'psoxy-bench-'));
  try {
    const big = join(dir, 'big.csv');
    const small = join(dir, 'small.csv');
    await generateCsv(big, sizeMB);
    await generateCsv(small, Math.max(1, Math.round(sizeMB / 4)));
    const baseline = runChild('baseline', big);
    const ours = runChild('ours', big);
    const oursSmall = runChild('ours', small);
    const mbps = (r: typeof ours) => r.bytes / 1e6 / r.seconds;
    emit({ name: `bulk-csv-baseline-csv-parse-${sizeMB}MB`, mbPerSec: mbps(baseline), rowsPerSec: baseline.rows / baseline.seconds, peakRssMB: baseline.peakRssMB });
    emit({ name: `bulk-csv-${sizeMB}MB`, ratio: mbps(ours) / mbps(baseline), mbPerSec: mbps(ours), rowsPerSec: ours.rows / ours.seconds, peakRssMB: ours.peakRssMB, rows: ours.rows });
    emit({ name: `bulk-csv-${Math.round(sizeMB / 4)}MB`, mbPerSec: mbps(oursSmall), rowsPerSec: oursSmall.rows / oursSmall.seconds, peakRssMB: oursSmall.peakRssMB, rows: oursSmall.rows });
    const largeFields = join(dir, 'large-fields.csv');
    await generateLargeFieldCsv(largeFields, Math.max(8, Math.round(sizeMB / 4)), 3);
    const oursLarge = runChild('ours', largeFields);
    emit({ name: 'bulk-csv-3MB-fields', ratio: mbps(oursLarge) / mbps(oursSmall), mbPerSec: mbps(oursLarge), peakRssMB: oursLarge.peakRssMB, rows: oursLarge.rows });
    rmSync(largeFields);
    const overLimit = join(dir, 'over-limit.csv');
    await generateLargeFieldCsv(overLimit, 256, 256);
    const refused = runChild('over-limit', overLimit);
    emit({ name: 'bulk-csv-256MB-field-refused', peakRssMB: refused.peakRssMB, seconds: refused.seconds, refused: refused.refused });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
