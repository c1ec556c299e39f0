/**
 * Reading psoxy API rules: decoding the `RULES` value (plain, base64, base64 of gzip), parsing
 * (by the reader given: `load.ts` passes the YAML one) and binding strictly — unknown keys,
 * unknown transform types, bad regexes and bad JSONPaths are errors that name the file and line.
 * Nothing here imports the YAML parser: the Lambda's built-in rules are JSON and never need it.
 */
import { gunzipSync } from 'node:zlib';
import { jsonSource, RulesError, type YamlSource } from './rules-text.ts';
import { Binder, type Obj } from './binder.ts';
import type { ApiRules, Augment, AugmentType, BodySchema, Endpoint, ParameterSchema, PseudonymEncoding, SchemaFilter, Transform, TransformType } from './types.ts';
import { compileJsonPath } from '../jsonpath/index.ts';
import { compileJavaRegex, groupCount, JavaRegexError } from '../regex/java-regex.ts';
import { templateToRegex } from './path-template.ts';

export { RulesError } from './rules-text.ts';

/** Parses rules text (YAML or JSON) into a source to bind. */
export type RulesReader = (text: string, file: string) => YamlSource;

/** Decodes a `RULES` config value the way psoxy does: base64 (optionally gzip) or plain text. */
export function decodeRulesValue(value: string): string {
  const trimmed = value.trim();
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) && trimmed.length % 4 === 0) {
    const bytes = Buffer.from(trimmed, 'base64');
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) return gunzipSync(bytes).toString('utf8');
    return bytes.toString('utf8');
  }
  return value;
}

export function readApiRules(text: string, file: string, read: RulesReader): ApiRules {
  let decoded: string;
  try {
    decoded = decodeRulesValue(text);
  } catch {
    decoded = text; // not valid base64/gzip after all: psoxy then reads the value as plain YAML
  }
  try {
    return bindApiRules(read(decoded, file));
  } catch (e) {
    // psoxy falls back to the raw value when the decoded text does not parse.
    if (decoded !== text) return bindApiRules(read(text, file));
    throw e;
  }
}

/** Thrown by the JSON-only reader where the text is not JSON: the YAML parser must be loaded. */
class YamlParserNeeded extends Error {}

const jsonOnly: RulesReader = (text, file) => {
  const source = jsonSource(text, file);
  if (source === undefined) throw new YamlParserNeeded();
  return source;
};

/**
 * `loadApiRules` that imports the YAML parser (~110 KiB of the Lambda's entry) only when the
 * rules are YAML text: JSON rules, as built into the Lambda bundle, bind without it.
 */
export async function loadApiRulesLazily(text: string, file = 'RULES'): Promise<ApiRules> {
  try {
    return readApiRules(text, file, jsonOnly);
  } catch (e) {
    if (!(e instanceof YamlParserNeeded)) throw e;
  }
  return readApiRules(text, file, (await import('./yaml-source.ts')).readYaml);
}

// ---- API rules --------------------------------------------------------------------------------

const TOP_KEYS = ['allowAllEndpoints', 'allowedRequestHeaders', 'endpoints', 'definitions', 'defaultScopeIdForSource'] as const;
const ENDPOINT_KEYS = [
  'pathTemplate', 'pathRegex', 'pathParameterSchemas', 'allowedQueryParams', 'queryParamSchemas', 'allowedMethods',
  'allowedRequestHeaders', 'allowedRequestHeadersToForward', 'requestBody', 'responseSchema', 'augments', 'transforms',
] as const;

export function bindApiRules(src: YamlSource): ApiRules {
  const b = new Binder(src);
  const top = b.object(src.value, null, 'rules');
  b.keys(top, TOP_KEYS, 'rules');
  if (top.endpoints === undefined && top.allowAllEndpoints === undefined) {
    src.fail(top, 'not API rules: expected "endpoints" (bulk-file rules are used by `psoxy bulk`)');
  }
  const definitions: Record<string, SchemaFilter> = {};
  if (top.definitions !== undefined && top.definitions !== null) {
    const defs = b.object(top.definitions, top, 'definitions', 'definitions');
    for (const [name, schema] of Object.entries(defs)) definitions[name] = bindSchemaFilter(b, schema, defs, name);
  }
  const endpointsRaw = top.endpoints ?? [];
  if (!Array.isArray(endpointsRaw)) src.fail(top, 'endpoints must be a list', 'endpoints');
  const endpoints = endpointsRaw.map((e, i) => bindEndpoint(b, e, endpointsRaw, i));
  const rules: ApiRules = {
    allowAllEndpoints: b.bool(top, 'allowAllEndpoints', 'rules', false),
    endpoints,
    definitions,
    warnings: b.warnings,
  };
  const headers = b.strings(top, 'allowedRequestHeaders', 'rules');
  if (headers) rules.allowedRequestHeaders = headers;
  checkRefs(b, rules);
  return rules;
}

