/**
 * psoxy's `responseSchema` filter (spec §3.6): keeps only what the schema names, coercing leaf
 * types the way Jackson does (integers truncated, boolean null → false, arrays drop nulls).
 */
import type { SchemaFilter } from '../rules/types.ts';
import { isDoubleNumber, isJsonNumber, isJsonObject, numberText, numberValue, rawNumber, setOwn, type JsonObject, type JsonValue } from '../json/json.ts';

export const NOT_MATCHED = Symbol('not matched');
type Result = JsonValue | typeof NOT_MATCHED;

export class SchemaFilterError extends Error {}

const INT_MIN = -2147483648, INT_MAX = 2147483647;
const LONG_MIN = -9223372036854775808n, LONG_MAX = 9223372036854775807n;

export class ResponseSchemaFilter {
  private readonly definitions: Record<string, SchemaFilter>;
  constructor(definitions: Record<string, SchemaFilter>) {
    this.definitions = definitions;
  }

  apply(node: JsonValue, schema: SchemaFilter): JsonValue {
    const r = this.filter(node, schema);
    return r === NOT_MATCHED ? null : r;
  }

  private resolve(ref: string): SchemaFilter {
    if (ref === '#') return {};
    const m = /^#\/definitions\/(.+)$/.exec(ref);
    const d = m ? this.definitions[m[1]] : undefined;
    if (!d) throw new SchemaFilterError(`unresolvable $ref ${ref}`);
    return d;
  }

  private filter(node: JsonValue, schema: SchemaFilter): Result {
    if (schema.$ref !== undefined) return this.filter(node, this.resolve(schema.$ref));
    if (schema.anyOf) {
      for (const alt of schema.anyOf) {
        const r = this.filter(node, alt);
        if (r !== NOT_MATCHED) return r;
      }
      return null;
    }
    if (schema.type === undefined) {
      return typeof node === 'object' && node !== null && !isJsonNumber(node) ? null : node;
    }
    if (schema.if) {
      let r = this.conditional(node, schema.if);
      if (r === NOT_MATCHED && schema.else) r = this.conditional(node, schema.else);
      if (r !== NOT_MATCHED && schema.then) r = this.objectProperties(node, schema.then, false);
      return r;
    }
    if (schema.const !== undefined) return typeof node === 'string' && node === schema.const ? '' : NOT_MATCHED;
    switch (schema.type) {
      case 'string': return typeof node === 'string' ? node : null;
      case 'integer': return isJsonNumber(node) ? toInteger(node) : null;
      case 'number': return isJsonNumber(node) ? node : null;
      case 'boolean': return typeof node === 'boolean' ? node : node === null ? false : null;
      case 'object': return this.objectProperties(node, schema, true);
      case 'array': {
        if (!Array.isArray(node)) return null;
        const out: JsonValue[] = [];
        for (const el of node) {
          const r = this.filter(el, schema.items!);
          if (r !== null && r !== NOT_MATCHED) out.push(r);
        }
        return out;
      }
      case 'null': return null;
      default: throw new SchemaFilterError(`unknown schema type ${schema.type}`);
    }
  }

  /** `if`/`else` schemas look only at their alphabetically-first property. */
  private conditional(node: JsonValue, schema: SchemaFilter): Result {
    if (!isJsonObject(node)) return NOT_MATCHED;
    const props = Object.keys(schema.properties ?? {}).sort();
    if (props.length === 0) return this.filter(node, schema);
    const first = props[0];
    if (!Object.hasOwn(node, first)) return NOT_MATCHED;
    return this.filter(node[first], schema.properties![first]);
  }

  private objectProperties(node: JsonValue, schema: SchemaFilter, plusExempt: boolean): Result {
    if (!isJsonObject(node)) return null;
    const props = schema.properties ?? {};
    const out: JsonObject = {};
    for (const key of Object.keys(node)) {
      if (plusExempt && key.startsWith('+')) { setOwn(out, key, node[key]); continue; }
      if (!Object.hasOwn(props, key)) continue;
      const r = this.filter(node[key], props[key]);
      if (r === NOT_MATCHED) return NOT_MATCHED;
      setOwn(out, key, r);
    }
    return out;
  }
}

/** Jackson `canConvertToInt`/`canConvertToLong` then `asInt`/`asLong`: fractions truncate. */
function toInteger(n: number | { rawJSON: string }): JsonValue {
  if (typeof n === 'number') return n;
  if (isDoubleNumber(n)) {
    const v = numberValue(n);
    if (v >= INT_MIN && v <= INT_MAX) return Math.trunc(v);
    if (v >= Number(LONG_MIN) && v < Number(LONG_MAX)) {
      const t = Math.trunc(v);
      return Number.isSafeInteger(t) ? t : rawNumber(BigInt(t).toString());
    }
    return null;
  }
  const big = BigInt(numberText(n));
  return big >= LONG_MIN && big <= LONG_MAX ? n : null;
}
