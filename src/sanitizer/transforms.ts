/**
 * The value functions behind each psoxy transform (spec §3.4). Each compiled transform maps one
 * matched JSON value to its replacement; `redact` is handled by deleting nodes instead.
 */
import type { Transform } from '../rules/types.ts';
import { compileJavaRegex, groupCount } from '../regex/java-regex.ts';
import { Pseudonymizer, type Identity } from '../pseudonym/pseudonymizer.ts';
import { formatMailbox, parseAddressList } from '../pseudonym/email.ts';
import { isJsonNumber, numberText, parseJson, type JsonNumber, type JsonValue } from '../json/json.ts';
import { compileJsonPath } from '../jsonpath/index.ts';
import { jsonSmartString } from './json-smart.ts';
import { isBlank, JAVA_WHITESPACE_RUN, javaSplit, javaTrim } from '../java/text.ts';

/** A transform that cannot be applied to a value: the response must fail, never pass through. */
export class TransformError extends Error {}

export interface TransformContext {
  pseudonymizer: Pseudonymizer;
  /** `X-Psoxy-Pseudonym-Implementation: v0.3` emits reversible tokens JSON-encoded. */
  legacyReversibleAsJson: boolean;
  /** Per-response memo of pseudonyms, one map per transform: repeated values are hashed once. */
  memo: Map<object, Map<string, JsonValue>>;
}

export type ValueFunction = (value: JsonValue, ctx: TransformContext) => JsonValue;

const typeName = (v: JsonValue) => (Array.isArray(v) ? 'array' : v === null ? 'null' : isJsonNumber(v) ? 'number' : typeof v);

function memoFor(ctx: TransformContext, owner: object): Map<string, JsonValue> {
  let m = ctx.memo.get(owner);
  if (!m) ctx.memo.set(owner, (m = new Map()));
  return m;
}

/** URL-safe token for one identity (regex matches, email headers). */
const urlSafe = (id: Identity) => Pseudonymizer.urlSafeToken(id);

function stringOnly(fn: (s: string, ctx: TransformContext) => JsonValue): ValueFunction {
  return (v, ctx) => {
    if (typeof v !== 'string') return null;
    if (isBlank(v)) return v;
    return fn(v, ctx);
  };
}

