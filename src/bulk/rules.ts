/**
 * psoxy's bulk rules (bulk.md §2): ColumnarRules (CSV columns), RecordRules (NDJSON / CSV /
 * JSON-array records with JSONPath transforms) and MultiTypeBulkDataRules (`fileRules` keyed by
 * object-path templates). Bound strictly, with file:line errors, like the API rules.
 */
import { readYaml, RulesError } from '../rules/yaml-source.ts';
import { Binder, type Obj } from '../rules/binder.ts';
import { bindApiRules, bindSchemaFilter, decodeRulesValue } from '../rules/load.ts';
import type { ApiRules, SchemaFilter } from '../rules/types.ts';

export type PseudonymFormat = 'JSON' | 'URL_SAFE_TOKEN' | 'URL_SAFE_HASH_ONLY';

export type FieldStep =
  | { filter: string }
  | { formatString: string }
  | { javaRegExpReplace: { regExp: string; replace: string } }
  | { pseudonymize: boolean };

export interface FieldTransform {
  newName: string;
  sourceColumn?: string;
  transforms: FieldStep[];
}

export interface ColumnarRules {
  kind: 'columnar';
  delimiter: string;
  pseudonymFormat: PseudonymFormat;
  columnsToPseudonymize: string[];
  columnsToPseudonymizeIfPresent: string[];
  columnsToRedact: string[];
  /** null: no include filter; [] means no pass-through columns at all. */
  columnsToInclude: string[] | null;
  columnsToRename: Record<string, string>;
  columnsToDuplicate: Record<string, string>;
  fieldsToTransform: Record<string, FieldTransform>;
}

export type RecordFormat = 'NDJSON' | 'CSV' | 'JSON_ARRAY' | 'PARQUET' | 'AUTO';
export type RecordTransform =
  | { type: 'redact'; jsonPaths: string[] }
  | { type: 'pseudonymize'; jsonPaths: string[] }
  | { type: 'tokenize'; jsonPaths: string[] }
  | { type: 'textDigest'; jsonPaths: string[] }
  | { type: 'textDigestKeywords'; jsonPaths: string[]; keywords: string[] };

export interface RecordRules {
  kind: 'record';
  format: RecordFormat;
  transforms: RecordTransform[];
  outputSchemaFilter: SchemaFilter | null;
}

export interface MultiTypeRules {
  kind: 'multi';
  /** In YAML order: the first matching template wins. */
  fileRules: [template: string, rules: BulkRules][];
}

export type BulkRules = ColumnarRules | RecordRules | MultiTypeRules;
export type AnyRules = BulkRules | ({ kind: 'api' } & ApiRules);

const COLUMNAR_KEYS = ['delimiter', 'pseudonymFormat', 'columnsToPseudonymize', 'columnsToPseudonymizeIfPresent', 'columnsToRedact', 'columnsToInclude', 'columnsToRename', 'columnsToDuplicate', 'fieldsToTransform', 'defaultScopeIdForSource'];
const RECORD_KEYS = ['format', 'transforms', 'outputSchemaFilter'];
const API_KEYS = ['endpoints', 'allowAllEndpoints', 'allowedRequestHeaders', 'definitions'];

/** Loads any psoxy rules (API or bulk), detecting the type by its keys as psoxy does. */
export function loadAnyRules(text: string, file = 'RULES'): AnyRules {
  let decoded: string;
  try {
    decoded = decodeRulesValue(text);
  } catch {
    decoded = text;
  }
  const src = readYaml(decoded, file);
  const b = new Binder(src);
  const top = src.value === null ? {} : b.object(src.value, null, 'rules');
  if (API_KEYS.some((k) => Object.hasOwn(top, k))) return { kind: 'api', ...bindApiRules(src) };
  return bindBulk(b, top);
}

/** Loads bulk rules; API rules are an error that says so. */
export function loadBulkRules(text: string, file = 'RULES'): BulkRules {
  const r = loadAnyRules(text, file);
  if (r.kind === 'api') throw new RulesError(file, null, 'these are API rules (endpoints); bulk mode needs columnar, record or fileRules rules');
  return r;
}

