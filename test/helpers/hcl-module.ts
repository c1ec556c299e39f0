// A Terraform module's files merged into one view, read with @cdktf/hcl2json (no Terraform binary
// here), and its expressions read with chosen values for the module's locals.
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from '@cdktf/hcl2json';

type Block = Record<string, unknown>;
export interface HclModule {
  resource: Record<string, Record<string, Block[]>>;
  data: Record<string, Record<string, Block[]>>;
  moved: { from: string; to: string }[];
  variable: Record<string, Block[]>;
  /** Every `locals` block merged. */
  locals: Block;
}

export async function loadModule(dir: URL): Promise<HclModule> {
  const out: HclModule = { resource: {}, data: {}, moved: [], variable: {}, locals: {} };
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.tf')).sort()) {
    const parsed = (await parse(f, readFileSync(new URL(f, dir), 'utf8'))) as Partial<HclModule>;
    for (const [k, v] of Object.entries(parsed.resource ?? {})) out.resource[k] = { ...out.resource[k], ...v };
    for (const [k, v] of Object.entries(parsed.data ?? {})) out.data[k] = { ...out.data[k], ...v };
    out.moved.push(...(parsed.moved ?? []));
    for (const l of (parsed.locals ?? []) as unknown as Block[]) Object.assign(out.locals, l);
    Object.assign(out.variable, parsed.variable ?? {});
  }
  return out;
}

/** `${local.x}` interpolations replaced by the values given (the module's defaults, worked out by hand in each test). */
export const resolver = (locals: Record<string, string>) => (expr: string) =>
  Object.entries(locals).reduce((s, [k, v]) => s.replaceAll(`\${local.${k}}`, v), expr);

/** `moved` blocks as from → to addresses. */
export const movedMap = (m: HclModule) => new Map(m.moved.map((x) => [x.from.slice(2, -1), x.to.slice(2, -1)]));

export interface PolicyStatement {
  sid?: string;
  actions: string[];
  /** A list of ARNs, or one expression yielding them. */
  resources: string[] | string;
  condition?: Block[];
  /** For a `dynamic "statement"`: the for_each expression that turns it on. */
  when?: string;
}

/** An `aws_iam_policy_document`'s statements: the static ones, then each dynamic one with its `when`. */
export function policyStatements(doc: Block): PolicyStatement[] {
  const statics = (doc.statement ?? []) as PolicyStatement[];
  const dynamics = ((doc.dynamic as { statement?: { for_each: string; content: PolicyStatement[] }[] } | undefined)?.statement ?? [])
    .flatMap((d) => d.content.map((c) => ({ ...c, when: d.for_each })));
  return [...statics, ...dynamics];
}

/** The single block of a resource or data source (hcl2json gives each as a one-element list). */
export function block<T = Block>(m: HclModule, kind: 'resource' | 'data', type: string, name: string): T {
  const found = (kind === 'resource' ? m.resource : m.data)[type]?.[name]?.[0];
  if (!found) throw new Error(`${kind} ${type}.${name} is not in the module`);
  return found as T;
}

/** One for_each instance: `each.key`, the `each.value.<x>` strings, and the lists its `for` expressions iterate, by their expression text. */
export interface EachInstance { key: string; value: Record<string, string>; lists: Record<string, string[]> }

/**
 * An expression evaluated for one for_each instance: `${each.key}` and `${each.value.x}`
 * interpolations, and the one list form the modules use, `${[for n in <list> : "<template>"]}`.
 * Other interpolations (`${local.x}`) are left for `resolver`.
 */
export function forEachValue(expr: string, each: EachInstance): string | string[] {
  const sub = (s: string) => s.replaceAll('${each.key}', each.key).replace(/\$\{each\.value\.(\w+)\}/g, (_, k: string) => {
    if (!(k in each.value)) throw new Error(`each.value.${k} is not given`);
    return each.value[k];
  });
  const list = /^\$\{\[for (\w+) in ([^:]+) : "(.*)"\]\}$/.exec(expr);
  if (!list) return sub(expr);
  const [, name, source, template] = list;
  const items = each.lists[source.trim()];
  if (!items) throw new Error(`the list ${source} is not given`);
  return items.map((x) => sub(template.replaceAll(`\${${name}}`, x)));
}

/**
 * Where the object at `from` ends once every `moved` block applies, following chains (psoxy's
 * address → a previous release's → ours); a whole-resource move carries an instance's key along.
 * Undefined when no block moves it.
 */
export function movedTo(moved: Map<string, string>, from: string): string | undefined {
  let at = from;
  for (let hops = 0; hops < 10; hops++) {
    const keyed = /^(.*?)(\[[^\]]*\])$/.exec(at);
    const next = moved.get(at) ?? (keyed && moved.has(keyed[1]) && !moved.get(keyed[1])!.endsWith(']') ? moved.get(keyed[1])! + keyed[2] : undefined);
    if (next === undefined) return hops === 0 ? undefined : at;
    at = next;
  }
  throw new Error(`moved blocks loop from ${from}`);
}