function bindEndpoint(b: Binder, raw: unknown, list: unknown[], index: number): Endpoint {
  const o = b.object(raw, list, `endpoints[${index}]`, index);
  const what = `endpoints[${index}]`;
  b.keys(o, ENDPOINT_KEYS, 'an endpoint');
  const e: Endpoint = { transforms: [] };
  const pathTemplate = b.string(o, 'pathTemplate', what);
  const pathRegex = b.string(o, 'pathRegex', what);
  if (pathTemplate === undefined && pathRegex === undefined) b.src.fail(o, `${what} needs pathTemplate or pathRegex`);
  if (pathRegex !== undefined) {
    b.regex(o, 'pathRegex', pathRegex, { flags: 'i' });
    e.pathRegex = pathRegex;
  }
  if (pathTemplate !== undefined) {
    try {
      compileJavaRegex(templateToRegex(pathTemplate), { flags: 'i' });
    } catch (err) {
      if (err instanceof JavaRegexError) b.src.fail(o, `pathTemplate ${JSON.stringify(pathTemplate)} does not compile: ${err.message}`, 'pathTemplate');
      throw err;
    }
    e.pathTemplate = pathTemplate;
  }
  for (const key of ['allowedQueryParams', 'allowedMethods', 'allowedRequestHeaders', 'allowedRequestHeadersToForward'] as const) {
    const v = b.strings(o, key, what);
    if (v) e[key] = v;
  }
  for (const key of ['pathParameterSchemas', 'queryParamSchemas'] as const) {
    if (o[key] === undefined || o[key] === null) continue;
    const m = b.object(o[key], o, `${what}.${key}`, key);
    const out: Record<string, ParameterSchema> = {};
    for (const [name, s] of Object.entries(m)) out[name] = bindParameterSchema(b, s, m, name, key === 'queryParamSchemas');
    e[key] = out;
  }
  if (o.requestBody !== undefined && o.requestBody !== null) {
    const rb = b.object(o.requestBody, o, `${what}.requestBody`, 'requestBody');
    b.keys(rb, ['required', 'content'], 'requestBody');
    e.requestBody = { required: b.bool(rb, 'required', 'requestBody', false) };
    if (rb.content !== undefined && rb.content !== null) {
      const content = b.object(rb.content, rb, 'requestBody.content', 'content');
      e.requestBody.content = {};
      for (const [mime, schema] of Object.entries(content)) e.requestBody.content[mime] = bindBodySchema(b, schema, content, mime);
    }
  }
  if (o.responseSchema !== undefined && o.responseSchema !== null) e.responseSchema = bindSchemaFilter(b, o.responseSchema, o, 'responseSchema');
  if (o.augments !== undefined && o.augments !== null) {
    if (!Array.isArray(o.augments)) b.src.fail(o, `${what}.augments must be a list`, 'augments');
    const as = o.augments;
    if (as.length > 0) e.augments = as.map((a, i) => bindAugment(b, a, as, i));
  }
  if (o.transforms !== undefined && o.transforms !== null) {
    if (!Array.isArray(o.transforms)) b.src.fail(o, `${what}.transforms must be a list`, 'transforms');
    const ts = o.transforms;
    e.transforms = ts.map((t, i) => bindTransform(b, t, ts, i));
  }
  return e;
}

