// Sanitizer: transforms, response-schema filter and order of application, on our own fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadApiRules } from '../src/rules/load.ts';
import { Sanitizer, BlockedByRulesError, MalformedResponseError, TransformError } from '../src/sanitizer/sanitizer.ts';
import { Pseudonymizer } from '../src/pseudonym/pseudonymizer.ts';
import { textDigest } from '../src/sanitizer/transforms.ts';

const pz = new Pseudonymizer({ salt: 'salt', encryptionKey: 'secret' });
function sanitizer(transformsYaml: string, extra = ''): Sanitizer {
  return new Sanitizer(loadApiRules(`endpoints:\n  - pathRegex: "^/x.*"\n${extra}    transforms:\n${transformsYaml}`), pz);
}
const run = (s: Sanitizer, body: unknown) => JSON.parse(s.sanitize('GET', 'https://h/x', JSON.stringify(body)));

test('pseudonymize encodings and options', () => {
  const s = sanitizer(`      - !<pseudonymize>\n        jsonPaths: ["$.a"]\n      - !<pseudonymize>\n        jsonPaths: ["$.b"]\n        encoding: JSON\n        includeOriginal: true\n      - !<pseudonymize>\n        jsonPaths: ["$.c"]\n        encoding: URL_SAFE_HASH_ONLY\n      - !<pseudonymize>\n        jsonPaths: ["$.n", "$.blank"]\n`);
  const out = run(s, { a: 'alice@acme.com', b: 'alice@acme.com', c: 'alice@acme.com', n: null, blank: '  ' });
  assert.equal(out.a, 't~UFdK0TvVTvZ23c6QslyCy0o2MSq2DRtDjEXfTPJyyMk@acme.com');
  assert.equal(out.b, '{"domain":"acme.com","hash":"UFdK0TvVTvZ23c6QslyCy0o2MSq2DRtDjEXfTPJyyMk","original":"alice@acme.com"}');
  assert.equal(out.c, 'UFdK0TvVTvZ23c6QslyCy0o2MSq2DRtDjEXfTPJyyMk');
  assert.equal(out.n, null);
  assert.equal(out.blank, null);
  assert.throws(() => run(s, { a: { nested: 'object' } }), TransformError, 'objects are never passed through');
  assert.throws(() => run(s, { a: true }), TransformError);
});

test('legacy header v0.3 turns reversible tokens into JSON; unknown values fail', () => {
  const s = sanitizer(`      - !<pseudonymize>\n        jsonPaths: ["$.id"]\n        includeReversible: true\n`);
  const legacy = JSON.parse(s.sanitize('GET', '/x', '{"id":"blah"}', { pseudonymImplementation: 'v0.3' }));
  assert.deepEqual(JSON.parse(legacy.id), { hash: 'nVPSMYD7ZO_ptGIMJ65TAFo5_vVVQQ2af5Bfg7bW0Jo', reversible: 'p~nVPSMYD7ZO_ptGIMJ65TAFo5_vVVQQ2af5Bfg7bW0Jq9JIOXfBWhts_zA5Ns0r4m' });
  assert.throws(() => s.sanitize('GET', '/x', '{"id":"blah"}', { pseudonymImplementation: 'v9' }), TransformError);
});

test('pseudonymizeEmailHeader (vector 42)', () => {
  const s = sanitizer(`      - !<pseudonymizeEmailHeader>\n        jsonPaths: ["$.cc", "$.bad", "$.empty"]\n`);
  const out = run(s, { cc: 'Mike Smith <mike@worklytics.co>, lois@worklytics.co', bad: 'not an address', empty: '' });
  assert.equal(out.cc, 't~vZ8I4uZkcdXvnp57XCjVY_bJKr9vZpkDsWBDY3m-qTs@worklytics.co,t~FRffHsKrFsvq64VMg84_x1stbyhhFwldLDdV6-8F-No@worklytics.co');
  assert.equal(out.bad, null);
  assert.equal(out.empty, '');
});

test('pseudonymizeRegexMatches (vectors 18-23)', () => {
  const make = (re: string) => sanitizer(`      - !<pseudonymizeRegexMatches>\n        jsonPaths: ["$.v"]\n        regex: ${JSON.stringify(re)}\n`);
  assert.equal(run(make('.*'), { v: 'something' }).v, 't~EN_O0yRLJp7bRnw6HrbdPMLul_uqairwpevQ08HtEn0');
  assert.equal(run(make('blah:.*thing'), { v: 'blah:something' }).v, 't~ltpmWUv-gqwJTPjfusJMo8Cd45xhqDRQx6REW-gS2CU');
  assert.equal(run(make('blah:(.*)'), { v: 'blah:something' }).v, 'blah:t~EN_O0yRLJp7bRnw6HrbdPMLul_uqairwpevQ08HtEn0');
  assert.equal(run(make('blah:.*thing'), { v: 'something' }).v, null);
  assert.equal(run(make('(\\s+)'), { v: 'assigned to @alice' }).v, null);
  assert.equal(run(make('@([\\w.-]+)'), { v: 'alice requested review from @alice' }).v, 'alice requested review from @t~3YAoyBkqpKrO4rk5ISA0dZSABykOBC7pEMmkL1L0HK4');
  assert.equal(run(make('@([\\w.-]+)'), { v: 'x @bob y' }).v, 'x @t~kbEeZaASjfdRzw5DsaEMq4HoESgOdgoKQN3np2Gm_hY y');
});

