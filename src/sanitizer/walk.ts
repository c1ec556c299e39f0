/**
 * An endpoint's schema filter and transforms fused into one walk over the document, for rules
 * whose every transform path is "simple": properties and wildcards only (`$.users[*]['id','pmi']`),
 * no `applyOnlyWhen`, redactions ending in a property. The generic path (the schema filter pass,
 * then each transform's JSONPath pass) is the reference; this walk gives the same document because:
 *
 * - such a path matches by structure alone, every match at the path's depth: which transforms
 *   reach a location is known from the rules (a trie of the paths), and locations that are not
 *   ancestor and descendant are independent (no array element is ever removed: indexes never move);
 * - at a location, a child's rules run before the location's own, and the location's in the order
 *   of the transforms and their paths, stopping at a redaction. A transform of a container after its
 *   descendants' later transforms is no different: every value function turns a container into a
 *   scalar or throws, whatever the container holds;
 * - the schema filter decides which children exist before their rules run, as in the two passes.
 *
 * Where the order of failures could differ, the caller reruns the generic path on any error, so
 * errors are the reference's too.
 */
import type { SchemaFilter } from '../rules/types.ts';
import type { CompiledPath } from '../jsonpath/index.ts';
import { isJsonObject, setOwn, type JsonValue } from '../json/json.ts';
import { isKeptAsIs, type ResponseSchemaFilter } from './schema-filter.ts';
import type { TransformContext, ValueFunction } from './transforms.ts';

/** A transform as the walk takes it: its paths and its value function (null: redact). */
export interface WalkTransform {
  paths: CompiledPath[];
  fn: ValueFunction | null;
}

/** Sanitizes one parsed document in place; returns the sanitized document. */
export type Walk = (doc: JsonValue, ctx: TransformContext) => JsonValue;

/** A matched location's transform: its place in the order of all paths, and its function (null: redact). */
interface Action {
  seq: number;
  fn: ValueFunction | null;
}

/** The paths as a trie: what each property name or wildcard step leads to. */
class Trie {
  readonly actions: Action[] = [];
  readonly named = new Map<string, Trie>();
  any: Trie | null = null;

  insert(path: CompiledPath, action: Action, from = 0): void {
    const segments = path.ast.segments;
    if (from === segments.length) {
      this.actions.push(action);
      return;
    }
    const seg = segments[from];
    if (seg.kind === 'wildcard') (this.any ??= new Trie()).insert(path, action, from + 1);
    else if (seg.kind === 'property') {
      // A name listed twice is visited twice, as the path's own evaluation does.
      for (const name of seg.names) {
        let child = this.named.get(name);
        if (!child) this.named.set(name, (child = new Trie()));
        child.insert(path, action, from + 1);
      }
    }
  }
}

/**
 * What applies at one location of a document: the location's own actions (in order, up to the
 * first redaction) and its children's plans. A location is reached through several tries at once
 * when a name and a wildcard both lead to it.
 */
interface Plan {
  actions: (ValueFunction | null)[];
  /** Children named by some path; their plans include the wildcard's. */
  named: Map<string, Plan>;
  /** Any other object member, and every array element. */
  any: Plan | null;
}

function planOf(tries: Trie[]): Plan | null {
  if (tries.length === 0) return null;
  const sorted = tries.flatMap((t) => t.actions).sort((a, b) => a.seq - b.seq);
  const redaction = sorted.findIndex((a) => a.fn === null);
  const actions = (redaction === -1 ? sorted : sorted.slice(0, redaction + 1)).map((a) => a.fn);
  const wildcards = tries.flatMap((t) => (t.any ? [t.any] : []));
  const named = new Map<string, Plan>();
  for (const name of new Set(tries.flatMap((t) => [...t.named.keys()]))) {
    named.set(name, planOf([...tries.flatMap((t) => t.named.get(name) ?? []), ...wildcards])!);
  }
  const any = planOf(wildcards);
  if (actions.length === 0 && named.size === 0 && any === null) return null;
  return { actions, named, any };
}

/** Can the walk take these transforms? (Otherwise the generic path runs.) */
function walkable(transforms: readonly WalkTransform[]): boolean {
  return transforms.every((t) => t.paths.every((p) => {
    const segs = p.ast.segments;
    if (segs.length === 0 || !segs.every((s) => s.kind === 'property' || s.kind === 'wildcard')) return false;
    // Removing array elements would move the indexes other matches were found at.
    return t.fn !== null || segs.at(-1)!.kind === 'property';
  }));
}

const REDACTED = Symbol('redacted');
/** A deleted key's value (see jsonpath/evaluate.ts), which the writer skips. */
const DELETED = undefined as unknown as JsonValue;
type Visit = (node: JsonValue, ctx: TransformContext) => JsonValue;
type VisitOrRedact = (node: JsonValue, ctx: TransformContext) => JsonValue | typeof REDACTED;
const hasOwn = Object.prototype.hasOwnProperty;
const identity: Visit = (node) => node;

