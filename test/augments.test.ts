// Endpoint augments as users meet them: rules YAML in, response JSON out (and one request through
// the proxy). Expected numbers are psoxy's: its AugmentProcessorTest, SentenceMetadataProcessorTest,
// JsonSchemaFilterUtilsTest, docs/development/augments.md, and spec §3.4 #12.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadApiRules, RulesError } from '../src/rules/load.ts';
import { Sanitizer } from '../src/sanitizer/sanitizer.ts';
import { Pseudonymizer } from '../src/pseudonym/pseudonymizer.ts';
import { scanForLeaks } from '../src/guard/leak-guard.ts';
import { zoomStack } from './helpers/zoom-stack.ts';

type Json = Record<string, unknown>;
const pz = new Pseudonymizer({ salt: 'salt' });

/** Rules with one endpoint `/x` whose body (augments, transforms, schema) is `endpoint`, indented 4. */
function rules(endpoint: string, file = 'rules.yaml') {
  return loadApiRules(`endpoints:\n  - pathTemplate: "/x"\n${endpoint}`, file);
}
const sanitize = (endpoint: string, body: unknown): Json =>
  JSON.parse(new Sanitizer(rules(endpoint), pz).sanitize('GET', '/x', JSON.stringify(body))) as Json;

function errorOf(endpoint: string): RulesError {
  try {
    rules(endpoint);
  } catch (e) {
    assert.ok(e instanceof RulesError, `expected RulesError, got ${e}`);
    return e;
  }
  assert.fail('rules loaded but should not have');
}

const DIGEST_CONTENT = `    augments:
      - !<textDigest>
        jsonPaths: ["$.body.content"]
`;

test('textDigest adds +<leaf>:textDigest next to the value, which stays (psoxy AugmentProcessorTest: 26, 6)', () => {
  const out = sanitize(DIGEST_CONTENT, { body: { content: 'Hello world this is a test' } });
  assert.deepEqual(out, { body: { content: 'Hello world this is a test', '+content:textDigest': { length: 26, word_count: 6 } } });
});

test('textDigest keywords are counted case-insensitively, keys sorted (psoxy: hello 1, test 1)', () => {
  const out = sanitize(`${DIGEST_CONTENT}        keywords: ["test", "hello"]\n`, { body: { content: 'Hello world this is a test' } });
  const digest = (out.body as Json)['+content:textDigest'];
  assert.equal(JSON.stringify(digest), '{"keywords":{"hello":1,"test":1},"length":26,"word_count":6}');
});

test('empty text digests to zeros; null, absent or non-string values add nothing (psoxy AugmentProcessorTest)', () => {
  assert.deepEqual(sanitize(DIGEST_CONTENT, { body: { content: '' } }), { body: { content: '', '+content:textDigest': { length: 0, word_count: 0 } } });
  assert.deepEqual(sanitize(DIGEST_CONTENT, { body: { content: null } }), { body: { content: null } });
  assert.deepEqual(sanitize(DIGEST_CONTENT, { name: 'test' }), { name: 'test' });
  assert.deepEqual(sanitize(DIGEST_CONTENT, { body: { content: 7 } }), { body: { content: 7 } });
});

test('a response that already has a + key anywhere gets no augments (psoxy conflict detection)', () => {
  const body = { body: { content: 'Hello world', '+content:someExisting': 'conflict' } };
  assert.deepEqual(sanitize(DIGEST_CONTENT, body), body);
  const deep = { value: [{ nested: { '+existing': 'conflict' } }], body: { content: 'Hello world' } };
  assert.deepEqual(sanitize(DIGEST_CONTENT, deep), deep);
});

test('augments run before the transforms: redacting the text leaves its digest (docs/development/augments.md)', () => {
  const out = sanitize(`${DIGEST_CONTENT}    transforms:
      - !<redact>
        jsonPaths: ["$..body.content"]
`, { body: { content: 'Hello world', contentType: 'text' } });
  // spec §3.4 #12: "Hello world" → {"length":11,"word_count":2}
  assert.deepEqual(out, { body: { contentType: 'text', '+content:textDigest': { length: 11, word_count: 2 } } });
});

