/**
 * Rule objects drawn from schema/rules.schema.json itself (fast-check), near-valid on purpose:
 * enums and non-blank names sometimes miss, objects sometimes lack a required key, and a
 * mutation may then add an unknown key, delete one, change a value's type or retag a transform.
 * Strings come from pools that our loader accepts where the schema cannot look (JSONPaths,
 * Java regexes with a group, path templates), so any disagreement is about what a schema can say.
 */
import fc from 'fast-check';

export type Schema = Record<string, unknown>;
type Arb = fc.Arbitrary<unknown>;

const JSON_PATHS = ['$.a', '$..email', "$.users[*]['first_name','last_name']"];
const APPLY_ONLY_WHEN = ['', "$[?(@.type == 'User')]", '$..x'];
const REGEXES = ['(a+)', '^/v2/(users)$', '(\\w+)@example\\.com'];
const NAMES = ['Email', 'User Name', ' '];
/** Property names whose strings the loader compiles: value pools it accepts. */
const POOL_BY_KEY: Record<string, string[]> = {
  jsonPaths: JSON_PATHS, innerJsonPath: JSON_PATHS, jsonPathToProcessWhenEscaped: JSON_PATHS,
  redact: JSON_PATHS, pseudonymize: JSON_PATHS, tokenize: JSON_PATHS, textDigest: JSON_PATHS,
  applyOnlyWhen: APPLY_ONLY_WHEN,
  pathRegex: REGEXES, regex: REGEXES, redactions: REGEXES, exceptions: REGEXES, filters: REGEXES,
  delimiter: ['\\s+', ','], pattern: REGEXES, filter: REGEXES, regExp: REGEXES, onlyIfRegex: REGEXES,
  pathTemplate: ['/v2/users', '/v2/users/{userId}/meetings'],
  $ref: ['#'],
  format: ['pseudonym', 'Reversible-Pseudonym', 'date-time'],
};
const MAX_DEPTH = 7;

export function ruleArbitrary(root: Schema): Arb {
  const definitions = root.definitions as Record<string, Schema>;
  const resolve = (s: Schema): Schema => (typeof s.$ref === 'string' ? resolve(definitions[s.$ref.replace('#/definitions/', '')]) : s);

  const stringArb = (key: string, s: Schema): Arb => fc.constantFrom(...(POOL_BY_KEY[key] ?? (s.pattern === '\\S' ? NAMES : ['a', 'User Name'])));

  const objectArb = (s: Schema, depth: number): Arb => {
    const props = (s.properties ?? {}) as Record<string, Schema>;
    if (Object.keys(props).length === 0) {
      const values = s.additionalProperties;
      return typeof values === 'object' && values !== null
        ? fc.dictionary(fc.constantFrom('a', 'User Name', ' '), arb(values as Schema, depth + 1, 'value'), { maxKeys: 2 })
        : fc.constantFrom({}, { x: 1 });
    }
    const keys = Object.keys(props);
    const value = (k: string) => arb(props[k], depth + 1, k);
    // "exactly one key" objects (steps, record transforms): one key each time.
    if (s.maxProperties === 1) return fc.oneof(...keys.map((k) => value(k).map((v) => ({ [k]: v }))));
    // One of the required-key alternatives (an endpoint's pathTemplate | pathRegex).
    const alternatives = ((s.anyOf ?? []) as Schema[]).map((a) => (a.required ?? []) as string[]);
    const pick = alternatives.length > 0 ? fc.constantFrom(...alternatives) : fc.constant([] as string[]);
    const required = [...((s.required ?? []) as string[]), ...(keys.includes('method') ? ['method'] : [])];
    return pick.chain((alt) => {
      const must = new Set([...required, ...alt]);
      const shape = Object.fromEntries(keys.filter((k) => depth < MAX_DEPTH || must.has(k)).map((k) => [k, value(k)]));
      return fc.record(shape, { requiredKeys: Object.keys(shape).filter((k) => must.has(k)) });
    });
  };

  const arb = (schema: Schema, depth: number, key: string): Arb => {
    const s = resolve(schema);
    if ('const' in s) return fc.constant(s.const);
    if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum, 'Bogus');
    if (s.anyOf && !s.properties) return fc.oneof(...(s.anyOf as Schema[]).map((b) => arb(b, depth, key)));
    const types = Array.isArray(s.type) ? (s.type as string[]) : s.type ? [s.type as string] : [];
    if (types.length === 0) return fc.constantFrom('x', 1, null, [], {});
    return fc.oneof(...types.map((t) => {
      const weight = t === 'null' ? 1 : 4;
      switch (t) {
        case 'object': return { arbitrary: objectArb(s, depth), weight };
        case 'array': return { arbitrary: fc.array(arb(s.items as Schema, depth + 1, key), { maxLength: 2 }), weight };
        case 'string': return { arbitrary: stringArb(key, s), weight };
        case 'number': return { arbitrary: fc.constant(7), weight: 1 };
        case 'boolean': return { arbitrary: fc.boolean(), weight };
        default: return { arbitrary: fc.constant(null), weight };
      }
    }));
  };
  return arb(root, 0, 'rules');
}

