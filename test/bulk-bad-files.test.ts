// Bulk mode against broken and hostile files, each run three ways users meet it: the `psoxy bulk`
// CLI (file in, file out), the S3 Lambda handler and the GCS function handler (real clients against
// local fakes). For each file: psoxy's behaviour where bulk.md gives it, otherwise a clear error;
// never a crash, never a partial output, never a redacted or raw identifying value in the output,
// the error or the logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Storage } from '@google-cloud/storage';
import { createS3BulkHandler } from '../src/runtimes/aws/bulk-handler.ts';
import { createGcsBulkHandler } from '../src/runtimes/gcp/bulk-function.ts';
import { ConfigService } from '../src/config/config-service.ts';
import { memoryLogger } from '../src/logging/logger.ts';
import { FakeS3 } from './fakes/s3-fake.ts';
import { FakeGcs } from './fakes/gcs-fake.ts';

const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const SALT = 'salt';
/** Values that must never come out anywhere: redacted, or identifying before pseudonymization. */
const NEVER_OUT = ['SECRET-', 'person_1@acme.com'];

/** Columnar rules that redact `Secret` and pass every other column through, so parsing shows in the output. */
const PASS_THROUGH = 'columnsToRedact: [Secret]\n';
const NDJSON_RULES = 'format: NDJSON\ntransforms:\n  - pseudonymize: "$.email"\n  - redact: "$.secret"\n';
const JSON_ARRAY_RULES = 'format: JSON_ARRAY\ntransforms:\n  - pseudonymize: "$.email"\n  - redact: "$.secret"\n';
const CSV_RECORD_RULES = 'format: CSV\ntransforms:\n  - redact: "$.Secret"\n';

/** Zoom AI Metrics (built-in rules), with the output psoxy's own test gives for salt `salt`. */
const ZOOM_HEADER = 'User Name,Email,Action,Feature used,Department,';
const ZOOM_ROW = 'person 1,person_1@acme.com,13,Meeting summary,SECRET-PMO,';
const ZOOM_OUT = (eol: string) => `User Name,Email,Action,Feature used,${eol}t~GI144xrPnMS9IwneeTEzMfcC2zowYSHHhVaReTIDXeo,t~-MFHtQFQtPUXyclPE-B71x_F4jJStaMz9ZN-kWFE4_o@acme.com,13,Meeting summary,${eol}`;

interface BadFile {
  name: string;
  key: string;
  body: Buffer;
  /** Built-in rules by name, or rules YAML. */
  rules: { source: string } | { yaml: string };
  contentEncoding?: string;
  maxRecordBytes?: number;
  /** BULK_OUTPUT_FORMAT / --output-format. */
  outputFormat?: 'CSV';
  expect: { output: string } | { error: RegExp };
}

const text = (s: string) => Buffer.from(s, 'utf8');
const big = (n: number) => 'x'.repeat(n);

