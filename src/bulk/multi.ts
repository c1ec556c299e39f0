/** MultiTypeBulkDataRules: picking rules by the object's key (bulk.md §2.4). */
import type { BulkRules, ColumnarRules, RecordRules } from './rules.ts';

/** psoxy's object-path template → regex: `{x}` one or more non-`/`, `{x?}` possibly empty. */
export function objectTemplateRegex(template: string): RegExp {
  const t = template.startsWith('/') ? template.slice(1) : template;
  let r = t.replace(/\{([A-Za-z][A-Za-z0-9]*)\?\}/g, '\u0000').replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, '\u0001');
  r = r.replace(/[.^$<>*+[\]()\-=?!]/g, '\\$&');
  r = r.replace(/\u0000/g, '([^/]*)').replace(/\u0001/g, '([^/]+)');
  return new RegExp(`^${r}$`);
}

/** The columnar or record rules that apply to an object key, or null when none does. */
export function rulesForObject(rules: BulkRules, key: string): ColumnarRules | RecordRules | null {
  if (rules.kind !== 'multi') return rules;
  for (const [template, inner] of rules.fileRules) {
    const m = objectTemplateRegex(template).exec(key);
    if (!m) continue;
    if (inner.kind !== 'multi') return inner;
    // Nested fileRules are matched against the last captured parameter.
    const last = m.length > 1 ? m[m.length - 1] : key;
    return rulesForObject(inner, last ?? '');
  }
  return null;
}
