/**
 * CSV as psoxy reads and writes it (Apache commons-csv, bulk.md §2.2.1 and §2.2.6), streaming.
 *
 * Reading: `"` quotes with `""` escapes, any delimiter string, every value Java-trimmed (quoted
 * ones too), empty lines skipped (a whitespace-only line is a one-field record), the first line
 * ending remembered. Writing: commons-csv MINIMAL quoting.
 */

import { DEFAULT_MAX_RECORD_BYTES, RecordTooLargeError, utf8Bytes, utf8Length } from './record-limit.ts';

export type LineEnding = '\r\n' | '\n' | '\r';

/** Java `String.trim()`: strips chars ≤ U+0020 only (NBSP stays). */
export function javaTrim(s: string): string {
  let a = 0, b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

export class CsvParseError extends Error {}

const LF = 10, CR = 13, QUOTE = 34, SPACE = 32, TAB = 9;
/** Where the parser is within a record. */
const RECORD_START = 0, FIELD_START = 1, UNQUOTED = 2, QUOTED = 3, FIELD_END = 4;

/**
 * Push parser: feed text chunks, get complete records back. Each character is looked at once
 * (a record's text is kept as pieces, never re-scanned or re-concatenated), and a record is
 * refused as soon as it passes `maxRecordBytes`, before it is held.
 */
export class CsvParser {
  private readonly delimiter: string;
  private readonly delimiterFirst: number;
  /** Characters a decision may need to see: a whole delimiter, or CR / quote and the next one. */
  private readonly lookahead: number;
  private readonly maxRecordBytes: number;
  /** The last few characters of a chunk, held until the next one decides what they are. */
  private carry = '';
  private state = RECORD_START;
  private fields: string[] = [];
  /** The current field's text so far, from earlier chunks. */
  private pieces: string[] = [];
  private recordBytes = 0;
  /** The first line ending seen in the input (null until one is seen). */
  lineEnding: LineEnding | null = null;
  lineNumber = 0;
  /** For the records returned by the last push()/end(): the line each one ended on. */
  recordLines: number[] = [];

  constructor(delimiter = ',', maxRecordBytes = DEFAULT_MAX_RECORD_BYTES) {
    if (delimiter === '') throw new CsvParseError('the CSV delimiter is empty');
    this.delimiter = delimiter;
    this.delimiterFirst = delimiter.charCodeAt(0);
    this.lookahead = Math.max(delimiter.length, 2);
    this.maxRecordBytes = maxRecordBytes;
  }

  push(chunk: string): string[][] {
    const s = this.carry + chunk;
    this.carry = '';
    return this.run(s, false);
  }

  end(): string[][] {
    const s = this.carry;
    this.carry = '';
    return this.run(s, true);
  }

  private run(s: string, final: boolean): string[][] {
    const out: string[][] = [];
    this.recordLines = [];
    // Short of the end, stop where a decision would need characters not yet seen.
    const stop = final ? s.length : s.length - this.lookahead + 1;
    let i = 0;
    let pieceStart = 0;
    while (i < stop) {
      if (this.recordBytes > this.maxRecordBytes) throw new RecordTooLargeError(`line ${this.lineNumber + 1}`, this.maxRecordBytes);
      const c = s.charCodeAt(i);
      switch (this.state) {
        case RECORD_START:
          if (c === LF || c === CR) { // an empty line: skipped
            this.lineNumber++;
            i += this.lineEnd(s, i);
          } else {
            const next = this.plainLine(s, i, out);
            if (next >= 0) {
              i = next;
            } else {
              this.state = FIELD_START;
              this.recordBytes = 0;
            }
          }
          break;
        case FIELD_START:
          if (c === this.delimiterFirst && s.startsWith(this.delimiter, i)) {
            this.fields.push('');
            i += this.delimiter.length;
            this.recordBytes += this.delimiter.length;
          } else if (c === LF || c === CR) {
            this.fields.push('');
            i += this.endRecord(out, s, i);
          } else if (c === SPACE || c === TAB) { // before a quote, ignored; otherwise trimmed anyway
            i++;
            this.recordBytes++;
          } else if (c === QUOTE) {
            this.state = QUOTED;
            pieceStart = ++i;
            this.recordBytes++;
          } else {
            this.state = UNQUOTED;
            pieceStart = i;
          }
          break;
        case UNQUOTED: {
          let j = i;
          let bytes = 0;
          for (; j < stop; j++) {
            const k = s.charCodeAt(j);
            if (k === LF || k === CR || (k === this.delimiterFirst && s.startsWith(this.delimiter, j))) break;
            bytes += k < 0x80 ? 1 : utf8Length(k);
          }
          this.recordBytes += bytes;
          if (j < stop) this.endField(s.slice(pieceStart, j));
          i = j;
          break;
        }
        case QUOTED: {
          const q = s.indexOf('"', i);
          if (q < 0 || q >= stop) { // the field goes on past what can be decided now
            this.recordBytes += utf8Bytes(s, i, stop);
            i = stop;
            break;
          }
          this.recordBytes += utf8Bytes(s, i, q) + 1;
          if (s.charCodeAt(q + 1) === QUOTE) { // "" is one quote
            this.pieces.push(s.slice(pieceStart, q + 1));
            pieceStart = i = q + 2;
            this.recordBytes++;
          } else {
            this.endField(s.slice(pieceStart, q));
            i = q + 1;
          }
          break;
        }
        case FIELD_END:
          if (c === this.delimiterFirst && s.startsWith(this.delimiter, i)) {
            this.state = FIELD_START;
            i += this.delimiter.length;
            this.recordBytes += this.delimiter.length;
          } else if (c === LF || c === CR) {
            i += this.endRecord(out, s, i);
          } else { // after a closing quote, up to the delimiter: ignored (commons-csv)
            i++;
            this.recordBytes += utf8Length(c);
          }
          break;
      }
    }
    if (this.recordBytes > this.maxRecordBytes) throw new RecordTooLargeError(`line ${this.lineNumber + 1}`, this.maxRecordBytes);
    if (this.state === UNQUOTED || this.state === QUOTED) {
      if (i > pieceStart) this.pieces.push(s.slice(pieceStart, i));
    }
    if (final) this.endInput(out);
    else this.carry = s.slice(i);
    return out;
  }

  /**
   * Fast path for the common record: a whole line already here, with no quote and no lone CR, is
   * split natively. Returns where the next record starts, or -1 to parse this one by character.
   */
  private plainLine(s: string, i: number, out: string[][]): number {
    const lf = s.indexOf('\n', i);
    if (lf < 0) return -1;
    const end = s.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
    const line = s.slice(i, end);
    if (line.includes('"') || line.includes('\r')) return -1;
    if (line.length > this.maxRecordBytes / 3 && Buffer.byteLength(line) > this.maxRecordBytes) {
      throw new RecordTooLargeError(`line ${this.lineNumber + 1}`, this.maxRecordBytes);
    }
    this.fields = line.split(this.delimiter).map(javaTrim);
    this.endRecord(out, '', 0);
    this.lineEnding ??= end < lf ? '\r\n' : '\n';
    return lf + 1;
  }

  /** The input ended: an open record is complete, unless a quote is still open. */
  private endInput(out: string[][]): void {
    if (this.state === RECORD_START) return;
    if (this.state === QUOTED) throw new CsvParseError(`unterminated quoted field starting on line ${this.lineNumber + 1}`);
    if (this.state === UNQUOTED) this.endField('');
    else if (this.state === FIELD_START) this.fields.push('');
    this.endRecord(out, '', 0);
  }

  private endField(last: string): void {
    let value = last;
    if (this.pieces.length) {
      this.pieces.push(last);
      value = this.pieces.join('');
      this.pieces = [];
    }
    this.fields.push(javaTrim(value));
    this.state = FIELD_END;
  }

  /** Completes the record; returns the length of the line ending at `i` (0 at the end of input). */
  private endRecord(out: string[][], s: string, i: number): number {
    this.lineNumber++;
    out.push(this.fields);
    this.recordLines.push(this.lineNumber);
    this.fields = [];
    this.state = RECORD_START;
    return i < s.length ? this.lineEnd(s, i) : 0;
  }

  /** The length of the line ending at `i`, remembering the first kind seen. */
  private lineEnd(s: string, i: number): number {
    if (s.charCodeAt(i) === LF) {
      this.lineEnding ??= '\n';
      return 1;
    }
    if (s.charCodeAt(i + 1) === LF) {
      this.lineEnding ??= '\r\n';
      return 2;
    }
    this.lineEnding ??= '\r';
    return 1;
  }
}

/** commons-csv QuoteMode.MINIMAL for one field; null prints as nothing. */
export function formatCsvField(value: string | null, delimiter: string, first: boolean): string {
  if (value === null) return '';
  if (value === '') return first ? '""' : '';
  let quote = value.charCodeAt(0) <= 0x23 || value.charCodeAt(value.length - 1) <= 0x20;
  if (!quote) {
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c === 34 || c === 10 || c === 13) { quote = true; break; }
    }
    if (!quote && value.includes(delimiter)) quote = true;
  }
  return quote ? `"${value.replaceAll('"', '""')}"` : value;
}

export function formatCsvRecord(values: (string | null)[], delimiter: string): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += delimiter;
    out += formatCsvField(values[i], delimiter, i === 0);
  }
  return out;
}
