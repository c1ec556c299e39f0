/**
 * Streaming bulk sanitization: bytes in → (gunzip) → UTF-8 text (BOM dropped) → records →
 * rules → text → (gzip) → bytes out, with back-pressure end to end, so memory stays bounded
 * whatever the file size.
 */
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { BulkRules, ColumnarRules, RecordFormat, RecordRules } from './rules.ts';
import { rulesForObject } from './multi.ts';
import { CsvParser, formatCsvRecord, type LineEnding } from './csv.ts';
import { ColumnarSanitizer } from './columnar.ts';
import { RecordError, RecordSanitizer, RecordWriter } from './record.ts';
import { parseJson, isJsonObject, type JsonObject, type JsonValue } from '../json/json.ts';
import { jsonBudgetProblem, MAX_JSON_DEPTH } from '../json/budget.ts';
import { javaEncodable } from '../java/text.ts';
import { DEFAULT_MAX_RECORD_BYTES, HeldRecord } from './record-limit.ts';
import type { Pseudonymizer } from '../pseudonym/pseudonymizer.ts';

export class NoApplicableRulesError extends Error {}

export interface BulkProgress {
  rows: number;
  bytesIn: number;
}

export interface SanitizeTextOptions {
  rules: BulkRules;
  objectPath: string;
  /** The object's effective content type (decides `format: AUTO`). */
  contentType?: string | null;
  /** psoxy `BULK_OUTPUT_FORMAT`: the output format of record rules. */
  outputFormat?: RecordFormat | null;
  pseudonymizer: Pseudonymizer;
  /** Reorders each chunk of rows (psoxy shuffles 500-row chunks at random). */
  shuffle?: <T>(rows: T[]) => T[];
  shuffleChunkSize?: number;
  warn?: (message: string) => void;
  progress?: BulkProgress;
  /** The most one record may hold (BULK_MAX_RECORD_BYTES; default DEFAULT_MAX_RECORD_BYTES). */
  maxRecordBytes?: number;
}

const FLUSH_AT = 64 * 1024;

export function randomShuffle<T>(rows: T[]): T[] {
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows;
}

/** Content type inferred from the key (bulk.md §1.8). */
export function inferContentType(key: string): string | null {
  const k = key.toLowerCase().replace(/\.gz$/, '');
  if (k.endsWith('.ndjson') || k.endsWith('.jsonl')) return 'application/x-ndjson';
  if (k.endsWith('.csv')) return 'text/csv; charset=utf-8';
  if (k.endsWith('.json')) return 'application/json';
  if (k.endsWith('.parquet')) return 'application/vnd.apache.parquet';
  return null;
}

export function effectiveContentType(sourceType: string | null | undefined, key: string): string | null {
  const base = (sourceType ?? '').split(';')[0].trim().toLowerCase();
  if (base === 'application/x-www-form-urlencoded') return inferContentType(key) ?? sourceType ?? null;
  if (!sourceType || sourceType.trim() === '') return inferContentType(key);
  return sourceType;
}

/** `format: AUTO` resolution (bulk.md §2.3.2). */
export function resolveFormat(format: RecordFormat, contentType: string | null | undefined, key: string): Exclude<RecordFormat, 'AUTO'> {
  if (format !== 'AUTO') return format;
  const ct = (contentType ?? '').toLowerCase();
  if (ct.includes('parquet')) return 'PARQUET';
  if (ct.includes('text/csv') || ct.includes('application/csv')) return 'CSV';
  if (ct.includes('ndjson') || ct.includes('jsonl')) return 'NDJSON';
  const k = key.toLowerCase().replace(/\.gz$/, '');
  if (k.endsWith('.parquet')) return 'PARQUET';
  if (k.endsWith('.csv')) return 'CSV';
  if (k.endsWith('.json')) return 'JSON_ARRAY';
  if (k.endsWith('.ndjson') || k.endsWith('.jsonl')) return 'NDJSON';
  if (ct.includes('application/json')) return 'JSON_ARRAY';
  return 'NDJSON';
}

/** The rules for an object, or NoApplicableRulesError. */
export function applicableRules(rules: BulkRules, key: string): ColumnarRules | RecordRules {
  const r = rulesForObject(rules, key);
  if (!r) throw new NoApplicableRulesError(`No applicable rules found for ${key}`);
  return r;
}

/** Sanitizes a stream of text chunks, yielding output text chunks. */
export async function* sanitizeText(chunks: AsyncIterable<string>, o: SanitizeTextOptions): AsyncGenerator<string> {
  const rules = applicableRules(o.rules, o.objectPath);
  if (rules.kind === 'columnar') yield* columnar(chunks, rules, o);
  else yield* records(chunks, rules, o);
}

