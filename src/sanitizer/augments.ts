/**
 * psoxy's endpoint augments (spec §1.18; psoxy's AugmentProcessor at v0.6.9). Before the
 * response-schema filter and the transforms run, every value an augment's `jsonPaths` match gets a
 * computed sibling property `+<leaf>:<function>` in the object holding it, so a transform that
 * then redacts the value leaves only the computed metadata. A failure only omits the property.
 */
import type { Augment } from '../rules/types.ts';
import { compileJsonPath, type CompiledPath, type JsonPathLocation } from '../jsonpath/index.ts';
import { isJsonObject, parseJson, setOwn, type JsonObject, type JsonValue } from '../json/json.ts';
import { isBlank } from '../java/text.ts';
import { textDigest } from './transforms.ts';
import { jsonSmartString } from './json-smart.ts';

/** Keys starting with this are augment output; a document that already has one gets no augments. */
export const AUGMENT_KEY_PREFIX = '+';

/** What one augment computes from one matched value; null adds nothing. */
type Compute = (value: JsonValue) => JsonValue | null;

export interface CompiledAugment {
  /** The function name in the property name (`textDigest`). */
  name: string;
  paths: CompiledPath[];
  inner: CompiledPath | null;
  compute: Compute;
}

export function compileAugment(a: Augment): CompiledAugment {
  return {
    name: a.type,
    paths: a.jsonPaths.map(compileJsonPath),
    inner: a.innerJsonPath === undefined ? null : compileJsonPath(a.innerJsonPath),
    compute: computeFor(a),
  };
}

function computeFor(a: Augment): Compute {
  switch (a.type) {
    case 'textDigest': {
      // psoxy ignores blank keywords and counts lower-cased words.
      const keywords = a.keywords.filter((k) => !isBlank(k)).map((k) => k.toLowerCase());
      // An object (the transform's JSON string, parsed): keys sorted, as psoxy's TreeMap.
      return (v) => (typeof v === 'string' ? (JSON.parse(textDigest(v, keywords)) as JsonObject) : null);
    }
    case 'sentenceMetadata':
      // psoxy analyses sentences with OpenNLP models that it does not bundle; without them it
      // computes nothing and omits the property (ARCHITECTURE.md, "Augments").
      return () => null;
  }
}

/**
 * Adds every augment's properties to `doc` in place, augment by augment and path by path. Returns
 * false, adding nothing, when the document already has a key starting with `+` (psoxy then skips
 * all augments); true means every `+` key in the document now is augment output.
 */
export function applyAugments(augments: readonly CompiledAugment[], doc: JsonValue): boolean {
  if (hasAugmentKey(doc)) return false;
  const holders = new Holders(doc);
  for (const a of augments) {
    for (const path of a.paths) {
      for (const loc of locate(path, doc)) {
        const site = siteOf(loc, holders);
        if (site === null) continue;
        const out = a.inner !== null && typeof site.value === 'string' && site.value !== ''
          ? augmentEmbedded(a.compute, a.inner, site.value)
          : a.compute(site.value);
        if (out === null) continue;
        const key = AUGMENT_KEY_PREFIX + site.leaf + ':' + a.name;
        setOwn(site.holder, key, out);
        holders.adopt(out, site.holder, key);
      }
    }
  }
  return true;
}

function hasAugmentKey(v: JsonValue): boolean {
  if (Array.isArray(v)) return v.some(hasAugmentKey);
  if (!isJsonObject(v)) return false;
  for (const k of Object.keys(v)) {
    if (v[k] === undefined) continue; // deleted (jsonpath/evaluate.ts)
    if (k.startsWith(AUGMENT_KEY_PREFIX) || hasAugmentKey(v[k])) return true;
  }
  return false;
}

/**
 * Matches of a path as psoxy's augments see them: Jayway's own reading (the sanitizer's reading
 * adds nodes Jayway drops, which only matters for what transforms may leave). A path psoxy cannot
 * evaluate on this document matches nothing.
 */
function locate(path: CompiledPath, doc: JsonValue): JsonPathLocation[] {
  try {
    return path.locate(doc, 'jayway');
  } catch {
    return [];
  }
}

