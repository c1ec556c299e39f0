// JSONPath: Jayway-dialect parsing and update semantics, with property tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileJsonPath, JsonPathSyntaxError } from '../src/jsonpath/index.ts';
import type { JsonValue } from '../src/json/json.ts';
import { parseJsonPath } from '../src/jsonpath/parser.ts';
import { printJsonPath } from '../src/jsonpath/print.ts';

const mapped = (path: string, doc: JsonValue, fn: (v: JsonValue) => JsonValue = () => 'X') => {
  const copy = structuredClone(doc);
  compileJsonPath(path).map(copy, fn);
  return copy;
};
/** The document after deletion as users see it (serialized). */
const deleted = (path: string, doc: JsonValue) => {
  const copy = structuredClone(doc);
  compileJsonPath(path).delete(copy);
  return JSON.parse(JSON.stringify(copy)) as JsonValue;
};

test('dot, bracket, multi-property and $.[...] notation', () => {
  const doc = { a: { b: 1, c: 2 }, 'x y': 3, d: null };
  assert.deepEqual(mapped('$.a.b', doc), { a: { b: 'X', c: 2 }, 'x y': 3, d: null });
  assert.deepEqual(mapped("$['x y']", doc), { a: { b: 1, c: 2 }, 'x y': 'X', d: null });
  assert.deepEqual(mapped("$.a.['b','c','missing']", doc), { a: { b: 'X', c: 'X' }, 'x y': 3, d: null });
  assert.deepEqual(mapped('$.d', doc, (v) => (v === null ? 'was null' : 'other')), { a: { b: 1, c: 2 }, 'x y': 3, d: 'was null' });
  assert.deepEqual(mapped('$.missing.deeper', doc), doc, 'missing paths are a no-op');
});

test('wildcards, indexes, slices', () => {
  const doc: JsonValue = { xs: [{ id: 1 }, { id: 2 }, { other: 3 }] };
  assert.deepEqual(mapped('$.xs[*].id', doc), { xs: [{ id: 'X' }, { id: 'X' }, { other: 3 }] });
  assert.deepEqual(mapped('$.xs[-1].other', doc), { xs: [{ id: 1 }, { id: 2 }, { other: 'X' }] });
  assert.deepEqual(mapped('$.xs[0:2].id', doc), { xs: [{ id: 'X' }, { id: 'X' }, { other: 3 }] });
  assert.deepEqual(deleted('$.xs[*]', doc), { xs: [] }, 'array deletes go from the highest index down');
});

test('deep scan: single property, and multi-property needs all keys (Jayway quirk)', () => {
  const doc = { a: { name: 'n1', b: [{ name: 'n2' }] }, topic: 't', c: { topic: 't2', share_url: 'u' } };
  assert.deepEqual(mapped('$..name', doc), { a: { name: 'X', b: [{ name: 'X' }] }, topic: 't', c: { topic: 't2', share_url: 'u' } });
  assert.deepEqual(mapped("$..['topic','share_url']", doc), { a: { name: 'n1', b: [{ name: 'n2' }] }, topic: 't', c: { topic: 'X', share_url: 'X' } });
  assert.deepEqual(mapped("$..['a','c'].topic", doc), { a: { name: 'n1', b: [{ name: 'n2' }] }, topic: 't', c: { topic: 'X', share_url: 'u' } });
});

test('filters: ==, !=, =~ (whole match), in, !, &&, ||, existence, literals', () => {
  const doc: JsonValue = { hs: [{ name: 'From', value: 'a' }, { name: 'X-From-Y', value: 'b' }, { name: 'to', value: 'c' }, { value: 'd' }] };
  const names = (path: string) => compileJsonPath(path).read(doc).map((v) => (v as { value: string }).value);
  assert.deepEqual(names("$.hs[?(@.name == 'From')]"), ['a']);
  assert.deepEqual(names("$.hs[?(@.name != 'From')]"), ['b', 'c', 'd']);
  assert.deepEqual(names('$.hs[?(@.name =~ /^(From|To)$/i)]'), ['a', 'c']);
  assert.deepEqual(names('$.hs[?(@.name =~ /From/i)]'), ['a'], '=~ must match the whole string');
  assert.deepEqual(names("$.hs[?(@.name in ['to','From'])]"), ['a', 'c']);
  assert.deepEqual(names('$.hs[?(!(@.name =~ /^From|To$/i))]'), ['b', 'd']);
  assert.deepEqual(names("$.hs[?(@.name && @.value == 'b' || @.value == 'd')]"), ['b', 'd']);
  assert.deepEqual(compileJsonPath('$.u[?(@.is_bot != true)].n').read({ u: [{ is_bot: true, n: 1 }, { is_bot: false, n: 2 }, { n: 3 }] }), [2, 3]);
  assert.deepEqual(compileJsonPath("$.m[?(@ != 'USLACKBOT')]").read({ m: ['U1', 'USLACKBOT', 'U2'] }), ['U1', 'U2']);
});

