/**
 * `psoxy bulk <input> --rules <file|built-in> [-o <output>]`: sanitizes a local CSV / NDJSON /
 * JSON-array file (or stdin) as bulk mode does in a bucket. Output goes to a temporary file renamed
 * into place on success, so a failure leaves no partial output. Shows a progress bar on a terminal
 * (rows, MB/s, ETA) and prints a one-line summary otherwise.
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadBulkRules, type RecordFormat } from '../bulk/rules.ts';
import { effectiveContentType, sanitizeStream, type BulkProgress } from '../bulk/process.ts';
import { Pseudonymizer } from '../pseudonym/pseudonymizer.ts';
import { builtInBulkRulesYaml } from '../sources/index.ts';
import { MAX_RECORD_BYTES_SETTING, parseMaxRecordBytes } from '../bulk/record-limit.ts';

export async function cmdBulk(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      rules: { type: 'string' }, output: { type: 'string', short: 'o' }, salt: { type: 'string' },
      'encryption-key': { type: 'string' }, 'object-path': { type: 'string' }, 'output-format': { type: 'string' },
      'no-shuffle': { type: 'boolean', default: false }, 'max-record-bytes': { type: 'string' },
    },
  });
  const input = positionals[0];
  if (!input || !values.rules) throw new Error('usage: psoxy bulk <input|-> --rules <file|built-in> [-o <output>] [--salt S]');
  const salt = values.salt ?? process.env.PSOXY_SALT;
  if (!salt) throw new Error('bulk needs --salt (or PSOXY_SALT in the environment)');
  const builtIn = builtInBulkRulesYaml(values.rules);
  const rules = loadBulkRules(builtIn ?? (await import('node:fs')).readFileSync(values.rules, 'utf8'), builtIn ? `built-in:${values.rules}` : values.rules);
  const objectPath = values['object-path'] ?? (input === '-' ? 'stdin' : basename(input));
  const outputFormat = values['output-format'] as RecordFormat | undefined;
  if (outputFormat && !['NDJSON', 'CSV', 'JSON_ARRAY'].includes(outputFormat)) throw new Error('--output-format must be NDJSON, CSV or JSON_ARRAY');
  const maxRecordBytes = parseMaxRecordBytes(values['max-record-bytes'] ?? process.env[MAX_RECORD_BYTES_SETTING]);
  const total = input === '-' ? null : statSync(input).size;
  const progress: BulkProgress = { rows: 0, bytesIn: 0 };
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  const timer = tty ? setInterval(() => process.stderr.write(`\r${progressLine(progress, total, started)}`), 200) : null;
  const tmp = values.output ? `${values.output}.tmp-${process.pid}` : null;
  try {
    await sanitizeStream(input === '-' ? process.stdin : createReadStream(input, { highWaterMark: 1 << 20 }), tmp ? createWriteStream(tmp) : process.stdout, {
      rules, objectPath, contentType: effectiveContentType(null, objectPath), outputFormat: outputFormat ?? null,
      pseudonymizer: new Pseudonymizer({ salt, encryptionKey: values['encryption-key'] ?? process.env.PSOXY_ENCRYPTION_KEY ?? null }),
      decompress: objectPath.endsWith('.gz'), compress: values.output?.endsWith('.gz') ?? false,
      shuffleChunkSize: values['no-shuffle'] ? 1 : 500,
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
