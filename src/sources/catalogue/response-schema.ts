/**
 * Response schemas (psoxy's `responseSchema`, an allow-list of fields) from compact shapes, so a
 * connector states what it keeps in one line per object. Leaves: `s` string, `i` integer, `n`
 * number, `b` boolean, `#Name` a `$ref` to `#/definitions/Name`; `[x]` an array of x.
 */
export type Shape = 's' | 'i' | 'n' | 'b' | `#${string}` | Shape[] | { [field: string]: Shape };

/** JSON Schema from a shape. */
export function schema(shape: Shape): object {
  if (shape === 's') return { type: 'string' };
  if (shape === 'i') return { type: 'integer' };
  if (shape === 'n') return { type: 'number' };
  if (shape === 'b') return { type: 'boolean' };
  if (typeof shape === 'string') return { $ref: `#/definitions/${shape.slice(1)}` };
  if (Array.isArray(shape)) return { type: 'array', items: schema(shape[0]) };
  return { type: 'object', properties: Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, schema(v)])) };
}
