/**
 * YAML (core schema: only true/false are booleans, as Jackson reads psoxy rules) to plain values, remembering where each
 * mapping and sequence came from and which `!<tag>` it carried, so that binding errors can name
 * the file and line.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { jsonSource, RulesError, type YamlSource } from './rules-text.ts';

export { RulesError, type YamlSource } from './rules-text.ts';

export function readYaml(text: string, file: string): YamlSource {
  const json = jsonSource(text, file);
  if (json !== undefined) return json;
  const lineCounter = new LineCounter();
  const doc = parseDocument(indentQuotedContinuations(text), { lineCounter, version: '1.2', uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new RulesError(file, lineCounter.linePos(e.pos[0]).line, `invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const lines = new WeakMap<object, number>();
  const keyLines = new WeakMap<object, Map<string | number, number>>();
  const tags = new WeakMap<object, string>();
  const lineAt = (node: { range?: [number, number, number] | null } | null | undefined) =>
    node?.range ? lineCounter.linePos(node.range[0]).line : 0;

  const convert = (node: Node | null | undefined): unknown => {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return convert(node.resolve(doc) as Node);
    if (isScalar(node)) return node.value;
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const keys = new Map<string | number, number>();
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const k = isScalar(item.key) ? String(item.key.source ?? item.key.value) : String(item.key);
        out[k] = convert(item.value as Node);
        keys.set(k, lineAt(item.key as Node));
      }
      lines.set(out, lineAt(node));
      keyLines.set(out, keys);
      if (node.tag) tags.set(out, normalizeTag(node.tag));
      return out;
    }
    if (isSeq(node)) {
      const out = node.items.map((i) => convert(i as Node));
      const keys = new Map<string | number, number>();
      node.items.forEach((i, idx) => keys.set(idx, lineAt(i as Node)));
      lines.set(out, lineAt(node));
      keyLines.set(out, keys);
      return out;
    }
    return null;
  };

  const value = convert(doc.contents as Node);
  const source: YamlSource = {
    file,
    value,
    lineOf(container, key) {
      const k = key !== undefined ? keyLines.get(container)?.get(key) : undefined;
      return k || lines.get(container) || null;
    },
    tagOf(container) {
      return tags.get(container) ?? null;
    },
    fail(container, problem, key) {
      throw new RulesError(file, container ? source.lineOf(container, key) : null, problem);
    },
  };
  return source;
}

/**
 * YAML rules as the equivalent JSON text (tags become `method:`), for embedding rules that must
 * load fast (the built-in rules in the Lambda bundle).
 */
export function yamlRulesToJson(text: string, file: string): string {
  const src = readYaml(text, file);
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const tag = src.tagOf(v);
      const out: Record<string, unknown> = tag ? { method: tag } : {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return JSON.stringify(walk(src.value));
}

/** `!<pseudonymize>` and `!pseudonymize` both name the `pseudonymize` type. */
function normalizeTag(tag: string): string {
  return tag.replace(/^!/, '').replace(/^<(.*)>$/, '$1');
}

/**
 * psoxy's SnakeYAML accepts continuation lines of a quoted scalar that are indented no deeper
 * than the enclosing key (psoxy's own rules do this); the `yaml` package rejects them. Leading
 * whitespace of such lines is never part of the value, so indenting them is safe and keeps line
 * numbers intact.
 */
export function indentQuotedContinuations(text: string): string {
  const lines = text.split('\n');
  let quote: '"' | "'" | null = null;
  let pad = '';
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n];
    if (quote !== null) {
      line = pad + line;
      lines[n] = line;
    }
    const start: number = quote !== null ? pad.length : 0;
    for (let i: number = start; i < line.length; i++) {
      const c: string = line[i];
      if (quote === '"') {
        if (c === '\\') i++;
        else if (c === '"') quote = null;
      } else if (quote === "'") {
        if (c === "'") {
          if (line[i + 1] === "'") i++;
          else quote = null;
        }
      } else if (c === '#' && (i === 0 || line[i - 1] === ' ')) {
        break;
      } else if ((c === '"' || c === "'") && /(^|[:\-[{,?]\s*|^\s*)$/.test(line.slice(0, i))) {
        quote = c;
        pad = ' '.repeat((/^ */.exec(line)?.[0].length ?? 0) + 2);
      }
    }
  }
  return lines.join('\n');
}
