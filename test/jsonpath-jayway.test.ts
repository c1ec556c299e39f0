// JSONPath quirks of Jayway JsonPath 2.9 (psoxy's reading, Jackson provider, no options), and where
// the sanitizer keeps a path's named nodes instead (never less than Jayway). Expected values come
// from Jayway's classes, named in each test; ARCHITECTURE.md "JSONPath dialect" gives the choices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileJsonPath, JsonPathSyntaxError } from '../src/jsonpath/index.ts';
import { jaywayDifferences } from '../src/jsonpath/jayway-notes.ts';
import { parseJson, type JsonValue } from '../src/json/json.ts';
import { ResponseSchemaFilter, SchemaFilterError } from '../src/sanitizer/schema-filter.ts';

const json = (text: string) => parseJson(text);
const out = (v: JsonValue) => JSON.stringify(v);
const mapped = (path: string, doc: string) => {
  const d = json(doc);
  compileJsonPath(path).map(d, () => 'X');
  return out(d);
};
const read = (path: string, doc: string) => out(compileJsonPath(path).read(json(doc)));
/** The matched values under a reading, in match order. */
const located = (path: string, doc: string, reading: 'sanitizer' | 'jayway') =>
  compileJsonPath(path).locate(json(doc), reading).map(({ parent, key }) => (parent as Record<string, JsonValue>)[key as string]);

test('deep scan + index + leaf: Jayway keeps element k only (ScanPathToken.walkArray, PathToken.upstreamArrayIndex)', () => {
  assert.equal(mapped('$..[0].name', '{"a":[{"name":1},{"name":2}]}'), '{"a":[{"name":"X"},{"name":2}]}');
  assert.equal(mapped('$..[1].email', '{"a":[{"email":1},{"email":2}],"b":{"email":3}}'), '{"a":[{"email":1},{"email":"X"}],"b":{"email":3}}');
  // Not followed by a leaf, walkArray skips the index token: every element's x.y matches.
  assert.equal(mapped('$..[0].x.y', '{"a":[{"x":{"y":1}},{"x":{"y":2}}]}'), '{"a":[{"x":{"y":"X"}},{"x":{"y":"X"}}]}');
  // A multi-property leaf is not checked (handleObjectProperty's merge case).
  assert.equal(mapped("$..[*]['a','b']", '{"l":[{"a":1,"b":2},{"a":3}]}'), '{"l":[{"a":"X","b":"X"},{"a":"X"}]}');
});

test('deep scan + [*] / ..* / [i,j] / slice + leaf: Jayway drops array elements; the sanitizer keeps what the path names', () => {
  const doc = '{"a":[{"email":1},{"email":2}]}';
  for (const path of ['$..[*].email', '$..*.email', '$..[0,1].email', '$..[0:2].email']) {
    assert.deepEqual(located(path, doc, 'jayway'), [], `${path}: "[0]" never equals the fragment (PathToken.handleObjectProperty)`);
    assert.deepEqual(located(path, doc, 'sanitizer'), [1, 2], path);
  }
  assert.deepEqual(located('$..[-1].name', '{"a":[{"name":1},{"name":2}]}', 'jayway'), []);
  assert.deepEqual(located('$..[-1].name', '{"a":[{"name":1},{"name":2}]}', 'sanitizer'), [2]);
  // upstreamArrayIndex is never reset: once an array fed it, later objects are dropped too.
  assert.deepEqual(located('$..*.name', '{"x":{"a":[{"name":1}]},"b":{"c":{"name":2}}}', 'jayway'), []);
  assert.deepEqual(located('$..[*].name', '{"b":{"c":{"name":2}}}', 'jayway'), [2]);
});

