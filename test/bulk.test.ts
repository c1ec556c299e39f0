// Bulk mode: columnar and record rules on our own fixtures, with psoxy's vectors (bulk.md §0, §3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBulkRules } from '../src/bulk/rules.ts';
import { sanitizeStream, resolveFormat, effectiveContentType } from '../src/bulk/process.ts';
import { objectTemplateRegex, rulesForObject } from '../src/bulk/multi.ts';
import { CsvParser, formatCsvRecord } from '../src/bulk/csv.ts';
import { Pseudonymizer } from '../src/pseudonym/pseudonymizer.ts';
import { RulesError } from '../src/rules/yaml-source.ts';

const pz = new Pseudonymizer({ salt: 'salt', encryptionKey: 'secret' });

async function run(rulesYaml: string, input: string | Buffer, opts: { key?: string; decompress?: boolean; compress?: boolean; chunk?: number; outputFormat?: 'CSV' | 'NDJSON' | 'JSON_ARRAY'; contentType?: string } = {}): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (d: Buffer) => chunks.push(d));
  const key = opts.key ?? 'file.csv';
  // Feed the input in small pieces to exercise chunk boundaries.
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input, 'utf8');
  const pieces = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
  await sanitizeStream(Readable.from(pieces), out, {
    rules: loadBulkRules(rulesYaml, 'rules.yaml'), objectPath: key, contentType: opts.contentType ?? effectiveContentType(null, key),
    outputFormat: opts.outputFormat ?? null, pseudonymizer: pz, decompress: opts.decompress ?? key.endsWith('.gz'), compress: opts.compress ?? false,
    shuffleChunkSize: opts.chunk ?? 1,
  });
  return Buffer.concat(chunks);
}
const text = async (...args: Parameters<typeof run>) => (await run(...args)).toString('utf8');

const HRIS = 'EMPLOYEE_ID,EMPLOYEE_EMAIL,DEPARTMENT,SNAPSHOT,MANAGER_ID,JOIN_DATE,LEAVE_DATE\n'
  + '1,alice@worklytics.co,Engineering,2023-01-06,,2019-11-11,\n'
  + '2,bob@workltyics.co,Sales,2023-01-06,1,2020-01-01,\n'
  + '3,charles@workltycis.co,Engineering,2023-01-06,1,2019-10-06,2022-12-08\n'
  + '4,,Engineering,2023-01-06,1,2018-06-03,\n';

test('columnar: pseudonymize to JSON (psoxy handle_pseudonymize)', async () => {
  assert.equal(await text('columnsToPseudonymize: [EMPLOYEE_EMAIL]', HRIS), 'EMPLOYEE_ID,EMPLOYEE_EMAIL,DEPARTMENT,SNAPSHOT,MANAGER_ID,JOIN_DATE,LEAVE_DATE\n'
    + '1,"{""domain"":""worklytics.co"",""hash"":""Qf4dLJ4jfqZLn9ef4VirvYjvOnRaVI5tf5oLnM65YOA""}",Engineering,2023-01-06,,2019-11-11,\n'
    + '2,"{""domain"":""workltyics.co"",""hash"":""al4JK5KlOIsneC2DM__P_HRYe28LWYTBSf3yWKGm5yQ""}",Sales,2023-01-06,1,2020-01-01,\n'
    + '3,"{""domain"":""workltycis.co"",""hash"":""BlQB8Vk0VwdbdWTGAzBF-ote1357Ajr0fFcgFf72kdk""}",Engineering,2023-01-06,1,2019-10-06,2022-12-08\n'
    + '4,,Engineering,2023-01-06,1,2018-06-03,\n');
  for (const c of ['EMPLOYEE_EMAIL', 'employee_email', 'Employee_Email']) {
    const ifPresent = await text(`columnsToPseudonymizeIfPresent: [${c}, EXTRA_EMAIL]`, HRIS);
    assert.equal(ifPresent, await text('columnsToPseudonymize: [EMPLOYEE_EMAIL]', HRIS));
  }
  assert.doesNotMatch(await text('columnsToPseudonymize: [EMPLOYEE_EMAIL]\ncolumnsToRedact: [DEPARTMENT]', HRIS), /DEPARTMENT|Engineering/);
});