/** Where a value sits in a document: the containers from the root down, and the key in the last. */
interface Site { container: Record<string, unknown> | unknown[]; key: string | number; path: (string | number)[] }

function sites(v: unknown, path: (string | number)[] = [], out: Site[] = []): Site[] {
  if (Array.isArray(v)) v.forEach((x, i) => { out.push({ container: v, key: i, path: [...path, i] }); sites(x, [...path, i], out); });
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) { out.push({ container: v as Record<string, unknown>, key: k, path: [...path, k] }); sites(x, [...path, k], out); }
  }
  return out;
}

export type Mutation = 'unknown key' | 'delete' | 'retype' | 'retag' | 'none';
export const TYPE_NAMES = ['redact', 'pseudonymize', 'pseudonymizeEmailHeader', 'pseudonymizeRegexMatches', 'redactRegexMatches', 'redactExceptPhrases',
  'redactExceptSubstringsMatchingRegexes', 'filterTokenByRegex', 'tokenize', 'hashIp', 'encryptIp', 'textDigest', 'sentenceMetadata'];

/**
 * Applies one mutation at the `at`-th site (modulo the count). Skips the sites where the loader is
 * knowingly looser than the schema (see the README's list): a missing `method` (YAML's tag, which
 * the schema cannot see), and values the loader turns into text whatever they are.
 */
export function mutate(doc: unknown, kind: Mutation, at: number, pick: number): unknown {
  const copy = structuredClone(doc);
  const all = sites(copy).filter((s) => !looserInLoader(s));
  if (kind === 'none' || all.length === 0) return copy;
  const site = all[at % all.length];
  const { container, key } = site;
  const replacements: unknown[] = [null, true, 7, '$..x', [], {}];
  if (kind === 'retag') {
    const holder = sites(copy).find((s) => s.key === 'method');
    if (holder) (holder.container as Record<string, unknown>).method = TYPE_NAMES[pick % TYPE_NAMES.length];
  } else if (kind === 'unknown key') {
    if (!Array.isArray(container)) container.bogus = replacements[pick % replacements.length];
  } else if (kind === 'delete') {
    if (Array.isArray(container)) container.splice(key as number, 1);
    else if (key !== 'method') delete container[key as string];
  } else {
    const old = Array.isArray(container) ? container[key as number] : container[key as string];
    // A string only replaces what was no string: text where text was is the pools' business. An
    // augment replaced by `{}` is an augment whose tag went missing (`!<sentenceMetadata> {}`, all
    // its options being optional): the missing-`method` case above, which the schema cannot see.
    const augmentItem = typeof key === 'number' && site.path.at(-2) === 'augments';
    const candidates = replacements.filter((r) => (typeof r !== 'string' || (typeof old !== 'string' && old !== null))
      && !(augmentItem && r !== null && typeof r === 'object' && !Array.isArray(r)));
    const value = candidates[pick % candidates.length];
    if (Array.isArray(container)) container[key as number] = value;
    else container[key as string] = value;
  }
  return copy;
}

const RECORD_PATH_KEYS = new Set(['redact', 'pseudonymize', 'tokenize', 'textDigest', 'jsonPaths']);

function looserInLoader(s: Site): boolean {
  const parent = s.path.at(-2);
  // Record transform path lists and field steps: the loader stringifies any value.
  if (typeof s.key === 'number' && typeof parent === 'string' && RECORD_PATH_KEYS.has(parent) && s.path.includes('transforms') && !s.path.includes('endpoints')) return true;
  if (s.key === 'filter' || s.key === 'formatString') return true;
  // $ref: checked against the definitions only in API rules' responseSchema and definitions.
  return s.key === '$ref';
}