const COMMON = ['jsonPaths', 'applyOnlyWhen', 'fields'];
const TRANSFORM_KEYS: Record<TransformType, string[]> = {
  redact: [],
  pseudonymize: ['includeReversible', 'includeOriginal', 'encoding', 'onlyIfRegex'],
  pseudonymizeEmailHeader: ['encoding'],
  pseudonymizeRegexMatches: ['regex', 'includeReversible'],
  redactRegexMatches: ['redactions'],
  redactExceptPhrases: ['allowedPhrases'],
  redactExceptSubstringsMatchingRegexes: ['exceptions'],
  filterTokenByRegex: ['filters', 'delimiter'],
  tokenize: ['regex'],
  hashIp: [],
  encryptIp: [],
  textDigest: ['keywords', 'isJsonEscaped', 'jsonPathToProcessWhenEscaped'],
};
const ENCODINGS: PseudonymEncoding[] = ['URL_SAFE_TOKEN', 'JSON', 'URL_SAFE_HASH_ONLY'];

/** `jsonPaths`, each one checked to compile. */
function bindJsonPaths(b: Binder, o: Obj, what: string): string[] {
  const jsonPaths = b.strings(o, 'jsonPaths', what) ?? [];
  const pathsList = o.jsonPaths as object | undefined;
  jsonPaths.forEach((p, i) => b.jsonPath(pathsList ?? o, pathsList ? i : 'jsonPaths', p));
  return jsonPaths;
}

function bindTransform(b: Binder, raw: unknown, list: unknown[], index: number): Transform {
  const o = b.object(raw, list, `transforms[${index}]`, index);
  const { type, viaMethod } = b.typeOf(o);
  if (type === undefined) b.src.fail(o, 'transform has no type: tag it like `- !<redact>` (YAML) or add `method: redact` (JSON)');
  if (!Object.hasOwn(TRANSFORM_KEYS, type)) {
    b.src.fail(o, `unknown transform type "${type}" (known: ${Object.keys(TRANSFORM_KEYS).join(', ')})`);
  }
  const t = type as TransformType;
  const what = `transform ${t}`;
  b.keys(o, [...COMMON, ...TRANSFORM_KEYS[t], ...(viaMethod ? ['method'] : [])], what);
  const base: { jsonPaths: string[]; applyOnlyWhen?: string; fields?: string[] } = { jsonPaths: bindJsonPaths(b, o, what) };
  const applyOnlyWhen = b.string(o, 'applyOnlyWhen', what);
  if (applyOnlyWhen !== undefined && applyOnlyWhen.trim() !== '') {
    b.jsonPath(o, 'applyOnlyWhen', applyOnlyWhen);
    // psoxy reads applyOnlyWhen as a list; a definite path fails every response at run time.
    if (compileJsonPath(applyOnlyWhen).definite) b.src.fail(o, `applyOnlyWhen ${JSON.stringify(applyOnlyWhen)} must be an indefinite path (a filter such as $[?(@.type == 'User')])`, 'applyOnlyWhen');
    base.applyOnlyWhen = applyOnlyWhen;
  }
  const fields = b.strings(o, 'fields', what);
  if (fields) base.fields = fields;
  const encoding = (): PseudonymEncoding => {
    const enc = b.string(o, 'encoding', what) ?? 'URL_SAFE_TOKEN';
    if (!ENCODINGS.includes(enc as PseudonymEncoding)) b.src.fail(o, `unknown encoding "${enc}" (known: ${ENCODINGS.join(', ')})`, 'encoding');
    return enc as PseudonymEncoding;
  };
  const regexList = (key: string, required: boolean): string[] => {
    const v = b.strings(o, key, what);
    if (v === undefined) {
      if (required) b.src.fail(o, `${what} needs "${key}"`);
      return [];
    }
    v.forEach((re, i) => b.regex(o, key, re, { at: o[key] as object, index: i }));
    return v;
  };
  switch (t) {
    case 'redact':
    case 'hashIp':
    case 'encryptIp':
      return { type: t, ...base };
    case 'pseudonymize': {
      const tr = {
        type: t, ...base,
        includeReversible: b.bool(o, 'includeReversible', what, false),
        includeOriginal: b.bool(o, 'includeOriginal', what, false),
        encoding: encoding(),
      };
      if (tr.includeOriginal && tr.encoding === 'URL_SAFE_TOKEN') {
        b.src.fail(o, 'includeOriginal cannot be used with encoding URL_SAFE_TOKEN (the original would be lost); use encoding JSON', 'includeOriginal');
      }
      const onlyIfRegex = b.string(o, 'onlyIfRegex', what);
      return onlyIfRegex === undefined ? tr : { ...tr, onlyIfRegex };
    }
    case 'pseudonymizeEmailHeader':
      return { type: t, ...base, encoding: encoding() };
    case 'pseudonymizeRegexMatches': {
      const regex = b.string(o, 'regex', what);
      if (regex === undefined) b.src.fail(o, `${what} needs "regex"`);
      b.regex(o, 'regex', regex);
      return { type: t, ...base, regex, includeReversible: b.bool(o, 'includeReversible', what, false) };
    }
    case 'redactRegexMatches':
      return { type: t, ...base, redactions: regexList('redactions', true) };
    case 'redactExceptPhrases':
      return { type: t, ...base, allowedPhrases: b.strings(o, 'allowedPhrases', what) ?? [] };
    case 'redactExceptSubstringsMatchingRegexes':
      return { type: t, ...base, exceptions: regexList('exceptions', true) };
    case 'filterTokenByRegex': {
      const filters = regexList('filters', true);
      const hasDelimiter = Object.hasOwn(o, 'delimiter');
      const delimiter = hasDelimiter ? (b.string(o, 'delimiter', what) ?? null) : '\\s+';
      if (delimiter !== null) b.regex(o, 'delimiter', delimiter);
      return { type: t, ...base, filters, delimiter };
    }
    case 'tokenize': {
      const regex = b.string(o, 'regex', what);
      if (regex === undefined) return { type: t, ...base };
      b.regex(o, 'regex', regex);
      if (groupCount(compileJavaRegex(regex)) === 0) {
        b.src.fail(o, `tokenize regex ${JSON.stringify(regex)} needs a capturing group: the group is what gets tokenized`, 'regex');
      }
      return { type: t, ...base, regex };
    }
    case 'textDigest': {
      const tr: Transform = { type: t, ...base, isJsonEscaped: b.bool(o, 'isJsonEscaped', what, false) };
      const keywords = b.strings(o, 'keywords', what);
      if (keywords) tr.keywords = keywords;
      const inner = b.string(o, 'jsonPathToProcessWhenEscaped', what);
      if (inner !== undefined) {
        if (inner.trim() !== '') b.jsonPath(o, 'jsonPathToProcessWhenEscaped', inner);
        tr.jsonPathToProcessWhenEscaped = inner;
      }
      return tr;
    }
  }
}

