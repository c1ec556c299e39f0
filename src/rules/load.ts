/**
 * Loading psoxy API rules, YAML or JSON, synchronously (the CLI, the conformance runner); the
 * proxy uses `loadApiRulesLazily`, which loads the YAML parser only for YAML text.
 */
import { readYaml } from './yaml-source.ts';
import { readApiRules } from './bind-api.ts';
import type { ApiRules } from './types.ts';

export { bindApiRules, bindSchemaFilter, decodeRulesValue, RulesError } from './bind-api.ts';

export function loadApiRules(text: string, file = 'RULES'): ApiRules {
  return readApiRules(text, file, readYaml);
}
