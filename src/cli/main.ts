#!/usr/bin/env node
/** `psoxy` command line: sanitize, rules check, conformance (and, later, serve / demo / bulk). */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UNDECLARED_METHODS } from '../rules/match.ts';
import { loadApiRules } from '../rules/load.ts';
import { jaywayDifferences } from '../jsonpath/jayway-notes.ts';
import { Sanitizer } from '../sanitizer/sanitizer.ts';
import { Pseudonymizer } from '../pseudonym/pseudonymizer.ts';
import { runConformance } from '../conformance/runner.ts';
import { builtInBulkRulesYaml, builtInRulesYaml } from '../sources/index.ts';
import { loadAnyRules, type BulkRules } from '../bulk/rules.ts';
import { runDemo } from './demo.ts';
import { cmdServe } from './serve.ts';
import { cmdZoomSim } from './zoom-sim.ts';
import { cmdCheck } from './check-zoom.ts';
import { cmdBulk } from './bulk.ts';
import { cmdCall } from './call.ts';

const USAGE = `usage: psoxy <command> [options]

commands:
  sanitize --rules <file|built-in> --url <raw url> [--method GET] [--salt S] [--encryption-key K] [--input <file>]
      sanitize a JSON response (stdin or --input) as the proxy would; prints the result
  rules check <file|built-in>
      validate a rules file and list its endpoints
  conformance --manifest <file> --root <dir> [--report <out.json>]
      run psoxy conformance cases
  serve --source zoom [--port 8080] [--host 127.0.0.1]
      run the proxy (config from env / .psoxy-local/<source>.json)
  zoom-sim [--port 9000] [--seed N] [--users N] [--free-plan] [--token-policy revoke-previous|multiple]
           [--rate-limit N] [--missing-scopes a,b]
      run the Zoom simulator
  check zoom
      verify the Zoom app: token, scopes, plan
  bulk <input|-> --rules <file|built-in> [-o <output>] [--salt S] [--output-format NDJSON|CSV|JSON_ARRAY]
       [--max-record-bytes N]
      sanitize a CSV / NDJSON / JSON-array file (built-in rules: zoom-ai-metrics); one row, line or
      array element over N bytes (default 4 MiB, env BULK_MAX_RECORD_BYTES) fails the file
  call <url> [--health] [--role-arn ARN] [--sign aws|gcp|none] [--region R]
      call a deployed proxy as the analytics client does (SigV4 for AWS, identity token for GCP)
  demo
      simulator + proxy + an analytics client's calls, showing what was removed
`;

class UsageError extends Error {}

function readRules(ref: string): { text: string; file: string } {
  const builtIn = builtInRulesYaml(ref);
  if (builtIn !== undefined) return { text: builtIn, file: `built-in:${ref}` };
  return { text: readFileSync(ref, 'utf8'), file: ref };
}

function cmdSanitize(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      rules: { type: 'string' }, url: { type: 'string' }, method: { type: 'string', default: 'GET' },
      salt: { type: 'string' }, 'encryption-key': { type: 'string' }, input: { type: 'string' },
    },
  });
  if (!values.rules || !values.url) throw new UsageError('sanitize needs --rules and --url');
  const { text, file } = readRules(values.rules);
  const salt = values.salt ?? process.env.PSOXY_SALT;
  if (!salt) throw new UsageError('sanitize needs --salt (or PSOXY_SALT in the environment)');
  const sanitizer = new Sanitizer(loadApiRules(text, file), new Pseudonymizer({
    salt,
    encryptionKey: values['encryption-key'] ?? process.env.PSOXY_ENCRYPTION_KEY ?? null,
  }));
  const body = readFileSync(values.input ?? 0, 'utf8');
  process.stdout.write(sanitizer.sanitize(values.method, values.url, body) + '\n');
  return 0;
}

