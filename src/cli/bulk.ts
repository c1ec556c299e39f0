/**
 * `psoxy bulk <input> --rules <file|built-in> [-o <output>]`: sanitizes a local CSV / NDJSON /
 * JSON-array file (or stdin) as bulk mode does in a bucket. Output goes to a temporary file renamed
 * into place on success, so a failure leaves no partial output. Shows a progress bar on a terminal
 * (rows, MB/s, ETA) and prints a one-line summary otherwise.
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { Command, Option } from 'commander';
import { loadBulkRules, type RecordFormat } from '../bulk/rules.ts';
import { rulesForObject } from '../bulk/multi.ts';
import { effectiveContentType, sanitizeStream, type BulkProgress } from '../bulk/process.ts';
import { Pseudonymizer } from '../pseudonym/pseudonymizer.ts';
import { DEFAULT_MAX_RECORD_BYTES, MAX_RECORD_BYTES_SETTING } from '../bulk/record-limit.ts';
import { action, oneOf, UsageError, wholeNumber } from './options.ts';
import { readRules } from './rules-ref.ts';

const OUTPUT_FORMATS: readonly Exclude<RecordFormat, 'AUTO' | 'PARQUET'>[] = ['NDJSON', 'CSV', 'JSON_ARRAY'];

interface BulkOptions {
  rules: string; output?: string; salt?: string; encryptionKey?: string; objectPath?: string;
  outputFormat?: RecordFormat; shuffle: boolean; maxRecordBytes: number;
}

async function bulk(input: string, values: BulkOptions): Promise<number> {
  const salt = values.salt;
  if (!salt) throw new UsageError('needs --salt (or PSOXY_SALT in the environment)');
  const { text, file } = readRules(values.rules);
  const rules = loadBulkRules(text, file);
  const objectPath = values.objectPath ?? (input === '-' ? 'stdin' : basename(input));
  const outputFormat = values.outputFormat;
  // Columnar rules write CSV as they read it (psoxy: BULK_OUTPUT_FORMAT is for record rules).
  if (outputFormat && rulesForObject(rules, objectPath)?.kind === 'columnar') {
    throw new UsageError(`--output-format applies to record rules only; ${file} has columnar rules for ${objectPath}, which always write CSV`);
  }
  const maxRecordBytes = values.maxRecordBytes;
  const total = input === '-' ? null : statSync(input).size;
  const progress: BulkProgress = { rows: 0, bytesIn: 0 };
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  const timer = tty ? setInterval(() => process.stderr.write(`\r${progressLine(progress, total, started)}`), 200) : null;
  const tmp = values.output ? `${values.output}.tmp-${process.pid}` : null;
  try {
    await sanitizeStream(input === '-' ? process.stdin : createReadStream(input, { highWaterMark: 1 << 20 }), tmp ? createWriteStream(tmp) : process.stdout, {
      rules, objectPath, contentType: effectiveContentType(null, objectPath), outputFormat: outputFormat ?? null,
      pseudonymizer: new Pseudonymizer({ salt, encryptionKey: values.encryptionKey ?? null }),
      decompress: objectPath.endsWith('.gz'), compress: values.output?.endsWith('.gz') ?? false,
      shuffleChunkSize: values.shuffle ? 500 : 1,
      warn: (m) => process.stderr.write(`${tty ? '\r\x1b[2K' : ''}warning: ${m}\n`),
      progress,
      maxRecordBytes,
    });
    if (tmp) await rename(tmp, values.output!);
  } catch (e) {
    if (tmp) await rm(tmp, { force: true });
    throw e;
  } finally {
    if (timer) clearInterval(timer);
  }
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write(`${tty ? '\r\x1b[2K' : ''}sanitized ${progress.rows} rows, ${(progress.bytesIn / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s (${(progress.bytesIn / 1e6 / Math.max(seconds, 1e-3)).toFixed(1)} MB/s)${values.output ? ` → ${values.output}` : ''}\n`);
  return 0;
}

function progressLine(p: BulkProgress, total: number | null, started: number): string {
  const seconds = (Date.now() - started) / 1000;
  const rate = p.bytesIn / 1e6 / Math.max(seconds, 1e-3);
  if (total === null) return `${p.rows} rows, ${(p.bytesIn / 1e6).toFixed(1)} MB, ${rate.toFixed(1)} MB/s`;
  const frac = Math.min(1, p.bytesIn / Math.max(total, 1));
  const bar = '#'.repeat(Math.round(frac * 30)).padEnd(30, '.');
  const eta = rate > 0 ? (total - p.bytesIn) / 1e6 / rate : 0;
  return `[${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${p.rows} rows ${rate.toFixed(1)} MB/s ETA ${eta.toFixed(0)} s `;
}

export function bulkCommand(): Command {
  return new Command('bulk')
    .description('sanitize a CSV / NDJSON / JSON-array file (or stdin) with bulk rules, as bulk mode does in a bucket')
    .argument('<input>', 'the file to sanitize (.gz is gunzipped), or - for stdin')
    .requiredOption('--rules <file|name>', 'bulk rules: a rules file or a built-in name (psoxy rules list)')
    .option('-o, --output <file>', 'write here (.gz is gzipped) instead of stdout; written only if the whole file succeeds')
    .addOption(new Option('--salt <salt>', 'the pseudonym salt').env('PSOXY_SALT'))
    .addOption(new Option('--encryption-key <key>', 'the key for reversible (p~) pseudonyms').env('PSOXY_ENCRYPTION_KEY'))
    .option('--object-path <path>', 'the object path fileRules templates match (default: the input file name)')
    .addOption(new Option('--output-format <format>', `the output of record rules: ${OUTPUT_FORMATS.join(', ')} (default: the input's; columnar rules always write CSV)`).argParser(oneOf('--output-format', OUTPUT_FORMATS, (v) => v.toUpperCase())))
    .option('--no-shuffle', 'keep the input row order (psoxy shuffles rows in chunks of 500)')
    .addOption(new Option('--max-record-bytes <n>', 'fail the file on a row, line or array element over n bytes')
      .env(MAX_RECORD_BYTES_SETTING).default(DEFAULT_MAX_RECORD_BYTES).argParser(wholeNumber(`--max-record-bytes (or ${MAX_RECORD_BYTES_SETTING})`, 1)))
    .addHelpText('after', `
Examples:
  $ psoxy bulk examples/zoom-ai-metrics.csv --rules zoom-ai-metrics --salt "$PSOXY_SALT" -o sanitized.csv
  $ psoxy bulk examples/events.ndjson --rules examples/events-rules.yaml --output-format JSON_ARRAY -o events.json
  $ psoxy bulk export.ndjson.gz --rules rules.yaml -o out.ndjson.gz
  $ cat people.csv | psoxy bulk - --rules rules.yaml --object-path hris/people.csv`)
    .action(action(bulk));
}
