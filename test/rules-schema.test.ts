// schema/rules.schema.json against our loader: psoxy's rules files and ours validate, rules the
// loader refuses fail it, generated rules get the same verdict from both, and an editor's YAML
// language service configured as the README says reports nothing on good files and the problem on bad ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { getLanguageService } from 'yaml-language-server';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { loadAnyRules } from '../src/bulk/rules.ts';
import { RulesError } from '../src/rules/load.ts';
import { indentQuotedContinuations, readYaml, yamlRulesToJson } from '../src/rules/yaml-source.ts';
import { builtInBulkRuleNames, builtInBulkRulesYaml, builtInRulesYaml, builtInSources } from '../src/sources/index.ts';
import { mutate, ruleArbitrary, TYPE_NAMES, type Mutation, type Schema } from './helpers/schema-arbitrary.ts';

const schemaPath = fileURLToPath(new URL('../schema/rules.schema.json', import.meta.url));
const schemaText = readFileSync(schemaPath, 'utf8');
const schema = JSON.parse(schemaText) as Schema;
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);
const schemaErrors = (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

const conformance = fileURLToPath(new URL('../../shared/conformance/', import.meta.url));
const present = existsSync(conformance + 'manifest.json');

/** Every rules file the conformance manifests name: psoxy's own, and the fuzz corpora's. */
function conformanceRulesFiles(): string[] {
  const manifests: [string, string][] = [[conformance + 'manifest.json', conformance + 'psoxy/']];
  const fuzz = conformance + 'fuzz/';
  if (existsSync(fuzz)) {
    for (const d of readdirSync(fuzz, { withFileTypes: true })) {
      if (d.isDirectory() && existsSync(`${fuzz}${d.name}/manifest.json`)) manifests.push([`${fuzz}${d.name}/manifest.json`, `${fuzz}${d.name}/`]);
    }
  }
  const files = new Set<string>();
  for (const [manifest, root] of manifests) {
    for (const c of JSON.parse(readFileSync(manifest, 'utf8')) as { rulesFile: string }[]) files.add(root + c.rulesFile);
  }
  return [...files].sort();
}

/** The README's rules example (the YAML block under "Quick start for rules authors"). */
const readmeRulesExample = (): string => /## Quick start for rules authors[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)![1];

/** Named rules texts: the conformance files, our built-in rules, the README's example, examples/. */
function allRules(): [string, string][] {
  const out: [string, string][] = [];
  if (present) for (const f of conformanceRulesFiles()) out.push([f.replace(conformance, ''), readFileSync(f, 'utf8')]);
  for (const s of builtInSources()) out.push([`built-in ${s}`, builtInRulesYaml(s)!]);
  for (const s of builtInBulkRuleNames()) out.push([`built-in ${s}`, builtInBulkRulesYaml(s)!]);
  out.push(['README example', readmeRulesExample()]);
  const examples = fileURLToPath(new URL('../examples/', import.meta.url));
  for (const f of readdirSync(examples).filter((n) => n.endsWith('rules.yaml'))) out.push([`examples/${f}`, readFileSync(examples + f, 'utf8')]);
  return out;
}

test('the conformance manifests name psoxy rules files, which are all here', { skip: !present && 'shared/conformance is not here' }, () => {
  const files = conformanceRulesFiles();
  assert.ok(files.length >= 50, `only ${files.length} rules files`);
  for (const f of files) assert.ok(existsSync(f), f);
});

test('every psoxy rules file, our built-in rules and our examples validate, with tags as `method` and as an editor sees them (tags dropped)', () => {
  const rules = allRules();
  assert.ok(rules.length >= (present ? 50 : 3));
  for (const [name, text] of rules) {
    loadAnyRules(text, name); // our loader accepts it too (throws otherwise)
    assert.deepEqual(schemaErrors(JSON.parse(yamlRulesToJson(text, name))), [], `${name} (tags as method)`);
    assert.deepEqual(schemaErrors(readYaml(text, name).value), [], `${name} (tags dropped)`);
  }
});

/** Rules the loader refuses, each with the loader's words; the schema must refuse them too. */
const REFUSED: [string, unknown, RegExp][] = [
  ['unknown top-level key', { endpoints: [], endpoint: [] }, /unknown key "endpoint"/],
  ['API rules without endpoints', { definitions: {} }, /not API rules/],
  ['endpoints not a list', { endpoints: { pathTemplate: '/a' } }, /endpoints must be a list/],
  ['endpoint without a path', { endpoints: [{ allowedMethods: ['GET'] }] }, /needs pathTemplate or pathRegex/],
  ['unknown endpoint key', { endpoints: [{ pathTemplate: '/a', allowedQueryParameters: ['x'] }] }, /unknown key "allowedQueryParameters"/],
  ['allowedMethods not a list', { endpoints: [{ pathTemplate: '/a', allowedMethods: 'GET' }] }, /must be a list/],
  ['boolean as a path', { endpoints: [{ pathTemplate: true }] }, /must be a string/],
  ['unknown transform type', { endpoints: [{ pathTemplate: '/a', transforms: [{ method: 'scramble', jsonPaths: ['$.a'] }] }] }, /unknown transform type "scramble"/],
  ['key of another transform type', { endpoints: [{ pathTemplate: '/a', transforms: [{ method: 'redact', jsonPaths: ['$.a'], encoding: 'JSON' }] }] }, /unknown key "encoding"/],
  ['unknown encoding', { endpoints: [{ pathTemplate: '/a', transforms: [{ method: 'pseudonymize', jsonPaths: ['$.a'], encoding: 'BASE64' }] }] }, /unknown encoding "BASE64"/],
  ['includeOriginal with the default encoding', { endpoints: [{ pathTemplate: '/a', transforms: [{ method: 'pseudonymize', jsonPaths: ['$.a'], includeOriginal: true }] }] }, /includeOriginal cannot be used/],
  ['jsonPaths a string', { endpoints: [{ pathTemplate: '/a', transforms: [{ method: 'redact', jsonPaths: '$.a' }] }] }, /must be a list/],
  ['includeReversible as text', { endpoints: [{ pathTemplate: '/a', transforms: [{ method: 'pseudonymize', jsonPaths: ['$.a'], includeReversible: 'yes' }] }] }, /must be true or false/],
  ['regex missing', { endpoints: [{ pathTemplate: '/a', transforms: [{ method: 'pseudonymizeRegexMatches', jsonPaths: ['$.a'] }] }] }, /needs "regex"/],
  ['filters missing', { endpoints: [{ pathTemplate: '/a', transforms: [{ method: 'filterTokenByRegex', jsonPaths: ['$.a'] }] }] }, /needs "filters"/],
  ['unknown augment type', { endpoints: [{ pathTemplate: '/a', augments: [{ method: 'genMetadata', jsonPaths: ['$.a'] }] }] }, /language model/],
  ['unknown response schema key', { endpoints: [{ pathTemplate: '/a', responseSchema: { type: 'object', description: 'x' } }] }, /unknown key "description"/],
  ['array schema without items', { endpoints: [{ pathTemplate: '/a', responseSchema: { type: 'array' } }] }, /needs "items"/],
  ['$ref that names no definition', { endpoints: [{ pathTemplate: '/a', responseSchema: { $ref: 'User' } }] }, /names no definition/],
  ['parameter type boolean', { endpoints: [{ pathTemplate: '/a/{id}', pathParameterSchemas: { id: { type: 'boolean' } } }] }, /parameter type must be/],
  ['required on a path parameter', { endpoints: [{ pathTemplate: '/a/{id}', pathParameterSchemas: { id: { required: true } } }] }, /unknown key "required"/],
  ['unknown parameter format', { endpoints: [{ pathTemplate: '/a', queryParamSchemas: { q: { format: 'email' } } }] }, /unknown parameter format/],
  ['body schema with enum (psoxy spells it enumValues)', { endpoints: [{ pathRegex: '^/a$', requestBody: { content: { 'application/json': { enum: ['x'] } } } }] }, /unknown key "enum"/],
  ['unknown pseudonymFormat', { pseudonymFormat: 'HASH', columnsToPseudonymize: ['Email'] }, /unknown pseudonymFormat/],
  ['blank column name', { columnsToRedact: [' '] }, /is blank/],
  ['rename to a blank column', { columnsToRename: { a: ' ' } }, /blank column name/],
  ['field transform without newName', { fieldsToTransform: { Email: { transforms: [{ pseudonymize: true }] } } }, /needs newName/],
  ['field step with two keys', { fieldsToTransform: { Email: { newName: 'e', transforms: [{ filter: '(.*)', pseudonymize: true }] } } }, /exactly one key/],
  ['pseudonymizeWithScope', { fieldsToTransform: { Email: { newName: 'e', transforms: [{ pseudonymizeWithScope: 'x' }] } } }, /no longer supported/],
  ['columnar and record keys mixed', { format: 'NDJSON', columnsToRedact: ['a'] }, /unknown key "columnsToRedact"/],
  ['unknown record format', { format: 'XML' }, /unknown format "XML"/],
  ['record transform of two keys', { transforms: [{ redact: '$.a', pseudonymize: '$.b' }] }, /exactly one key/],
  ['record transform path a number', { transforms: [{ redact: 5 }] }, /expected a JSONPath/],
  ['textDigestKeywords without jsonPaths', { transforms: [{ textDigestKeywords: { keywords: ['a'] } }] }, /expected a JSONPath/],
  ['fileRules beside other keys', { fileRules: {}, format: 'NDJSON' }, /unknown key "format"/],
  ['fileRules nested twice', { fileRules: { '{a}/{b}': { fileRules: { '{c}': { fileRules: {} } } } } }, /nested one level only/],
];

test('rules our loader refuses fail the schema too', () => {
  for (const [name, doc, problem] of REFUSED) {
    assert.throws(() => loadAnyRules(JSON.stringify(doc), name), (e) => e instanceof RulesError && problem.test(e.message), `loader: ${name}`);
    assert.notDeepEqual(schemaErrors(doc), [], `schema accepted: ${name}`);
  }
});

/** Where the schema is knowingly stricter than the loader (listed in the README). */
const STRICTER: [string, unknown][] = [
  ['a record rules $ref that is no definition path (fails at run time)', { outputSchemaFilter: { $ref: 'User' } }],
  ['a field step filter that is not text (the loader stringifies it)', { fieldsToTransform: { a: { newName: 'b', transforms: [{ filter: null }] } } }],
  ['an empty rules document', null],
];

test('where the schema is stricter than the loader, it is on purpose and listed in the README', () => {
  for (const [name, doc] of STRICTER) {
    assert.doesNotThrow(() => loadAnyRules(doc === null ? '' : JSON.stringify(doc), name), name);
    assert.notDeepEqual(schemaErrors(doc), [], name);
  }
  assert.match(readme, /stricter than the\s+loader\*\* in three places/);
});

test('property: for generated rules, the schema accepts exactly what the loader accepts', () => {
  const seen = { valid: 0, invalid: 0 };
  const mutation = fc.constantFrom<Mutation>('none', 'unknown key', 'delete', 'retype', 'retag');
  fc.assert(fc.property(ruleArbitrary(schema), mutation, fc.nat(), fc.nat(), (generated, kind, at, pick) => {
    const doc = mutate(generated, kind, at, pick);
    let loaderAccepts = true;
    try {
      loadAnyRules(JSON.stringify(doc), 'generated');
    } catch (e) {
      if (!(e instanceof RulesError)) throw e;
      loaderAccepts = false;
    }
    const errors = schemaErrors(doc);
    seen[loaderAccepts ? 'valid' : 'invalid']++;
    assert.equal(errors.length === 0, loaderAccepts, `${JSON.stringify(doc)}\nschema: ${errors.join('; ')}`);
  }), { numRuns: 400 });
  // Both verdicts are common, so the property can fail either way.
  assert.ok(seen.valid >= 60 && seen.invalid >= 60, JSON.stringify(seen));
});

// ---- The editor: yaml-language-server (VS Code's YAML extension) configured as the README says ----

/** The README's VS Code settings block (under "Editing rules"). */
const readmeEditorSettings = (): { 'yaml.schemas': Record<string, string[]>; 'yaml.customTags': string[] } =>
  JSON.parse(/## Editing rules[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)![1]);

function editor(customTags: string[], schemaGlobs: string[] | null) {
  const requested: string[] = [];
  const ls = getLanguageService({
    schemaRequestService: async (uri) => {
      requested.push(uri);
      if (!uri.endsWith('/schema/rules.schema.json')) throw new Error(`unexpected schema ${uri}`);
      return schemaText;
    },
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).href },
  });
  ls.configure({ validate: true, customTags, schemas: schemaGlobs ? [{ uri: 'file:///project/schema/rules.schema.json', fileMatch: schemaGlobs }] : [] });
  // The service caches a parse per URI and version: one URI per document.
  let documents = 0;
  const problems = async (text: string, file = `file:///project/rules/r${documents++}.yaml`) =>
    (await ls.doValidation(TextDocument.create(file, 'yaml', 1, text), false)).map((d) => `${d.range.start.line + 1}: ${d.message}`);
  return { problems, requested };
}

