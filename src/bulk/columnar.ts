/**
 * ColumnarRules on CSV (bulk.md §2.2): the output-column table, per-row evaluation, column order
 * and the 500-row shuffle, fed one parsed record at a time.
 */
import type { ColumnarRules, FieldStep, PseudonymFormat } from './rules.ts';
import { Pseudonymizer } from '../pseudonym/pseudonymizer.ts';
import { compileJavaRegex, groupCount } from '../regex/java-regex.ts';
import { CsvParseError } from './csv.ts';

type Fn = (value: string) => string | null;

interface OutputColumn {
  /** The name as the rules spell it (or the header's spelling for pass-through columns). */
  name: string;
  source: string; // case-folded
  fns: Fn[];
}

/** Applies the functions in order; a null (a filter that did not match) ends the chain. */
function applyChain(fns: Fn[], value: string | null): string | null {
  for (const fn of fns) {
    if (value === null) break;
    value = fn(value);
  }
  return value;
}

/** Java `equalsIgnoreCase`-style folding. */
const fold = (s: string) => s.trim().toUpperCase().toLowerCase();

export function pseudonymizeCell(p: Pseudonymizer, value: string, format: PseudonymFormat): string | null {
  const id = p.pseudonymize(value);
  if (id === null) return value;
  switch (format) {
    case 'JSON': return JSON.stringify(id.domain !== undefined ? { domain: id.domain, hash: id.hash } : { hash: id.hash });
    case 'URL_SAFE_TOKEN': return Pseudonymizer.urlSafeToken(id);
    case 'URL_SAFE_HASH_ONLY': return id.hash;
  }
}

/** Java replacement syntax (`$1`, `${name}`, `\$`) as a JS replacer. */
function javaReplacement(replacement: string): (m: string, ...rest: unknown[]) => string {
  return (...args: unknown[]) => {
    const groupsArg = args[args.length - 1];
    const hasNamed = typeof groupsArg === 'object' && groupsArg !== null;
    const groups = args.slice(1, hasNamed ? -3 : -2) as (string | undefined)[];
    const named = (hasNamed ? groupsArg : {}) as Record<string, string | undefined>;
    let out = '';
    for (let i = 0; i < replacement.length; i++) {
      const c = replacement[i];
      if (c === '\\') { out += replacement[++i] ?? ''; continue; }
      if (c === '$') {
        if (replacement[i + 1] === '{') {
          const end = replacement.indexOf('}', i);
          out += named[replacement.slice(i + 2, end)] ?? '';
          i = end;
          continue;
        }
        const m = /^\d+/.exec(replacement.slice(i + 1));
        if (m) { out += m[0] === '0' ? String(args[0]) : groups[Number(m[0]) - 1] ?? ''; i += m[0].length; continue; }
      }
      out += c;
    }
    return out;
  };
}

function compileStep(step: FieldStep, p: Pseudonymizer, format: PseudonymFormat): Fn {
  if ('filter' in step) {
    const re = compileJavaRegex(step.filter, { whole: true });
    const groups = groupCount(re) > 0;
    return (v) => { const m = re.exec(v); return m ? (groups ? m[1] ?? null : v) : null; };
  }
  if ('formatString' in step) {
    const f = step.formatString;
    return (v) => f.replace(/%%|%s/g, (t) => (t === '%%' ? '%' : v));
  }
  if ('javaRegExpReplace' in step) {
    const whole = compileJavaRegex(step.javaRegExpReplace.regExp, { whole: true });
    const all = compileJavaRegex(step.javaRegExpReplace.regExp, { global: true });
    const replacer = javaReplacement(step.javaRegExpReplace.replace);
    return (v) => (whole.test(v) ? v.replace(all, replacer) : v);
  }
  return step.pseudonymize ? (v) => pseudonymizeCell(p, v, format) : (v) => v;
}

export class ColumnarSanitizer {
  private readonly rules: ColumnarRules;
  private readonly p: Pseudonymizer;
  private readonly warn: (message: string) => void;
  private headerIndex = new Map<string, number>();
  private columns: OutputColumn[] = [];
  private sourceIndexes: number[] = [];
  private headerLength = 0;
  private readonly warned = new Set<string>();

