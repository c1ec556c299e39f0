// Property: the compiled walk (schema filter and transforms in one pass, sanitizer/walk.ts) gives
// byte for byte what the generic path (schema pass, then each transform's JSONPath pass) gives,
// errors included, for random documents, random walkable rules and random in-place schemas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadApiRules } from '../src/rules/load.ts';
import { Sanitizer } from '../src/sanitizer/sanitizer.ts';
import { Pseudonymizer } from '../src/pseudonym/pseudonymizer.ts';

const pz = new Pseudonymizer({ salt: 'salt', encryptionKey: 'secret' });

// Few names, so that paths and schemas often meet the document; `1` is an array-index key (JS
// enumerates it first), `__proto__` a key plain assignment would not set.
const KEYS = ['a', 'b', '1', '__proto__'];

const scalarText = fc.constantFrom(
  '"alice@acme.com"', '"Bob <bob@acme.com>"', '"  "', '""', '"10.1.2.3"', '"hello world phrase1"', '"√ unicode ✓"',
  '"quote \\" and \\\\ backslash"', '"\\u0001 control"', '"\\ud800 lone"', '0', '-7', '42', '1.5', '1e3', '0.1',
  '12345678901234567890', '9007199254740993', 'true', 'false', 'null',
);

const { value: documentText } = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
  value: fc.oneof({ maxDepth: 4, depthIdentifier: 'doc' }, scalarText, tie('array'), tie('object'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4, depthIdentifier: 'doc' }).map((xs) => `[${xs.join(',')}]`),
  object: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('value')), { maxLength: 6, depthIdentifier: 'doc' })
    .map((members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
}));
const bodyText = fc.oneof({ weight: 4, arbitrary: documentText.filter((t) => t.startsWith('{')) }, { weight: 1, arbitrary: documentText });

const property = fc.array(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 2 }).map((names) => `[${names.map((n) => `'${n}'`).join(',')}]`);
const step = fc.oneof(property, fc.constantFrom('[*]', '.*', '.a'));
const path = (endsInProperty: boolean) =>
  fc.tuple(fc.array(step, { maxLength: 2 }), endsInProperty ? property : step).map(([steps, last]) => '$' + [...steps, last].join(''));

/** A transform the walk takes (no applyOnlyWhen, redactions end in a property). */
const transform = fc.oneof(
  fc.record({ method: fc.constant('redact'), jsonPaths: fc.array(path(true), { minLength: 1, maxLength: 2 }) }),
  fc.record({
    method: fc.constant('pseudonymize'), jsonPaths: fc.array(path(false), { minLength: 1, maxLength: 2 }),
    encoding: fc.constantFrom('URL_SAFE_TOKEN', 'JSON', 'URL_SAFE_HASH_ONLY'), includeReversible: fc.boolean(), includeOriginal: fc.boolean(),
  }).map((t) => ({ ...t, includeOriginal: t.includeOriginal && t.encoding === 'JSON' })),
  fc.record({ method: fc.constant('redactRegexMatches'), jsonPaths: fc.array(path(false), { minLength: 1, maxLength: 2 }), redactions: fc.constant(['[aeiou]']) }),
  fc.record({ method: fc.constantFrom('hashIp', 'textDigest', 'pseudonymizeEmailHeader', 'tokenize'), jsonPaths: fc.array(path(false), { minLength: 1, maxLength: 2 }) }),
);

/** Schemas filtersInPlace accepts (and, rarely, one it does not: then both sides are the generic path). */
const { object: objectSchema } = fc.letrec<{ schema: object; object: object }>((tie) => ({
  schema: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'schema' },
    { weight: 3, arbitrary: fc.constantFrom({ type: 'string' }, { type: 'integer' }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }, {}) },
    { weight: 1, arbitrary: fc.constantFrom({ $ref: '#/definitions/D' }, { $ref: '#' }, { type: 'string', const: 'x' }) },
    { weight: 3, arbitrary: tie('object') },
    { weight: 2, arbitrary: tie('schema').map((items) => ({ type: 'array', items })) },
    { weight: 1, arbitrary: fc.array(tie('schema'), { minLength: 1, maxLength: 2, depthIdentifier: 'schema' }).map((anyOf) => ({ anyOf })) },
  ),
  object: fc.dictionary(fc.constantFrom(...KEYS), tie('schema'), { minKeys: 1, maxKeys: 5, depthIdentifier: 'schema' }).map((properties) => ({ type: 'object', properties })),
}));

function sanitizers(transforms: object[], responseSchema: object | null): [Sanitizer, Sanitizer] {
  const rules = loadApiRules(JSON.stringify({
    endpoints: [{ pathTemplate: '/x', transforms, ...(responseSchema ? { responseSchema } : {}) }],
    definitions: { D: { type: 'object', properties: { b: { type: 'string' }, a: { type: 'array', items: { type: 'integer' } } } } },
  }));
  return [new Sanitizer(rules, pz), new Sanitizer(rules, pz, { compiledWalk: false })];
}

function outcome(s: Sanitizer, body: string): string {
  try {
    return 'ok ' + s.sanitize('GET', '/x', body);
  } catch (e) {
    return `${(e as Error).constructor.name} ${(e as Error).message}`;
  }
}

/** Whether the endpoint runs the compiled walk (a look inside, so that the property cannot pass vacuously). */
const walks = (s: Sanitizer) => (s as unknown as { endpoints: { walk: unknown }[] }).endpoints[0].walk !== null;

test('property: the compiled walk and the generic path give the same bytes', () => {
  let walked = 0;
  fc.assert(fc.property(
    fc.array(transform, { minLength: 1, maxLength: 4 }), fc.option(objectSchema, { nil: null }), fc.array(bodyText, { minLength: 1, maxLength: 3 }),
    (transforms, responseSchema, bodies) => {
      const [compiled, generic] = sanitizers(transforms, responseSchema);
      if (walks(compiled)) walked++;
      assert.equal(walks(generic), false);
      for (const body of [bodies[0], bodies.join('\n')]) assert.equal(outcome(compiled, body), outcome(generic, body), body);
    },
  ), { numRuns: 3000 });
  assert.ok(walked > 2000, `only ${walked} of 3000 rule sets ran the compiled walk`);
});

test('an array item the schema keeps and a transform nulls stays in the array (the schema drops nulls first)', () => {
  const [compiled, generic] = sanitizers([{ method: 'pseudonymize', jsonPaths: ['$.a[*]'] }], { type: 'object', properties: { a: { type: 'array', items: { type: 'string' } } } });
  const body = '{"a":["  ",7,"x"]}';
  assert.equal(outcome(compiled, body), outcome(generic, body));
  assert.match(outcome(compiled, body), /^ok \{"a":\[null,"t~/);
});

test('the walk takes simple paths and leaves the rest to the generic path', () => {
  const walk = (transforms: object[]) => walks(sanitizers(transforms, null)[0]);
  assert.equal(walk([{ method: 'pseudonymize', jsonPaths: ["$.users[*]['id','pmi']", '$.*.email'] }, { method: 'redact', jsonPaths: ['$.a.b'] }]), true);
  assert.equal(walk([{ method: 'pseudonymize', jsonPaths: ['$..email'] }]), false);
  assert.equal(walk([{ method: 'pseudonymize', jsonPaths: ['$.a[0]'] }]), false);
  assert.equal(walk([{ method: 'redact', jsonPaths: ['$.a[*]'] }]), false);
  assert.equal(walk([{ method: 'pseudonymize', jsonPaths: ['$.a'], applyOnlyWhen: "$[?(@.a == 'x')]" }]), false);
});