type Container = JsonObject | JsonValue[];

/** Where each container of a document sits: its holder and the key there. */
class Holders {
  private readonly map = new Map<Container, { parent: Container; key: string | number }>();

  constructor(root: JsonValue) {
    this.walk(root);
  }

  of(c: Container): { parent: Container; key: string | number } | undefined {
    return this.map.get(c);
  }

  /** Registers a value added under `parent[key]`. */
  adopt(v: JsonValue, parent: Container, key: string): void {
    if (typeof v === 'object' && v !== null && (Array.isArray(v) || isJsonObject(v))) {
      this.map.set(v, { parent, key });
      this.walk(v);
    }
  }

  private walk(v: JsonValue): void {
    if (Array.isArray(v)) {
      v.forEach((x, i) => this.child(v, i, x));
    } else if (isJsonObject(v)) {
      for (const k of Object.keys(v)) if (v[k] !== undefined) this.child(v, k, v[k]);
    }
  }

  private child(parent: Container, key: string | number, v: JsonValue): void {
    if (Array.isArray(v) || isJsonObject(v)) {
      this.map.set(v, { parent, key });
      this.walk(v);
    }
  }

  /**
   * psoxy re-reads each match by its concrete path text (`$['a'][0]['b']`), written without
   * escaping: a key with `'` or `\` on the way makes that text unreadable, and the match is skipped.
   */
  readable(loc: JsonPathLocation): boolean {
    if (typeof loc.key === 'string' && !plainKey(loc.key)) return false;
    for (let h = loc.parent === null ? undefined : this.of(loc.parent); h !== undefined; h = this.of(h.parent)) {
      if (typeof h.key === 'string' && !plainKey(h.key)) return false;
    }
    return true;
  }
}

const valueAt = (c: Container, key: string | number): JsonValue => (Array.isArray(c) ? c[key as number] : c[key as string]);

const plainKey = (k: string) => !k.includes("'") && !k.includes('\\');

interface Site {
  /** The object that gets the property: the holder of the last named step of the match's path. */
  holder: JsonObject;
  /** That step's name: `content` for `$['value'][0]['body']['content']`, `tags` for `$['tags'][1]`. */
  leaf: string;
  value: JsonValue;
}

function siteOf(loc: JsonPathLocation, holders: Holders): Site | null {
  // The root has no named step; a multi-property match is a merged map no augment computes from.
  if (loc.parent === null || Array.isArray(loc.key) || !holders.readable(loc)) return null;
  const value = valueAt(loc.parent, loc.key);
  let container: Container = loc.parent;
  let key = loc.key as string | number;
  while (Array.isArray(container)) {
    const h = holders.of(container);
    if (h === undefined) return null; // only indexes up to a root array
    container = h.parent;
    key = h.key;
  }
  // psoxy cannot name a property after an empty key.
  return key === '' ? null : { holder: container, leaf: key as string, value };
}

/**
 * `innerJsonPath`: the matched string is parsed as JSON, each inner match is replaced by the JSON
 * text of its augment, and the whole embedded document is written back as text (as psoxy does,
 * with json-smart); null when nothing inside was augmented or the text is not JSON.
 */
function augmentEmbedded(compute: Compute, inner: CompiledPath, text: string): string | null {
  let embedded: JsonValue;
  try {
    embedded = parseJson(text);
  } catch {
    return null;
  }
  const holders = new Holders(embedded);
  let applied = false;
  for (const loc of locate(inner, embedded)) {
    // psoxy cannot set the root; a multi-property match is a merged map.
    if (loc.parent === null || Array.isArray(loc.key) || !holders.readable(loc)) continue;
    const out = compute(valueAt(loc.parent, loc.key));
    if (out === null) continue;
    if (Array.isArray(loc.parent)) loc.parent[loc.key as number] = JSON.stringify(out);
    else setOwn(loc.parent, loc.key as string, JSON.stringify(out));
    applied = true;
  }
  return applied ? jsonSmartString(embedded) : null;
}
