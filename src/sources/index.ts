/** Built-in connectors by psoxy `SOURCE` id: rules (used when no `RULES` is configured) and settings. */
import { ZOOM_RULES_YAML } from './zoom/rules.ts';
import { ZOOM_DEFAULTS } from './zoom/connector.ts';
import { ZOOM_AI_METRICS_RULES_YAML } from './zoom/ai-metrics-rules.ts';
import { BULK_CONNECTORS, CONNECTORS } from './catalogue/registry.ts';

/** Rules by SOURCE and by psoxy's variant names (`gcal_no-app-ids`): Zoom's and the catalogue's. */
const BUILT_IN_RULES: Record<string, string> = {
  zoom: ZOOM_RULES_YAML,
  ...Object.fromEntries(CONNECTORS.flatMap((c) => Object.entries(c.rules).map(([variant, yaml]) => [c.id + variant, yaml]))),
};

const BUILT_IN_DEFAULTS: Record<string, Record<string, string>> = {
  zoom: ZOOM_DEFAULTS,
  ...Object.fromEntries(CONNECTORS.map((c) => [c.id, { SOURCE: c.id, ...c.settings }])),
};

export function builtInRulesYaml(source: string): string | undefined {
  return Object.hasOwn(BUILT_IN_RULES, source) ? BUILT_IN_RULES[source] : undefined;
}

/** A built-in connector's default settings (empty for unknown sources). */
export function connectorDefaults(source: string): Record<string, string> {
  return Object.hasOwn(BUILT_IN_DEFAULTS, source) ? BUILT_IN_DEFAULTS[source] : {};
}

export const builtInSources = (): string[] => Object.keys(BUILT_IN_RULES);

const BUILT_IN_BULK_RULES: Record<string, string> = {
  'zoom-ai-metrics': ZOOM_AI_METRICS_RULES_YAML,
  ...Object.fromEntries(BULK_CONNECTORS.map((c) => [c.id, c.rules])),
};

/** Built-in bulk rules by name (`zoom-ai-metrics`, the catalogue's bulk connectors: `hris`, `slack-discovery-bulk`…). */
export function builtInBulkRulesYaml(name: string): string | undefined {
  return Object.hasOwn(BUILT_IN_BULK_RULES, name) ? BUILT_IN_BULK_RULES[name] : undefined;
}

export const builtInBulkRuleNames = (): string[] => Object.keys(BUILT_IN_BULK_RULES);
