/**
 * The most one record (a CSV row, an NDJSON line, a JSON-array element) may hold. Enforced while
 * reading, before the record is held, so one huge field or a quote left open cannot take a
 * function's memory: the object fails instead, and no output is written.
 */
/** psoxy-style setting: `BULK_MAX_RECORD_BYTES`; the default fits a 256 MB function many times. */
export const MAX_RECORD_BYTES_SETTING = 'BULK_MAX_RECORD_BYTES';
export const DEFAULT_MAX_RECORD_BYTES = 4 * 1024 * 1024;

export class RecordTooLargeError extends Error {
  constructor(where: string, limit: number) {
    super(`${where}: the record is over ${limit} bytes (${MAX_RECORD_BYTES_SETTING}); nothing was written`);
  }
}

/** Bytes a UTF-16 code unit takes in UTF-8 (a surrogate pair: 2 + 2). */
export function utf8Length(code: number): number {
  return code < 0x80 ? 1 : code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 2 : 3;
}

/** UTF-8 bytes of `s` from `start` to `end`. */
export function utf8Bytes(s: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) n += utf8Length(s.charCodeAt(i));
  return n;
}

/** The setting's value: a positive whole number of bytes, or the default when unset. */
export function parseMaxRecordBytes(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_MAX_RECORD_BYTES;
  const n = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) throw new Error(`${MAX_RECORD_BYTES_SETTING} must be a positive whole number of bytes (was "${value}")`);
  return n;
}

/**
 * The record being read, held as pieces of the chunks it spans (never re-concatenated until it
 * ends) and refused as soon as its UTF-8 bytes pass the limit.
 */
export class HeldRecord {
  private pieces: string[] = [];
  private bytes = 0;
  private readonly maxBytes: number;
  private readonly where: () => string;
  constructor(maxBytes: number, where: () => string) {
    this.maxBytes = maxBytes;
    this.where = where;
  }

  get empty(): boolean {
    return this.pieces.length === 0;
  }

  /** Adds `s[from, to)`; throws RecordTooLargeError (naming `where()`) once the record is over the limit. */
  hold(s: string, from: number, to: number): void {
    this.bytes += utf8Bytes(s, from, to);
    if (this.bytes > this.maxBytes) throw new RecordTooLargeError(this.where(), this.maxBytes);
    if (to > from) this.pieces.push(s.slice(from, to));
  }

  /** The record's text; the holder is empty again. */
  take(): string {
    const text = this.pieces.length === 1 ? this.pieces[0] : this.pieces.join('');
    this.pieces = [];
    this.bytes = 0;
    return text;
  }
}