function bindBulk(b: Binder, o: Obj): BulkRules {
  if (Object.hasOwn(o, 'fileRules')) return bindMulti(b, o, 0);
  if (RECORD_KEYS.some((k) => Object.hasOwn(o, k))) return bindRecord(b, o);
  return bindColumnar(b, o);
}

function bindMulti(b: Binder, o: Obj, depth: number): MultiTypeRules {
  b.keys(o, ['fileRules'], 'multi-type rules');
  const map = b.object(o.fileRules, o, 'fileRules', 'fileRules');
  const fileRules: [string, BulkRules][] = Object.entries(map).map(([template, raw]) => {
    const inner = b.object(raw, map, `fileRules["${template}"]`, template);
    if (Object.hasOwn(inner, 'fileRules') && depth >= 1) b.src.fail(inner, 'fileRules may be nested one level only');
    return [template, Object.hasOwn(inner, 'fileRules') ? bindMulti(b, inner, depth + 1) : bindBulk(b, inner)];
  });
  return { kind: 'multi', fileRules };
}

function columnList(b: Binder, o: Obj, key: string): string[] {
  const v = b.strings(o, key, 'columnar rules') ?? [];
  v.forEach((c, i) => { if (c.trim() === '') b.src.fail(o[key] as object, `${key}[${i}] is blank`, i); });
  return v;
}

function columnMap(b: Binder, o: Obj, key: string, checkBlank: boolean): Record<string, string> {
  if (o[key] === undefined || o[key] === null) return {};
  const m = b.object(o[key], o, key, key);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) {
    if (typeof v !== 'string' && typeof v !== 'number') b.src.fail(m, `${key}.${k} must be a column name`, k);
    if (checkBlank && (k.trim() === '' || String(v).trim() === '')) b.src.fail(m, `${key} has a blank column name`, k);
    out[k] = String(v);
  }
  return out;
}

function bindColumnar(b: Binder, o: Obj): ColumnarRules {
  b.keys(o, COLUMNAR_KEYS, 'columnar rules');
  const format = b.string(o, 'pseudonymFormat', 'columnar rules') ?? 'JSON';
  if (!['JSON', 'URL_SAFE_TOKEN', 'URL_SAFE_HASH_ONLY'].includes(format)) b.src.fail(o, `unknown pseudonymFormat "${format}" (known: JSON, URL_SAFE_TOKEN, URL_SAFE_HASH_ONLY)`, 'pseudonymFormat');
  const delimiter = b.string(o, 'delimiter', 'columnar rules');
  const fieldsToTransform: Record<string, FieldTransform> = {};
  if (o.fieldsToTransform !== undefined && o.fieldsToTransform !== null) {
    const m = b.object(o.fieldsToTransform, o, 'fieldsToTransform', 'fieldsToTransform');
    for (const [name, raw] of Object.entries(m)) fieldsToTransform[name] = bindFieldTransform(b, raw, m, name);
  }
  const include = o.columnsToInclude === undefined || o.columnsToInclude === null ? null : columnList(b, o, 'columnsToInclude');
  return {
    kind: 'columnar',
    delimiter: delimiter === undefined || delimiter === '' ? ',' : delimiter,
    pseudonymFormat: format as PseudonymFormat,
    columnsToPseudonymize: columnList(b, o, 'columnsToPseudonymize'),
    columnsToPseudonymizeIfPresent: columnList(b, o, 'columnsToPseudonymizeIfPresent'),
    columnsToRedact: columnList(b, o, 'columnsToRedact'),
    columnsToInclude: include,
    columnsToRename: columnMap(b, o, 'columnsToRename', true),
    columnsToDuplicate: columnMap(b, o, 'columnsToDuplicate', false),
    fieldsToTransform,
  };
}

