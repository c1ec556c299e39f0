/**
 * `--rules <file|name>`: a built-in rule set by name (`psoxy rules list`) or a rules file. The same
 * reading for `sanitize`, `bulk` and `rules check`, so all three give one verdict on one file.
 */
import { readFileSync } from 'node:fs';
import { builtInBulkRuleNames, builtInBulkRulesYaml, builtInRulesYaml, builtInSources, canonicalSource } from '../sources/index.ts';
import { RulesError } from '../rules/yaml-source.ts';

export interface RulesText { text: string; file: string }

export interface BuiltInRuleSet { name: string; kind: 'API' | 'bulk'; text: string }

export function builtInRuleSets(): BuiltInRuleSet[] {
  return [
    ...builtInSources().map((name) => ({ name, kind: 'API' as const, text: builtInRulesYaml(name)! })),
    ...builtInBulkRuleNames().map((name) => ({ name, kind: 'bulk' as const, text: builtInBulkRulesYaml(name)! })),
  ];
}

/**
 * The rules text for a built-in name or a file path. A file with nothing but blanks and comments
 * is refused: read as bulk rules it would pass every column through unchanged.
 */
export function readRules(ref: string): RulesText {
  // A connector's alias (psoxy's Terraform key, e.g. `slack-discovery-api`) names its rules too.
  const builtIn = builtInRuleSets().find((r) => r.name === ref) ?? builtInRuleSets().find((r) => r.name === canonicalSource(ref));
  if (builtIn) return { text: builtIn.text, file: `built-in:${builtIn.name}` };
  let text: string;
  try {
    text = readFileSync(ref, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new RulesError(ref, null, `${reason} (rules are a file or a built-in name: ${builtInRuleSets().map((r) => r.name).join(', ')})`);
  }
  if (text.split('\n').every((line) => /^\s*(#.*)?$/.test(line))) {
    throw new RulesError(ref, null, 'the rules file is empty; rules need endpoints (API rules) or columns, transforms or fileRules (bulk rules)');
  }
  return { text, file: ref };
}