test('+ properties pass the responseSchema filter undeclared; undeclared source keys do not (psoxy JsonSchemaFilterUtilsTest)', () => {
  const endpoint = `    augments:
      - !<textDigest>
        jsonPaths: ["$.name"]
    responseSchema:
      type: object
      properties:
        name: { type: string }
`;
  assert.deepEqual(sanitize(endpoint, { name: 'hello', extra: 'should-be-redacted' }),
    { name: 'hello', '+name:textDigest': { length: 5, word_count: 1 } });
  // A source's own + key: augments are skipped, and (unlike psoxy) the key is filtered like any other.
  assert.deepEqual(sanitize(endpoint, { name: 'hello', '+name:textDigest': 'forged' }), { name: 'hello' });
});

test('innerJsonPath digests inside the embedded JSON and writes the document back as text (psoxy: 11/2, 12/2)', () => {
  const card = '{"type":"AdaptiveCard","body":[{"type":"TextBlock","text":"Hello world"},{"type":"TextBlock","text":"Second block","url":"https://x/y\u2028"}]}';
  const out = sanitize(`    augments:
      - !<textDigest>
        jsonPaths: ["$.attachments[*].content"]
        innerJsonPath: "$..text"
    transforms:
      - !<redact>
        jsonPaths: ["$.attachments[*].content"]
`, { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] });
  // json-smart (psoxy's embedded-JSON writer) leaves `/` alone and writes U+2000–U+20FF as \uXXXX.
  assert.deepEqual(out, { attachments: [{
    contentType: 'application/vnd.microsoft.card.adaptive',
    '+content:textDigest': '{"type":"AdaptiveCard","body":[{"type":"TextBlock","text":"{\\"length\\":11,\\"word_count\\":2}"},'
      + '{"type":"TextBlock","text":"{\\"length\\":12,\\"word_count\\":2}","url":"https://x/y\\u2028"}]}',
  }] });
});

test('innerJsonPath on text that is not JSON, or that has no inner match, adds nothing; on an empty string digests it', () => {
  const endpoint = `    augments:
      - !<textDigest>
        jsonPaths: ["$.c"]
        innerJsonPath: "$..text"
`;
  assert.deepEqual(sanitize(endpoint, { c: 'not json' }), { c: 'not json' });
  assert.deepEqual(sanitize(endpoint, { c: '{"title":"x"}' }), { c: '{"title":"x"}' });
  assert.deepEqual(sanitize(endpoint, { c: '' }), { c: '', '+c:textDigest': { length: 0, word_count: 0 } });
});

test('a match inside an array is named after the array, in the object holding it (psoxy reads the last [\'name\'] of the path)', () => {
  const out = sanitize(`    augments:
      - !<textDigest>
        jsonPaths: ["$.tags[*]"]
`, { tags: ['two words', 'one'], n: 1 });
  // Each element overwrites the property: the last one's digest remains.
  assert.deepEqual(out, { tags: ['two words', 'one'], n: 1, '+tags:textDigest': { length: 3, word_count: 1 } });
});

test('sentenceMetadata adds nothing, as psoxy without its OpenNLP models (SentenceMetadataProcessorTest: null)', () => {
  const endpoint = `    augments:
      - !<sentenceMetadata>
        jsonPaths: ["$..prompt"]
        taxonomy:
          CODE_ARTIFACT: ["code", "function"]
`;
  const r = rules(endpoint);
  assert.match(r.warnings.join('\n'), /rules\.yaml:5: sentenceMetadata adds nothing/);
  assert.deepEqual(sanitize(endpoint, { prompt: 'Please write a python script! Could you avoid sending an email?' }),
    { prompt: 'Please write a python script! Could you avoid sending an email?' });
});