const FILES: BadFile[] = [
  { name: 'ordinary Zoom AI Metrics export (CRLF)', key: 'ai.csv', body: text(`${ZOOM_HEADER}\r\n${ZOOM_ROW}\r\n`), rules: { source: 'zoom-ai-metrics' }, expect: { output: ZOOM_OUT('\r\n') } },
  { name: 'BOM', key: 'ai.csv', body: text(`\ufeff${ZOOM_HEADER}\r\n${ZOOM_ROW}\r\n`), rules: { source: 'zoom-ai-metrics' }, expect: { output: ZOOM_OUT('\r\n') } },
  { name: 'LF line endings', key: 'ai.csv', body: text(`${ZOOM_HEADER}\n${ZOOM_ROW}\n`), rules: { source: 'zoom-ai-metrics' }, expect: { output: ZOOM_OUT('\n') } },
  { name: 'mixed line endings: the first one is kept', key: 'ai.csv', body: text(`${ZOOM_HEADER}\r\n${ZOOM_ROW}\n\n`), rules: { source: 'zoom-ai-metrics' }, expect: { output: ZOOM_OUT('\r\n') } },
  { name: 'lone-CR line endings', key: 'ai.csv', body: text(`${ZOOM_HEADER}\r${ZOOM_ROW}\r`), rules: { source: 'zoom-ai-metrics' }, expect: { output: ZOOM_OUT('\r') } },
  { name: 'header only', key: 'ai.csv', body: text(`${ZOOM_HEADER}\r\n`), rules: { source: 'zoom-ai-metrics' }, expect: { output: 'User Name,Email,Action,Feature used,\r\n' } },
  { name: 'empty file', key: 'ai.csv', body: Buffer.alloc(0), rules: { source: 'zoom-ai-metrics' }, expect: { error: /the CSV file has no header row/ } },
  { name: 'named .gz but not gzip: read as plain', key: 'ai.csv.gz', body: text(`${ZOOM_HEADER}\n${ZOOM_ROW}\n`), rules: { source: 'zoom-ai-metrics' }, expect: { output: ZOOM_OUT('\n') } },
  { name: 'gzip, truncated', key: 'ai.csv.gz', contentEncoding: 'gzip', body: gzipSync(text(`${ZOOM_HEADER}\n${ZOOM_ROW}\n`.repeat(50))).subarray(0, 60), rules: { source: 'zoom-ai-metrics' }, expect: { error: /not valid gzip \(unexpected end of file\)/ } },
  { name: 'unterminated quote', key: 'p.csv', body: text('Name,Secret,Team\r\n"Ann,SECRET-1,eng\r\nBob,SECRET-2,ops\r\n'), rules: { yaml: PASS_THROUGH }, expect: { error: /unterminated quoted field starting on line 2/ } },
  { name: 'unterminated quote early in a file larger than the record limit', key: 'p.csv', maxRecordBytes: 1000, body: text(`Name,Secret,Team\r\n"Ann,SECRET-1,eng\r\n${'Bob,SECRET-2,ops\r\n'.repeat(200)}`), rules: { yaml: PASS_THROUGH }, expect: { error: /line 2: the record is over 1000 bytes \(BULK_MAX_RECORD_BYTES\)/ } },
  { name: 'stray quote inside an unquoted field is data', key: 'p.csv', body: text('Name,Secret,Team\nAn"n,SECRET-1,e"ng\n'), rules: { yaml: PASS_THROUGH }, expect: { output: 'Name,Team\n"An""n","e""ng"\n' } }, // MINIMAL quoting quotes a value holding a quote
  { name: 'NUL bytes are data', key: 'p.csv', body: text('Name,Secret,Team\nA\u0000n,SECRET-\u0000,eng\n'), rules: { yaml: PASS_THROUGH }, expect: { output: 'Name,Team\nA\u0000n,eng\n' } },
  { name: 'invalid UTF-8 reads as U+FFFD', key: 'p.csv', body: Buffer.concat([text('Name,Secret,Team\nA'), Buffer.from([0xff, 0xfe]), text('n,SECRET-1,eng\n')]), rules: { yaml: PASS_THROUGH }, expect: { output: 'Name,Team\nA\ufffd\ufffdn,eng\n' } },
  { name: 'duplicate headers: first spelling, last position (commons-csv)', key: 'p.csv', body: text('Name,name,Secret,Team\nAnn,Bo,SECRET-1,eng\n'), rules: { yaml: PASS_THROUGH }, expect: { output: 'Name,Team\nBo,eng\n' } },
  { name: 'blank header passes through (columnar)', key: 'p.csv', body: text('Name,,Secret,Team\nAnn,x,SECRET-1,eng\n'), rules: { yaml: PASS_THROUGH }, expect: { output: 'Name,,Team\nAnn,x,eng\n' } },
  { name: 'more columns than the header: extras dropped', key: 'p.csv', body: text('Name,Secret,Team\nAnn,SECRET-1,eng,extra,more\n'), rules: { yaml: PASS_THROUGH }, expect: { output: 'Name,Team\nAnn,eng\n' } },
  { name: 'fewer columns than the header', key: 'p.csv', body: text('Name,Secret,Team\nAnn,SECRET-1,eng\nBob,SECRET-2\n'), rules: { yaml: PASS_THROUGH }, expect: { error: /line 3: the row has 2 values but the header has 3 columns/ } },
  { name: 'one field within the limit, long', key: 'p.csv', maxRecordBytes: 100_000, body: text(`Name,Secret,Team\n"${big(90_000)}",SECRET-${big(5000)},eng\n`), rules: { yaml: PASS_THROUGH }, expect: { output: `Name,Team\n${big(90_000)},eng\n` } },
  { name: 'one field over the limit (redacted anyway)', key: 'p.csv', maxRecordBytes: 100_000, body: text(`Name,Secret,Team\nAnn,SECRET-${big(200_000)},eng\n`), rules: { yaml: PASS_THROUGH }, expect: { error: /line 2: the record is over 100000 bytes/ } },
  { name: 'one field over the default limit', key: 'p.csv', body: text(`Name,Secret,Team\nAnn,SECRET-${big(4_200_000)},eng\n`), rules: { yaml: PASS_THROUGH }, expect: { error: /line 2: the record is over 4194304 bytes/ } },
  { name: 'CSV record rules: blank header', key: 'r.csv', body: text('Name,,Secret\nAnn,x,SECRET-1\n'), rules: { yaml: CSV_RECORD_RULES }, expect: { error: /blank column name/ } },
  { name: 'NDJSON: CRLF and blank lines', key: 'r.ndjson', body: text('{"email":"person_1@acme.com","secret":"SECRET-1"}\r\n\r\n\r\n{"n":2}\r\n'), rules: { yaml: NDJSON_RULES }, expect: { output: '{"email":"t~-MFHtQFQtPUXyclPE-B71x_F4jJStaMz9ZN-kWFE4_o@acme.com","secret":null}\n{"n":2}\n' } },
  { name: 'NDJSON: an invalid line', key: 'r.ndjson', body: text('{"email":"person_1@acme.com"}\n{"secret":"SECRET-1"\n'), rules: { yaml: NDJSON_RULES }, expect: { error: /line 2 is not valid JSON/ } },
  { name: 'NDJSON: a line that is not an object', key: 'r.ndjson', body: text('["SECRET-1"]\n'), rules: { yaml: NDJSON_RULES }, expect: { error: /line 1: Supported NDJSON contract requires each line to be a JSON object/ } },
  { name: 'NDJSON: nesting deeper than Jackson allows', key: 'r.ndjson', body: text(`${'{"a":'.repeat(5000)}"SECRET-1"${'}'.repeat(5000)}\n`), rules: { yaml: NDJSON_RULES }, expect: { error: /line 1: nesting deeper than 1000/ } },
  { name: 'NDJSON: one line over the limit', key: 'r.ndjson', maxRecordBytes: 1000, body: text(`{"n":1}\n{"secret":"SECRET-${big(5000)}"}\n`), rules: { yaml: NDJSON_RULES }, expect: { error: /line 2: the record is over 1000 bytes/ } },
  { name: 'NDJSON → CSV: a lone surrogate (a \\ud800 escape) is written as ? (Java\'s encoder)', key: 'r.ndjson', outputFormat: 'CSV', body: text('{"email":"person_1@acme.com","n":"a\\ud800b"}\n'), rules: { yaml: NDJSON_RULES }, expect: { output: 'email,n\nt~-MFHtQFQtPUXyclPE-B71x_F4jJStaMz9ZN-kWFE4_o@acme.com,a?b\n' } },
  { name: 'JSON array that never closes', key: 'r.json', body: text('[{"email":"person_1@acme.com"},{"secret":"SECRET-1"}'), rules: { yaml: JSON_ARRAY_RULES }, expect: { error: /Input is not a complete JSON array/ } },
  { name: 'JSON array: an element over the limit', key: 'r.json', maxRecordBytes: 1000, body: text(`[{"n":1},{"secret":"SECRET-${big(5000)}"}]`), rules: { yaml: JSON_ARRAY_RULES }, expect: { error: /element 2 of the JSON array: the record is over 1000 bytes/ } },
  { name: 'not a JSON array', key: 'r.json', body: text('{"secret":"SECRET-1"}'), rules: { yaml: JSON_ARRAY_RULES }, expect: { error: /Input is not a JSON array/ } },
];