async function* columnar(chunks: AsyncIterable<string>, rules: ColumnarRules, o: SanitizeTextOptions): AsyncGenerator<string> {
  const parser = new CsvParser(rules.delimiter, o.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);
  const sanitizer = new ColumnarSanitizer(rules, o.pseudonymizer, o.warn);
  const shuffle = o.shuffle ?? randomShuffle;
  const chunkSize = o.shuffleChunkSize ?? 500;
  let header: string[] | null = null;
  let sep: LineEnding | '' = '';
  let pending: (string | null)[][] = [];
  let out = '';
  const flushRows = () => {
    for (const r of shuffle(pending)) out += formatCsvRecord(r, rules.delimiter) + sep;
    pending = [];
  };
  const take = (records: string[][]) => {
    for (let i = 0; i < records.length; i++) {
      const rec = records[i];
      if (header === null) {
        header = sanitizer.header(rec);
        sep = parser.lineEnding ?? '';
        out += formatCsvRecord(header, rules.delimiter) + sep;
        continue;
      }
      pending.push(sanitizer.row(rec, parser.recordLines[i]));
      if (o.progress) o.progress.rows++;
      if (pending.length >= chunkSize) flushRows();
    }
  };
  for await (const chunk of chunks) {
    take(parser.push(chunk));
    if (out.length >= FLUSH_AT) { yield out; out = ''; }
  }
  take(parser.end());
  if (header === null) throw new RecordError('the CSV file has no header row');
  if (pending.length) flushRows();
  if (out) yield out;
}

async function* records(chunks: AsyncIterable<string>, rules: RecordRules, o: SanitizeTextOptions): AsyncGenerator<string> {
  const inFormat = resolveFormat(rules.format, o.contentType ?? null, o.objectPath);
  if (inFormat === 'PARQUET') throw new RecordError('Parquet files are not supported yet');
  const writer = new RecordWriter(o.outputFormat ?? inFormat);
  const sanitizer = new RecordSanitizer(rules, o.pseudonymizer);
  let out = '';
  for await (const rec of readRecords(chunks, inFormat, o.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES)) {
    out += writer.write(sanitizer.sanitize(rec));
    if (o.progress) o.progress.rows++;
    if (out.length >= FLUSH_AT) { yield out; out = ''; }
  }
  out += writer.end();
  if (out) yield out;
}

async function* readRecords(chunks: AsyncIterable<string>, format: 'NDJSON' | 'CSV' | 'JSON_ARRAY', maxRecordBytes: number): AsyncGenerator<JsonObject> {
  if (format === 'NDJSON') {
    for await (const { text, line } of ndjsonLines(chunks, maxRecordBytes)) {
      const t = text.trim();
      if (t === '') continue;
      const v = parseRecord(t, `line ${line}`, 'is not valid JSON');
      if (!isJsonObject(v)) throw new RecordError(`line ${line}: Supported NDJSON contract requires each line to be a JSON object`);
      yield v;
    }
    return;
  }
  if (format === 'CSV') {
    const parser = new CsvParser(',', maxRecordBytes);
    let header: string[] | null = null;
    const toObjects = function* (recs: string[][]): Generator<JsonObject> {
      for (let i = 0; i < recs.length; i++) {
        const rec = recs[i];
        if (header === null) {
          if (rec.some((h) => h === '')) throw new RecordError('CSV header has a blank column name (use columnar rules for such files)');
          header = rec;
          continue;
        }
        if (rec.length < header.length) throw new RecordError(`line ${parser.recordLines[i]}: the row has ${rec.length} values but the header has ${header.length} columns`);
        const obj: JsonObject = {};
        header.forEach((h, i) => { obj[h] = rec[i]; });
        yield obj;
      }
    };
    for await (const chunk of chunks) yield* toObjects(parser.push(chunk));
    yield* toObjects(parser.end());
    return;
  }
  yield* readJsonArray(chunks, maxRecordBytes);
}

/**
 * The lines of a text stream (`\r\n`, `\n` or `\r` end one), each character looked at once and a
 * line refused as soon as it passes `maxBytes`, before it is held.
 */
