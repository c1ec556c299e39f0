/**
 * Evaluation of a parsed JSONPath with Jayway JsonPath 2.9 semantics (Jackson provider, no options).
 *
 * Evaluation first collects references to the matched nodes, then applies updates, as Jayway does:
 * missing properties are skipped, `null` values are matched, a path that matches nothing is a no-op,
 * array elements are deleted from the highest index down.
 */
import type { FilterExpr, Operand, PathAst, RelationalOp, Segment } from './ast.ts';
import { nodeEquals, nodeHasSize, nodeIsEmpty, nodeOrder, regexInput, UNDEFINED, type Node } from './value-node.ts';
import { printJsonPath } from './print.ts';
import { isJsonObject, setOwn, type JsonObject, type JsonValue } from '../json/json.ts';

export class JsonPathEvaluationError extends Error {}

/** A matched location: the key (or keys, for a multi-property leaf) inside a parent container. */
interface Ref {
  parent: JsonObject | JsonValue[] | null; // null = the document root
  key: string | number | string[];
  /** Reached through a negative index, which Jayway keeps as given for updates (see `map`). */
  negative?: true;
}
export type JsonPathLocation = Readonly<Ref>;

/**
 * Which nodes a path matches. `sanitizer`: Jayway's, except where Jayway drops nodes the path names
 * (those are kept, so a transform never touches less than the path says). `jayway`: exactly what
 * Jayway 2.9 matches, for `rules check` warnings and tests. See ARCHITECTURE.md, "JSONPath dialect".
 */
export type Reading = 'sanitizer' | 'jayway';

interface Context {
  root: JsonValue;
  refs: Ref[] | null; // collected for updates
  values: JsonValue[]; // collected for reads
  reading: Reading;
  /**
   * Jayway's `PathToken.upstreamArrayIndex`, by segment: the last array index a deep scan fed the
   * segment after its target, never reset (none yet = -1). Only the `jayway` reading uses it.
   */
  scanIndex: number[];
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
  /**
   * Only properties, wildcards and non-negative indexes: every match sits at the same depth and
   * matching reads no value, so updating each match as it is found (no refs collected first) is
   * what collecting then updating does.
   */
  private readonly direct: boolean;

  constructor(text: string, ast: PathAst) {
    this.text = text;
    this.ast = ast;
    this.definite = isPathDefinite(ast);
    const segs = ast.segments;
    this.upstreamDefinite = segs.map((_, i) => segs.slice(0, i).every((s, j) => isTokenDefinite(s, j === segs.length - 1)));
    this.direct = segs.length > 0 && segs.every((s) => s.kind === 'property' || s.kind === 'wildcard' || (s.kind === 'index' && s.indices.every((k) => k >= 0)));
  }

  /** Values matched by the path (Jayway `read` of an indefinite path). */
  read(doc: JsonValue, root: JsonValue = doc): JsonValue[] {
    const ctx: Context = { root, refs: null, values: [], reading: 'sanitizer', scanIndex: [] };
    this.evaluate(ctx, doc);
    return ctx.values;
  }

