// Java string and number semantics psoxy's output depends on: Double.toString, Jackson's escapes
// and key order, Java's UTF-8 bytes of lone surrogates, Java's `\s`. Expected values come from the
// differential corpus (psoxy's Java run on odd inputs, ../shared, skipped when absent) or from the
// documented Java / Jackson behaviour, written out independently here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { javaDoubleToString } from '../src/java/double-to-string.ts';
import { parseJson } from '../src/json/json.ts';
import { writeJson } from '../src/json/write.ts';
import { sha256Utf8 } from '../src/pseudonym/fast-crypto.ts';
import { loadApiRules } from '../src/rules/load.ts';
import { Sanitizer } from '../src/sanitizer/sanitizer.ts';
import { Pseudonymizer } from '../src/pseudonym/pseudonymizer.ts';

const vectors = fileURLToPath(new URL('../../shared/conformance/fuzz/vectors/', import.meta.url));
const haveVectors = existsSync(vectors + 'manifest.json');
const skipVectors = { skip: !haveVectors && 'shared/conformance/fuzz/vectors is not here' };

interface Case { id: string; rulesFile: string; original: string; sanitized: string; config: { salt: string; encryptionKey: string } }

function vectorCases(): { c: Case; input: string; expected: string; output: string }[] {
  const cases = JSON.parse(readFileSync(vectors + 'manifest.json', 'utf8')) as Case[];
  const sanitizers = new Map<string, Sanitizer>();
  return cases.map((c) => {
    const key = c.rulesFile + JSON.stringify(c.config);
    let s = sanitizers.get(key);
    if (!s) {
      const rules = loadApiRules(readFileSync(vectors + c.rulesFile, 'utf8'), c.rulesFile);
      sanitizers.set(key, (s = new Sanitizer(rules, new Pseudonymizer({ salt: c.config.salt, encryptionKey: c.config.encryptionKey }))));
    }
    const input = readFileSync(vectors + c.original, 'utf8');
    return { c, input, expected: readFileSync(vectors + c.sanitized, 'utf8').trim(), output: s.sanitize('GET', 'https://vectors.example/v', input) };
  });
}

/** The raw text of the top-level member `name` (the vectors write it last but for `drop`). */
function memberText(json: string, name: string): string {
  const start = json.indexOf(`"${name}":`);
  const dropAt = json.indexOf(',"drop":', start);
  return json.slice(start, dropAt >= 0 ? dropAt : json.length - 1);
}

test('corpus: untransformed members come out byte for byte as Jackson wrote them (key order, escapes, doubles, lone surrogates)', skipVectors, () => {
  for (const { c, expected, output } of vectorCases()) assert.equal(memberText(output, 'keep'), memberText(expected, 'keep'), c.id);
});

test('corpus: values without an email in them are pseudonymized and digested as psoxy does', skipVectors, () => {
  // Values with `@` depend on the email grammar (tested with pseudonym/email.ts), not on these semantics.
  for (const { c, input, expected, output } of vectorCases()) {
    const inp = JSON.parse(input) as Record<string, unknown[]>;
    const exp = JSON.parse(expected) as Record<string, unknown[]>;
    const out = JSON.parse(output) as Record<string, unknown[]>;
    for (const field of ['token', 'json', 'rev', 'text']) {
      inp[field].forEach((v, i) => {
        if (typeof v === 'string' && v.includes('@')) return;
        assert.deepEqual(out[field][i], exp[field][i], `${c.id} $.${field}[${i}] of ${JSON.stringify(v)}`);
      });
    }
  }
});

test('Double.toString of JDK 8–18, as the corpus shows it (not always the shortest digits)', () => {
  // Each text here is what psoxy hashed or wrote for the number (fuzz/vectors).
  const seen: [number, string][] = [
    [8.41e21, '8.409999999999999E21'],
    [1e23, '9.999999999999999E22'],
    [2e23, '1.9999999999999998E23'],
    [282879384806159000, '2.82879384806159008E17'],
    [-6115527783103741000, '-6.1155277831037409E18'],
    [5e-324, '4.9E-324'],
    [1e-323, '1.0E-323'],
    [1000, '1000.0'],
    [1e21, '1.0E21'],
    [1e-7, '1.0E-7'],
    [0.001, '0.001'],
    [-0, '-0.0'],
  ];
  for (const [d, text] of seen) assert.equal(javaDoubleToString(d), text, String(d));
});

test('property: Double.toString reads back as the same double, in Java\'s layout', () => {
  // Javadoc: plain notation for 10^-3 <= |d| < 10^7, else computerized scientific notation; at
  // least one digit on each side of the point; as many digits as needed to tell the double apart.
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
    const s = javaDoubleToString(d);
    assert.ok(Object.is(Number(s.replace('E', 'e')), d), `${d} → ${s}`);
    const abs = Math.abs(d);
    const plain = abs === 0 || (abs >= 1e-3 && abs < 1e7);
    assert.match(s, plain ? /^-?\d+\.\d+$/ : /^-?\d\.\d+E-?\d+$/);
  }), { numRuns: 3000 });
});

