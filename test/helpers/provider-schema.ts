// Attribute and block names of Terraform resources, read from the prebuilt provider bindings on
// npm (@cdktf/provider-aws, @cdktf/provider-google), which are generated from the providers'
// schemas: each resource's `synthesizeAttributes()` lists its attributes and nested blocks, and
// each nested block has a `<name>ToTerraform` function listing its own.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const META = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'dynamic']);

/** An object returned by a function or method body: `key: expression,` lines. */
function keysOf(body: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const m of body.matchAll(/^\s+(\w+): (.+),$/gm)) keys.set(m[1], m[2]);
  return keys;
}

interface Schema { source: string; attributes: Map<string, string> }

function schemaFor(kind: 'resource' | 'data', type: string): Schema {
  const [provider, ...rest] = type.split('_');
  const pkg = provider === 'aws' ? '@cdktf/provider-aws' : provider === 'google' ? '@cdktf/provider-google' : provider === 'random' ? null : undefined;
  if (pkg === undefined) throw new Error(`no provider bindings for ${type}`);
  if (pkg === null) return { source: '', attributes: new Map() }; // random: checked by hand (length only)
  const dir = `${kind === 'data' ? `data-${provider}-` : ''}${rest.join('-')}`;
  const source = readFileSync(require.resolve(`${pkg}/lib/${dir}/index.js`), 'utf8');
  const body = /synthesizeAttributes\(\) \{\s*return \{([\s\S]*?)\n\s*\};/.exec(source);
  if (!body) throw new Error(`no synthesizeAttributes in ${pkg}/lib/${dir}`);
  return { source, attributes: keysOf(body[1]) };
}

/** The keys of a nested block, from the `…ToTerraform` function its expression calls. */
function nested(source: string, expression: string): Map<string, string> | null {
  const fn = /(?:^|[^.\w])(\w+ToTerraform)\b/.exec(expression.replace(/cdktf\.\w+ToTerraform/g, ''))?.[1];
  if (!fn) return null;
  const body = new RegExp(`function ${fn}\\(struct\\) \\{[\\s\\S]*?return \\{([\\s\\S]*?)\\n\\s*\\};`).exec(source);
  return body ? keysOf(body[1]) : null;
}

/**
 * Every attribute or block name in `block` (an hcl2json resource body) that the provider's
 * schema does not have, as dotted paths; empty when all are known.
 */
export function unknownAttributes(kind: 'resource' | 'data', type: string, block: Record<string, unknown>): string[] {
  const schema = schemaFor(kind, type);
  if (schema.source === '') return [];
  const problems: string[] = [];
  const walk = (obj: Record<string, unknown>, keys: Map<string, string>, path: string) => {
    for (const [k, v] of Object.entries(obj)) {
      if (META.has(k)) {
        if (k === 'dynamic') {
          for (const [name, blocks] of Object.entries(v as Record<string, { content: Record<string, unknown>[] }[]>)) {
            if (!keys.has(name)) { problems.push(`${path}${name}`); continue; }
            const inner = nested(schema.source, keys.get(name)!);
            for (const b of blocks) for (const c of b.content) if (inner) walk(c, inner, `${path}${name}.`);
          }
        }
        continue;
      }
      if (!keys.has(k)) { problems.push(`${path}${k}`); continue; }
      const inner = nested(schema.source, keys.get(k)!);
      if (inner && Array.isArray(v)) for (const b of v) if (b && typeof b === 'object' && !Array.isArray(b)) walk(b as Record<string, unknown>, inner, `${path}${k}.`);
    }
  };
  walk(block, schema.attributes, '');
  return problems;
}

/** Every unknown attribute or block in a module's resources and data sources, as `type.name: path`. */
export function moduleSchemaProblems(m: { resource: Record<string, Record<string, Record<string, unknown>[]>>; data: Record<string, Record<string, Record<string, unknown>[]>> }): string[] {
  const problems: string[] = [];
  for (const [kind, groups] of [['resource', m.resource], ['data', m.data]] as const) {
    for (const [type, byName] of Object.entries(groups)) {
      for (const [name, blocks] of Object.entries(byName)) for (const b of blocks) problems.push(...unknownAttributes(kind, type, b).map((p) => `${type}.${name}: ${p}`));
    }
  }
  return problems;
}
