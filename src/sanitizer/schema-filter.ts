/**
 * psoxy's `responseSchema` filter (spec §3.6): keeps only what the schema names, coercing leaf
 * types the way Jackson does (integers truncated, boolean null → false, arrays drop nulls).
 * Each schema is compiled once into a function; `$ref`s are resolved at compile time.
 */
import type { SchemaFilter } from '../rules/types.ts';
import { isDoubleNumber, isJsonNumber, isJsonObject, keepKeyOrder, numberText, numberValue, PlainParseInsufficient, rawNumber, setOwn, type JsonNumber, type JsonObject, type JsonValue } from '../json/json.ts';

export const NOT_MATCHED = Symbol('not matched');
type Result = JsonValue | typeof NOT_MATCHED;
type Filter = (node: JsonValue) => Result;

export class SchemaFilterError extends Error {}

export type KeptAsIs = 'string' | 'boolean' | 'number' | 'integer';

/** Does a filter whose values of type `kept` pass as they are return `node` as it is? (See keptAsIs.) */
export function isKeptAsIs(kept: KeptAsIs, node: JsonValue): boolean {
  switch (kept) {
    case 'string': return typeof node === 'string';
    case 'boolean': return typeof node === 'boolean';
    case 'number': return typeof node === 'number';
    case 'integer': return Number.isSafeInteger(node);
  }
}

export type SchemaShape = { type: 'object'; properties: Record<string, SchemaFilter> } | { type: 'array'; items: SchemaFilter };

const INT_MIN = -2147483648, INT_MAX = 2147483647;
const LONG_MIN = -9223372036854775808n, LONG_MAX = 9223372036854775807n;
const hasOwn = Object.prototype.hasOwnProperty;

export class ResponseSchemaFilter {
  private readonly definitions: Record<string, SchemaFilter>;
  private readonly compiled = new Map<SchemaFilter, Filter>();
  /** Keys starting with `+` pass objects unfiltered: only for documents whose `+` keys are our augments' output. */
  private readonly passAugmentKeys: boolean;
  /**
   * Filters the document itself instead of a copy: dropped keys are marked undefined (as deleted
   * keys are, see jsonpath/evaluate.ts) and arrays compacted. Only for schemas that `filtersInPlace`
   * accepts, on documents nothing else holds.
   */
  private readonly inPlace: boolean;

  constructor(definitions: Record<string, SchemaFilter>, options: { passAugmentKeys?: boolean; inPlace?: boolean } = {}) {
    this.definitions = definitions;
    this.passAugmentKeys = options.passAugmentKeys ?? false;
    this.inPlace = options.inPlace ?? false;
  }

  apply(node: JsonValue, schema: SchemaFilter): JsonValue {
    const r = this.filterFor(schema)(node);
    return r === NOT_MATCHED ? null : r;
  }

  /**
   * Does filtering with `schema` keep nothing whose text `JSON.parse` loses? True when every
   * number it keeps goes through an `integer` leaf (which reads it as a value, see toInteger) and
   * no property it keeps is named like an array index (so JS keeps the input key order). A body
   * for such a schema needs no fidelity scan before parsing (json.ts parsePlainJson).
   */
  keepsOnlyPlainValues(schema: SchemaFilter): boolean {
    const plainNames = (s: SchemaFilter | undefined) => Object.keys(s?.properties ?? {}).every((name) => !ARRAY_INDEX.test(name));
    return this.everyReachable(schema, (s) => {
      if (s.$ref !== undefined) return s.$ref !== '#' && this.definition(s.$ref) !== undefined;
      if (s.anyOf) return true;
      if (s.type === undefined || (s.type === 'number' && !s.if && s.const === undefined)) return false;
      return s.if ? plainNames(s.if) && plainNames(s.else) && plainNames(s.then) : plainNames(s);
    });
  }

  /**
   * Can `schema` filter a document in place (see the `inPlace` option)? Only when no value can
   * fail to match (`const`) and no node is filtered twice (`if` / `then`): a copy is then never
   * needed to start again from the unfiltered node.
   */
  filtersInPlace(schema: SchemaFilter): boolean {
    return this.everyReachable(schema, (s) => s.$ref !== undefined || s.anyOf !== undefined || s.type === undefined || (!s.if && s.const === undefined));
  }

  /** Is `test` true of `schema` and of every schema filtering with it reaches, in compile()'s order of cases? */
  private everyReachable(schema: SchemaFilter, test: (s: SchemaFilter) => boolean, seen = new Set<SchemaFilter>()): boolean {
    if (seen.has(schema)) return true;
    seen.add(schema);
    if (!test(schema)) return false;
    const every = (list: (SchemaFilter | undefined)[]) => list.every((c) => c === undefined || this.everyReachable(c, test, seen));
    const properties = (c: SchemaFilter | undefined) => Object.values(c?.properties ?? {});
    if (schema.$ref !== undefined) return schema.$ref === '#' || every([this.definition(schema.$ref)]);
    if (schema.anyOf) return every(schema.anyOf);
    if (schema.type === undefined || (schema.const !== undefined && !schema.if)) return true;
    if (schema.if) return every([...properties(schema.if), ...properties(schema.else), ...properties(schema.then)]);
    return every([...properties(schema), schema.items]);
  }