test('a double alone or first in a body keeps its Java text', () => {
  assert.equal(writeJson(parseJson('1.0')), '1.0');
  assert.equal(writeJson(parseJson('[1E3]')), '[1000.0]');
});

test('a double outside the double range is refused, not read as Infinity as Jackson would', () => {
  assert.throws(() => parseJson('{"a":1e400}'), SyntaxError);
  assert.throws(() => parseJson('{"10":1,"a":-1e400}'), SyntaxError);
});

/** Object entries in input order, with Jackson's (LinkedHashMap) rule for a repeated key. */
function jacksonOrder(entries: [string, number][]): [string, number][] {
  const out = new Map<string, number>();
  for (const [k, v] of entries) out.set(k, v);
  return [...out];
}

const key = fc.oneof(fc.nat({ max: 20 }).map(String), fc.constantFrom('a', 'b', 'z', '01', '-1', '4294967295', '__proto__'));

test('property: objects come out in input key order, array-index keys included', () => {
  const rules = loadApiRules('endpoints:\n  - pathTemplate: "/v"\n    transforms:\n      - !<redact>\n        jsonPaths: ["$..gone"]\n');
  const sanitizer = new Sanitizer(rules, new Pseudonymizer({ salt: 's' }));
  fc.assert(fc.property(fc.array(fc.tuple(key, fc.nat())), fc.boolean(), (entries, nested) => {
    const body = '{' + entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',') + '}';
    const doc = nested ? `{"x":[${body}],"gone":1}` : body;
    const kept = '{' + jacksonOrder(entries).map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',') + '}';
    assert.equal(sanitizer.sanitize('GET', '/v', doc), nested ? `{"x":[${kept}]}` : kept);
  }));
});

/** Jackson's string writer (documented escapes), then Java's UTF-8 encoder on the text. */
function jacksonString(s: string): string {
  const short: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r' };
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
    if (pair) out += s[i] + s[++i];
    else if (c >= 0xd800 && c <= 0xdfff) out += '?';
    else if (short[c] !== undefined) out += short[c];
    else if (c < 0x20) out += '\\u00' + c.toString(16).toUpperCase().padStart(2, '0');
    else out += s[i];
  }
  return out + '"';
}

const oddChar = fc.oneof(
  fc.integer({ min: 0, max: 0x20 }),
  fc.integer({ min: 0xd800, max: 0xdfff }),
  fc.constantFrom(0x22, 0x5c, 0x2f, 0x7f, 0xa0, 0x2028, 0xfeff, 0x75, 0x61),
).map((c) => String.fromCharCode(c));
const oddString = fc.array(fc.oneof(oddChar, fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 12 }).map((a) => a.join(''));

test('property: strings are written with Jackson\'s escapes, lone surrogates as "?"', () => {
  fc.assert(fc.property(oddString, (s) => {
    assert.equal(writeJson(s), jacksonString(s));
    assert.equal(writeJson({ [s]: [s] }), `{${jacksonString(s)}:[${jacksonString(s)}]}`);
  }), { numRuns: 2000 });
});

/** `String.getBytes(UTF_8)`: each lone surrogate becomes the replacement byte `?`. */
function javaUtf8(s: string): Buffer {
  const parts: Buffer[] = [];
  for (const ch of s) parts.push(ch.length === 1 && ch.charCodeAt(0) >= 0xd800 && ch.charCodeAt(0) <= 0xdfff ? Buffer.from('?') : Buffer.from(ch, 'utf8'));
  return Buffer.concat(parts);
}

test('property: hashes are of the bytes Java encodes, lone surrogates as "?"', () => {
  fc.assert(fc.property(oddString, (s) => {
    assert.deepEqual(Buffer.from(sha256Utf8(s)), createHash('sha256').update(javaUtf8(s)).digest());
  }), { numRuns: 2000 });
});

test('redactExceptPhrases reads its pattern as Java does: ASCII-only case-insensitivity and \\s, no line terminator outside the phrase', () => {
  const rules = loadApiRules('endpoints:\n  - pathTemplate: "/v"\n    transforms:\n      - !<redactExceptPhrases>\n        jsonPaths: ["$[*]"]\n        allowedPhrases: ["Café", "foo"]\n');
  const sanitizer = new Sanitizer(rules, new Pseudonymizer({ salt: 's' }));
  const texts = ['the CAFé is open', 'the CAFÉ is open', 'foo\u00a0: bar', 'one line\nthen foo', 'foo:\n\nbar'];
  // CASE_INSENSITIVE without UNICODE_CASE folds ASCII only; `\s` is ASCII; `.` stops at line ends.
  assert.equal(sanitizer.sanitize('GET', '/v', JSON.stringify(texts)), JSON.stringify(['CAFé', '', 'foo', '', 'foo']));
});