test('columnar: URL_SAFE_TOKEN, duplicates at the end, absent redaction ignored (psoxy handle_duplicates)', async () => {
  const out = await text('pseudonymFormat: URL_SAFE_TOKEN\ncolumnsToPseudonymize: [EMPLOYEE_ID, MANAGER_ID]\ncolumnsToRedact: [EMPLOYEE_EMAIL, EFFECTIVE_ISOWEEK]\ncolumnsToDuplicate: {EMPLOYEE_ID: EMPLOYEE_ID_ORIG}', HRIS);
  const lines = out.split('\n');
  assert.equal(lines[0], 'EMPLOYEE_ID,DEPARTMENT,SNAPSHOT,MANAGER_ID,JOIN_DATE,LEAVE_DATE,EMPLOYEE_ID_ORIG');
  assert.equal(lines[1], 't~0zPKqEd-CtbCLB1ZSwX6Zo7uAWUvkpfHGzv9-cuYwZc,Engineering,2023-01-06,,2019-11-11,,1');
  assert.equal(lines[2], 't~-hN_i1M1DeMAicDVp6LhFgW9lH7r3_LbOpTlXYWpXVI,Sales,2023-01-06,t~0zPKqEd-CtbCLB1ZSwX6Zo7uAWUvkpfHGzv9-cuYwZc,2020-01-01,,2');
});

test('columnar: rename before pseudonymize, include filter, trimmed case-insensitive rules', async () => {
  const csv = 'EMPLOYEE_ID,EMAIL,DEPARTMENT\n1,alice@worklytics.co,",,,"\n';
  const renamed = await text('columnsToRename: {EMAIL: EMPLOYEE_EMAIL}\ncolumnsToPseudonymize: [EMPLOYEE_ID, EMPLOYEE_EMAIL]', csv);
  assert.equal(renamed.split('\n')[0], 'EMPLOYEE_ID,EMPLOYEE_EMAIL,DEPARTMENT');
  assert.match(renamed, /",,,"/, 'a value with delimiters is quoted again');
  assert.equal((await text('columnsToPseudonymize: ["  employee_id  "]\ncolumnsToInclude: [EMPLOYEE_ID]', csv)).split('\n')[0], 'EMPLOYEE_ID');
});

test('columnar: fieldsToTransform pipelines (filter, formatString, javaRegExpReplace, pseudonymize)', async () => {
  const gh = await text(`pseudonymFormat: URL_SAFE_TOKEN
fieldsToTransform:
  EMPLOYEE_EMAIL:
    newName: GITHUB_USERNAME
    transforms: [{filter: "(.*)@.*"}, {formatString: "%s_enterprise"}, {pseudonymize: true}]`, HRIS);
  const lines = gh.split('\n');
  assert.ok(lines[0].endsWith(',GITHUB_USERNAME'));
  assert.ok(lines[1].endsWith(',t~sbIXAryuJzPz0dxRh4swzuxCY9_ZetgbAQlcrI-W30g'), 'hash of alice_enterprise');
  assert.ok(lines[4].endsWith(','), 'a blank email gives an empty cell');
  const complex = await text(`pseudonymFormat: URL_SAFE_TOKEN
fieldsToTransform:
  EMAIL:
    newName: USERNAME
    transforms:
      - javaRegExpReplace: {regExp: "(.*)@.*", replace: "$1"}
      - javaRegExpReplace: {regExp: "([^\\\\.].*)\\\\.([^\\\\.].*)", replace: "$1-$2"}
      - pseudonymize: true`, 'EMAIL\nbob.smith@acme.com');
  assert.equal(complex, 'EMAIL,USERNAME\nbob.smith@acme.com,t~3tfnePQDgDoBZxb6c04tqlmpKSfGyOPsUANSLMUEuYU\n', 'every record ends with the first line ending');
  assert.equal(await text('columnsToRedact: []', 'a,b'), 'a,b', 'input without a line ending: none in the output');
});