const AUGMENT_KEYS: Record<AugmentType, string[]> = {
  textDigest: ['keywords'],
  sentenceMetadata: ['taxonomy', 'hedgeWords', 'constraintWords'],
};
/** psoxy's later augments that are refused rather than left to add nothing, with why. */
const REFUSED_AUGMENTS: Record<string, string> = {
  genMetadata: 'genMetadata augments send response text to a cloud language model (Bedrock / Vertex) to write metadata; this proxy sends response data to no model: remove the augment',
  classify: 'classify augments send response text to a cloud language model (Bedrock / Vertex) to pick a class; this proxy sends response data to no model: remove the augment',
  regexExtract: 'regexExtract augments (psoxy after v0.6.9) are not supported yet: remove the augment',
};

function bindAugment(b: Binder, raw: unknown, list: unknown[], index: number): Augment {
  const o = b.object(raw, list, `augments[${index}]`, index);
  const { type, viaMethod } = b.typeOf(o);
  if (type === undefined) b.src.fail(o, 'augment has no type: tag it like `- !<textDigest>` (YAML) or add `method: textDigest` (JSON)');
  if (Object.hasOwn(REFUSED_AUGMENTS, type)) b.src.fail(o, REFUSED_AUGMENTS[type]);
  if (!Object.hasOwn(AUGMENT_KEYS, type)) b.src.fail(o, `unknown augment type "${type}" (known: ${Object.keys(AUGMENT_KEYS).join(', ')})`);
  const t = type as AugmentType;
  const what = `augment ${t}`;
  b.keys(o, ['jsonPaths', 'innerJsonPath', 'outputSchema', ...AUGMENT_KEYS[t], ...(viaMethod ? ['method'] : [])], what);
  const base: { jsonPaths: string[]; innerJsonPath?: string; outputSchema?: SchemaFilter } = { jsonPaths: bindJsonPaths(b, o, what) };
  const inner = b.string(o, 'innerJsonPath', what);
  // psoxy treats an empty innerJsonPath as none.
  if (inner !== undefined && inner !== '') {
    b.jsonPath(o, 'innerJsonPath', inner);
    base.innerJsonPath = inner;
  }
  if (o.outputSchema !== undefined && o.outputSchema !== null) {
    base.outputSchema = bindSchemaFilter(b, o.outputSchema, o, 'outputSchema');
    b.warn(o, `${what}: outputSchema is not checked against the output (psoxy v0.6.9 does not check it either)`, 'outputSchema');
  }
  if (t === 'textDigest') return { type: t, ...base, keywords: b.strings(o, 'keywords', what) ?? [] };
  b.warn(o, 'sentenceMetadata adds nothing: psoxy computes it with OpenNLP models it does not bundle and, without them, omits the property; so does this proxy (ARCHITECTURE.md, Augments)');
  let taxonomy: Record<string, string[]> = {};
  if (o.taxonomy !== undefined && o.taxonomy !== null) {
    const m = b.object(o.taxonomy, o, `${what}.taxonomy`, 'taxonomy');
    // fromEntries defines own properties: a category named __proto__ stays a category.
    taxonomy = Object.fromEntries(Object.keys(m).map((category) => [category, b.strings(m, category, `${what}.taxonomy`) ?? []]));
  }
  return {
    type: t, ...base, taxonomy,
    hedgeWords: b.strings(o, 'hedgeWords', what) ?? [],
    constraintWords: b.strings(o, 'constraintWords', what) ?? [],
  };
}