test("psoxy's documented augment YAML binds: tags or method, innerJsonPath, keywords, outputSchema", () => {
  // The rule schema of docs/development/augments.md.
  const r = rules(`    augments:
      - !<textDigest>
        jsonPaths:
          - "$..body.content"
        outputSchema:
          type: object
          properties:
            length:
              type: integer
            word_count:
              type: integer
      - !<textDigest>
        jsonPaths:
          - "$..attachments[*].content"
        innerJsonPath: "$..text"
        keywords:
          - "summarize"
          - "write"
    transforms:
      - !<redact>
        jsonPaths:
          - "$..body.content"
`);
  const [a, b] = r.endpoints[0].augments!;
  assert.deepEqual([a.type, a.jsonPaths, a.outputSchema?.properties?.length], ['textDigest', ['$..body.content'], { type: 'integer' }]);
  assert.deepEqual([b.type, b.innerJsonPath, b.type === 'textDigest' && b.keywords], ['textDigest', '$..text', ['summarize', 'write']]);
  assert.match(r.warnings.join('\n'), /outputSchema is not checked/);
  const json = loadApiRules(JSON.stringify({ endpoints: [{ pathTemplate: '/x', augments: [{ method: 'textDigest', jsonPaths: ['$.a'] }] }] }));
  assert.equal(json.endpoints[0].augments![0].type, 'textDigest');
});