  /**
   * The in-place filter of `schema` as a function (only for a filter built with `inPlace`, on a
   * schema `filtersInPlace` accepts: nothing then fails to match).
   */
  inPlaceFilter(schema: SchemaFilter): (node: JsonValue) => JsonValue {
    return this.filterFor(schema) as (node: JsonValue) => JsonValue;
  }

  /**
   * What filtering with `schema` does, `$ref`s followed, when it filters an object's properties
   * or an array's items (else null): the compiled walk (walk.ts) visits their children itself.
   */
  shapeOf(schema: SchemaFilter, seen = new Set<SchemaFilter>()): SchemaShape | null {
    if (seen.has(schema)) return null;
    seen.add(schema);
    if (schema.$ref !== undefined) {
      const d = schema.$ref === '#' ? undefined : this.definition(schema.$ref);
      return d === undefined ? null : this.shapeOf(d, seen);
    }
    if (schema.anyOf || schema.if || schema.const !== undefined) return null;
    if (schema.type === 'object') return { type: 'object', properties: schema.properties ?? {} };
    if (schema.type === 'array' && schema.items !== undefined) return { type: 'array', items: schema.items };
    return null;
  }

  /**
   * The JS type of the values `schema`'s filter returns as they are, by a test no filter call is
   * needed for (`integer`: safe integers), or null when there is no such test.
   */
  keptAsIs(schema: SchemaFilter): KeptAsIs | null {
    let s: SchemaFilter | undefined = schema;
    for (let hops = 0; s?.$ref !== undefined && s.$ref !== '#' && hops < 32; hops++) s = this.definition(s.$ref);
    if (s === undefined || s.$ref !== undefined || s.anyOf || s.if || s.const !== undefined) return null;
    return s.type === 'string' || s.type === 'boolean' || s.type === 'number' || s.type === 'integer' ? s.type : null;
  }

  private filterFor(schema: SchemaFilter): Filter {
    let f = this.compiled.get(schema);
    if (!f) {
      // A schema being compiled is reached again only through a recursive definition: that
      // reference goes through an indirection, every other one calls the compiled filter itself.
      let impl: Filter | undefined;
      this.compiled.set(schema, (node) => impl!(node));
      f = impl = this.compile(schema);
      this.compiled.set(schema, f);
    }
    return f;
  }

  private definition(ref: string): SchemaFilter | undefined {
    const m = /^#\/definitions\/(.+)$/.exec(ref);
    return m ? this.definitions[m[1]] : undefined;
  }

  private resolve(ref: string): SchemaFilter {
    if (ref === '#') return {};
    const d = this.definition(ref);
    if (!d) throw new SchemaFilterError(`unresolvable $ref ${ref}`);
    return d;
  }

  private compile(schema: SchemaFilter): Filter {
    if (schema.$ref !== undefined) {
      if (schema.$ref !== '#' && !this.definition(schema.$ref)) {
        const ref = schema.$ref;
        return () => { throw new SchemaFilterError(`unresolvable $ref ${ref}`); }; // only when a node reaches it, as psoxy fails
      }
      return this.filterFor(this.resolve(schema.$ref));
    }
    if (schema.anyOf) {
      const alts = schema.anyOf.map((s) => this.filterFor(s));
      return (node) => {
        for (const alt of alts) {
          const r = alt(node);
          if (r !== NOT_MATCHED) return r;
        }
        return null;
      };
    }
    if (schema.type === undefined) {
      return (node) => {
        // asSimpleValue knows int, long, double, text, boolean and null; a BigInteger makes it throw.
        if (isJsonNumber(node) && !isDoubleNumber(node) && !fitsLong(BigInt(numberText(node)))) {
          throw new SchemaFilterError('response schema without a type cannot pass an integer beyond 64 bits (psoxy fails too)');
        }
        return typeof node === 'object' && node !== null && !isJsonNumber(node) ? null : node;
      };
    }
    if (schema.if) {
      const cond = this.conditional(schema.if);
      const otherwise = schema.else ? this.conditional(schema.else) : null;
      // psoxy's `then` filters without the `+` exemption.
      const then = schema.then ? this.objectFilter(schema.then, false) : null;
      return (node) => {
        let r = cond(node);
        if (r === NOT_MATCHED && otherwise) r = otherwise(node);
        if (r !== NOT_MATCHED && then) r = then(node);
        return r;
      };
    }
    if (schema.const !== undefined) {
      const c = schema.const;
      return (node) => (typeof node === 'string' && node === c ? '' : NOT_MATCHED);
    }
    switch (schema.type) {
      case 'string': return (node) => (typeof node === 'string' ? node : null);
      case 'integer': return (node) => (isJsonNumber(node) ? toInteger(node) : null);
      case 'number': return (node) => (isJsonNumber(node) ? node : null);
      case 'boolean': return (node) => (typeof node === 'boolean' ? node : node === null ? false : null);
      case 'object': return this.objectFilter(schema, this.passAugmentKeys);
      case 'array': {
        const items = this.filterFor(schema.items!);
        if (this.inPlace) {
          return (node) => {
            if (!Array.isArray(node)) return null;
            let kept = 0;
            for (const el of node) {
              const r = items(el);
              if (r !== null) node[kept++] = r as JsonValue;
            }
            node.length = kept;
            return node;
          };
        }
        return (node) => {
          if (!Array.isArray(node)) return null;
          const out: JsonValue[] = [];
          for (const el of node) {
            const r = items(el);
            if (r !== null && r !== NOT_MATCHED) out.push(r);
          }
          keepKeyOrder(node, out);
          return out;
        };
      }
      case 'null': return () => null;
      default: {
        const type = schema.type;
        return () => { throw new SchemaFilterError(`response schema type "${type}" is not a JSON type`); };
      }
    }
  }