function describeBulk(rules: BulkRules, indent = '  '): string[] {
  switch (rules.kind) {
    case 'columnar':
      return [`${indent}columnar (${rules.pseudonymFormat}): pseudonymize [${rules.columnsToPseudonymize.join(', ')}]${rules.columnsToPseudonymizeIfPresent.length ? ` if present [${rules.columnsToPseudonymizeIfPresent.join(', ')}]` : ''}, redact [${rules.columnsToRedact.join(', ')}]`];
    case 'record':
      return [`${indent}records (${rules.format}): ${rules.transforms.map((t) => `${t.type} ${t.jsonPaths.join(' ')}`).join('; ') || 'no transforms'}`];
    case 'multi':
      return rules.fileRules.flatMap(([template, inner]) => [`${indent}${template}`, ...describeBulk(inner, indent + '  ')]);
  }
}

function cmdRulesCheck(argv: string[]): number {
  const [sub, ref] = argv;
  if (sub !== 'check' || !ref) throw new UsageError('usage: psoxy rules check <file|built-in>');
  const builtInBulk = builtInBulkRulesYaml(ref);
  const { text, file } = builtInBulk !== undefined ? { text: builtInBulk, file: `built-in:${ref}` } : readRules(ref);
  const any = loadAnyRules(text, file);
  if (any.kind !== 'api') {
    console.log(`${file}: OK, bulk rules`);
    for (const line of describeBulk(any)) console.log(line);
    return 0;
  }
  const rules = loadApiRules(text, file);
  console.log(`${file}: OK, ${rules.endpoints.length} endpoint(s)${rules.allowAllEndpoints ? ', allowAllEndpoints' : ''}`);
  for (const e of rules.endpoints) {
    const methods = e.allowedMethods?.join(',') ?? [...UNDECLARED_METHODS].join(',');
    const params = e.allowedQueryParams ? ` params=[${e.allowedQueryParams.join(',')}]` : '';
    console.log(`  ${methods.padEnd(5)} ${e.pathTemplate ?? e.pathRegex}${params} transforms=${e.transforms.map((t) => t.type).join(',') || '-'}`);
  }
  for (const w of rules.warnings) console.log(`warning: ${w}`);
  const undeclared = rules.endpoints.filter((e) => !e.allowedMethods).length;
  if (undeclared > 0) console.log(`note: ${undeclared} endpoint(s) declare no allowedMethods: they accept ${[...UNDECLARED_METHODS].join(', ')} (psoxy: any method); declare allowedMethods to narrow them`);
  for (const e of rules.endpoints) {
    for (const t of e.transforms) {
      for (const path of t.jsonPaths) {
        for (const note of jaywayDifferences(path)) console.log(`warning: ${e.pathTemplate ?? e.pathRegex} ${t.type} ${path}: ${note}`);
      }
    }
  }
  return 0;
}

async function cmdConformance(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { manifest: { type: 'string' }, root: { type: 'string' }, report: { type: 'string' } } });
  if (!values.manifest || !values.root) throw new UsageError('conformance needs --manifest and --root');
  const summary = await runConformance(values.manifest, values.root);
  for (const r of summary.results) {
    if (r.ok === false) console.log(`FAIL ${r.connector} ${r.kind} ${r.requestUrl}\n     ${r.reason}`);
  }
  if (values.report) writeFileSync(values.report, JSON.stringify(summary.results, null, 2) + '\n');
  console.log(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
  return summary.failed === 0 ? 0 : 1;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'sanitize': return cmdSanitize(rest);
      case 'rules': return cmdRulesCheck(rest);
      case 'conformance': return await cmdConformance(rest);
      case 'demo': return await runDemo();
      case 'serve': return await cmdServe(rest);
      case 'zoom-sim': return await cmdZoomSim(rest);
      case 'check': return await cmdCheck(rest);
      case 'bulk': return await cmdBulk(rest);
      case 'call': return await cmdCall(rest);
      case undefined: case '-h': case '--help': case 'help':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default: throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`psoxy: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof Error) {
      process.stderr.write(`psoxy: ${e.message.split('\n')[0]}\n`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