test('augments psoxy has that call a language model, and mistakes, are refused naming the file, line and problem', () => {
  const gen = errorOf(`    augments:
      - !<genMetadata>
        jsonPaths: ["$..title"]
        prompt: "Classify this pull request"
`);
  assert.equal(gen.file, 'rules.yaml');
  assert.equal(gen.line, 5);
  assert.match(gen.message, /^rules\.yaml:5: genMetadata augments send response text to a cloud language model/);
  assert.match(errorOf('    augments:\n      - !<classify>\n        jsonPaths: ["$.a"]\n').message, /^rules\.yaml:5: classify augments/);
  assert.match(errorOf('    augments:\n      - !<wordCount>\n        jsonPaths: ["$.a"]\n').message, /^rules\.yaml:5: unknown augment type "wordCount" \(known: textDigest, sentenceMetadata\)/);
  assert.match(errorOf('    augments:\n      - !<textDigest>\n        jsonPath: ["$.a"]\n').message, /^rules\.yaml:5: unknown key "jsonPath" in augment textDigest/);
  assert.match(errorOf('    augments:\n      - !<textDigest>\n        jsonPaths: ["$.a["]\n').message, /^rules\.yaml:5: .*\$\.a\[/);
  assert.match(errorOf('    augments:\n      - jsonPaths: ["$.a"]\n').message, /^rules\.yaml:4: augment has no type/);
});

test('schema `constant` is psoxy\'s name for `const` (its msft-copilot rules use it)', () => {
  const r = loadApiRules(`endpoints:
  - pathTemplate: "/x"
    responseSchema:
      type: object
      properties:
        tz:
          type: object
          properties:
            '@odata.type':
              type: "string"
              constant: "#microsoft.graph.customTimeZone"
`);
  const tz = r.endpoints[0].responseSchema!.properties!.tz;
  assert.equal(tz.properties!['@odata.type'].const, '#microsoft.graph.customTimeZone');
});

// Copilot interactions in the shape of psoxy's msft-copilot rules: digests of the prompts and of
// the AdaptiveCard texts, the texts themselves redacted, emails pseudonymized.
const COPILOT = `    augments:
      - !<textDigest>
        jsonPaths: ["$..attachments[*].content"]
        innerJsonPath: "$..text"
        keywords: ["write", "email", "python"]
      - !<textDigest>
        jsonPaths: ["$..body.content"]
        keywords: ["write", "email", "python"]
      - !<sentenceMetadata>
        jsonPaths: ["$..body.content"]
    transforms:
      - !<pseudonymize>
        jsonPaths: ["$..emailAddress"]
        encoding: "URL_SAFE_TOKEN"
      - !<redact>
        jsonPaths: ["$..body.content", "$..attachments[*].content"]
    responseSchema:
      type: object
      properties:
        value:
          type: array
          items:
            type: object
            properties:
              body: { type: object, properties: { content: { type: string }, contentType: { type: string } } }
              attachments: { type: array, items: { type: object, properties: { content: { type: string } } } }
              from: { type: object, properties: { user: { type: object, properties: { emailAddress: { type: string } } } } }
`;

const interaction = (prompt: string, texts: string[]) => ({
  from: { user: { emailAddress: 'alice@acme.com', displayName: 'Alice' } },
  body: { contentType: 'text', content: prompt },
  attachments: [{ content: JSON.stringify({ type: 'AdaptiveCard', body: texts.map((text) => ({ type: 'TextBlock', text, wrap: true })) }) }],
});

test('the leak guard finds nothing in Copilot augment output', () => {
  const body = { value: [interaction('Please write an email to bob@acme.com about python', ['Sure, here is a draft for +1 555 0100 200.'])] };
  const out = new Sanitizer(rules(COPILOT), pz).sanitize('GET', '/x', JSON.stringify(body));
  assert.deepEqual(scanForLeaks(out), { email: 0, phone: 0, ip: 0 });
  const v = (JSON.parse(out) as { value: Json[] }).value[0];
  // psoxy's TextDigest by hand: 50 UTF-16 units, 8 whitespace-separated pieces, \W+ words.
  assert.deepEqual((v.body as Json)['+content:textDigest'], { keywords: { email: 1, python: 1, write: 1 }, length: 50, word_count: 8 });
});

const VOCABULARY = ['write', 'email', 'python', 'summary', 'draft', 'report', 'alpha', 'bravo', 'charlie', 'delta'];
const word = fc.constantFrom(...VOCABULARY);
const text = fc.tuple(fc.array(word, { minLength: 2, maxLength: 8 }), fc.constantFrom(' ', '  ', '\n', '\t'), fc.constantFrom('', '.', '?', '!'))
  .map(([ws, sep, end]) => ws.join(sep) + end);

test('property: no augment lets a text through that the transforms redact', async () => {
  await fc.assert(fc.property(
    fc.array(fc.tuple(text, fc.array(text, { maxLength: 3 })), { minLength: 1, maxLength: 4 }),
    fc.subarray(VOCABULARY),
    fc.boolean(),
    (items, keywords, forged) => {
      const sanitizer = new Sanitizer(rules(COPILOT.replaceAll('["write", "email", "python"]', JSON.stringify(keywords))), pz);
      const value: Json[] = items.map(([prompt, texts]) => interaction(prompt, texts));
      if (forged) value[0]['+content:textDigest'] = 'from the source';
      const out = sanitizer.sanitize('GET', '/x', JSON.stringify({ value }));
      for (const t of items.flatMap(([prompt, texts]) => [prompt, ...texts])) {
        // Keyword counts name single words only; a text of 2+ words never reappears, raw or escaped.
        assert.ok(!out.includes(t) && !out.includes(JSON.stringify(t).slice(1, -1)), `${JSON.stringify(t)} leaked: ${out}`);
      }
    },
  ), { numRuns: 200 });
});

test('through the proxy: the digest of a Zoom meeting overview, the overview redacted, the leak guard on', async () => {
  const s = await zoomStack({ env: { RULES: `endpoints:
  - pathRegex: "^/v2/meetings/[^/?]+/meeting_summary$"
    augments:
      - !<textDigest>
        jsonPaths: ["$.summary_overview"]
        keywords: ["agreed", "team"]
    transforms:
      - !<redact>
        jsonPaths: ["$.summary_overview"]
    responseSchema:
      type: object
      properties:
        meeting_id: { type: integer }
        summary_overview: { type: string }
` } });
  try {
    const meeting = s.sim.org.meetings.find((m) => m.summary && !/team|agreed/i.test(m.summary.overview.replace(/with the team and agreed/, '')))!;
    const res = await s.get(`/v2/meetings/${encodeURIComponent(encodeURIComponent(meeting.uuid))}/meeting_summary`);
    const body = (await res.json()) as Json;
    assert.equal(res.status, 200, JSON.stringify(body));
    const overview = meeting.summary!.overview;
    // psoxy's TextDigest: UTF-16 length, pieces of the trimmed text split on whitespace.
    assert.deepEqual(body, {
      meeting_id: meeting.id,
      '+summary_overview:textDigest': { keywords: { agreed: 1, team: 1 }, length: overview.length, word_count: overview.trim().split(/[ \t\n\x0B\f\r]+/).length },
    });
  } finally {
    await s.close();
  }
});
