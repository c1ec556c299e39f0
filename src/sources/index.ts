/** Built-in connectors by psoxy `SOURCE` id: rules (used when no `RULES` is configured) and settings. */
import { ZOOM_RULES_YAML } from './zoom/rules.ts';
import { ZOOM_DEFAULTS } from './zoom/connector.ts';
import { BULK_CONNECTORS, CONNECTORS } from './catalogue/registry.ts';

/**
 * Other names of built-in connectors (`aliases`: psoxy's Terraform keys such as
 * `slack-discovery-api`, and ids psoxy renamed, e.g. Zoom AI Metrics' `zoom-ai-snapshot-bulk`),
 * each mapped to our id.
 */
const ALIASES: Record<string, string> = Object.fromEntries(
  [...CONNECTORS, ...BULK_CONNECTORS].flatMap((c) => (c.aliases ?? []).map((alias): [string, string] => [alias, c.id])),
);

/**
 * Our id for a connector name: the name itself, or the id an alias stands for, a rules variant
 * suffix kept (`azure-ad_no-app-ids` → `msft-entra-id_no-app-ids`).
 */
export function canonicalSource(name: string): string {
  if (Object.hasOwn(ALIASES, name)) return ALIASES[name];
  const variant = /^(.+?)(_no-[\w-]+)$/.exec(name);
  return variant && Object.hasOwn(ALIASES, variant[1]) ? ALIASES[variant[1]] + variant[2] : name;
}

/** Every alias with the id it stands for. */
export const sourceAliases = (): Readonly<Record<string, string>> => ALIASES;

/** Rules by SOURCE and by psoxy's variant names (`gcal_no-app-ids`): Zoom's and the catalogue's. */
const BUILT_IN_RULES: Record<string, string> = {
  zoom: ZOOM_RULES_YAML,
  ...Object.fromEntries(CONNECTORS.flatMap((c) => Object.entries(c.rules).map(([variant, yaml]) => [c.id + variant, yaml]))),
};

const BUILT_IN_DEFAULTS: Record<string, Record<string, string>> = {
  zoom: ZOOM_DEFAULTS,
  ...Object.fromEntries(CONNECTORS.map((c) => [c.id, { SOURCE: c.id, ...c.settings }])),
};

/** Built-in rules by SOURCE, variant name or alias. */
export function builtInRulesYaml(source: string): string | undefined {
  const id = canonicalSource(source);
  return Object.hasOwn(BUILT_IN_RULES, id) ? BUILT_IN_RULES[id] : undefined;
}

/** A built-in connector's default settings, by id or alias (empty for unknown sources). */
export function connectorDefaults(source: string): Record<string, string> {
  const id = canonicalSource(source);
  return Object.hasOwn(BUILT_IN_DEFAULTS, id) ? BUILT_IN_DEFAULTS[id] : {};
}

export const builtInSources = (): string[] => Object.keys(BUILT_IN_RULES);

const BUILT_IN_BULK_RULES: Record<string, string> = Object.fromEntries(BULK_CONNECTORS.map((c) => [c.id, c.rules]));

/** Built-in bulk rules by the catalogue's bulk connector ids (`zoom-ai-metrics`, `hris`, `slack-discovery-bulk`…) or alias. */
export function builtInBulkRulesYaml(name: string): string | undefined {
  const id = canonicalSource(name);
  return Object.hasOwn(BUILT_IN_BULK_RULES, id) ? BUILT_IN_BULK_RULES[id] : undefined;
}

export const builtInBulkRuleNames = (): string[] => Object.keys(BUILT_IN_BULK_RULES);

/**
 * Why `name` cannot be run as an API connector (`psoxy serve --source`, `check`, `demo`), when it
 * is a built-in bulk connector's id or alias: what to run instead, and the API connectors named
 * like it (`qualtrics` → `qualtrics-api`, `gong-bulk` → `gong-metrics`), if any. Undefined for
 * any other name. The message starts with the name.
 */
export function bulkConnectorProblem(name: string): string | undefined {
  if (builtInBulkRulesYaml(name) === undefined || builtInRulesYaml(name) !== undefined) return undefined;
  const stems = [...new Set([name, canonicalSource(name)].map((n) => n.replace(/-bulk$/, '')))];
  const named = (key: string) => stems.some((stem) => key === stem || key.startsWith(`${stem}-`));
  const api = CONNECTORS.filter((c) => [c.id, ...(c.aliases ?? [])].some(named)).map((c) => c.id);
  const instead = api.length === 0 ? 'psoxy connectors lists the API connectors'
    : api.length === 1 ? `the API connector is ${api[0]}` : `the API connectors are ${api.join(', ')}`;
  return `${name} is a bulk connector (files sanitized from a bucket, not API calls): run it with psoxy bulk <file> --rules ${name}; ${instead}`;
}
