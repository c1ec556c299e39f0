/**
 * Runs psoxy's conformance cases (manifest format: ../shared/conformance/README.md) against our
 * sanitizer. `example` compares JSON with key order significant and numbers as doubles.
 */
import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { loadBulkRules, type BulkRules } from '../bulk/rules.ts';
import { sanitizeStream } from '../bulk/process.ts';
import { join } from 'node:path';
import { loadApiRules } from '../rules/load.ts';
import type { ApiRules } from '../rules/types.ts';
import { Sanitizer } from '../sanitizer/sanitizer.ts';
import { Pseudonymizer, type EmailDomainHandling } from '../pseudonym/pseudonymizer.ts';
import type { EmailCanonicalization } from '../pseudonym/email.ts';
import { isJsonNumber, isJsonObject, numberValue, orderedKeys, parseJson, type JsonValue } from '../json/json.ts';

export interface ConformanceCase {
  kind: 'example' | 'unmatched' | 'sanitize-call' | 'bulk';
  connector: string;
  rulesFile: string;
  config: { salt: string; encryptionKey: string; emailCanonicalization?: string; emailDomainHandling?: string };
  method?: string;
  requestUrl?: string;
  expect?: 'allowed' | 'blocked';
  original?: string;
  sanitized?: string;
  originalModified?: boolean;
  objectPath?: string;
}

export interface CaseResult {
  connector: string;
  kind: string;
  requestUrl: string;
  ok: boolean | null; // null = skipped
  reason: string;
}

export interface ConformanceSummary {
  results: CaseResult[];
  passed: number;
  failed: number;
  skipped: number;
}

export interface ConformanceOptions {
  /** Only cases whose connector is listed (all when absent). */
  connectors?: string[];
  /** Rules to use instead of a case's rules file (e.g. our built-in rules for a connector). */
  rulesOverride?: (c: ConformanceCase) => ApiRules | undefined;
  /** The same for bulk cases (e.g. a bulk connector's built-in rules). */
  bulkRulesOverride?: (c: ConformanceCase) => BulkRules | undefined;
}

/** Bulk cases compare bytes: psoxy's output file for `original` under `rulesFile`. */
async function bulkOutput(c: ConformanceCase, root: string, override?: BulkRules): Promise<string> {
  const rules = override ?? loadBulkRules(readFileSync(join(root, c.rulesFile), 'utf8'), c.rulesFile);
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (d: Buffer) => chunks.push(d));
  await sanitizeStream(Readable.from([readFileSync(join(root, c.original!))]), out, {
    rules, objectPath: c.objectPath!, pseudonymizer: new Pseudonymizer({ salt: c.config.salt, encryptionKey: c.config.encryptionKey }),
    decompress: true, compress: false, shuffleChunkSize: 1,
  });
  return Buffer.concat(chunks).toString('utf8');
}

