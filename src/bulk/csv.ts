/**
 * CSV as psoxy reads and writes it (Apache commons-csv, bulk.md §2.2.1 and §2.2.6), streaming.
 *
 * Reading: `"` quotes with `""` escapes, any delimiter string, every value Java-trimmed (quoted
 * ones too), empty lines skipped (a whitespace-only line is a one-field record), the first line
 * ending remembered. Writing: commons-csv MINIMAL quoting.
 */

export type LineEnding = '\r\n' | '\n' | '\r';

/** Java `String.trim()`: strips chars ≤ U+0020 only (NBSP stays). */
export function javaTrim(s: string): string {
  let a = 0, b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

export class CsvParseError extends Error {}

/** Push parser: feed text chunks, get complete records back. */
export class CsvParser {
  private readonly delimiter: string;
  private buffer = '';
  /** The first line ending seen in the input (null until one is seen). */
  lineEnding: LineEnding | null = null;
  lineNumber = 0;
  /** For the records returned by the last push()/end(): the line each one ended on. */
  recordLines: number[] = [];

  constructor(delimiter = ',') {
    this.delimiter = delimiter;
  }

  push(chunk: string): string[][] {
    this.buffer += chunk;
    return this.drain(false);
  }

  end(): string[][] {
    return this.drain(true);
  }

  private drain(final: boolean): string[][] {
    const out: string[][] = [];
    this.recordLines = [];
    const s = this.buffer;
    let pos = 0;
    for (;;) {
      const r = this.readRecord(s, pos, final);
      if (r === null) break;
      pos = r.next;
      if (r.fields !== null) {
        out.push(r.fields);
        this.recordLines.push(this.lineNumber);
      }
    }
    this.buffer = s.slice(pos);
    return out;
  }

  private noteEnding(s: string, i: number): number {
    // Returns the length of the line ending at i (0 if none).
    const c = s.charCodeAt(i);
    if (c === 10) { this.lineEnding ??= '\n'; return 1; }
    if (c === 13) {
      if (i + 1 < s.length && s.charCodeAt(i + 1) === 10) { this.lineEnding ??= '\r\n'; return 2; }
      this.lineEnding ??= '\r';
      return 1;
    }
    return 0;
  }

  /**
   * One record starting at `pos`, or null when more input is needed. `fields` is null for a
   * skipped empty line.
   */
  private readRecord(s: string, pos: number, final: boolean): { fields: string[] | null; next: number } | null {
    if (pos >= s.length) return null;
    // A bare CR at the end of a chunk may be the start of CRLF: wait for more input.
    const first = s.charCodeAt(pos);
    if (first === 13 && pos + 1 >= s.length && !final) return null;
    if (first === 10 || first === 13) {
      this.lineNumber++;
      return { fields: null, next: pos + this.noteEnding(s, pos) };
    }
    // Fast path: an unquoted line.
    let eol = pos;
    while (eol < s.length) {
      const c = s.charCodeAt(eol);
      if (c === 10 || c === 13 || c === 34) break;
      eol++;
    }
    if (eol < s.length && s.charCodeAt(eol) !== 34) {
      if (s.charCodeAt(eol) === 13 && eol + 1 >= s.length && !final) return null;
      this.lineNumber++;
      return { fields: this.splitPlain(s.slice(pos, eol)), next: eol + this.noteEnding(s, eol) };
    }
    if (eol >= s.length) {
      if (!final) return null;
      this.lineNumber++;
      return { fields: this.splitPlain(s.slice(pos)), next: s.length };
    }
    return this.readQuoted(s, pos, final);
  }

  private splitPlain(line: string): string[] {
    return line.split(this.delimiter).map(javaTrim);
  }

  /** General path: fields may be quoted and span lines. */
  private readQuoted(s: string, pos: number, final: boolean): { fields: string[]; next: number } | null {
    const d = this.delimiter;
    const fields: string[] = [];
    let i = pos;
    for (;;) {
      // One field.
      let j = i;
      while (j < s.length && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++;
      let value: string;
      if (j < s.length && s.charCodeAt(j) === 34) {
        let v = '';
        let k = j + 1;
        for (;;) {
          const q = s.indexOf('"', k);
          if (q < 0) {
            if (!final) return null;
            throw new CsvParseError(`unterminated quoted field starting on line ${this.lineNumber + 1}`);
          }
          if (q + 1 >= s.length && !final) return null;
          v += s.slice(k, q);
          if (s.charCodeAt(q + 1) === 34) { v += '"'; k = q + 2; continue; }
          k = q + 1;
          break;
        }
        // Skip to the delimiter or end of line (commons-csv ignores trailing spaces after quotes).
        while (k < s.length && !s.startsWith(d, k) && s.charCodeAt(k) !== 10 && s.charCodeAt(k) !== 13) k++;
        value = v;
        i = k;
      } else {
        let k = j;
        while (k < s.length && !s.startsWith(d, k) && s.charCodeAt(k) !== 10 && s.charCodeAt(k) !== 13) k++;
        value = s.slice(i, k);
        i = k;
      }
      fields.push(javaTrim(value));
      if (i >= s.length) {
        if (!final) return null;
        this.lineNumber++;
        return { fields, next: i };
      }
      if (s.startsWith(d, i)) { i += d.length; continue; }
      if (s.charCodeAt(i) === 13 && i + 1 >= s.length && !final) return null;
      this.lineNumber++;
      return { fields, next: i + this.noteEnding(s, i) };
    }
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