export async function* ndjsonLines(chunks: AsyncIterable<string>, maxBytes: number): AsyncGenerator<{ text: string; line: number }> {
  let line = 1;
  const held = new HeldRecord(maxBytes, () => `line ${line}`);
  let skipLf = false; // the last chunk ended on CR: an LF opening this one belongs to it
  for await (const s of chunks) {
    let start = skipLf && s.charCodeAt(0) === 10 ? 1 : 0;
    skipLf = false;
    for (let i = start; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      held.hold(s, start, i);
      yield { text: held.take(), line: line++ };
      if (c === 13) {
        if (i + 1 === s.length) skipLf = true;
        else if (s.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    held.hold(s, start, s.length);
  }
  if (!held.empty) yield { text: held.take(), line };
}

/** Streams the elements of a top-level JSON array of objects, each held only up to `maxBytes`. */
async function* readJsonArray(chunks: AsyncIterable<string>, maxBytes: number): AsyncGenerator<JsonObject> {
  let started = false;
  let done = false;
  let depth = 0, inString = false, escaped = false;
  let index = 0;
  let inElement = false;
  const isSpace = (c: string) => c === ' ' || c === '\n' || c === '\r' || c === '\t';
  const held = new HeldRecord(maxBytes, () => `element ${index + 1} of the JSON array`);
  const finish = (s: string, from: number, to: number): JsonObject => {
    held.hold(s, from, to);
    inElement = false;
    index++;
    return element(held.take(), index);
  };
  for await (const s of chunks) {
    let start = inElement ? 0 : -1;
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (!started) {
        if (isSpace(c)) continue;
        if (c !== '[') throw new RecordError('Input is not a JSON array');
        started = true;
        continue;
      }
      if (done) {
        if (!/\s/.test(c)) throw new RecordError('unexpected content after the JSON array');
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (!inElement && !isSpace(c) && !(depth === 0 && (c === ',' || c === ']'))) {
        inElement = true;
        start = i;
      }
      if (c === '"') { inString = true; continue; }
      if (c === '{' || c === '[') { depth++; continue; }
      if (c === '}' || c === ']') {
        if (depth === 0 && c === ']') { // the array's closing bracket
          if (inElement) yield finish(s, start, i);
          done = true;
          continue;
        }
        depth--;
        continue;
      }
      if (depth === 0 && c === ',') {
        if (!inElement) throw new RecordError('empty element in the JSON array');
        yield finish(s, start, i);
      }
    }
    if (inElement) held.hold(s, start, s.length);
  }
  if (!started || !done) throw new RecordError('Input is not a complete JSON array');
}

function element(text: string, index: number): JsonObject {
  const v = parseRecord(text.trim(), `element ${index} of the JSON array`, 'is not valid JSON');
  if (!isJsonObject(v)) throw new RecordError('each element of the JSON array must be an object');
  return v;
}

/** One record's JSON; nesting deeper than Jackson allows is refused before any recursive walk. */
function parseRecord(text: string, where: string, invalid: string): JsonValue {
  // Nesting deeper than the limit takes more characters than that: short records skip the count.
  const tooDeep = text.length > 2 * MAX_JSON_DEPTH && jsonBudgetProblem(text, { maxValues: Infinity, maxDepth: MAX_JSON_DEPTH });
  if (tooDeep) throw new RecordError(`${where}: ${tooDeep}`);
  try {
    return parseJson(text);
  } catch {
    throw new RecordError(`${where} ${invalid}`);
  }
}

export interface SanitizeStreamOptions extends SanitizeTextOptions {
  /** Gunzip the input (psoxy: Content-Encoding gzip or a `.gz` key); plain bytes pass through. */
  decompress: boolean;
  compress: boolean;
}

/** Input bytes → output bytes, streaming with back-pressure. Rejects on any failure. */
export async function sanitizeStream(input: Readable, output: Writable, o: SanitizeStreamOptions): Promise<void> {
  const progress = o.progress;
  const counted = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (progress) progress.bytesIn += chunk.length;
      cb(null, chunk);
    },
  });
  const stages: (NodeJS.ReadableStream | NodeJS.WritableStream | NodeJS.ReadWriteStream)[] = [input, counted];
  if (o.decompress) stages.push(maybeGunzip());
  const text = async function* (source: AsyncIterable<Buffer>): AsyncGenerator<string> {
    const decoder = new TextDecoder('utf-8'); // drops a leading BOM
    for await (const b of source) yield decoder.decode(b, { stream: true });
    const rest = decoder.decode();
    if (rest) yield rest;
  };
  const sanitized = async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    // Java's encoder writes a lone surrogate (from a `\ud800` escape in JSON input) as `?`.
    for await (const s of sanitizeText(text(source), o)) yield Buffer.from(javaEncodable(s), 'utf8');
  };
  const tail: (NodeJS.WritableStream | NodeJS.ReadWriteStream)[] = o.compress ? [createGzip(), output] : [output];
  // stream.pipeline takes a variable list of stages; its overloads cannot type a spread list.
  await (pipeline as (...streams: unknown[]) => Promise<void>)(...stages, sanitized, ...tail);
}

/** Gunzips when the stream starts with the gzip magic bytes; otherwise passes bytes through. */
function maybeGunzip(): NodeJS.ReadWriteStream {
  let decided: NodeJS.ReadWriteStream | null = null;
  let head = Buffer.alloc(0);
  const out = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (decided === null) {
        head = Buffer.concat([head, chunk]);
        if (head.length < 2) return cb();
        decided = head[0] === 0x1f && head[1] === 0x8b ? createGunzip() : new Transform({ transform: (c, _e, k) => k(null, c) });
        decided.on('data', (d: Buffer) => out.push(d));
        decided.on('error', (e) => out.destroy(new RecordError(`the object is not valid gzip (${e.message})`)));
        decided.write(head, () => cb());
        return;
      }
      if (!decided.write(chunk)) decided.once('drain', () => cb());
      else cb();
    },
    flush(cb) {
      if (decided === null) {
        if (head.length) out.push(head);
        return cb();
      }
      decided.once('end', () => cb());
      decided.end();
    },
  });
  return out;
}

