// Counting a JSON text's values and nesting before parsing it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { jsonBudgetProblem } from '../src/json/budget.ts';

/** Values as the budget counts them: every object, array, key and primitive. */
function count(v: unknown): { values: number; depth: number } {
  if (Array.isArray(v)) {
    const inner = v.map(count);
    return { values: 1 + inner.reduce((a, c) => a + c.values, 0), depth: 1 + Math.max(0, ...inner.map((c) => c.depth)) };
  }
  if (v !== null && typeof v === 'object') {
    const inner = Object.values(v).map(count);
    return { values: 1 + Object.keys(v).length + inner.reduce((a, c) => a + c.values, 0), depth: 1 + Math.max(0, ...inner.map((c) => c.depth)) };
  }
  return { values: 1, depth: 0 };
}

test('property: the budget counts exactly the values and the nesting of any JSON text, compact or pretty', () => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), fc.boolean(), (value, pretty) => {
    const text = JSON.stringify(value, null, pretty ? 2 : undefined);
    const { values, depth } = count(JSON.parse(text));
    assert.equal(jsonBudgetProblem(text, { maxValues: values, maxDepth: depth }), null);
    assert.match(jsonBudgetProblem(text, { maxValues: values - 1, maxDepth: depth }) ?? '', /more than/);
    if (depth > 0) assert.match(jsonBudgetProblem(text, { maxValues: values, maxDepth: depth - 1 }) ?? '', /nesting/);
  }), { numRuns: 500 });
});

test('amplifying shapes are caught before parsing', () => {
  assert.match(jsonBudgetProblem('{"users":[' + '{},'.repeat(200_000) + '{}]}', { maxValues: 100_000, maxDepth: 1000 }) ?? '', /more than 100000/);
  assert.match(jsonBudgetProblem('['.repeat(5000) + ']'.repeat(5000), { maxValues: 1e6, maxDepth: 1000 }) ?? '', /deeper than 1000/);
  assert.equal(jsonBudgetProblem('{"a":"[[[[{{{{\\"]]]"}', { maxValues: 3, maxDepth: 1 }), null, 'brackets inside strings do not count');
});
