/** Syntax tree of a Jayway-dialect JSONPath. */
import type { JsonValue } from '../json/json.ts';

export type Segment =
  | { kind: 'property'; names: string[] }
  | { kind: 'wildcard' }
  | { kind: 'index'; indices: number[] }
  | { kind: 'slice'; start: number | null; end: number | null }
  | { kind: 'filter'; expr: FilterExpr }
  | { kind: 'scan' };

export interface PathAst {
  /** `$` (document root) or `@` (current node, inside filters). */
  root: '$' | '@';
  segments: Segment[];
}

export type Operand =
  | { kind: 'path'; path: PathAst }
  | { kind: 'literal'; value: JsonValue }
  | { kind: 'regex'; regex: RegExp; source: string };

export type RelationalOp =
  | '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~'
  | 'in' | 'nin' | 'contains' | 'size' | 'empty' | 'subsetof' | 'anyof' | 'noneof';

export type FilterExpr =
  | { kind: 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'and'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; expr: FilterExpr }
  | { kind: 'exists'; operand: Operand }
  | { kind: 'compare'; op: RelationalOp; left: Operand; right: Operand };