test('columnar: BOM dropped, CRLF kept from the first line, trailing empty column kept (Zoom AI Metrics shape)', async () => {
  const input = '\ufeffUser Name,Email,Action,Feature used,Department,\r\nperson 1,person_1@acme.com,13,AI Companion;Meeting summary;,Product PMO,\r\n';
  const out = await text('columnsToPseudonymize: ["User Name", "Email"]\ncolumnsToRedact: [Department]', input);
  assert.equal(out, 'User Name,Email,Action,Feature used,\r\n'
    + '"{""hash"":""GI144xrPnMS9IwneeTEzMfcC2zowYSHHhVaReTIDXeo""}","{""domain"":""acme.com"",""hash"":""-MFHtQFQtPUXyclPE-B71x_F4jJStaMz9ZN-kWFE4_o""}",13,AI Companion;Meeting summary;,\r\n');
});

test('columnar: gzip in and out (psoxy process_compressOutput / compressInput)', async () => {
  const input = 'foo,bar\r\n1,2\r\n1,2\n1,2\n';
  const row = '"{""hash"":""0zPKqEd-CtbCLB1ZSwX6Zo7uAWUvkpfHGzv9-cuYwZc""}",2\r\n';
  const expected = 'foo,bar\r\n' + row + row + row;
  assert.equal(await text('columnsToPseudonymize: [foo]', input), expected);
  assert.equal(gunzipSync(await run('columnsToPseudonymize: [foo]', input, { compress: true })).toString(), expected);
  assert.equal(await text('columnsToPseudonymize: [foo]', gzipSync(input), { key: 'x.csv.gz' }), expected);
  assert.equal(await text('columnsToPseudonymize: [foo]', input, { key: 'already-decompressed.csv.gz' }), expected);
});

test('columnar: short rows fail the file; rows are shuffled within chunks', async () => {
  await assert.rejects(() => run('columnsToPseudonymize: [a]', 'a,b,c\n1,2\n'), /the row has 2 values but the header has 3/);
  const many = 'id\n' + Array.from({ length: 40 }, (_, i) => String(i)).join('\n') + '\n';
  const out = (await text('columnsToRedact: []', many, { chunk: 500 })).split('\n');
  assert.deepEqual([...out.slice(1, -1)].sort(), Array.from({ length: 40 }, (_, i) => String(i)).sort());
  assert.notDeepEqual(out.slice(1, -1), Array.from({ length: 40 }, (_, i) => String(i)), 'order is shuffled (1 in 40! chance of a false failure)');
});

test('CSV reading and MINIMAL quoting as commons-csv', () => {
  const p = new CsvParser(',');
  const recs = [...p.push(' a , "b ""x"" " ,c\r\n\r\n  \r\n"multi\nline",2'), ...p.end()];
  assert.deepEqual(recs, [['a', 'b "x"', 'c'], [''], ['multi\nline', '2']]);
  assert.equal(p.lineEnding, '\r\n');
  assert.equal(formatCsvRecord(['', 'x', ' lead', 'trail ', '#h', 'a,b', 'q"', null, ''], ','), '"",x," lead","trail ","#h","a,b","q""",,');
  assert.equal(formatCsvRecord([null, 'x'], ','), ',x');
});

