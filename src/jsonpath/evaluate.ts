/**
 * Evaluation of a parsed JSONPath with Jayway JsonPath 2.9 semantics (Jackson provider, no options).
 *
 * Evaluation first collects references to the matched nodes, then applies updates, as Jayway does:
 * missing properties are skipped, `null` values are matched, a path that matches nothing is a no-op,
 * array elements are deleted from the highest index down.
 */
import type { FilterExpr, Operand, PathAst, Segment } from './ast.ts';
import { printJsonPath } from './print.ts';
import { isJsonNumber, isJsonObject, numberText, numberValue, setOwn, type JsonObject, type JsonValue } from '../json/json.ts';

export class JsonPathEvaluationError extends Error {}

/** A matched location: the key (or keys, for a multi-property leaf) inside a parent container. */
interface Ref {
  parent: JsonObject | JsonValue[] | null; // null = the document root
  key: string | number | string[];
}
export type JsonPathLocation = Readonly<Ref>;

interface Context {
  root: JsonValue;
  refs: Ref[] | null; // collected for updates
  values: JsonValue[]; // collected for reads
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Deleting object keys marks them `undefined` instead of using `delete`: V8 keeps the object's fast
 * shape (`delete` turns it into a slow dictionary, costing more to delete and then to stringify),
 * and JSON.stringify omits undefined members. JSON.parse never produces undefined, so a key whose
 * value is undefined is a deleted key everywhere in this module.
 */
const present = (o: JsonObject, k: string) => hasOwn.call(o, k) && o[k] !== undefined;

/** The keys of an object that have not been deleted. */
export function liveKeys(o: JsonObject): string[] {
  const keys = Object.keys(o);
  for (const k of keys) if (o[k] === undefined) return keys.filter((x) => o[x] !== undefined);
  return keys;
}

function deleteKey(o: JsonObject, k: string): void {
  if (present(o, k)) setOwn(o, k, undefined as unknown as JsonValue);
}

export function isTokenDefinite(seg: Segment, isLeaf: boolean): boolean {
  switch (seg.kind) {
    case 'property': return seg.names.length === 1 || isLeaf;
    case 'index': return seg.indices.length === 1;
    default: return false;
  }
}

export function isPathDefinite(ast: PathAst): boolean {
  return ast.segments.every((s, i) => isTokenDefinite(s, i === ast.segments.length - 1));
}

export class CompiledPath {
  readonly ast: PathAst;
  readonly text: string;
  readonly definite: boolean;
  /** For each segment: are all segments before it definite (Jayway's "upstream definite")? */
  private readonly upstreamDefinite: boolean[];

  constructor(text: string, ast: PathAst) {
    this.text = text;
    this.ast = ast;
    this.definite = isPathDefinite(ast);
    const segs = ast.segments;
    this.upstreamDefinite = segs.map((_, i) => segs.slice(0, i).every((s, j) => isTokenDefinite(s, j === segs.length - 1)));
  }

  /** Values matched by the path (Jayway `read` of an indefinite path). */
  read(doc: JsonValue, root: JsonValue = doc): JsonValue[] {
    const ctx: Context = { root, refs: null, values: [] };
    this.evaluate(ctx, doc);
    return ctx.values;
  }

  /** Replaces every matched value by `fn(value)`. */
  map(doc: JsonValue, fn: (value: JsonValue) => JsonValue): void {
    for (const ref of this.collectRefs(doc)) {
      const { parent, key } = ref;
      if (parent === null) throw new JsonPathEvaluationError(`cannot map the document root (${this.text})`);
      if (Array.isArray(key)) {
        const obj = parent as JsonObject;
        for (const k of key) if (present(obj, k)) setOwn(obj, k, fn(obj[k]));
      } else if (Array.isArray(parent)) {
        parent[key as number] = fn(parent[key as number]);
      } else {
        setOwn(parent, key as string, fn(parent[key as string]));
      }
    }
  }

  /** Where each match is, in match order (Jayway's `AS_PATH_LIST`, as parent and key). */
  locate(doc: JsonValue): JsonPathLocation[] {
    return this.collectRefs(doc);
  }

  /** Removes every matched node (object keys deleted, array elements spliced out). */
  delete(doc: JsonValue): void {
    const refs = this.collectRefs(doc);
    const arrayRefs: Ref[] = [];
    for (const ref of refs) {
      const { parent, key } = ref;
      if (parent === null) throw new JsonPathEvaluationError(`cannot delete the document root (${this.text})`);
      if (Array.isArray(parent)) arrayRefs.push(ref);
      else if (Array.isArray(key)) for (const k of key) deleteKey(parent, k);
      else deleteKey(parent, key as string);
    }
    // Jayway sorts array-index refs by descending index before removing.
    arrayRefs.sort((a, b) => (b.key as number) - (a.key as number));
    for (const { parent, key } of arrayRefs) {
      const arr = parent as JsonValue[];
      const i = key as number;
      if (i >= 0 && i < arr.length) arr.splice(i, 1);
    }
  }