interface Outcome {
  output: Buffer | null;
  error: string | null;
  logs: string;
}

const dir = mkdtempSync(join(tmpdir(), 'psoxy-bad-files-'));

async function viaCli(f: BadFile, i: number): Promise<Outcome> {
  const input = join(dir, `${i}-${f.key}`);
  const output = join(dir, `${i}-out-${f.key.replace(/\.gz$/, '')}`);
  writeFileSync(input, f.body);
  let rules: string;
  if ('source' in f.rules) rules = f.rules.source;
  else writeFileSync((rules = join(dir, `${i}-rules.yaml`)), f.rules.yaml);
  const args = [CLI, 'bulk', input, '--rules', rules, '-o', output, '--salt', SALT, '--no-shuffle', ...(f.maxRecordBytes ? ['--max-record-bytes', String(f.maxRecordBytes)] : []), ...(f.outputFormat ? ['--output-format', f.outputFormat] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const status = await new Promise<number | null>((r) => child.on('close', r));
  return { output: existsSync(output) ? readFileSync(output) : null, error: status === 0 ? null : stderr, logs: stderr };
}

function handlerEnv(f: BadFile): Record<string, string> {
  return {
    PSOXY_SALT: SALT, OUTPUT_BUCKET: 'out', COMPRESS_OUTPUT_ALWAYS: 'false',
    ...('source' in f.rules ? { SOURCE: f.rules.source } : { RULES: f.rules.yaml }),
    ...(f.maxRecordBytes ? { BULK_MAX_RECORD_BYTES: String(f.maxRecordBytes) } : {}),
    ...(f.outputFormat ? { BULK_OUTPUT_FORMAT: f.outputFormat } : {}),
  };
}

async function viaS3(f: BadFile): Promise<Outcome> {
  const fake = new FakeS3();
  const endpoint = await fake.start();
  try {
    const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 't', secretAccessKey: 't' }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    await s3.send(new PutObjectCommand({ Bucket: 'in', Key: f.key, Body: f.body, ...(f.contentEncoding ? { ContentEncoding: f.contentEncoding } : {}) }));
    const logger = memoryLogger();
    const handler = createS3BulkHandler({ s3, logger, instanceId: 'psoxy-bulk', config: new ConfigService({ env: handlerEnv(f), instancePrefix: 'PSOXY_BULK_' }) });
    let error: string | null = null;
    await handler({ Records: [{ s3: { bucket: { name: 'in' }, object: { key: f.key } } }] }).catch((e: Error) => { error = e.message; });
    const out = [...fake.objects.entries()].find(([k]) => k.startsWith('out/'))?.[1];
    return { output: out ? decoded(out.body, out.contentEncoding) : null, error, logs: logger.lines.join('\n') };
  } finally {
    await fake.stop();
  }
}

async function viaGcs(f: BadFile): Promise<Outcome> {
  const fake = new FakeGcs();
  const endpoint = await fake.start();
  try {
    const storage = new Storage({ apiEndpoint: endpoint, projectId: 'p' });
    await storage.bucket('in').file(f.key).save(f.body, { resumable: true, validation: false, gzip: false, metadata: f.contentEncoding ? { contentEncoding: f.contentEncoding } : {} });
    const logger = memoryLogger();
    const handler = createGcsBulkHandler({ storage, logger, instanceId: 'psoxy-bulk', config: new ConfigService({ env: handlerEnv(f), instancePrefix: 'PSOXY_BULK_' }) });
    let error: string | null = null;
    await handler({ type: 'google.cloud.storage.object.v1.finalized', data: { bucket: 'in', name: f.key } } as Parameters<typeof handler>[0]).catch((e: Error) => { error = e.message; });
    const out = [...fake.objects.entries()].find(([k]) => k.startsWith('out/'))?.[1];
    return { output: out ? decoded(out.body, out.contentEncoding) : null, error, logs: logger.lines.join('\n') };
  } finally {
    await fake.stop();
  }
}

const decoded = (body: Buffer, encoding: string | undefined) => (encoding === 'gzip' ? gunzipSync(body) : body);

for (const [way, run] of [['CLI', viaCli], ['S3 handler', viaS3], ['GCS handler', viaGcs]] as const) {
  test(`bad files through the ${way}`, async (t) => {
    for (const [i, f] of FILES.entries()) {
      await t.test(f.name, async () => {
        const o = await run(f, i);
        if ('error' in f.expect) {
          assert.match(o.error ?? '(no error)', f.expect.error);
          assert.equal(o.output, null, 'no output object or file after a failure');
        } else {
          assert.equal(o.error, null, o.error ?? '');
          assert.equal(o.output?.toString('utf8'), f.expect.output);
        }
        for (const secret of NEVER_OUT) {
          assert.ok(!(o.output?.toString('utf8') ?? '').includes(secret), `output holds ${secret}`);
          assert.ok(!(o.error ?? '').includes(secret) && !o.logs.includes(secret), `error or logs hold ${secret}`);
        }
      });
    }
  });
}