test('filter ==: the left operand decides (ValueNodes.StringNode/NumberNode.equals)', () => {
  const doc = '{"a":[{"v":"1"},{"v":1},{"v":1.0},{"v":"1.0"}]}';
  assert.equal(read("$.a[?(@.v == '1.0')]", doc), '[{"v":1},{"v":1.0},{"v":"1.0"}]', 'a number left compares as BigDecimal');
  assert.equal(read("$.a[?('1.0' == @.v)]", doc), '[{"v":1.0},{"v":"1.0"}]', 'a string left compares with the BigDecimal text');
  assert.equal(read('$.a[?(@.v == 1)]', doc), '[{"v":"1"},{"v":1},{"v":1.0}]');
  assert.equal(read('$.a[?(1 == @.v)]', doc), '[{"v":"1"},{"v":1},{"v":1.0},{"v":"1.0"}]');
  assert.equal(read('$.a[?(@.v == 1e0)]', '{"a":[{"v":1},{"v":"1"}]}'), '[{"v":1},{"v":"1"}]', 'literal 1e0 is BigDecimal "1"');
  assert.equal(read("$.a[?(@.v == '1E+3')]", '{"a":[{"v":1e3},{"v":1000}]}'), '[{"v":1000.0},{"v":1000}]');
  assert.equal(read("$.a[?('1000.0' == @.v)]", '{"a":[{"v":1e3},{"v":1000}]}'), '[{"v":1000.0}]');
  assert.equal(read('$.a[?(@.v == true)]', '{"a":[{"v":"true"},{"v":true}]}'), '[{"v":true}]', 'booleans equal booleans only');
  assert.equal(read('$.a[?(@.v == null)]', '{"a":[{"v":"null"},{"v":null},{}]}'), '[{"v":null}]');
  assert.equal(read('$.a[?(@.v == [1])]', '{"a":[{"v":[1]},{"v":[1.0]}]}'), '[{"v":[1]}]', 'List.equals: Integer is not Double');
  assert.equal(read('$.a[?(@.v == {"k":1,"j":2})]', '{"a":[{"v":{"j":2,"k":1}}]}'), '[{"v":{"j":2,"k":1}}]', 'Map.equals ignores order');
  assert.equal(read("$.a[?(@.v in ['1', 2])]", '{"a":[{"v":1},{"v":"2"},{"v":2}]}'), '[{"v":1},{"v":"2"},{"v":2}]', 'ValueListNode.contains: left.equals');
});

test('numbers compare exactly (BigDecimal), relational operators only within a type (EvaluatorFactory)', () => {
  assert.equal(read('$.a[?(@.v == 9007199254740993)]', '{"a":[{"v":9007199254740992},{"v":9007199254740993}]}'), '[{"v":9007199254740993}]');
  assert.equal(read('$.a[?(@.v > 9007199254740992)]', '{"a":[{"v":9007199254740993},{"v":9007199254740992}]}'), '[{"v":9007199254740993}]');
  assert.equal(read('$.a[?(@.v < 2)]', '{"a":[{"v":1},{"v":"1"},{"v":"10"}]}'), '[{"v":1}]');
  assert.equal(read("$.a[?(@.v < '2')]", '{"a":[{"v":1},{"v":"1"},{"v":"10"}]}'), '[{"v":"1"},{"v":"10"}]');
  assert.equal(read('$.a[?(@ =~ /1\\.0E\\+21/)]', '{"a":[1e21,"1.0E21"]}'), '[1.0E21]', '=~ sees a number as its BigDecimal text');
  assert.equal(read('$.a[?(@.v size 2)]', '{"a":[{"v":"ab"},{"v":[1,2]},{"v":{"x":1,"y":2}},{"v":22}]}'), '[{"v":"ab"},{"v":[1,2]}]');
  assert.throws(() => compileJsonPath('$.a[?(@.v empty true)]').read(json('{"a":[{"v":{}}]}')), /empty/, 'JsonNode.isEmpty: ClassCastException on a map');
});

test('missing fields in filters (PathNode.evaluate: UNDEFINED equals nothing)', () => {
  assert.equal(read("$.a[?(@.missing != 'x')]", '{"a":[{"v":1}]}'), '[{"v":1}]');
  assert.equal(read('$.a[?(@.missing == null)]', '{"a":[{"v":1},{"missing":null}]}'), '[{"missing":null}]');
  assert.equal(read('$.a[?(!@.missing)]', '{"a":[{"v":1},{"missing":null}]}'), '[{"v":1}]');
  assert.equal(read('$.a[*].missing', '{"a":[{"b":1}]}'), '[]');
  assert.equal(read("$..['a','b'].c", '{"x":{"a":{"c":1}},"b":{"c":2}}'), '[2,1]', 'each object is evaluated before its children are walked');
});

