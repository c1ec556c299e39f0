/** `psoxy rules check <file|name>` and `psoxy rules list`. */
import { Command } from 'commander';
import { UNDECLARED_METHODS } from '../rules/match.ts';
import { loadApiRules } from '../rules/load.ts';
import { jaywayDifferences } from '../jsonpath/jayway-notes.ts';
import { loadAnyRules, type BulkRules } from '../bulk/rules.ts';
import { action } from './options.ts';
import { builtInRuleSets, readRules } from './rules-ref.ts';

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

function checkRules(ref: string): number {
  const { text, file } = readRules(ref);
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
  for (const e of rules.endpoints) {
    for (const t of e.transforms) {
      for (const path of t.jsonPaths) {
        for (const note of jaywayDifferences(path)) console.log(`warning: ${e.pathTemplate ?? e.pathRegex} ${t.type} ${path}: ${note}`);
      }
    }
  }
  const undeclared = rules.endpoints.filter((e) => !e.allowedMethods).length;
  if (undeclared > 0) console.log(`note: ${undeclared} endpoint(s) declare no allowedMethods: they accept ${[...UNDECLARED_METHODS].join(', ')} (psoxy: any method); declare allowedMethods to narrow them`);
  return 0;
}

function listRules(): number {
  const sets = builtInRuleSets();
  const width = Math.max(...sets.map((s) => s.name.length));
  for (const s of sets) {
    const rules = loadAnyRules(s.text, s.name);
    const what = rules.kind === 'api' ? `API rules, ${rules.endpoints.length} endpoints (psoxy sanitize, psoxy serve --source ${s.name})` : `bulk rules, ${rules.kind} (psoxy bulk)`;
    console.log(`${s.name.padEnd(width)}  ${what}`);
  }
  return 0;
}

export function rulesCommand(): Command {
  const rules = new Command('rules').description('check rules files; list the built-in rule sets');
  rules.command('check')
    .description('validate a rules file (API or bulk) and describe it, or name the file, line and problem')
    .argument('<rules>', 'a rules file or a built-in name (psoxy rules list)')
    .addHelpText('after', `
Examples:
  $ psoxy rules check examples/users-rules.yaml
  $ psoxy rules check zoom-ai-metrics

Exits 0 when sanitize / bulk would accept the rules, 1 (with file:line: problem) when not.`)
    .action(action(checkRules));
  rules.command('list')
    .description('list the built-in rule sets, usable by name wherever --rules is accepted')
    .addHelpText('after', '\nExample:\n  $ psoxy rules list')
    .action(action(listRules));
  return rules;
}
