/**
 * The API-mode sanitizer: decides whether a request is allowed and sanitizes a JSON response
 * with the matched endpoint's `augments`, `responseSchema` filter and `transforms`, in psoxy's order.
 * Pure and platform-free: no I/O, no clock, no environment.
 */
import type { ApiRules, Endpoint, Transform } from '../rules/types.ts';
import { EndpointMatcher, UNDECLARED_METHODS, type EndpointMatch } from '../rules/match.ts';
import { splitRawUrl } from '../rules/url.ts';
import { compileJsonPath, type CompiledPath } from '../jsonpath/index.ts';
import { Pseudonymizer } from '../pseudonym/pseudonymizer.ts';
import { ResponseSchemaFilter } from './schema-filter.ts';
import { applyAugments, compileAugment, type CompiledAugment } from './augments.ts';
import { compileValueFunction, TransformError, type TransformContext, type ValueFunction } from './transforms.ts';
import { parseJson, parseJsonStream, parsePlainJson, PlainParseInsufficient, type JsonValue } from '../json/json.ts';
import { writeJson } from '../json/write.ts';
import { compileWalk, type Walk } from './walk.ts';

export class BlockedByRulesError extends Error {}
export class MalformedResponseError extends Error {}
export { TransformError };

interface CompiledTransform {
  paths: CompiledPath[];
  applyOnlyWhen: CompiledPath | null;
  /** null = redact (delete matched nodes). */
  fn: ValueFunction | null;
}

interface CompiledEndpoint {
  endpoint: Endpoint;
  augments: CompiledAugment[];
  transforms: CompiledTransform[];
  /** Bodies can be read with JSON.parse alone: the schema keeps nothing its fidelity scans protect. */
  plainParse: boolean;
  /** The schema filters the parsed document itself (no augments hold parts of it). */
  filterInPlace: boolean;
  /** Schema filter and transforms in one walk (walk.ts), when the rules allow it. */
  walk: Walk | null;
}

export interface SanitizerOptions {
  /** `false`: always the generic path (schema pass, then JSONPath passes), the walk's reference in tests. */
  compiledWalk?: boolean;
}

export interface SanitizeOptions {
  /** `X-Psoxy-Pseudonym-Implementation` header value (`v0.4` default, `v0.3` legacy). */
  pseudonymImplementation?: string | null;
}

function parseBody(body: string, parse: (text: string) => JsonValue): JsonValue[] {
  try {
    return parseJsonStream(body, parse);
  } catch (e) {
    // V8's message quotes the body; it may hold personal data, so only the position is kept.
    const at = /position (\d+)/.exec((e as Error).message)?.[1];
    throw new MalformedResponseError(`response body is not valid JSON${at !== undefined ? ` (at position ${at})` : ''}`);
  }
}

export class Sanitizer {
  readonly rules: ApiRules;
  readonly pseudonymizer: Pseudonymizer;
  private readonly matcher: EndpointMatcher;
  private readonly schemaFilter: ResponseSchemaFilter;
  /** For documents our augments ran on: their `+` keys pass, as psoxy's exemption lets them. */
  private readonly augmentedSchemaFilter: ResponseSchemaFilter;
  private readonly inPlaceSchemaFilter: ResponseSchemaFilter;
  private readonly endpoints: CompiledEndpoint[];

  constructor(rules: ApiRules, pseudonymizer: Pseudonymizer, options: SanitizerOptions = {}) {
    this.rules = rules;
    this.pseudonymizer = pseudonymizer;
    this.matcher = new EndpointMatcher(rules);
    this.schemaFilter = new ResponseSchemaFilter(rules.definitions);
    this.augmentedSchemaFilter = new ResponseSchemaFilter(rules.definitions, { passAugmentKeys: true });
    this.inPlaceSchemaFilter = new ResponseSchemaFilter(rules.definitions, { inPlace: true });
    const pathCache = new Map<string, CompiledPath>();
    const path = (p: string) => {
      let c = pathCache.get(p);
      if (!c) pathCache.set(p, (c = compileJsonPath(p)));
      return c;
    };
    this.endpoints = rules.endpoints.map((endpoint) => {
      const schema = !endpoint.augments?.length ? endpoint.responseSchema : undefined;
      const transforms = endpoint.transforms.map((t: Transform) => ({
        paths: t.jsonPaths.map(path),
        applyOnlyWhen: t.applyOnlyWhen ? path(t.applyOnlyWhen) : null,
        fn: t.type === 'redact' ? null : compileValueFunction(t),
      }));
      const filterInPlace = schema !== undefined && this.schemaFilter.filtersInPlace(schema);
      const walks = options.compiledWalk !== false && !endpoint.augments?.length && (!endpoint.responseSchema || filterInPlace)
        && transforms.every((t) => t.applyOnlyWhen === null);
      return {
        endpoint,
        plainParse: schema !== undefined && this.schemaFilter.keepsOnlyPlainValues(schema),
        filterInPlace,
        augments: (endpoint.augments ?? []).map(compileAugment),
        transforms,
        walk: walks ? compileWalk(endpoint.responseSchema || null, transforms, this.inPlaceSchemaFilter) : null,
      };
    });
  }