test('slices (ArraySliceOperation, ArraySliceToken): [a:b] wraps a negative a, a step is ignored', () => {
  assert.equal(read('$.a[-2:3]', '{"a":[1,2,3,4]}'), '[3,4,1,2,3]');
  assert.equal(mapped('$.a[-2:3].x', '{"a":[{"x":1},{"x":2},{"x":3},{"x":4}]}'), '{"a":[{"x":"X"},{"x":"X"},{"x":"X"},{"x":"X"}]}');
  assert.equal(read('$.a[1:3:0]', '{"a":[1,2,3,4]}'), '[2,3]');
  assert.equal(read('$.a[1::2]', '{"a":[1,2,3,4]}'), '[2,3,4]');
  assert.equal(read('$.a[:-1]', '{"a":[1,2,3,4]}'), '[1,2,3]');
  for (const bad of ['$.a[::2]', '$.a[ 1 : 3 ]']) assert.throws(() => compileJsonPath(bad), JsonPathSyntaxError, bad);
  // [1:-1]: Jayway compares 1 with min(length, -1) and visits nothing; the sanitizer takes 1..length-2.
  assert.deepEqual(located('$.a[1:-1]', '{"a":[1,2,3,4]}', 'jayway'), []);
  assert.deepEqual(located('$.a[1:-1]', '{"a":[1,2,3,4]}', 'sanitizer'), [2, 3]);
});

test('negative indexes: read from the end, updated as given (PathToken.handleArrayIndex → List.set(-1))', () => {
  assert.equal(read('$.a[1,-1]', '{"a":[1,2,3,4]}'), '[2,4]');
  assert.equal(mapped('$.a[-1].x', '{"a":[{"x":1},{"x":2}]}'), '{"a":[{"x":1},{"x":"X"}]}');
  for (const path of ['$.a[-1]', '$.a[1,-1]', '$.a[-2:3]', '$..[-1]']) {
    assert.throws(() => compileJsonPath(path).map(json('{"a":[1,2,3,4]}'), () => 'X'), /out of bounds/, path);
    assert.throws(() => compileJsonPath(path).delete(json('{"a":[1,2,3,4]}')), /out of bounds/, path);
  }
  assert.equal(mapped('$.a[-9]', '{"a":[1]}'), '{"a":[1]}', 'out of range: nothing matched, nothing fails');
});

test('path functions such as length() are refused when the rules load (psoxy would run them)', () => {
  assert.throws(() => compileJsonPath('$.a.length()'), JsonPathSyntaxError);
  assert.throws(() => compileJsonPath('$.a[?(@.v.length() > 1)]'), JsonPathSyntaxError);
});

test('rules check notes: one per path where psoxy leaves named values in place or fails', () => {
  assert.equal(jaywayDifferences('$..[*].email').length, 1);
  assert.equal(jaywayDifferences('$..*.email').length, 1);
  assert.equal(jaywayDifferences('$.a[1:-1].x').length, 1);
  assert.equal(jaywayDifferences('$.a[-1]').length, 1);
  for (const same of ['$..[0].name', '$..email', '$..[*].x.y', "$..[*]['a','b']", '$.a[-1].x', '$.a[-2:]', "$..['a','b'].c"]) {
    assert.deepEqual(jaywayDifferences(same), [], same);
  }
});

// ---- properties ----------------------------------------------------------------------------

const name = fc.constantFrom('a', 'b', 'email', 'name');
const segment = fc.oneof(
  name.map((n) => `.${n}`),
  name.map((n) => `..${n}`),
  fc.constantFrom('[*]', '..[*]', '..*', '[0]', '..[0]', '..[1]', '[-1]', '..[-1]', '[0,1]', '..[0,1]', '[1:]', '[:-1]', '[-2:3]', '[1:-1]', '..[0:2]', "['a','b']", "[?(@.a == 1)]", "..[?(@.a)]"),
);
const pathArb = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => '$' + s.join(''));
const leafy = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.integer({ min: 0, max: 3 }), fc.constant('s'), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(name, tie('value'), { maxKeys: 3 })),
})).value as fc.Arbitrary<JsonValue>;

