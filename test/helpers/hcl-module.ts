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
