// Rules loading (strict, with file:line errors), path templates and request matching.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { loadApiRules, RulesError } from '../src/rules/load.ts';
import { templateToRegex } from '../src/rules/path-template.ts';
import { EndpointMatcher } from '../src/rules/match.ts';
import { splitRawUrl, parseQuery } from '../src/rules/url.ts';

const RULES = `endpoints:
  - pathTemplate: "/api/v1/users/{id}"
    allowedQueryParams: [foo]
    transforms:
      - !<redact>
        jsonPaths: ["$.secret"]
`;

function errorOf(text: string): RulesError {
  try {
    loadApiRules(text, 'rules.yaml');
  } catch (e) {
    assert.ok(e instanceof RulesError, `expected RulesError, got ${e}`);
    return e;
  }
  assert.fail('rules loaded but should not have');
}

test('loads YAML, JSON (method property), base64 and base64-gzip encodings', () => {
  assert.equal(loadApiRules(RULES).endpoints[0].transforms[0].type, 'redact');
  const json = JSON.stringify({ endpoints: [{ pathRegex: '^/x$', transforms: [{ method: 'pseudonymize', jsonPaths: ['$.a'] }] }] });
  const t = loadApiRules(json).endpoints[0].transforms[0];
  assert.equal(t.type, 'pseudonymize');
  assert.deepEqual(t.type === 'pseudonymize' && [t.encoding, t.includeReversible], ['URL_SAFE_TOKEN', false]);
  assert.equal(loadApiRules(Buffer.from(RULES).toString('base64')).endpoints.length, 1);
  assert.equal(loadApiRules(gzipSync(Buffer.from(RULES)).toString('base64')).endpoints.length, 1);
});

test('bad rules name the file, line and problem', () => {
  const cases: [string, number, RegExp][] = [
    [RULES.replace('allowedQueryParams', 'allowedQueryParamz'), 3, /unknown key "allowedQueryParamz"/],
    [RULES.replace('!<redact>', '!<redactify>'), 6, /unknown transform type "redactify"/],
    [RULES.replace('$.secret', '$.[broken'), 6, /invalid JSONPath/],
    [RULES.replace('pathTemplate: "/api/v1/users/{id}"', 'pathRegex: "^/a(b$"'), 2, /invalid regex/],
    [RULES + '      - !<pseudonymize>\n        jsonPaths: ["$.x"]\n        encoding: BASE64\n', 9, /unknown encoding "BASE64"/],
    [RULES + '      - !<pseudonymize>\n        jsonPaths: ["$.x"]\n        includeOriginal: true\n', 9, /includeOriginal/],
    ['endpoints:\n  - allowedQueryParams: []\n', 2, /needs pathTemplate or pathRegex/],
    ['endpoints: [\n', 2, /invalid YAML/], // reported where the document ends
  ];
  for (const [text, line, problem] of cases) {
    const e = errorOf(text);
    assert.equal(e.file, 'rules.yaml');
    assert.equal(e.line, line, `${e.message}`);
    assert.match(e.message, problem);
    assert.match(e.message, new RegExp(`^rules\\.yaml:${line}: `));
  }
});

test('a transform without a type never passes data through', () => {
  assert.match(errorOf('endpoints:\n  - pathRegex: "^/x$"\n    transforms:\n      - jsonPaths: ["$.a"]\n').message, /no type/);
});

test('pathTemplate → regex (vector 43)', () => {
  assert.equal(templateToRegex('/'), '^/$');
  assert.equal(templateToRegex('/api/v1/users/{id}'), '^/api/v1/users/(?<id>[^/]+)$');
  assert.equal(templateToRegex('/api/v1/mail/{accountId}/messages/{id}'), '^/api/v1/mail/(?<accountId>[^/]+)/messages/(?<id>[^/]+)$');
  assert.equal(templateToRegex('/enterprise.info'), '^/enterprise\\.info$');
  assert.equal(templateToRegex('/enterprise$something'), '^/enterprise\\$something$');
  assert.equal(templateToRegex('/a/{opt?}/b'), '^/a/(?<opt>[^/]*)/b$');
});

test('query parameter names are case-insensitive; unknown ones block (vector 44)', () => {
  const m = new EndpointMatcher(loadApiRules(RULES));
  const allowed = (url: string) => { const { path, query } = splitRawUrl(url); return m.match('GET', path, query) !== null; };
  for (const u of ['/api/v1/users/1', '/api/v1/users/1?foo=bar', '/api/v1/users/1?FOO=bar', '/api/v1/users/1?Foo=bar']) assert.ok(allowed(u), u);
  for (const u of ['/api/v1/users', '/api/v1/users/1?Foo=bar&BAR=baz', '/api/v1/users/1?foo=bar&bar=foo', '/api/v1/users/1?bar=foo', '/api/v1/users/1;x=1']) {
    assert.equal(allowed(u), u.endsWith(';x=1') ? true : false, u);
  }
  assert.equal(allowed('/api/v1/users/1?foo=1;bar=2'), false, '; separates parameters for rule checks');
});