  /** `if`/`else` schemas look only at their alphabetically-first property. */
  private conditional(schema: SchemaFilter): Filter {
    const props = Object.keys(schema.properties ?? {}).sort();
    if (props.length === 0) {
      return () => { throw new SchemaFilterError('response schema: an if/else needs a property (psoxy fails too)'); };
    }
    const first = props[0];
    const f = this.filterFor(schema.properties![first]);
    // psoxy hands the property's value to its schema even when it is missing (Java null): only a
    // `type: null` schema never looks at it; any other throws NullPointerException there.
    const missing = this.ignoresValue(schema.properties![first]) ? () => null : () => {
      throw new SchemaFilterError(`response schema: the if/else property "${first}" is missing (psoxy fails too)`);
    };
    return (node) => (isJsonObject(node) && hasOwn.call(node, first) && node[first] !== undefined ? f(node[first]) : missing());
  }

  /** Does filtering with this schema return without reading the value (so a missing one is fine)? */
  private ignoresValue(schema: SchemaFilter): boolean {
    if (schema.$ref !== undefined) return schema.$ref !== '#' && this.ignoresValue(this.resolve(schema.$ref));
    if (schema.anyOf) return schema.anyOf.length > 0 && this.ignoresValue(schema.anyOf[0]);
    return schema.type === 'null' && !schema.if && schema.const === undefined;
  }

  private objectFilter(schema: SchemaFilter, passAugmentKeys: boolean): Filter {
    const props = new Map(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, this.filterFor(s)]));
    if (this.inPlace) {
      return (node) => {
        if (!isJsonObject(node)) return null;
        for (const key in node) {
          const v = node[key];
          if (v === undefined || !hasOwn.call(node, key)) continue;
          const f = props.get(key);
          const r = f === undefined ? undefined : f(v);
          if (r !== v) setOwn(node, key, r as JsonValue);
        }
        return node;
      };
    }
    return (node) => {
      if (!isJsonObject(node)) return null;
      const out: JsonObject = {};
      for (const key in node) {
        // Undefined marks a key a transform deleted (see jsonpath/evaluate.ts).
        if (!hasOwn.call(node, key) || node[key] === undefined) continue;
        // psoxy passes keys starting with `+` unfiltered (meant for its augments); a source's own
        // `+` keys are filtered like any other (the sanitizer passes only its augments' output).
        if (passAugmentKeys && key.startsWith('+')) {
          setOwn(out, key, node[key]);
          continue;
        }
        const f = props.get(key);
        if (f === undefined) continue;
        const r = f(node[key]);
        if (r === NOT_MATCHED) return NOT_MATCHED;
        setOwn(out, key, r);
      }
      keepKeyOrder(node, out);
      return out;
    };
  }
}

const fitsLong = (big: bigint) => big >= LONG_MIN && big <= LONG_MAX;

/** A property name JS enumerates before the others (conservatively: up to ten digits). */
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

/**
 * Jackson `canConvertToInt`/`canConvertToLong` then `asInt`/`asLong`: fractions truncate. A JS
 * number is a safe integer (parseJson), or, from parsePlainJson, any double: one with a fraction
 * was written as a double; an integer beyond 2^53 may have been a long, which only parseJson keeps.
 */
function toInteger(n: JsonNumber): JsonValue {
  if (typeof n === 'number') {
    if (Number.isSafeInteger(n)) return n;
    if (Number.isInteger(n) || !Number.isFinite(n)) throw new PlainParseInsufficient();
    return doubleToInteger(n);
  }
  if (isDoubleNumber(n)) return doubleToInteger(numberValue(n));
  return fitsLong(BigInt(numberText(n))) ? n : null;
}

function doubleToInteger(v: number): JsonValue {
  if (v >= INT_MIN && v <= INT_MAX) return Math.trunc(v);
  // DoubleNode.canConvertToLong compares with (double) Long.MAX_VALUE, which is 2^63, and
  // longValue() is Java's (long) cast, which saturates: 9.223372036854775807E18 → Long.MAX_VALUE.
  if (v >= Number(LONG_MIN) && v <= Number(LONG_MAX)) {
    const t = Math.trunc(v);
    return Number.isSafeInteger(t) ? t : rawNumber((BigInt(t) > LONG_MAX ? LONG_MAX : BigInt(t)).toString());
  }
  return null;
}