  private collectRefs(doc: JsonValue): Ref[] {
    const ctx: Context = { root: doc, refs: [], values: [] };
    this.evaluate(ctx, doc);
    return ctx.refs!;
  }

  private evaluate(ctx: Context, doc: JsonValue): void {
    if (this.ast.segments.length === 0) {
      this.add(ctx, { parent: null, key: '$' }, doc);
      return;
    }
    this.step(ctx, 0, { parent: null, key: '$' }, doc);
  }

  private add(ctx: Context, ref: Ref, value: JsonValue): void {
    if (ctx.refs) ctx.refs.push(ref);
    else ctx.values.push(value);
  }

  private next(ctx: Context, i: number, ref: Ref, value: JsonValue): void {
    if (i === this.ast.segments.length - 1) this.add(ctx, ref, value);
    else this.step(ctx, i + 1, ref, value);
  }

  private step(ctx: Context, i: number, ref: Ref, model: JsonValue): void {
    const seg = this.ast.segments[i];
    const isLeaf = i === this.ast.segments.length - 1;
    switch (seg.kind) {
      case 'property': {
        if (!isJsonObject(model)) return;
        if (seg.names.length > 1 && isLeaf) {
          if (ctx.refs) ctx.refs.push({ parent: model, key: seg.names });
          else {
            const merged: JsonObject = {};
            for (const k of seg.names) if (present(model, k)) setOwn(merged, k, model[k]);
            ctx.values.push(merged);
          }
          return;
        }
        for (const name of seg.names) {
          if (!present(model, name)) continue;
          this.next(ctx, i, { parent: model, key: name }, model[name]);
        }
        return;
      }
      case 'wildcard': {
        if (Array.isArray(model)) {
          for (let k = 0; k < model.length; k++) this.next(ctx, i, { parent: model, key: k }, model[k]);
        } else if (isJsonObject(model)) {
          for (const k of liveKeys(model)) this.next(ctx, i, { parent: model, key: k }, model[k]);
        }
        return;
      }
      case 'index': {
        if (!Array.isArray(model)) return;
        for (const raw of seg.indices) {
          const k = raw < 0 ? model.length + raw : raw;
          if (k >= 0 && k < model.length) this.next(ctx, i, { parent: model, key: k }, model[k]);
        }
        return;
      }
      case 'slice': {
        if (!Array.isArray(model)) return;
        const len = model.length;
        const norm = (v: number) => (v < 0 ? Math.max(0, len + v) : Math.min(v, len));
        const from = seg.start === null ? 0 : norm(seg.start);
        const to = seg.end === null ? len : norm(seg.end);
        for (let k = from; k < to; k++) this.next(ctx, i, { parent: model, key: k }, model[k]);
        return;
      }
      case 'filter': {
        if (isJsonObject(model)) {
          if (this.accept(seg.expr, model, ctx.root)) this.next(ctx, i, ref, model);
        } else if (Array.isArray(model)) {
          for (let k = 0; k < model.length; k++) {
            if (this.accept(seg.expr, model[k], ctx.root)) this.next(ctx, i, { parent: model, key: k }, model[k]);
          }
        } else if (this.upstreamDefinite[i]) {
          throw new JsonPathEvaluationError(`filter in ${this.text} can not be applied to a primitive`);
        }
        return;
      }
      case 'scan': {
        this.walk(ctx, i + 1, ref, model);
        return;
      }
    }
  }

  /** Jayway's deep scan: visit every container, evaluating segment `i` where its predicate holds. */
  private walk(ctx: Context, i: number, ref: Ref, model: JsonValue): void {
    const seg = this.ast.segments[i];
    const isLeaf = i === this.ast.segments.length - 1;
    if (Array.isArray(model)) {
      if (this.scanMatches(seg, isLeaf, model, ctx.root)) {
        if (isLeaf) this.step(ctx, i, ref, model);
        else for (const el of model) this.step(ctx, i + 1, ref, el);
      }
      for (let k = 0; k < model.length; k++) this.walk(ctx, i, { parent: model, key: k }, model[k]);
    } else if (isJsonObject(model)) {
      if (this.scanMatches(seg, isLeaf, model, ctx.root)) this.step(ctx, i, ref, model);
      for (const k of liveKeys(model)) {
        this.walk(ctx, i, { parent: model, key: k }, model[k]);
      }
    }
  }