test('redaction family: redactRegexMatches, redactExceptPhrases, redactExceptSubstringsMatchingRegexes, filterTokenByRegex', () => {
  const s = sanitizer(`      - !<redactRegexMatches>\n        jsonPaths: ["$.url"]\n        redactions: ["(?i)pwd=[^&]*"]
      - !<redactExceptPhrases>\n        jsonPaths: ["$.p1", "$.p2", "$.p3"]\n        allowedPhrases: [phrase1, "phrase2 2", Phrase3]
      - !<redactExceptSubstringsMatchingRegexes>\n        jsonPaths: ["$.e"]\n        exceptions: ["Focus", "Focus Time"]
      - !<filterTokenByRegex>\n        jsonPaths: ["$.f", "$.g"]\n        filters: ["https://[^.]+\\\\.zoom\\\\.us/.*"]\n`);
  const out = run(s, {
    url: 'https://x/?a=1&Pwd=abc&', p1: 'blah phrase1: blah', p2: 'Phrase1', p3: 'phrase4', e: 'My Focus Time block',
    f: 'come to my zoom meeting! https://acme.zoom.us/12312345?pwd=1234asAf', g: 'nothing here',
  });
  assert.deepEqual(out, {
    url: 'https://x/?a=1&&', p1: 'phrase1', p2: 'Phrase1', p3: '', e: 'Focus Time',
    f: 'https://acme.zoom.us/12312345?pwd=1234asAf', g: null,
  });
});

test('tokenize with and without regex; hashIp', () => {
  const s = sanitizer(`      - !<tokenize>\n        jsonPaths: ["$.a"]\n      - !<tokenize>\n        jsonPaths: ["$.b", "$.c"]\n        regex: "^https://graph.microsoft.com/v1.0/users/([a-zA-Z0-9_-]+)/.*$"\n      - !<hashIp>\n        jsonPaths: ["$.ip"]\n`);
  const out = run(s, { a: 'blah', b: 'https://graph.microsoft.com/v1.0/users/u1/x?u1', c: 'no match', ip: '10.0.0.1' });
  assert.equal(out.a, 'p~nVPSMYD7ZO_ptGIMJ65TAFo5_vVVQQ2af5Bfg7bW0Jq9JIOXfBWhts_zA5Ns0r4m');
  const t = pz.tokenize('u1');
  assert.equal(out.b, `https://graph.microsoft.com/v1.0/users/${t}/x?${t}`);
  assert.equal(out.c, 'no match');
  assert.equal(out.ip, 't~3BU4goNN07w3ofq8v5ig2enxSWj9xnAnPOThel4mHTk');
});

test('textDigest (vectors 55-56) and escaped JSON', () => {
  assert.equal(textDigest('Hello world'), '{"length":11,"word_count":2}');
  assert.equal(textDigest('This is a test'), '{"length":14,"word_count":4}');
  assert.equal(textDigest(''), '{"length":0,"word_count":0}');
  assert.equal(textDigest('   '), '{"length":3,"word_count":1}');
  assert.equal(textDigest("Please WRITE an Email and summarize the results of the write operation. Don't email me again!", ['eMail', 'write', 'Summarize', 'not_present'].map((k) => k.toLowerCase())),
    '{"keywords":{"email":2,"summarize":1,"write":2},"length":93,"word_count":16}');
  const s = sanitizer(`      - !<textDigest>\n        jsonPaths: ["$.doc"]\n        isJsonEscaped: true\n        jsonPathToProcessWhenEscaped: "$..text"\n`);
  assert.equal(run(s, { doc: '{"body":[{"text":"short"},{"text":"two words"}]}' }).doc, '{"body":[{"text":"{\\"length\\":5,\\"word_count\\":1}"},{"text":"{\\"length\\":9,\\"word_count\\":2}"}]}');
  // The embedded document is written back as Jayway's json-smart provider writes it
  // (JSONStyle.LT_COMPRESS → JStylerObj.ESCAPE_LT): `/` as is, U+007F–U+009F and U+2000–U+20FF as \uXXXX.
  assert.equal(run(s, { doc: '{"url":"https://a/b","sep":"x\u2028y\u0085","text":"a b"}' }).doc, '{"url":"https://a/b","sep":"x\\u2028y\\u0085","text":"{\\"length\\":3,\\"word_count\\":2}"}');
  assert.equal(run(s, { doc: '{"b":1,"10":"ten","text":"x"}' }).doc, '{"b":1,"10":"ten","text":"{\\"length\\":1,\\"word_count\\":1}"}', 'input key order, integer-like keys included');
});