/** A location's value after its own actions. */
function applyActions(value: JsonValue, actions: (ValueFunction | null)[], ctx: TransformContext): JsonValue | typeof REDACTED {
  let v = value;
  for (const fn of actions) {
    if (fn === null) return REDACTED;
    v = fn(v, ctx);
  }
  return v;
}

class WalkCompiler {
  private readonly schemas: ResponseSchemaFilter;

  constructor(schemas: ResponseSchemaFilter) {
    this.schemas = schemas;
  }

  /** Filters `node` with `schema` (none: kept as is) and runs the transforms of its children (not its own). */
  children(schema: SchemaFilter | null, plan: Plan | null): Visit {
    const filter = schema === null ? identity : this.schemas.inPlaceFilter(schema);
    if (plan === null || (plan.named.size === 0 && plan.any === null)) return filter;
    const shape = schema === null ? null : this.schemas.shapeOf(schema);
    if (shape?.type === 'object') return this.object(shape.properties, plan);
    if (shape?.type === 'array') return this.array(shape.items, plan.any);
    const unfiltered = this.unfiltered(plan);
    // Leaf types, `anyOf` and the like: filtered as a whole first, then the rules run on what is left.
    return schema === null ? unfiltered : (node, ctx) => unfiltered(filter(node, ctx), ctx);
  }

  /** `children`, then the location's own actions. */
  private location(schema: SchemaFilter | null, plan: Plan | null): VisitOrRedact {
    const inner = this.children(schema, plan);
    const actions = plan?.actions ?? [];
    if (actions.length === 0) return inner;
    return (node, ctx) => applyActions(inner(node, ctx), actions, ctx);
  }

  private object(properties: Record<string, SchemaFilter>, plan: Plan): Visit {
    const members = new Map(Object.entries(properties).map(([name, s]) => {
      const p = plan.named.get(name) ?? plan.any;
      // A leaf value its filter keeps as it is (most of them) is tested here, not filtered by a call.
      return [name, { visit: this.children(s, p), keptAsIs: this.schemas.keptAsIs(s), actions: p !== null && p.actions.length > 0 ? p.actions : null }];
    }));
    return (node, ctx) => {
      if (!isJsonObject(node)) return null;
      for (const key in node) {
        const v = node[key];
        // Undefined marks a deleted key (see jsonpath/evaluate.ts).
        if (v === undefined || !hasOwn.call(node, key)) continue;
        const m = members.get(key);
        if (m === undefined) {
          setOwn(node, key, DELETED);
          continue;
        }
        let r: JsonValue | typeof REDACTED = m.keptAsIs !== null && isKeptAsIs(m.keptAsIs, v) ? v : m.visit(v, ctx);
        if (m.actions !== null) r = applyActions(r, m.actions, ctx);
        if (r !== v) setOwn(node, key, r === REDACTED ? DELETED : r);
      }
      return node;
    };
  }

  private array(items: SchemaFilter, plan: Plan | null): Visit {
    const inner = this.children(items, plan);
    const actions = plan?.actions ?? [];
    return (node, ctx) => {
      if (!Array.isArray(node)) return null;
      // The schema drops items it filters to null before any transform sees them.
      let kept = 0;
      for (let i = 0; i < node.length; i++) {
        const r = inner(node[i], ctx);
        if (r !== null) node[kept++] = actions.length === 0 ? r : (applyActions(r, actions, ctx) as JsonValue);
      }
      node.length = kept;
      return node;
    };
  }

  /** The transforms of a subtree no schema filters. */
  private unfiltered(plan: Plan): Visit {
    const named = new Map([...plan.named].map(([name, p]) => [name, this.location(null, p)]));
    const any = plan.any === null ? null : this.location(null, plan.any);
    return (node, ctx) => {
      if (Array.isArray(node)) {
        // Wildcards are never redactions (walkable): an element is always replaced, never removed.
        if (any !== null) for (let i = 0; i < node.length; i++) node[i] = any(node[i], ctx) as JsonValue;
      } else if (isJsonObject(node)) {
        for (const key in node) {
          const v = node[key];
          if (v === undefined || !hasOwn.call(node, key)) continue;
          const visit = named.get(key) ?? any;
          if (visit === null) continue;
          const r = visit(v, ctx);
          if (r !== v) setOwn(node, key, r === REDACTED ? DELETED : r);
        }
      }
      return node;
    };
  }
}

/**
 * The fused walk of an endpoint's schema (null: none; else one `filtersInPlace` accepts, filtered
 * by `schemas`, an in-place filter) and transforms, or null when some transform needs the generic path.
 */
export function compileWalk(schema: SchemaFilter | null, transforms: readonly WalkTransform[], schemas: ResponseSchemaFilter): Walk | null {
  if (!walkable(transforms)) return null;
  const root = new Trie();
  let seq = 0;
  for (const t of transforms) for (const p of t.paths) root.insert(p, { seq: seq++, fn: t.fn });
  return new WalkCompiler(schemas).children(schema, planOf([root]));
}