  /** The endpoint allowing `method url`, or null when the rules block it. */
  match(method: string, rawUrl: string): EndpointMatch | null {
    const { path, query } = splitRawUrl(rawUrl);
    return this.matcher.match(method, path, query);
  }

  isAllowed(method: string, rawUrl: string): boolean {
    return this.match(method, rawUrl) !== null || this.allowsUnmatched(method);
  }

  /** `allowAllEndpoints` lets a call no endpoint matches through, for the methods undeclared endpoints take. */
  allowsUnmatched(method: string): boolean {
    return this.rules.allowAllEndpoints && UNDECLARED_METHODS.has(method.toUpperCase());
  }

  /**
   * Sanitizes a response body for `method url`. Throws BlockedByRulesError when no rule allows
   * the call, MalformedResponseError when the body is not JSON, TransformError when a rule cannot
   * be applied — never returns unsanitized data for a matched endpoint.
   */
  sanitize(method: string, rawUrl: string, body: string, options: SanitizeOptions = {}): string {
    const match = this.match(method, rawUrl);
    if (match === null) {
      if (this.allowsUnmatched(method)) return body;
      throw new BlockedByRulesError(`${method} ${rawUrl} is not allowed by the rules`);
    }
    return this.sanitizeForEndpoint(match.index, body, options);
  }

  sanitizeForEndpoint(endpointIndex: number, body: string, options: SanitizeOptions = {}): string {
    const compiled = this.endpoints[endpointIndex];
    if (compiled.walk !== null) {
      try {
        return this.sanitizeValues(compiled, parseBody(body, compiled.plainParse ? parsePlainJson : parseJson), options, compiled.walk);
      } catch {
        // The generic path below is the reference: it gives the same document, or the error it
        // would have given (the walk may meet a different failure first), or reads numbers exactly.
      }
    }
    if (compiled.plainParse) {
      const values = parseBody(body, parsePlainJson);
      try {
        return this.sanitizeValues(compiled, values, options);
      } catch (e) {
        if (!(e instanceof PlainParseInsufficient)) throw e;
      }
    }
    return this.sanitizeValues(compiled, parseBody(body, parseJson), options);
  }

  private sanitizeValues(compiled: CompiledEndpoint, values: JsonValue[], options: SanitizeOptions, walk: Walk | null = null): string {
    const impl = options.pseudonymImplementation ?? null;
    if (impl !== null && impl !== 'v0.4' && impl !== 'v0.3') {
      throw new TransformError(`unknown pseudonym implementation ${JSON.stringify(impl)} (known: v0.4, v0.3)`);
    }
    const ctx: TransformContext = { pseudonymizer: this.pseudonymizer, legacyReversibleAsJson: impl === 'v0.3', memo: new Map() };
    return values.map((v) => writeJson(walk !== null ? walk(v, ctx) : this.sanitizeValue(compiled, v, ctx))).join('\n').trim();
  }

  private sanitizeValue(c: CompiledEndpoint, value: JsonValue, ctx: TransformContext): JsonValue {
    let doc = value;
    const augmented = c.augments.length > 0 && applyAugments(c.augments, doc);
    const filter = augmented ? this.augmentedSchemaFilter : c.filterInPlace ? this.inPlaceSchemaFilter : this.schemaFilter;
    if (c.endpoint.responseSchema) doc = filter.apply(doc, c.endpoint.responseSchema);
    for (const t of c.transforms) {
      if (t.applyOnlyWhen && t.applyOnlyWhen.read(doc).length === 0) continue;
      for (const p of t.paths) {
        if (t.fn === null) p.delete(doc);
        else {
          const fn = t.fn;
          p.map(doc, (v) => fn(v, ctx));
        }
      }
    }
    return doc;
  }
}
