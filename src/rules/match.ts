/**
 * "Is this call allowed, and by which endpoint?" — psoxy's rule matching (spec §1.5).
 * Regexes are case-insensitive whole-string matches; `pathRegex` sees `path?query`,
 * `pathTemplate` sees the raw path and checks query parameter names and schemas.
 * Where several endpoints match, the first declared wins (psoxy picks an arbitrary one).
 */
import type { ApiRules, Endpoint, ParameterSchema } from './types.ts';
import { templateToRegex } from './path-template.ts';
import { compileJavaRegex } from '../regex/java-regex.ts';
import { parseQuery, type QueryParam } from './url.ts';

const PSEUDONYM = /^p~[a-zA-Z0-9_-]{43,}$/;

/**
 * Methods an endpoint without `allowedMethods` accepts (psoxy: any). Reads and POST, which
 * psoxy's own rules use undeclared for query APIs (e.g. Gong's `/v2/stats/activity/aggregate`);
 * DELETE, PUT, PATCH and anything else must be declared. Also applies to `allowAllEndpoints`.
 */
export const UNDECLARED_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST']);

interface CompiledEndpoint {
  endpoint: Endpoint;
  index: number;
  regex: RegExp;
  isTemplate: boolean;
  allowedParams: Set<string> | null;
  allowedMethods: ReadonlySet<string>;
  paramPatterns: Map<ParameterSchema, RegExp>;
}

export interface EndpointMatch {
  endpoint: Endpoint;
  index: number;
}

export class EndpointMatcher {
  private readonly compiled: CompiledEndpoint[];
  readonly allowAll: boolean;

  constructor(rules: ApiRules) {
    this.allowAll = rules.allowAllEndpoints;
    this.compiled = rules.endpoints.map((endpoint, index) => {
      const isTemplate = endpoint.pathRegex === undefined;
      const source = isTemplate ? templateToRegex(endpoint.pathTemplate!) : endpoint.pathRegex!;
      const paramPatterns = new Map<ParameterSchema, RegExp>();
      const collect = (s: ParameterSchema) => {
        if (s.pattern !== undefined) paramPatterns.set(s, compileJavaRegex(s.pattern, { whole: true }));
        s.anyOf?.forEach(collect);
      };
      Object.values(endpoint.pathParameterSchemas ?? {}).forEach(collect);
      Object.values(endpoint.queryParamSchemas ?? {}).forEach(collect);
      return {
        endpoint,
        index,
        regex: compileJavaRegex(source, { flags: 'i', whole: true }),
        isTemplate,
        allowedParams: endpoint.allowedQueryParams ? new Set(endpoint.allowedQueryParams.map((p) => p.toLowerCase())) : null,
        allowedMethods: endpoint.allowedMethods ? new Set(endpoint.allowedMethods.map((m) => m.toUpperCase())) : UNDECLARED_METHODS,
        paramPatterns,
      };
    });
  }

  /**
   * The matching endpoint for a raw (still percent-encoded) path and query, or null. Query
   * parameters must pass as psoxy reads them (`&` and `;` separate) and as a source's server most
   * likely does (`&` only), so `status=active;deleted` cannot pass an enum as two values and
   * reach the source as one.
   */
  match(method: string, path: string, query: string | null): EndpointMatch | null {
    let params: QueryParam[][] | undefined;
    const upper = method.toUpperCase();
    for (const c of this.compiled) {
      if (!c.allowedMethods.has(upper)) continue;
      if (c.isTemplate) {
        const m = c.regex.exec(path);
        if (!m) continue;
        if (this.pathParamRefusal(c, m.groups ?? {}) !== null) continue;
      } else if (!c.regex.test(query === null ? path : path + '?' + query)) continue;
      params ??= readingsOf(query);
      if (!params.every((p) => this.queryRefusal(c, p) === null)) continue;
      return { endpoint: c.endpoint, index: c.index };
    }
    return null;
  }