test('property: every node Jayway\'s reading touches, the sanitizer touches too', () => {
  fc.assert(fc.property(pathArb, leafy, (path, doc) => {
    const compiled = compileJsonPath(path);
    let ours, jayway;
    try {
      ours = compiled.locate(doc, 'sanitizer');
      jayway = compiled.locate(doc, 'jayway');
    } catch {
      return; // a filter on a primitive under a definite path: Jayway's own error, in both readings
    }
    const key = (r: { parent: unknown; key: unknown }) => [r.parent, JSON.stringify(r.key)] as const;
    const touched = new Map<unknown, Set<string>>();
    for (const r of ours) {
      const [p, k] = key(r);
      if (!touched.has(p)) touched.set(p, new Set());
      touched.get(p)!.add(k);
    }
    for (const r of jayway) {
      const [p, k] = key(r);
      assert.ok(touched.get(p)?.has(k), `${path}: Jayway touches ${k} the sanitizer does not`);
    }
  }), { numRuns: 1000 });
});

test('property: == between numbers is exact and symmetric; string == number compares BigDecimal text', () => {
  const big = fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n });
  fc.assert(fc.property(big, big, (a, b) => {
    const doc = json(`{"v":${a},"w":${b}}`);
    const eq = compileJsonPath('$[?(@.v == @.w)]').read(doc).length === 1;
    const back = compileJsonPath('$[?(@.w == @.v)]').read(doc).length === 1;
    assert.equal(eq, a === b);
    assert.equal(back, eq);
    const asString = json(`{"v":"${a}","w":${b}}`);
    assert.equal(compileJsonPath('$[?(@.v == @.w)]').read(asString).length === 1, a === b, 'string left: text of an integer');
  }), { numRuns: 300 });
});

// ---- responseSchema edge cases (psoxy JsonSchemaFilterUtils on Jackson nodes) ---------------

const filter = (schema: object, body: string) => out(new ResponseSchemaFilter({}).apply(json(body), schema as never));

test('integer schema: a double at 2^63 converts to Long.MAX_VALUE (DoubleNode.canConvertToLong, (long) cast)', () => {
  const schema = { type: 'object', properties: { n: { type: 'integer' } } };
  assert.equal(filter(schema, '{"n":9.223372036854775807E18}'), '{"n":9223372036854775807}');
  assert.equal(filter(schema, '{"n":-9.223372036854775808E18}'), '{"n":-9223372036854775808}');
  assert.equal(filter(schema, '{"n":9.3E18}'), '{"n":null}');
  assert.equal(filter(schema, '{"n":3.7}'), '{"n":3}');
});

test('untyped {} schema: a BigInteger is not a simple value, psoxy fails (asSimpleValue throws)', () => {
  const schema = { type: 'object', properties: { n: {} } };
  assert.throws(() => filter(schema, '{"n":123456789012345678901}'), SchemaFilterError);
  assert.equal(filter(schema, '{"n":9223372036854775807}'), '{"n":9223372036854775807}', 'a long is fine');
});

test('schema $ref: an unresolvable one fails only where a value reaches it; a recursive definition filters at any depth', () => {
  const dangling = { type: 'object', properties: { id: { type: 'string' }, x: { $ref: '#/definitions/Missing' } } };
  assert.equal(filter(dangling, '{"id":"1","y":2}'), '{"id":"1"}');
  assert.throws(() => filter(dangling, '{"id":"1","x":2}'), SchemaFilterError);
  const node = { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/definitions/Node' } } } };
  const tree = new ResponseSchemaFilter({ Node: node }).apply(json('{"name":"a","drop":1,"children":[{"name":"b","children":[{"name":"c","drop":2}]}]}'), { $ref: '#/definitions/Node' } as never);
  assert.equal(out(tree), '{"name":"a","children":[{"name":"b","children":[{"name":"c"}]}]}');
});

test('if whose property is missing: psoxy reads Java null and fails, unless the schema is type null', () => {
  const schema = (cond: object) => ({ type: 'object', if: { properties: { kind: cond } }, then: { properties: { kind: { type: 'string' }, id: { type: 'string' } } } });
  assert.throws(() => filter(schema({ const: 'user' }), '{"id":"1"}'), SchemaFilterError);
  assert.throws(() => filter(schema({ type: 'string' }), '{"id":"1"}'), SchemaFilterError);
  assert.equal(filter(schema({ type: 'null' }), '{"id":"1"}'), '{"id":"1"}', 'type null returns null without reading: then applies');
  assert.equal(filter(schema({ const: 'user' }), '{"kind":"user","id":"1","x":2}'), '{"kind":"user","id":"1"}');
});