test('schemas for keys missing from the template block (vector 45); parameter schemas validate', () => {
  const rules = loadApiRules(`endpoints:
  - pathTemplate: "/users/{id}"
    pathParameterSchemas: { user: { type: string } }
  - pathTemplate: "/items/{n}"
    pathParameterSchemas: { n: { type: integer } }
    queryParamSchemas:
      who: { format: reversible-pseudonym, required: true }
      kind: { enum: [a, b] }
`);
  const m = new EndpointMatcher(rules);
  const p = 'p~' + 'a'.repeat(43);
  assert.equal(m.match('GET', '/users/1', null), null);
  assert.ok(m.match('GET', '/items/12', `who=${p}`));
  assert.equal(m.match('GET', '/items/x', `who=${p}`), null);
  assert.equal(m.match('GET', '/items/12', null), null, 'required query parameter');
  assert.equal(m.match('GET', '/items/12', `who=${p}@acme.com`), null);
  assert.equal(m.match('GET', '/items/12', `who=${p}&kind=c`), null);
  assert.ok(m.match('GET', '/items/12', `who=${p}&kind=b`));
});

test('allowedMethods are case-insensitive; first declared endpoint wins', () => {
  const rules = loadApiRules('endpoints:\n  - pathRegex: "^/x.*"\n    allowedMethods: [post]\n  - pathRegex: "^/x$"\n  - pathRegex: "^/X$"\n');
  const m = new EndpointMatcher(rules);
  assert.equal(m.match('POST', '/x', null)?.index, 0);
  assert.equal(m.match('GET', '/x', null)?.index, 1);
});

test('raw URLs are not re-encoded; queries decode like Apache URLEncodedUtils', () => {
  assert.deepEqual(splitRawUrl("https://h/a%2Fb c?q=a b&x={y}#frag"), { path: '/a%2Fb c', query: 'q=a b&x={y}' });
  assert.deepEqual(splitRawUrl('http://h'), { path: '/', query: null });
  assert.deepEqual(parseQuery('a=1+2&b=%2526&c&=x&d=%T.'), [
    { name: 'a', value: '1 2' }, { name: 'b', value: '%26' }, { name: 'c', value: null }, { name: 'd', value: '%T.' },
  ]);
});

test('YAML rules converted to JSON (as embedded in the Lambda bundle) load to the same rules', async () => {
  const { yamlRulesToJson } = await import('../src/rules/yaml-source.ts');
  const { ZOOM_RULES_YAML } = await import('../src/sources/zoom/rules.ts');
  const fromYaml = loadApiRules(ZOOM_RULES_YAML, 'zoom.yaml');
  const fromJson = loadApiRules(yamlRulesToJson(ZOOM_RULES_YAML, 'zoom.yaml'), 'zoom.json');
  assert.deepEqual(fromJson, fromYaml);
  assert.ok(fromJson.endpoints.length >= 10);
});

test("query values must pass whether ';' separates parameters (psoxy) or not (most servers)", () => {
  const m = new EndpointMatcher(loadApiRules(`endpoints:
  - pathTemplate: "/users"
    allowedQueryParams: [status, limit, q]
    queryParamSchemas:
      status: { enum: [active] }
      limit: { type: integer }
`));
  assert.ok(m.match('GET', '/users', 'status=active&limit=10'));
  assert.equal(m.match('GET', '/users', 'status=active;deleted'), null, 'one value upstream, two for psoxy');
  assert.equal(m.match('GET', '/users', 'limit=10;DROP'), null);
  assert.equal(m.match('GET', '/users', 'q=a;role=admin'), null, 'psoxy reads a role parameter');
  assert.ok(m.match('GET', '/users', 'q=a;limit=3'), 'a ; that passes both readings');
});

test('methods: without allowedMethods GET, HEAD and POST; DELETE, PUT, PATCH must be declared', () => {
  const m = new EndpointMatcher(loadApiRules(`endpoints:
  - pathTemplate: "/open"
  - pathTemplate: "/declared"
    allowedMethods: [GET, DELETE]
`));
  for (const method of ['GET', 'head', 'POST']) assert.ok(m.match(method, '/open', null), method);
  for (const method of ['DELETE', 'PUT', 'PATCH', 'OPTIONS']) assert.equal(m.match(method, '/open', null), null, method);
  assert.ok(m.match('delete', '/declared', null));
  assert.equal(m.match('POST', '/declared', null), null);
});