test('record rules: NDJSON, CSV, JSON arrays; redact → null, pseudonymize → t~, blanks and nulls kept', async () => {
  const rules = 'format: NDJSON\ntransforms:\n  - redact: foo\n  - pseudonymize: "$.bar"';
  assert.equal(await text(rules, '{"foo":1,"bar":2,"other":"three"}\n\n{"bar":"alice@company.com"}', { key: 'x.ndjson' }),
    '{"foo":null,"bar":"t~-hN_i1M1DeMAicDVp6LhFgW9lH7r3_LbOpTlXYWpXVI","other":"three"}\n{"bar":"t~0E6I_002nK2IJjv_KCUeFzIUo5rfuISgx7_g-EhfCxE@company.com"}\n');
  const csvRules = 'format: CSV\ntransforms:\n  - redact: foo\n  - pseudonymize: bar';
  assert.equal(await text(csvRules, 'foo,bar\r\n1,2\r\n3,alice@company.com\r\n'), 'foo,bar\n,t~-hN_i1M1DeMAicDVp6LhFgW9lH7r3_LbOpTlXYWpXVI\n,t~0E6I_002nK2IJjv_KCUeFzIUo5rfuISgx7_g-EhfCxE@company.com\n');
  const arr = await text('format: JSON_ARRAY\ntransforms: [{redact: foo}]', '[\n {"foo": 1, "bar": 1.50},\n {"foo": 2, "bar": 1e3}\n]', { key: 'x.json' });
  assert.equal(arr, '[{"foo":null,"bar":1.5},{"foo":null,"bar":1000.0}]');
  assert.equal(await text('format: JSON_ARRAY\ntransforms: [{redact: foo}]', '[{"foo":1,"bar":2}]', { outputFormat: 'CSV' }), 'foo,bar\n,2\n');
  const members = await text('transforms: [{pseudonymize: "$.members[*].email"}]', '{"email":"","members":[{"email":"a@x.com"},{"email":""},{"email":null}],"profile":{"email":null}}', { key: 'm.ndjson' });
  assert.match(members, /^\{"email":"","members":\[\{"email":"t~[^"]+@x\.com"\},\{"email":""\},\{"email":null\}\]/);
  await assert.rejects(() => run('transforms: [{pseudonymize: "$.a"}]', '{"a":true}', { key: 'x.ndjson' }), /cannot pseudonymize/);
  await assert.rejects(() => run('transforms: []', '[1,2]', { key: 'x.ndjson' }), /requires each line to be a JSON object/);
});

test('record rules: outputSchemaFilter drops undeclared fields', async () => {
  const out = await text('format: NDJSON\ntransforms: [{tokenize: "$.doc"}]\noutputSchemaFilter:\n  type: object\n  properties: {doc: {type: string}, n: {type: integer}}', '{"secret":"x","doc":"d1","n":"not a number"}', { key: 'a.ndjson' });
  const v = JSON.parse(out);
  assert.deepEqual(Object.keys(v), ['doc', 'n']);
  assert.equal(pz.reverse(v.doc), 'd1');
  assert.equal(v.n, null);
});

test('multi-type rules: templates against the object key, first match wins, one nested level', () => {
  assert.ok(objectTemplateRegex('/directory/plain.csv').test('directory/plain.csv'));
  assert.ok(objectTemplateRegex('/directory/file{suffix}.csv').test('directory/file1.csv'));
  assert.ok(!objectTemplateRegex('/directory/file{suffix}.csv').test('directory/file.csv'));
  assert.ok(objectTemplateRegex('/blah/{foo?}').test('blah/'));
  assert.ok(objectTemplateRegex('{exportId}/events{shardIndex}.ndjson{suffix?}').test('export123/events0-1775019339023.ndjson.gz'));
  assert.ok(!objectTemplateRegex('{exportId}/events{shardIndex}.ndjson{suffix?}').test('export123/items0.ndjson'));
  assert.ok(objectTemplateRegex('/users*').test('users*') && !objectTemplateRegex('/users*').test('users.ndjson'), '* is literal (psoxy quirk)');
  const rules = loadBulkRules('fileRules:\n  /directory/{fileName}.csv: {columnsToRedact: [a]}\n  /directory/file.{extension}: {columnsToRedact: [b]}\n  export-{week}/{file}:\n    fileRules:\n      users.ndjson.gz: {format: NDJSON}\n');
  assert.deepEqual((rulesForObject(rules, 'directory/file.csv') as { columnsToRedact: string[] }).columnsToRedact, ['a']);
  assert.equal(rulesForObject(rules, 'export-1/users.ndjson.gz')?.kind, 'record');
  assert.equal(rulesForObject(rules, 'other.csv'), null);
});

test('bulk rules: detection by keys, strict errors with lines, AUTO formats', () => {
  assert.equal(loadBulkRules('{}').kind, 'columnar');
  assert.throws(() => loadBulkRules('columnsToPseudonymize: [a]\ncolumnsToPseudonymise: [b]', 'r.yaml'), (e: RulesError) => e.line === 2 && /unknown key "columnsToPseudonymise"/.test(e.message));
  assert.throws(() => loadBulkRules('format: NDJSON\ntransforms:\n  - hash: "$.a"', 'r.yaml'), (e: RulesError) => e.line === 3);
  assert.throws(() => loadBulkRules('endpoints: []'), /API rules/);
  assert.equal(resolveFormat('AUTO', 'application/x-www-form-urlencoded', 'a.jsonl'), 'NDJSON');
  assert.equal(resolveFormat('AUTO', 'application/jsonlines', 'a.txt'), 'NDJSON');
  assert.equal(resolveFormat('AUTO', null, 'a.json.gz'), 'JSON_ARRAY');
  assert.equal(resolveFormat('AUTO', 'text/csv', 'a'), 'CSV');
  assert.equal(effectiveContentType('application/x-www-form-urlencoded', 'a.csv'), 'text/csv; charset=utf-8');
  assert.equal(effectiveContentType('text/plain; charset=us-ascii', 'a.csv'), 'text/plain; charset=us-ascii');
});

test('psoxy bulk CLI: built-in zoom-ai-metrics rules, file out; failures leave no output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'psoxy-bulk-'));
  const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
  const input = join(dir, 'ai.csv');
  writeFileSync(input, '\ufeffUser Name,Email,Action,Feature used,Department,\r\nPerson 1,person_1@acme.com,13,Meeting summary,PMO,\r\n');
  const out = join(dir, 'out.csv');
  const ok = spawnSync(process.execPath, [cli, 'bulk', input, '--rules', 'zoom-ai-metrics', '--salt', 'salt', '-o', out], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stderr, /^sanitized 1 rows/m);
  assert.equal(readFileSync(out, 'utf8'), 'User Name,Email,Action,Feature used,\r\nt~' + pz.pseudonymize('Person 1')!.hash + ',t~-MFHtQFQtPUXyclPE-B71x_F4jJStaMz9ZN-kWFE4_o@acme.com,13,Meeting summary,\r\n');
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'User Name,Email\r\nonly-one-field\r\n');
  const failed = spawnSync(process.execPath, [cli, 'bulk', bad, '--rules', 'zoom-ai-metrics', '--salt', 'salt', '-o', join(dir, 'bad-out.csv')], { encoding: 'utf8' });
  assert.equal(failed.status, 1);
  assert.match(failed.stderr, /the row has 1 values but the header has 2/);
  assert.ok(!existsSync(join(dir, 'bad-out.csv')));
  assert.deepEqual(readFileSync(out).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), false, 'no BOM written');
});

test('psoxy bulk shows a progress bar (rows, MB/s, ETA) on a terminal', { skip: !existsSync('/usr/bin/script') && 'util-linux script is not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'psoxy-tty-'));
  const input = join(dir, 'in.csv');
  writeFileSync(input, 'email,name\n' + Array.from({ length: 200_000 }, (_, i) => `user${i}@example.com,Name ${i}`).join('\n') + '\n');
  writeFileSync(join(dir, 'rules.yaml'), 'columnsToPseudonymize: [email]\n');
  const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
  const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} bulk ${JSON.stringify(input)} --rules ${JSON.stringify(join(dir, 'rules.yaml'))} --salt s -o ${JSON.stringify(join(dir, 'out.csv'))}`;
  const r = spawnSync('/usr/bin/script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stdout, /\[#*\.*\] +\d+% \d+ rows [\d.]+ MB\/s ETA \d+ s/);
  assert.match(r.stdout, /sanitized 200000 rows/);
});