// psoxy's `const` field is bound by its Java name `constant` too (psoxy's msft-copilot rules use it).
const SCHEMA_KEYS = ['type', 'properties', 'items', '$ref', 'format', 'definitions', 'anyOf', 'if', 'then', 'else', 'const', 'constant'];
const SCHEMA_IGNORED = ['title', 'required', 'additionalProperties', '$schema'];
const SCHEMA_TYPES = ['object', 'array', 'string', 'integer', 'number', 'boolean', 'null'];

export function bindSchemaFilter(b: Binder, raw: unknown, parent: object, key: string | number): SchemaFilter {
  const o = b.object(raw, parent, `schema ${String(key)}`, key);
  b.keys(o, [...SCHEMA_KEYS, ...SCHEMA_IGNORED], 'a response schema');
  const s: SchemaFilter = {};
  const type = b.string(o, 'type', 'schema');
  if (type !== undefined) {
    // psoxy accepts any type string here and fails only when a response reaches it; so do we
    // (fail closed at run time), but `psoxy rules check` reports it.
    if (!SCHEMA_TYPES.includes(type)) b.warn(o, `unknown schema type "${type}": responses reaching it will fail`, 'type');
    s.type = type;
  }
  for (const k of ['$ref', 'format'] as const) {
    const v = b.string(o, k, 'schema');
    if (v !== undefined) s[k] = v;
  }
  // Jackson sets one field from both names: the later one in the mapping wins.
  for (const k of Object.keys(o).filter((x) => x === 'const' || x === 'constant')) {
    const v = b.string(o, k, 'schema');
    if (v !== undefined) s.const = v;
  }
  for (const k of ['properties', 'definitions'] as const) {
    if (o[k] === undefined || o[k] === null) continue;
    const m = b.object(o[k], o, k, k);
    const out: Record<string, SchemaFilter> = {};
    for (const [name, child] of Object.entries(m)) out[name] = bindSchemaFilter(b, child, m, name);
    s[k] = out;
  }
  for (const k of ['items', 'if', 'then', 'else'] as const) {
    if (o[k] !== undefined && o[k] !== null) s[k] = bindSchemaFilter(b, o[k], o, k);
  }
  if (s.type === 'array' && s.items === undefined) b.src.fail(o, 'an array schema needs "items"');
  if (o.anyOf !== undefined && o.anyOf !== null) {
    if (!Array.isArray(o.anyOf)) b.src.fail(o, 'anyOf must be a list', 'anyOf');
    const list = o.anyOf;
    s.anyOf = list.map((x, i) => bindSchemaFilter(b, x, list, i));
  }
  return s;
}