async function runBulkCase(c: ConformanceCase, root: string, base: Omit<CaseResult, 'ok' | 'reason'>, override?: BulkRules): Promise<CaseResult> {
  try {
    const got = await bulkOutput(c, root, override);
    const expected = readFileSync(join(root, c.sanitized!), 'utf8');
    const ok = got === expected;
    return { ...base, ok, reason: ok ? '' : `bytes differ at offset ${firstDifference(got, expected)}` };
  } catch (e) {
    return { ...base, ok: false, reason: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

export async function runConformance(manifestPath: string, root: string, options: ConformanceOptions = {}): Promise<ConformanceSummary> {
  const all = JSON.parse(readFileSync(manifestPath, 'utf8')) as ConformanceCase[];
  const cases = options.connectors ? all.filter((c) => options.connectors!.includes(c.connector)) : all;
  const sanitizers = new Map<string, Sanitizer>();
  const sanitizerFor = (c: ConformanceCase): Sanitizer => {
    const key = c.rulesFile + '|' + JSON.stringify(c.config);
    let s = sanitizers.get(key);
    if (!s) {
      const rules = options.rulesOverride?.(c) ?? loadApiRules(readFileSync(join(root, c.rulesFile), 'utf8'), c.rulesFile);
      s = new Sanitizer(rules, new Pseudonymizer({
        salt: c.config.salt,
        encryptionKey: c.config.encryptionKey,
        emailCanonicalization: (c.config.emailCanonicalization ?? 'STRICT') as EmailCanonicalization,
        emailDomainHandling: (c.config.emailDomainHandling ?? 'PRESERVE') as EmailDomainHandling,
      }));
      sanitizers.set(key, s);
    }
    return s;
  };
  const runCase = async (c: ConformanceCase): Promise<CaseResult> => {
    const base = { connector: c.connector, kind: c.kind, requestUrl: c.requestUrl ?? c.objectPath ?? '' };
    if (c.kind === 'bulk') return await runBulkCase(c, root, base, options.bulkRulesOverride?.(c));
    if (c.kind === 'sanitize-call' && c.originalModified) return { ...base, ok: null, reason: 'psoxy edited the input first' };
    try {
      const s = sanitizerFor(c);
      const method = c.method ?? 'GET';
      const url = c.requestUrl!;
      if (c.kind === 'unmatched') {
        const allowed = s.isAllowed(method, url);
        const ok = allowed === (c.expect === 'allowed');
        return { ...base, ok, reason: ok ? '' : `expected ${c.expect}, was ${allowed ? 'allowed' : 'blocked'}` };
      }
      const original = readFileSync(join(root, c.original!), 'utf8');
      if (!s.isAllowed(method, url)) return { ...base, ok: false, reason: 'URL blocked by the rules' };
      const out = s.sanitize(method, url, original);
      if (c.kind === 'sanitize-call') return { ...base, ok: true, reason: '' };
      const expected = readFileSync(join(root, c.sanitized!), 'utf8');
      const diff = jsonDiff(parseJson(expected.trim()), parseJson(out));
      return { ...base, ok: diff === null, reason: diff ?? '' };
    } catch (e) {
      return { ...base, ok: false, reason: `${(e as Error).name}: ${(e as Error).message}` };
    }
  };
  const results: CaseResult[] = [];
  for (const c of cases) results.push(await runCase(c));
  return summarize(results);
}

function summarize(results: CaseResult[]): ConformanceSummary {
  return {
    results,
    passed: results.filter((r) => r.ok === true).length,
    failed: results.filter((r) => r.ok === false).length,
    skipped: results.filter((r) => r.ok === null).length,
  };
}

/**
 * First difference between two parsed JSON values, or null when equal: key order significant
 * (integer-like keys included: both sides come from `parseJson`), numbers compared as doubles. A
 * `+` key psoxy kept from the source and we dropped (SECURITY.md) is not a difference.
 */
export function jsonDiff(expected: JsonValue, actual: JsonValue, path = '$'): string | null {
  if (isJsonNumber(expected) || isJsonNumber(actual)) {
    const same = isJsonNumber(expected) && isJsonNumber(actual) && numberValue(expected) === numberValue(actual);
    return same ? null : `${path}: expected ${short(expected)}, got ${short(actual)}`;
  }
  if (typeof expected !== typeof actual || Array.isArray(expected) !== Array.isArray(actual) || (expected === null) !== (actual === null)) {
    return `${path}: expected ${short(expected)}, got ${short(actual)}`;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return `${path}: expected ${expected.length} elements, got ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = jsonDiff(expected[i], actual[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (isJsonObject(expected) && isJsonObject(actual)) {
    const ek = orderedKeys(expected).filter((k) => !(k.startsWith('+') && !Object.hasOwn(actual, k)));
    const ak = orderedKeys(actual);
    if (ek.join('\u0000') !== ak.join('\u0000')) return `${path}: expected keys [${ek.join(',')}], got [${ak.join(',')}]`;
    for (const k of ek) {
      const d = jsonDiff(expected[k], actual[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return expected === actual ? null : `${path}: expected ${short(expected)}, got ${short(actual)}`;
}

const short = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
};
