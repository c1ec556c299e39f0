/** Where the proxy's rules come from, and what they need of the configuration. */
import { InvalidConfigError, MissingConfigError, type ConfigService } from '../config/config-service.ts';
import { configuredRules, rulesLookedIn, type RulesText } from '../config/configured-rules.ts';
import type { ApiRules } from '../rules/types.ts';
import { builtInRulesYaml } from '../sources/index.ts';

/** The configured rules (RULES, then `rules.yaml`), else the built-in rules of SOURCE (`_no-app-ids` when asked). */
export async function loadRulesText(config: ConfigService): Promise<RulesText> {
  const configured = await configuredRules(config);
  if (configured) return configured;
  const source = await config.get('SOURCE');
  if (source === undefined) throw new MissingConfigError('RULES', [...rulesLookedIn(config), `or SOURCE naming built-in rules (looked in: ${config.lookedIn('SOURCE').join('; ')})`]);
  const appIds = (await config.bool('PSEUDONYMIZE_APP_IDS', false)) ? builtInRulesYaml(`${source}_no-app-ids`) : undefined;
  const builtIn = appIds ?? builtInRulesYaml(source);
  if (builtIn === undefined) throw new InvalidConfigError(`no built-in rules for SOURCE ${source}: set RULES (looked in: ${rulesLookedIn(config).join('; ')})`);
  return { text: builtIn, file: `built-in rules for ${source}` };
}

/** Rules that emit reversible tokens cannot work without PSOXY_ENCRYPTION_KEY. */
export function needsEncryptionKey(rules: ApiRules): boolean {
  return rules.endpoints.some((e) => e.transforms.some((t) =>
    t.type === 'tokenize' || t.type === 'encryptIp' || ((t.type === 'pseudonymize' || t.type === 'pseudonymizeRegexMatches') && t.includeReversible)));
}

/**
 * What to add to a rules error when RULES holds something other than rules text: a file path or a
 * single word (a connector's name), which YAML reads as one string, "not a mapping".
 */
export function rulesValueHint(rules: RulesText): string {
  if (rules.file !== 'RULES') return '';
  const value = rules.text.trim();
  if (value.includes('\n') || (/^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length % 4 === 0 && value.length > 40)) return '';
  const path = /^(~|\.{0,2}\/|[A-Za-z]:\\)|\.(ya?ml|json)$/i.test(value);
  if (!path && value.includes(':')) return '';
  return ` (RULES takes the rules' YAML text itself, plain, base64 or base64-gzip, not ${path ? 'a path to a file' : 'a name'}: e.g. RULES="$(cat rules.yaml)"; for built-in rules leave RULES unset and set SOURCE)`;
}