function bindParameterSchema(b: Binder, raw: unknown, parent: object, key: string, isQuery: boolean): ParameterSchema {
  const o = b.object(raw, parent, `parameter schema ${key}`, key);
  b.keys(o, ['type', 'format', 'pattern', 'enum', 'anyOf', ...(isQuery ? ['required'] : [])], 'a parameter schema');
  const s: ParameterSchema = {};
  const type = b.string(o, 'type', 'parameter schema');
  if (type !== undefined) {
    if (!['string', 'integer', 'number'].includes(type)) b.src.fail(o, `parameter type must be string, integer or number, not "${type}"`, 'type');
    s.type = type as ParameterSchema['type'];
  }
  const format = b.string(o, 'format', 'parameter schema');
  if (format !== undefined) {
    if (!/^(reversible[-_]?)?pseudonym$/i.test(format)) b.src.fail(o, `unknown parameter format "${format}" (known: pseudonym, reversible-pseudonym)`, 'format');
    s.format = format;
  }
  const pattern = b.string(o, 'pattern', 'parameter schema');
  if (pattern !== undefined) {
    b.regex(o, 'pattern', pattern);
    s.pattern = pattern;
  }
  const en = b.strings(o, 'enum', 'parameter schema');
  if (en) s.enum = en;
  if (o.anyOf !== undefined && o.anyOf !== null) {
    if (!Array.isArray(o.anyOf)) b.src.fail(o, 'anyOf must be a list', 'anyOf');
    const list = o.anyOf;
    s.anyOf = list.map((x, i) => bindParameterSchema(b, x, list, String(i), isQuery));
  }
  if (isQuery) s.required = b.bool(o, 'required', 'parameter schema', false);
  return s;
}

function bindBodySchema(b: Binder, raw: unknown, parent: object, key: string): BodySchema {
  const o = b.object(raw, parent, `body schema ${key}`, key);
  b.keys(o, ['type', 'format', 'properties', 'items', 'required', 'pattern', 'enumValues', 'additionalProperties'], 'a request body schema');
  const s: BodySchema = {};
  const type = b.string(o, 'type', 'body schema');
  if (type !== undefined) s.type = type;
  const format = b.string(o, 'format', 'body schema');
  if (format !== undefined) s.format = format;
  const pattern = b.string(o, 'pattern', 'body schema');
  if (pattern !== undefined) { b.regex(o, 'pattern', pattern); s.pattern = pattern; }
  const required = b.strings(o, 'required', 'body schema');
  if (required) s.required = required;
  if (Array.isArray(o.enumValues)) s.enumValues = o.enumValues;
  if (o.properties !== undefined && o.properties !== null) {
    const m = b.object(o.properties, o, 'properties', 'properties');
    s.properties = {};
    for (const [name, child] of Object.entries(m)) s.properties[name] = bindBodySchema(b, child, m, name);
  }
  if (o.items !== undefined && o.items !== null) s.items = bindBodySchema(b, o.items, o, 'items');
  if (typeof o.additionalProperties === 'boolean') s.additionalProperties = o.additionalProperties;
  else if (o.additionalProperties !== undefined && o.additionalProperties !== null) s.additionalProperties = bindBodySchema(b, o.additionalProperties, o, 'additionalProperties');
  return s;
}

/** Every `$ref` must name `#` or a top-level definition. */
function checkRefs(b: Binder, rules: ApiRules): void {
  const visit = (s: SchemaFilter | undefined, where: string): void => {
    if (!s) return;
    if (s.$ref !== undefined && s.$ref !== '#') {
      const m = /^#\/definitions\/(.+)$/.exec(s.$ref);
      if (!m || !Object.hasOwn(rules.definitions, m[1])) throw new RulesError(b.src.file, null, `${where}: $ref ${JSON.stringify(s.$ref)} names no definition`);
    }
    for (const child of Object.values(s.properties ?? {})) visit(child, where);
    for (const child of s.anyOf ?? []) visit(child, where);
    visit(s.items, where); visit(s.if, where); visit(s.then, where); visit(s.else, where);
  };
  rules.endpoints.forEach((e, i) => visit(e.responseSchema, `endpoints[${i}].responseSchema`));
  for (const [name, d] of Object.entries(rules.definitions)) visit(d, `definitions.${name}`);
}