test('a filter on an object tests the object itself', () => {
  const doc = { edited: { user: 'U1' }, other: { user: 'USLACKBOT' } };
  assert.deepEqual(mapped("$.edited[?(@.user!='USLACKBOT')].user", doc), { edited: { user: 'X' }, other: { user: 'USLACKBOT' } });
  assert.deepEqual(mapped("$.other[?(@.user!='USLACKBOT')].user", doc), doc);
});

test('quoted names may contain brackets and dots', () => {
  assert.deepEqual(mapped("$['a.b','c[*]']", { 'a.b': 1, 'c[*]': 2, c: [3] }), { 'a.b': 'X', 'c[*]': 'X', c: [3] });
});

test('syntax errors name the position', () => {
  for (const bad of ['$.', '$[', "$['a'", '$.a[?(@.x ==)]', '$..', '$.a[::2]', '$.a[ 1 : 2 ]']) {
    assert.throws(() => compileJsonPath(bad), JsonPathSyntaxError, bad);
  }
});

test('mapping or deleting the root is an error', () => {
  assert.throws(() => compileJsonPath('$').map({}, () => 1));
});

// ---- properties ----------------------------------------------------------------------------

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
const segment = fc.oneof(
  name.map((n) => `.${n}`),
  fc.array(name, { minLength: 1, maxLength: 3 }).map((ns) => `[${ns.map((n) => `'${n}'`).join(',')}]`),
  fc.constant('[*]'),
  fc.integer({ min: -3, max: 5 }).map((i) => `[${i}]`),
  name.map((n) => `..${n}`),
  name.map((n) => `[?(@.${n} == 'v')]`),
);
const pathArb = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => '$' + s.join(''));

test('property: every generated valid path parses, and mapping never throws on any JSON', () => {
  fc.assert(fc.property(pathArb, fc.jsonValue(), (path, doc) => {
    const compiled = compileJsonPath(path);
    const copy = structuredClone(doc) as JsonValue;
    try {
      compiled.map(copy, () => 'X');
    } catch (e) {
      // Only Jayway's own errors are allowed: filters on primitives under a definite path, and
      // updates through a negative index (Jayway updates it as given: IndexOutOfBoundsException).
      assert.match((e as Error).message, /primitive|root|out of bounds/);
    }
  }), { numRuns: 500 });
});

test('property: parse → print → parse round-trips to the same syntax tree', () => {
  const fancy = fc.oneof(pathArb, fc.constantFrom(
    "$.a[?(@.b =~ /^x|y$/i && !(@.c in ['p','q']) || @.d)].e", "$..['a b','c\\'d'][1:3]", "$.x[-1,2][?(@ != 'U')]", '$[?(@.n >= 1.5)]',
  ));
  fc.assert(fc.property(fancy, (path) => {
    const ast = parseJsonPath(path);
    const printed = printJsonPath(ast);
    const again = parseJsonPath(printed);
    assert.equal(printJsonPath(again), printed);
    assert.deepEqual(JSON.parse(JSON.stringify(again)), JSON.parse(JSON.stringify(ast)));
  }), { numRuns: 500 });
});

test('property: map visits exactly the nodes read returns, and delete removes them', () => {
  fc.assert(fc.property(pathArb, fc.jsonValue({ maxDepth: 4 }), (path, doc) => {
    const compiled = compileJsonPath(path);
    let readCount: number;
    try {
      readCount = compiled.read(doc as JsonValue).length;
    } catch {
      return;
    }
    const copy = structuredClone(doc) as JsonValue;
    let visits = 0;
    if (readCount > 0 && !compiled.ast.segments.some((s) => s.kind === 'property' && s.names.length > 1)) {
      try {
        compiled.map(copy, (v) => { visits++; return v; });
      } catch (e) {
        assert.match((e as Error).message, /out of bounds/, 'only updates through a negative index fail');
        return;
      }
      assert.equal(visits, readCount);
      assert.deepEqual(copy, doc, 'identity map leaves the document unchanged');
    }
  }), { numRuns: 500 });
});

test('property: after redacting $..k no key k remains anywhere', () => {
  fc.assert(fc.property(name, fc.jsonValue({ maxDepth: 5 }), (k, doc) => {
    const copy = structuredClone(doc) as JsonValue;
    compileJsonPath(`$..${k}`).delete(copy);
    const seen = JSON.parse(JSON.stringify(copy) ?? 'null') as unknown;
    const hasKey = (v: unknown): boolean => (Array.isArray(v) ? v.some(hasKey) : typeof v === 'object' && v !== null ? Object.hasOwn(v, k) || Object.values(v).some(hasKey) : false);
    assert.equal(hasKey(seen), false);
    assert.equal(compileJsonPath(`$..${k}`).read(copy).length, 0, 'deleted keys are gone for later paths too');
  }), { numRuns: 300 });
});