  constructor(rules: ColumnarRules, pseudonymizer: Pseudonymizer, warn: (message: string) => void = () => {}) {
    this.rules = rules;
    this.p = pseudonymizer;
    this.warn = warn;
  }

  /** Takes the input header; returns the output header. */
  header(fields: string[]): string[] {
    const r = this.rules;
    const spelling = new Map<string, string>();
    fields.forEach((h, i) => {
      const k = fold(h);
      this.headerIndex.set(k, i); // duplicate names: the last position wins (commons-csv)
      if (!spelling.has(k)) spelling.set(k, h.trim());
    });
    this.headerLength = fields.length;
    const table = new Map<string, OutputColumn>();
    const register = (name: string, source: string, fn: Fn | null) => {
      const k = fold(name);
      let col = table.get(k);
      if (!col) table.set(k, (col = { name: name.trim(), source: fold(source), fns: [] }));
      if (fn) col.fns.push(fn);
    };
    const pseudonymize: Fn = (v) => pseudonymizeCell(this.p, v, r.pseudonymFormat);
    for (const [src, dst] of Object.entries(r.columnsToDuplicate)) register(dst, src, null);
    for (const [src, dst] of Object.entries(r.columnsToRename)) register(dst, src, null);
    for (const [key, ft] of Object.entries(r.fieldsToTransform)) {
      const steps = ft.transforms.map((s) => compileStep(s, this.p, r.pseudonymFormat));
      register(ft.newName, ft.sourceColumn ?? key, (v) => applyChain(steps, v));
    }
    const redacted = new Set(r.columnsToRedact.map(fold));
    const included = r.columnsToInclude ? new Set(r.columnsToInclude.map(fold)) : null;
    const surviving = [...spelling.keys()].filter((k) => !redacted.has(k) && (included === null || included.has(k)));
    for (const c of r.columnsToPseudonymize) {
      if (!this.headerIndex.has(fold(c)) && !table.has(fold(c))) this.warn(`column to pseudonymize "${c.trim()}" is not in the file`);
      register(c, c, pseudonymize);
    }
    const survivingSet = new Set(surviving);
    for (const c of r.columnsToPseudonymizeIfPresent) if (survivingSet.has(fold(c))) register(c, c, pseudonymize);
    const renameSources = new Set(Object.keys(r.columnsToRename).map(fold));
    for (const k of surviving) if (!table.has(k) && !renameSources.has(k)) register(spelling.get(k)!, k, null);

    const renameTargets = new Map(Object.entries(r.columnsToRename).map(([s, d]) => [fold(d), fold(s)]));
    const position = (k: string) => this.headerIndex.get(k) ?? (renameTargets.has(k) ? this.headerIndex.get(renameTargets.get(k)!) : undefined) ?? Infinity;
    const entries = [...table.entries()];
    entries.sort(([ka, a], [kb, b]) => {
      const d = position(ka) - position(kb);
      if (d !== 0 && !Number.isNaN(d)) return d;
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
    this.columns = entries.map(([, c]) => c);
    this.sourceIndexes = this.columns.map((c) => this.headerIndex.get(c.source) ?? -1);
    return entries.map(([k, c]) => spelling.get(k) ?? c.name);
  }

  row(fields: string[], lineNumber: number): (string | null)[] {
    const out: (string | null)[] = new Array(this.columns.length);
    for (let i = 0; i < this.columns.length; i++) {
      const col = this.columns[i];
      const idx = this.sourceIndexes[i];
      if (idx < 0) {
        if (!this.warned.has(col.source)) {
          this.warned.add(col.source);
          this.warn(`column "${col.source}" is not in the file; its output is empty`);
        }
        out[i] = null;
        continue;
      }
      if (idx >= fields.length) {
        throw new CsvParseError(`line ${lineNumber}: the row has ${fields.length} values but the header has ${this.headerLength} columns`);
      }
      const v = fields[idx];
      out[i] = v === '' ? null : applyChain(col.fns, v);
    }
    return out;
  }
}