export function compileValueFunction(t: Exclude<Transform, { type: 'redact' }>): ValueFunction {
  switch (t.type) {
    case 'pseudonymize': {
      const opts = { includeReversible: t.includeReversible, includeOriginal: t.includeOriginal };
      const encode = (v: string | JsonNumber | null, ctx: TransformContext): JsonValue => {
        if (t.encoding === 'URL_SAFE_TOKEN' && !t.includeOriginal && !(t.includeReversible && ctx.legacyReversibleAsJson)) {
          return ctx.pseudonymizer.urlSafeToken(v, t.includeReversible);
        }
        const id = ctx.pseudonymizer.pseudonymize(v, opts);
        switch (t.encoding) {
          case 'URL_SAFE_TOKEN':
            if (id === null) return null;
            if (id.reversible !== undefined && ctx.legacyReversibleAsJson) return Pseudonymizer.jsonEncoded(id);
            return urlSafe(id);
          case 'JSON':
            return id === null ? 'null' : Pseudonymizer.jsonEncoded(id);
          case 'URL_SAFE_HASH_ONLY':
            if (id === null) throw new TransformError('URL_SAFE_HASH_ONLY cannot encode a null or blank value');
            return id.hash;
        }
      };
      const fn: ValueFunction = (v, ctx) => {
        if (v === null) return encode(null, ctx);
        let text: string;
        if (typeof v === 'string') text = v;
        else if (isJsonNumber(v)) text = numberText(v); // numbers are hashed by their Java text, like strings
        else throw new TransformError(`pseudonymize applies to strings and numbers, not to a ${typeName(v)}`);
        const memo = memoFor(ctx, fn);
        let out = memo.get(text);
        if (out === undefined) memo.set(text, (out = encode(v, ctx)));
        return out;
      };
      return fn;
    }
    case 'pseudonymizeEmailHeader':
      return (v, ctx) => {
        if (v === null) return null;
        if (typeof v !== 'string') throw new TransformError(`pseudonymizeEmailHeader applies to strings, not to a ${typeName(v)}`);
        if (isBlank(v)) return '';
        const boxes = parseAddressList(v);
        if (!boxes) return null;
        const ids = boxes.map((b) => ctx.pseudonymizer.pseudonymize(formatMailbox(b))!);
        return t.encoding === 'URL_SAFE_TOKEN'
          ? ids.map(urlSafe).join(',')
          : '[' + ids.map((id) => Pseudonymizer.jsonEncoded(id)).join(',') + ']';
      };
    case 'pseudonymizeRegexMatches': {
      const re = compileJavaRegex(t.regex, { global: true, flags: 'd' });
      const hasGroup = groupCount(re) > 0;
      return (v, ctx) => {
        if (v === null) return null;
        if (typeof v !== 'string') throw new TransformError(`pseudonymizeRegexMatches applies to strings, not to a ${typeName(v)}`);
        if (isBlank(v)) return null;
        let out = '';
        let last = 0;
        let replaced = false;
        re.lastIndex = 0;
        for (let m = re.exec(v); m; m = re.exec(v)) {
          if (m[0].length === 0) re.lastIndex++;
          const portion = hasGroup ? m[1] : m[0];
          if (portion === undefined || isBlank(portion)) continue;
          const start = hasGroup ? m.indices![1]![0] : m.index;
          const id = ctx.pseudonymizer.pseudonymize(portion, { includeReversible: t.includeReversible });
          if (id === null) continue;
          out += v.slice(last, start) + urlSafe(id);
          last = start + portion.length;
          replaced = true;
        }
        return replaced ? out + v.slice(last) : null;
      };
    }
    case 'redactRegexMatches': {
      const res = t.redactions.map((r) => compileJavaRegex(r, { global: true }));
      return stringOnly((s) => res.reduce((acc, re) => acc.replace(re, ''), s));
    }
    case 'redactExceptPhrases': {
      const res = t.allowedPhrases.map(phrasePattern);
      return stringOnly((s) => res.map((re) => re.exec(s)?.[1]).filter((x) => x !== undefined).join(','));
    }
    case 'redactExceptSubstringsMatchingRegexes': {
      const res = t.exceptions.map((r) => {
        const inner = compileJavaRegex(r);
        return new RegExp('^(?:.*?(' + inner.source + ').*?)$', inner.flags);
      });
      return stringOnly((s) => {
        let best: string | null = null;
        for (const re of res) {
          const m = re.exec(s);
          if (m && m[1] !== undefined && (best === null || m[1].length > best.length)) best = m[1];
        }
        return best ?? '';
      });
    }
    case 'filterTokenByRegex': {
      const filters = t.filters.map((f) => compileJavaRegex(f, { whole: true }));
      const delimiter = t.delimiter === null ? null : compileJavaRegex(t.delimiter);
      return stringOnly((s) => {
        const tokens = delimiter === null ? [s] : javaSplit(s, delimiter);
        const kept = tokens.filter((tok) => filters.some((f) => f.test(tok)));
        const joined = javaTrim(kept.join(' '));
        return joined === '' ? null : joined;
      });
    }
    case 'tokenize': {
      if (t.regex === undefined) return stringOnly((s, ctx) => ctx.pseudonymizer.tokenize(s));
      const re = compileJavaRegex(t.regex, { whole: true });
      return stringOnly((s, ctx) => {
        const m = re.exec(s);
        if (!m) return s;
        const group = m[1];
        if (group === undefined) return s;
        return s.split(group).join(ctx.pseudonymizer.tokenize(group));
      });
    }
    case 'hashIp':
      return stringOnly((s, ctx) => ctx.pseudonymizer.hashIp(s));
    case 'encryptIp':
      return stringOnly((s, ctx) => ctx.pseudonymizer.encryptIp(s));
    case 'textDigest': {
      const keywords = t.keywords?.map((k) => k.toLowerCase());
      const digest = (s: string) => textDigest(s, keywords);
      if (t.isJsonEscaped && t.jsonPathToProcessWhenEscaped && t.jsonPathToProcessWhenEscaped.trim() !== '') {
        const inner = compileJsonPath(t.jsonPathToProcessWhenEscaped);
        return (v) => {
          if (typeof v !== 'string') return null;
          let doc: JsonValue;
          try {
            doc = parseJson(v);
          } catch {
            throw new TransformError('textDigest: value is not the escaped JSON document isJsonEscaped promises');
          }
          inner.map(doc, (x) => (typeof x === 'string' ? digest(x) : null));
          // psoxy re-serializes with Jayway's default provider, json-smart (LT_COMPRESS).
          return jsonSmartString(doc);
        };
      }
      return (v) => (typeof v === 'string' ? digest(v) : null);
    }
  }
}

// Java's `.` stops at line terminators, so psoxy's `.*?` around a phrase cannot cross one.
const NOT_LINE_END = '[^\\n\\r\\u0085\\u2028\\u2029]*';

/**
 * psoxy's `.*?\b(\Qphrase\E)[\s:]*\b.*?`, CASE_INSENSITIVE, whole-string `matches()`: Java's
 * case-insensitivity without UNICODE_CASE and its `\s` are ASCII-only.
 */
function phrasePattern(phrase: string): RegExp {
  const literal = [...phrase].map((c) => (/[a-zA-Z]/.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'))).join('');
  return new RegExp(`^${NOT_LINE_END}?\\b(${literal})[ \\t\\n\\x0B\\f\\r:]*\\b${NOT_LINE_END}?$`);
}

/** `{"keywords":{…},"length":L,"word_count":W}` as a JSON string, keys sorted. */
export function textDigest(text: string, keywords?: string[]): string {
  const length = text.length;
  const wordCount = text === '' ? 0 : javaSplit(javaTrim(text), JAVA_WHITESPACE_RUN).length;
  const out: Record<string, unknown> = {};
  if (keywords && keywords.length > 0) {
    const words = javaSplit(text.toLowerCase(), /\W+/);
    const counts: Record<string, number> = {};
    for (const k of [...new Set(keywords)].sort()) {
      const n = words.filter((w) => w === k).length;
      if (n > 0) counts[k] = n;
    }
    if (Object.keys(counts).length > 0) out.keywords = counts;
  }
  out.length = length;
  out.word_count = wordCount;
  return JSON.stringify(out);
}