  /**
   * Why `match` found nothing, for people (the CLI): the part refused — the path, the method, a
   * path or query parameter — as far as the endpoint that got furthest goes. Parameter values are
   * not repeated (they may be personal data).
   */
  explainRefusal(method: string, path: string, query: string | null): string {
    const upper = method.toUpperCase();
    const params = readingsOf(query);
    let best: [stage: number, reason: string] = [0, `no endpoint matches the path ${path}`];
    for (const c of this.compiled) {
      const m = c.isTemplate ? c.regex.exec(path) : c.regex.exec(query === null ? path : path + '?' + query);
      if (!m) continue;
      const where = c.endpoint.pathTemplate ?? c.endpoint.pathRegex;
      const pathParam = c.isTemplate ? this.pathParamRefusal(c, m.groups ?? {}) : null;
      const queryParam = params.map((p) => this.queryRefusal(c, p)).find((r) => r !== null) ?? null;
      const found: [number, string] | null = !c.allowedMethods.has(upper) ? [1, `${where} does not allow method ${upper} (allowed: ${[...c.allowedMethods].join(', ')})`]
        : pathParam !== null ? [2, `${where} refuses the value of path parameter ${pathParam} (pathParameterSchemas)`]
          : queryParam !== null ? [3, `${where} ${queryParam}`]
            : null;
      if (found === null) return `allowed by ${where}`;
      if (found[0] > best[0]) best = found;
    }
    return best[1];
  }

  /** The path parameter whose value the endpoint's schema refuses, or null. */
  private pathParamRefusal(c: CompiledEndpoint, groups: Record<string, string | undefined>): string | null {
    for (const [name, schema] of Object.entries(c.endpoint.pathParameterSchemas ?? {})) {
      if (!Object.hasOwn(groups, name)) return name;
      if (!this.valueValid(c, schema, groups[name] ?? null)) return name;
    }
    return null;
  }

  /** What the endpoint refuses in one reading of the query (a parameter named, no value), or null; said after the endpoint. */
  private queryRefusal(c: CompiledEndpoint, params: QueryParam[]): string | null {
    const unknown = c.allowedParams ? params.find((p) => !c.allowedParams!.has(p.name.toLowerCase())) : undefined;
    if (unknown) return `does not allow query parameter "${unknown.name}" (allowed: ${c.endpoint.allowedQueryParams!.join(', ') || 'none'})`;
    for (const [name, schema] of Object.entries(c.endpoint.queryParamSchemas ?? {})) {
      const lower = name.toLowerCase();
      const values = params.filter((p) => p.name.toLowerCase() === lower && p.value !== null).map((p) => p.value!);
      if (schema.required && values.length === 0) return `requires query parameter "${name}"`;
      if (!values.every((v) => this.valueValid(c, schema, v))) return `refuses the value of query parameter "${name}" (queryParamSchemas)`;
    }
    return null;
  }

  private valueValid(c: CompiledEndpoint, s: ParameterSchema, value: string | null): boolean {
    if (value === null) return true;
    if (s.type === 'integer' && !/^\d+$/.test(value.trim())) return false;
    if (s.type === 'number' && !isJavaDouble(value)) return false;
    if (s.format !== undefined && !PSEUDONYM.test(value)) return false;
    if (s.enum && !s.enum.includes(value)) return false;
    const pattern = c.paramPatterns.get(s);
    if (pattern && !pattern.test(value)) return false;
    if (s.anyOf) return s.anyOf.some((sub) => this.valueValid(c, sub, value));
    return true;
  }
}

/** The query as psoxy reads it (`&` and `;` separate) and, when that differs, as most servers do (`&` only). */
function readingsOf(query: string | null): QueryParam[][] {
  return query?.includes(';') ? [parseQuery(query), parseQuery(query, /&/)] : [parseQuery(query)];
}

/** `Double.parseDouble` acceptance (trimmed; decimal, exponent, optional type suffix, NaN/Infinity). */
function isJavaDouble(v: string): boolean {
  return /^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?))$/.test(v.trim()) || /^[+-]?0[xX][0-9a-fA-F]+(\.[0-9a-fA-F]*)?[pP][+-]?\d+[fFdD]?$/.test(v.trim());
}
