/** Built-in rules by psoxy `SOURCE` id (used when no `RULES` is configured). */
import { ZOOM_RULES_YAML } from './zoom/rules.ts';

const BUILT_IN: Record<string, string> = {
  zoom: ZOOM_RULES_YAML,
};

export function builtInRulesYaml(source: string): string | undefined {
  return Object.hasOwn(BUILT_IN, source) ? BUILT_IN[source] : undefined;
}

export const builtInSources = (): string[] => Object.keys(BUILT_IN);