function bindFieldTransform(b: Binder, raw: unknown, parent: object, name: string): FieldTransform {
  const o = b.object(raw, parent, `fieldsToTransform.${name}`, name);
  b.keys(o, ['newName', 'sourceColumn', 'transforms'], 'a field transform');
  const newName = b.string(o, 'newName', name);
  if (!newName || newName.trim() === '') b.src.fail(o, `fieldsToTransform.${name} needs newName`);
  const sourceColumn = b.string(o, 'sourceColumn', name);
  if (sourceColumn !== undefined && sourceColumn.trim() === '') b.src.fail(o, `fieldsToTransform.${name}.sourceColumn is blank`, 'sourceColumn');
  if (sourceColumn === undefined && name.trim() === '') b.src.fail(o, 'fieldsToTransform has a blank source column');
  const list = o.transforms ?? [];
  if (!Array.isArray(list)) b.src.fail(o, `fieldsToTransform.${name}.transforms must be a list`, 'transforms');
  const transforms = list.map((step, i): FieldStep => {
    const s = b.object(step, list, `transforms[${i}]`, i);
    const keys = Object.keys(s);
    if (keys.length !== 1) b.src.fail(s, 'each field transform step has exactly one key');
    const [k] = keys;
    switch (k) {
      case 'filter': { const re = String(s.filter); b.regex(s, 'filter', re); return { filter: re }; }
      case 'formatString': return { formatString: String(s.formatString) };
      case 'javaRegExpReplace': {
        const r = b.object(s.javaRegExpReplace, s, 'javaRegExpReplace', 'javaRegExpReplace');
        b.keys(r, ['regExp', 'replace'], 'javaRegExpReplace');
        const regExp = b.string(r, 'regExp', 'javaRegExpReplace') ?? '';
        b.regex(r, 'regExp', regExp);
        return { javaRegExpReplace: { regExp, replace: b.string(r, 'replace', 'javaRegExpReplace') ?? '' } };
      }
      case 'pseudonymize': return { pseudonymize: b.bool(s, 'pseudonymize', 'step', false) };
      case 'pseudonymizeWithScope': return b.src.fail(s, 'pseudonymizeWithScope is no longer supported (since psoxy v0.5): use pseudonymize: true');
      default: return b.src.fail(s, `unknown field transform step "${k}" (known: filter, formatString, javaRegExpReplace, pseudonymize)`);
    }
  });
  return { newName, ...(sourceColumn !== undefined ? { sourceColumn } : {}), transforms };
}

const RECORD_TRANSFORMS = ['redact', 'pseudonymize', 'tokenize', 'textDigest', 'textDigestKeywords'] as const;

function bindRecord(b: Binder, o: Obj): RecordRules {
  b.keys(o, RECORD_KEYS, 'record rules');
  const format = b.string(o, 'format', 'record rules') ?? 'NDJSON';
  if (!['NDJSON', 'CSV', 'JSON_ARRAY', 'PARQUET', 'AUTO'].includes(format)) b.src.fail(o, `unknown format "${format}" (known: NDJSON, CSV, JSON_ARRAY, PARQUET, AUTO)`, 'format');
  const list = o.transforms ?? [];
  if (!Array.isArray(list)) b.src.fail(o, 'transforms must be a list', 'transforms');
  const paths = (v: unknown, at: object, key: string | number): string[] => {
    const arr = typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : b.src.fail(at, 'expected a JSONPath or a list of them', key);
    arr.forEach((p) => b.jsonPath(at, key, p));
    return arr;
  };
  const transforms = list.map((raw, i): RecordTransform => {
    const t = b.object(raw, list, `transforms[${i}]`, i);
    const keys = Object.keys(t);
    if (keys.length !== 1 || !(RECORD_TRANSFORMS as readonly string[]).includes(keys[0])) {
      b.src.fail(t, `a record transform is one of ${RECORD_TRANSFORMS.join(', ')}, with exactly one key`);
    }
    const type = keys[0] as RecordTransform['type'];
    if (type === 'textDigestKeywords') {
      const k = b.object(t.textDigestKeywords, t, 'textDigestKeywords', 'textDigestKeywords');
      b.keys(k, ['jsonPaths', 'keywords'], 'textDigestKeywords');
      return { type, jsonPaths: paths(k.jsonPaths, k, 'jsonPaths'), keywords: b.strings(k, 'keywords', 'textDigestKeywords') ?? [] };
    }
    return { type, jsonPaths: paths(t[type], t, type) };
  });
  const schema = o.outputSchemaFilter === undefined || o.outputSchemaFilter === null ? null : bindSchemaFilter(b, o.outputSchemaFilter, o, 'outputSchemaFilter');
  return { kind: 'record', format: format as RecordFormat, transforms, outputSchemaFilter: schema };
}