test('applyOnlyWhen (vector 57)', () => {
  const s = sanitizer(`      - !<redact>\n        jsonPaths: ["$..id"]\n        applyOnlyWhen: "$[?(@.data.type == 'User')]"\n`);
  assert.deepEqual(run(s, { data: { type: 'User', id: 1 } }), { data: { type: 'User' } });
  assert.deepEqual(run(s, { data: { type: 'app', id: 1 } }), { data: { type: 'app', id: 1 } });
});

test('responseSchema filter: keeps input order, coerces types, $ref, then transforms', () => {
  const s = new Sanitizer(loadApiRules(`endpoints:
  - pathTemplate: "/x"
    responseSchema:
      type: object
      properties:
        b: { type: integer }
        a: { type: boolean }
        list: { type: array, items: { $ref: "#/definitions/Item" } }
        any: {}
    transforms:
      - !<pseudonymize>
        jsonPaths: ["$.list[*].email"]
definitions:
  Item: { type: object, properties: { email: { type: string } } }
`), pz);
  const out = s.sanitize('GET', '/x', '{"a":null,"secret":"s","b":3.7,"list":[{"email":"a@b.co","name":"N"},null],"any":{"x":1},"+aug":1}');
  // psoxy passes `+` keys unfiltered (for its augments); a source's own `+` keys are filtered here.
  assert.equal(out, `{"a":false,"b":3,"list":[{"email":"${Pseudonymizer.urlSafeToken(pz.pseudonymize('a@b.co')!)}"}],"any":null}`);
});

test('fail closed: blocked URL, malformed JSON, NDJSON bodies', () => {
  const s = sanitizer(`      - !<redact>\n        jsonPaths: ["$.secret"]\n`);
  assert.throws(() => s.sanitize('GET', '/other', '{}'), BlockedByRulesError);
  assert.throws(() => s.sanitize('GET', '/x', '{"secret": "raw", '), MalformedResponseError);
  assert.throws(() => s.sanitize('GET', '/x', '<html>secret</html>'), MalformedResponseError);
  assert.equal(s.sanitize('GET', '/x', '{"secret":1,"a":1}\n{"secret":2,"b":2}\n'), '{"a":1}\n{"b":2}');
});

test('numbers keep Java fidelity: big integers exact, doubles printed as Java does', () => {
  const s = sanitizer(`      - !<redact>\n        jsonPaths: ["$.x"]\n`);
  assert.equal(s.sanitize('GET', '/x', '{"big":12345678901234567890123,"d":1e3,"e":1.5E-7,"i":8,"f":8.0}'), '{"big":12345678901234567890123,"d":1000.0,"e":1.5E-7,"i":8,"f":8.0}');
});

test('a "__proto__" key is sanitized like any other key, never left raw', () => {
  const s = sanitizer(`      - !<pseudonymize>\n        jsonPaths: ["$.*"]\n`);
  const out = s.sanitize('GET', '/x', '{"__proto__":"alice@acme.com"}');
  assert.equal(out, '{"__proto__":"t~UFdK0TvVTvZ23c6QslyCy0o2MSq2DRtDjEXfTPJyyMk@acme.com"}');
});

test('number fidelity is kept wherever the number stands (arrays, after spaces, top level)', () => {
  const s = sanitizer(`      - !<redact>\n        jsonPaths: ["$.x"]\n`);
  assert.equal(s.sanitize('GET', '/x', '{"v":"6.0.4.12345(mac)","a":[1.0, 2e3],"b": 12345678901234567890,"c":\n 3.50}'),
    '{"v":"6.0.4.12345(mac)","a":[1.0,2000.0],"b":12345678901234567890,"c":3.5}');
  assert.equal(s.sanitize('GET', '/x', '[1.0]'), '[1.0]');
});

test('a schema keeping only integers, strings and booleans reads numbers as Jackson does without the fidelity scan', () => {
  const schema = `    responseSchema:\n      type: object\n      properties: { i: { type: integer }, a: { type: array, items: { type: integer } }, s: { type: string } }\n`;
  const s = sanitizer(`      - !<pseudonymize>\n        jsonPaths: ["$.i"]\n`, schema);
  // Doubles truncate into an integer leaf; a long beyond 2^53 stays exact; the dropped double goes unread.
  assert.equal(s.sanitize('GET', '/x', '{"a":[2.9,-7.5e0,1e3,9007199254740993,9.223372036854775807E18,9.3e18],"s":"x","dropped":1.0}'), '{"a":[2,-7,1000,9007199254740993,9223372036854775807],"s":"x"}');
  assert.equal(s.sanitize('GET', '/x', '{"i":1.0}'), s.sanitize('GET', '/x', '{"i":1}'), 'an integer leaf hashes the integer Jackson reads');
  assert.throws(() => s.sanitize('GET', '/x', '{"a":[1e400]}'), MalformedResponseError);
  // A property named like an array index keeps its input order through the scan's exact reader.
  const indexed = sanitizer('', `    responseSchema:\n      type: object\n      properties: { b: { type: string }, "10": { type: string } }\n`);
  assert.equal(indexed.sanitize('GET', '/x', '{"b":"x","10":"y"}'), '{"b":"x","10":"y"}');
});