test('README editor settings: the custom tags cover every transform and augment type, in both tag spellings', () => {
  const settings = readmeEditorSettings();
  assert.deepEqual(Object.keys(settings['yaml.schemas']), ['./schema/rules.schema.json']);
  const expected = TYPE_NAMES.flatMap((t) => [`${t} mapping`, `!${t} mapping`]);
  assert.deepEqual([...settings['yaml.customTags']].sort(), expected.sort());
});

test('editor: with the README settings, psoxy rules files and ours show no problem; without the custom tags, every tag is flagged', async () => {
  const settings = readmeEditorSettings();
  const withTags = editor(settings['yaml.customTags'], ['rules/*.yaml']);
  const bare = editor([], ['rules/*.yaml']);
  for (const [name, text] of allRules()) {
    // Quoted continuation lines indented less than their key: psoxy's parser and ours read them, the editor's does not (README).
    const editorText = indentQuotedContinuations(text);
    assert.deepEqual(await withTags.problems(editorText), [], name);
    if (text.includes('!<')) assert.ok((await bare.problems(editorText)).some((p) => /^\d+: Unresolved tag: /.test(p)), name);
  }
});

test('editor: a wrong key, a wrong encoding and a misspelt tag are reported on their lines; the modeline names the schema', async () => {
  const bad = [
    '# yaml-language-server: $schema=../schema/rules.schema.json',
    'endpoints:',
    '  - pathTemplate: /v2/users',
    '    allowedQueryParameters: [page_size]',
    '    transforms:',
    '      - !<pseudonymize>',
    '        jsonPaths: [$.users[*].email]',
    '        encoding: BASE64',
    '      - !<redcat>',
    '        jsonPaths: [$.users[*].name]',
    '',
  ].join('\n');
  const { problems, requested } = editor(readmeEditorSettings()['yaml.customTags'], null);
  const found = await problems(bad);
  assert.ok(requested.includes('file:///project/schema/rules.schema.json'), requested.join());
  for (const [line, what] of [[4, /allowedQueryParameters.*not allowed/], [8, /BASE64|not accepted/], [9, /Unresolved tag: redcat/]] as const) {
    assert.ok(found.some((p) => p.startsWith(`${line}: `) && what.test(p)), `line ${line}: ${found.join(' | ')}`);
  }
});
