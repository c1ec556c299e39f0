/** Prints a JSONPath AST back to canonical Jayway syntax (bracket notation for properties). */
import type { FilterExpr, Operand, PathAst, Segment } from './ast.ts';
import { isJsonNumber, numberText } from '../json/json.ts';

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function segment(s: Segment): string {
  switch (s.kind) {
    case 'property': return `[${s.names.map(quote).join(',')}]`;
    case 'wildcard': return '[*]';
    case 'index': return `[${s.indices.join(',')}]`;
    case 'slice': return `[${s.start ?? ''}:${s.end ?? ''}]`;
    case 'filter': return `[?(${filter(s.expr)})]`;
    case 'scan': return '..';
  }
}

function operand(o: Operand): string {
  if (o.kind === 'path') return printJsonPath(o.path);
  if (o.kind === 'regex') return `/${o.source}/${o.regex.flags.replace(/[^ims]/g, '')}`;
  const v = o.value;
  if (typeof v === 'string') return quote(v);
  if (isJsonNumber(v)) return numberText(v);
  return JSON.stringify(v);
}

function filter(e: FilterExpr): string {
  switch (e.kind) {
    case 'or': return `(${filter(e.left)} || ${filter(e.right)})`;
    case 'and': return `(${filter(e.left)} && ${filter(e.right)})`;
    case 'not': return `!(${filter(e.expr)})`;
    case 'exists': return operand(e.operand);
    case 'compare': return `${operand(e.left)} ${e.op} ${operand(e.right)}`;
  }
}

export function printJsonPath(ast: PathAst): string {
  let out: string = ast.root;
  for (const s of ast.segments) out += segment(s);
  return out;
}