  private scanMatches(seg: Segment, isLeaf: boolean, model: JsonValue, root: JsonValue): boolean {
    switch (seg.kind) {
      case 'property':
        if (!isJsonObject(model)) return false;
        if (!isTokenDefinite(seg, isLeaf)) return true;
        return seg.names.every((n) => present(model, n));
      case 'index':
      case 'slice':
        return Array.isArray(model);
      case 'wildcard':
        return true;
      case 'filter':
        return this.accept(seg.expr, model, root);
      default:
        return false;
    }
  }

  private accept(expr: FilterExpr, item: JsonValue, root: JsonValue): boolean {
    return evaluateFilter(expr, item, root);
  }
}

// ---- filters -------------------------------------------------------------------------------

const UNDEFINED = Symbol('undefined');
type Node = JsonValue | typeof UNDEFINED | RegExp;

const pathCache = new WeakMap<PathAst, CompiledPath>();
function compiledFor(ast: PathAst): CompiledPath {
  let c = pathCache.get(ast);
  if (!c) pathCache.set(ast, (c = new CompiledPath(printJsonPath(ast), ast)));
  return c;
}

function operandValue(op: Operand, item: JsonValue, root: JsonValue): Node {
  if (op.kind === 'literal') return op.value;
  if (op.kind === 'regex') return op.regex;
  const compiled = compiledFor(op.path);
  const values = compiled.read(op.path.root === '$' ? root : item, root);
  if (compiled.definite) return values.length === 0 ? UNDEFINED : values[0];
  return values;
}

export function evaluateFilter(expr: FilterExpr, item: JsonValue, root: JsonValue): boolean {
  switch (expr.kind) {
    case 'or': return evaluateFilter(expr.left, item, root) || evaluateFilter(expr.right, item, root);
    case 'and': return evaluateFilter(expr.left, item, root) && evaluateFilter(expr.right, item, root);
    case 'not': return !evaluateFilter(expr.expr, item, root);
    case 'exists': return operandValue(expr.operand, item, root) !== UNDEFINED;
    case 'compare': {
      const l = operandValue(expr.left, item, root);
      const r = operandValue(expr.right, item, root);
      return compare(expr.op, l, r);
    }
  }
}

const isScalarString = (v: Node): v is string => typeof v === 'string';

function asNumber(v: Node): number | null {
  if (isJsonNumber(v)) return numberValue(v);
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return null;
}

/** Jayway ValueNode equality: strings and numbers compare across types, containers structurally. */
function valueEquals(a: Node, b: Node): boolean {
  if (a === UNDEFINED || b === UNDEFINED || a instanceof RegExp || b instanceof RegExp) return false;
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  if (isJsonNumber(a) && isJsonNumber(b)) return numberValue(a) === numberValue(b);
  if (isJsonNumber(a) && typeof b === 'string') { const n = asNumber(b); return n !== null && n === numberValue(a); }
  if (typeof a === 'string' && isJsonNumber(b)) return valueEquals(b, a);
  if (a === null || b === null) return a === b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

function regexInput(v: Node): string {
  if (typeof v === 'string') return v;
  if (isJsonNumber(v)) return numberText(v);
  if (typeof v === 'boolean') return String(v);
  return '';
}

function compare(op: string, l: Node, r: Node): boolean {
  switch (op) {
    case '==': return valueEquals(l, r);
    case '!=': return !valueEquals(l, r);
    case '<': case '<=': case '>': case '>=': {
      let c: number;
      if (isJsonNumber(l) && isJsonNumber(r)) c = numberValue(l) - numberValue(r);
      else if (isScalarString(l) && isScalarString(r)) c = l < r ? -1 : l > r ? 1 : 0;
      else return false;
      return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }
    case '=~': {
      if (r instanceof RegExp) return r.test(regexInput(l));
      if (l instanceof RegExp) return l.test(regexInput(r));
      return false;
    }
    case 'in': return Array.isArray(r) && r.some((x) => valueEquals(l, x));
    case 'nin': return Array.isArray(r) && !r.some((x) => valueEquals(l, x));
    case 'contains':
      if (typeof l === 'string' && typeof r === 'string') return l.includes(r);
      return Array.isArray(l) && l.some((x) => valueEquals(x, r));
    case 'size': {
      const n = asNumber(r);
      if (n === null) return false;
      if (typeof l === 'string' || Array.isArray(l)) return l.length === n;
      return false;
    }
    case 'empty': {
      const len = typeof l === 'string' || Array.isArray(l) ? l.length : null;
      if (len === null) return false;
      return r === true ? len === 0 : len !== 0;
    }
    case 'subsetof': return Array.isArray(l) && Array.isArray(r) && l.every((x) => r.some((y) => valueEquals(x, y)));
    case 'anyof': return Array.isArray(l) && Array.isArray(r) && l.some((x) => r.some((y) => valueEquals(x, y)));
    case 'noneof': return Array.isArray(l) && Array.isArray(r) && !l.some((x) => r.some((y) => valueEquals(x, y)));
    default: return false;
  }
}
