/**
 * RecordRules (bulk.md §2.3): records read from NDJSON, CSV or a JSON array, transformed with
 * JSONPath (redact → null, pseudonymize → `t~`, tokenize → `p~`, textDigest), filtered by an
 * optional output schema, and written as NDJSON, CSV or a JSON array.
 */
import type { RecordFormat, RecordRules } from './rules.ts';
import { compileJsonPath, type CompiledPath } from '../jsonpath/index.ts';
import { Pseudonymizer } from '../pseudonym/pseudonymizer.ts';
import { ResponseSchemaFilter } from '../sanitizer/schema-filter.ts';
import { textDigest } from '../sanitizer/transforms.ts';
import { isDoubleNumber, isJsonNumber, isJsonObject, numberText, orderedKeys, type JsonObject, type JsonValue } from '../json/json.ts';
import { writeJson } from '../json/write.ts';
import { formatCsvRecord } from './csv.ts';
import { isBlank } from '../java/text.ts';

export class RecordError extends Error {}

type Step = (doc: JsonValue) => void;

export class RecordSanitizer {
  private readonly steps: Step[] = [];
  private readonly schema: ((v: JsonValue) => JsonValue) | null;

  constructor(rules: RecordRules, p: Pseudonymizer) {
    for (const t of rules.transforms) {
      for (const text of t.jsonPaths) {
        const path: CompiledPath = compileJsonPath(text);
        switch (t.type) {
          case 'redact':
            this.steps.push((doc) => path.map(doc, () => null));
            break;
          case 'pseudonymize':
            this.steps.push((doc) => {
              let found: JsonValue[];
              try {
                found = path.read(doc);
              } catch {
                return;
              }
              if (found.length === 0 || (path.definite && found[0] === null)) return;
              path.map(doc, (v) => {
                if (v === null) return null;
                if (typeof v === 'string') return isBlank(v) ? v : Pseudonymizer.urlSafeToken(p.pseudonymize(v)!);
                if (isJsonNumber(v) && !isDoubleNumber(v) && isLong(numberText(v))) return Pseudonymizer.urlSafeToken(p.pseudonymize(v)!);
                throw new RecordError(`cannot pseudonymize a ${Array.isArray(v) ? 'array' : isJsonNumber(v) ? 'non-integer number' : typeof v} at ${text}`);
              });
            });
            break;
          case 'tokenize':
            this.steps.push((doc) => path.map(doc, (v) => (typeof v !== 'string' ? null : isBlank(v) ? v : p.tokenize(v))));
            break;
          case 'textDigest':
          case 'textDigestKeywords': {
            const keywords = t.type === 'textDigestKeywords' ? t.keywords.map((k) => k.toLowerCase()) : undefined;
            this.steps.push((doc) => path.map(doc, (v) => (typeof v === 'string' ? textDigest(v, keywords) : null)));
            break;
          }
        }
      }
    }
    const s = rules.outputSchemaFilter;
    if (s) {
      const filter = new ResponseSchemaFilter(s.definitions ?? {});
      this.schema = (v) => filter.apply(v, s);
    } else this.schema = null;
  }

  sanitize(record: JsonObject): JsonValue {
    for (const step of this.steps) step(record);
    return this.schema ? this.schema(record) : record;
  }
}

function isLong(digits: string): boolean {
  const b = BigInt(digits);
  return b >= -9223372036854775808n && b <= 9223372036854775807n;
}

/** Java `toString` of a CSV cell value (maps print as `{k=v}`, as psoxy's writer does). */
function javaString(v: JsonValue): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (isJsonNumber(v)) return numberText(v);
  if (Array.isArray(v)) return `[${v.map((x) => javaString(x) ?? 'null').join(', ')}]`;
  return `{${orderedKeys(v).map((k) => `${k}=${javaString(v[k]) ?? 'null'}`).join(', ')}}`;
}

/** Writes records in one format; `end()` returns what closes the output. */
export class RecordWriter {
  private readonly format: Exclude<RecordFormat, 'AUTO' | 'PARQUET'>;
  private count = 0;
  private csvHeader: string[] | null = null;

  constructor(format: RecordFormat) {
    if (format === 'PARQUET' || format === 'AUTO') throw new RecordError(`output format ${format} is not supported (use NDJSON, CSV or JSON_ARRAY)`);
    this.format = format;
  }

  write(v: JsonValue): string {
    const n = this.count++;
    switch (this.format) {
      case 'NDJSON': return writeJson(v) + '\n';
      case 'JSON_ARRAY': return (n === 0 ? '[' : ',') + writeJson(v);
      case 'CSV': {
        const obj = isJsonObject(v) ? v : {};
        let out = '';
        if (this.csvHeader === null) {
          this.csvHeader = orderedKeys(obj);
          out += formatCsvRecord(this.csvHeader, ',') + '\n';
        }
        return out + formatCsvRecord(this.csvHeader.map((k) => (obj[k] !== undefined ? javaString(obj[k]) : null)), ',') + '\n';
      }
    }
  }

  end(): string {
    if (this.format === 'JSON_ARRAY') return this.count === 0 ? '[]' : ']';
    return '';
  }
}