  /** Replaces every matched value by `fn(value)`. */
  map(doc: JsonValue, fn: (value: JsonValue) => JsonValue): void {
    if (this.direct) {
      this.updateDirect(doc, 0, fn);
      return;
    }
    for (const ref of this.collectRefs(doc)) {
      const { parent, key } = ref;
      if (parent === null) throw new JsonPathEvaluationError(`cannot map the document root (${this.text})`);
      checkUpdatable(ref, this.text);
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
  locate(doc: JsonValue, reading: Reading = 'sanitizer'): JsonPathLocation[] {
    return this.collectRefs(doc, reading);
  }

  /** Removes every matched node (object keys deleted, array elements spliced out). */
  delete(doc: JsonValue): void {
    // Object keys only: array elements are removed highest index first, once all are found.
    if (this.direct && this.ast.segments.at(-1)!.kind === 'property') {
      this.updateDirect(doc, 0, null);
      return;
    }
    const refs = this.collectRefs(doc);
    const arrayRefs: Ref[] = [];
    for (const ref of refs) {
      const { parent, key } = ref;
      if (parent === null) throw new JsonPathEvaluationError(`cannot delete the document root (${this.text})`);
      checkUpdatable(ref, this.text);
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

  /** `map` (fn) or `delete` (null) of a `direct` path from segment `i` on. */
  private updateDirect(model: JsonValue, i: number, fn: ((value: JsonValue) => JsonValue) | null): void {
    const seg = this.ast.segments[i];
    const leaf = i === this.ast.segments.length - 1;
    if (seg.kind === 'property') {
      if (!isJsonObject(model)) return;
      for (const name of seg.names) {
        if (!present(model, name)) continue;
        if (!leaf) this.updateDirect(model[name], i + 1, fn);
        else if (fn === null) deleteKey(model, name);
        else setOwn(model, name, fn(model[name]));
      }
    } else if (Array.isArray(model)) {
      const indexes = seg.kind === 'index' ? seg.indices : null;
      const n = indexes === null ? model.length : indexes.length;
      for (let j = 0; j < n; j++) {
        const k = indexes === null ? j : indexes[j];
        if (k >= model.length) continue;
        if (!leaf) this.updateDirect(model[k], i + 1, fn);
        else model[k] = fn!(model[k]);
      }
    } else if (seg.kind === 'wildcard' && isJsonObject(model)) {
      for (const k of liveKeys(model)) {
        if (!leaf) this.updateDirect(model[k], i + 1, fn);
        else setOwn(model, k, fn!(model[k]));
      }
    }
  }

  private collectRefs(doc: JsonValue, reading: Reading = 'sanitizer'): Ref[] {
    const ctx: Context = { root: doc, refs: [], values: [], reading, scanIndex: [] };
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
        if (ctx.reading === 'jayway' && isLeaf && this.afterScanTarget(i) && !jaywayKeepsScanLeaf(this.ast.segments[i - 1], ctx.scanIndex[i] ?? -1)) return;
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
        for (const raw of seg.indices) this.element(ctx, i, model, raw);
        return;
      }
      case 'slice': {
        if (!Array.isArray(model)) return;
        for (const raw of sliceIndices(seg, model.length, ctx.reading)) this.element(ctx, i, model, raw);
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

  /** `PathToken.handleArrayIndex`: a negative index reads from the end but is updated as given. */
  private element(ctx: Context, i: number, model: JsonValue[], raw: number): void {
    const k = raw < 0 ? model.length + raw : raw;
    if (k < 0 || k >= model.length) return;
    this.next(ctx, i, raw < 0 ? { parent: model, key: k, negative: true } : { parent: model, key: k }, model[k]);
  }

  /** Is segment `i` the one right after a deep scan's target (`$..[0].name`: `.name`)? */
  private afterScanTarget(i: number): boolean {
    return i >= 2 && this.ast.segments[i - 2].kind === 'scan';
  }

  /** Jayway's deep scan: visit every container, evaluating segment `i` where its predicate holds. */
  private walk(ctx: Context, i: number, ref: Ref, model: JsonValue): void {
    const seg = this.ast.segments[i];
    const isLeaf = i === this.ast.segments.length - 1;
    if (Array.isArray(model)) {
      if (this.scanMatches(seg, isLeaf, model, ctx.root)) {
        if (isLeaf) this.step(ctx, i, ref, model);
        // `ScanPathToken.walkArray` skips the target token and feeds every element to the next one.
        // Only a single-property leaf then looks at the index (`upstreamArrayIndex`, see
        // `jaywayKeepsScanLeaf`); the sanitizer keeps the elements the target names instead.
        else {
          const leafChecked = i + 1 === this.ast.segments.length - 1 && isSingleProperty(this.ast.segments[i + 1]);
          for (let k = 0; k < model.length; k++) {
            ctx.scanIndex[i + 1] = k;
            if (!leafChecked || ctx.reading === 'jayway' || namesElement(seg, k, model.length)) this.step(ctx, i + 1, ref, model[k]);
          }
        }
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

/** Jayway updates a negative index as given: `List.set(-1, …)` throws IndexOutOfBoundsException. */
function checkUpdatable(ref: Ref, path: string): void {
  if (ref.negative) throw new JsonPathEvaluationError(`index out of bounds: Jayway updates the negative index in ${path} as given`);
}

const isSingleProperty = (seg: Segment) => seg.kind === 'property' && seg.names.length === 1;

/**
 * The leaf check Jayway 2.9 makes after a deep scan fed an array element (`PathToken.handleObjectProperty`):
 * the match is kept only when `"[" + upstreamArrayIndex + "]"` equals the scan target's fragment,
 * so only a single non-negative index (`[0]`) ever keeps anything; `[*]`, `[0,1]`, `[-1]`, slices
 * and filters drop every match, and keep dropping in later objects once an array was seen.
 */
function jaywayKeepsScanLeaf(target: Segment, scanIndex: number): boolean {
  return scanIndex === -1 || (target.kind === 'index' && target.indices.length === 1 && target.indices[0] === scanIndex);
}

/** Does a deep scan's target name element `k` of an array of `length` elements? */
function namesElement(seg: Segment, k: number, length: number): boolean {
  switch (seg.kind) {
    case 'index': return seg.indices.some((raw) => (raw < 0 ? length + raw : raw) === k);
    case 'slice': return sliceIndices(seg, length, 'sanitizer').some((raw) => (raw < 0 ? length + raw : raw) === k);
    default: return true;
  }
}

/**
 * The indexes `ArraySliceToken` visits, as given (negative ones read from the end). `[a:]` and `[:b]`
 * count negative bounds from the end; `[a:b]` does not for `a`, so `[-2:3]` visits -2, -1, 0, 1, 2
 * (more than it names: kept), and with `a ≥ 0 > b` visits nothing: the sanitizer then takes the
 * elements the slice names, `a` up to `length + b`.
 */
function sliceIndices(seg: Extract<Segment, { kind: 'slice' }>, length: number, reading: Reading): number[] {
  const [from, to] = sliceBounds(seg, length, reading);
  const out: number[] = [];
  for (let k = from; k < to; k++) out.push(k);
  return out;
}

function sliceBounds({ start, end }: Extract<Segment, { kind: 'slice' }>, length: number, reading: Reading): [number, number] {
  if (end === null) return [Math.max(0, start! < 0 ? length + start! : start!), length];
  if (start === null) return [0, Math.min(length, end < 0 ? length + end : end)];
  if (reading === 'sanitizer' && start >= 0 && end < 0) return [start, length + end];
  return [start, Math.min(length, end)];
}

// ---- filters -------------------------------------------------------------------------------

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

function compare(op: RelationalOp, l: Node, r: Node): boolean {
  switch (op) {
    case '==': return nodeEquals(l, r);
    case '!=': return !nodeEquals(l, r);
    case '<': case '<=': case '>': case '>=': {
      const c = nodeOrder(l, r);
      if (c === null) return false;
      return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }
    case '=~': {
      if (r instanceof RegExp) return !(l instanceof RegExp) && r.test(regexInput(l));
      if (l instanceof RegExp) return l.test(regexInput(r));
      return false;
    }
    // ValueListNode.contains(left): left.equals(element); contains: right.equals(element).
    case 'in': return Array.isArray(r) && r.some((x) => nodeEquals(l, x));
    case 'nin': return Array.isArray(r) && !r.some((x) => nodeEquals(l, x));
    case 'contains':
      if (typeof l === 'string' && typeof r === 'string') return l.includes(r);
      return Array.isArray(l) && l.some((x) => nodeEquals(r, x));
    case 'size': return nodeHasSize(l, r);
    case 'empty': {
      // JsonNode.isEmpty casts a map to Collection: ClassCastException, the whole response fails.
      if (isJsonObject(l)) throw new JsonPathEvaluationError('Jayway cannot test an object with empty');
      const empty = nodeIsEmpty(l);
      return empty !== null && empty === (r === true);
    }
    case 'subsetof': return Array.isArray(l) && Array.isArray(r) && l.every((x) => r.some((y) => nodeEquals(x, y)));
    case 'anyof': return Array.isArray(l) && Array.isArray(r) && l.some((x) => r.some((y) => nodeEquals(x, y)));
    case 'noneof': return Array.isArray(l) && Array.isArray(r) && !l.some((x) => r.some((y) => nodeEquals(x, y)));
  }
}
