/** Where the proxy's rules come from, and what they need of the configuration. */
import { InvalidConfigError, MissingConfigError, type ConfigService } from '../config/config-service.ts';
import type { ApiRules } from '../rules/types.ts';
import { builtInRulesYaml } from '../sources/index.ts';

/** RULES as configured, else the built-in rules of SOURCE (its `_no-app-ids` variant when asked). */
export async function loadRulesText(config: ConfigService): Promise<{ text: string; file: string }> {
  const custom = await config.get('RULES');
  if (custom !== undefined) return { text: custom, file: 'RULES' };
  const source = await config.get('SOURCE');
  if (source === undefined) throw new MissingConfigError('SOURCE', config.lookedIn('SOURCE'));
  const appIds = (await config.bool('PSEUDONYMIZE_APP_IDS', false)) ? builtInRulesYaml(`${source}_no-app-ids`) : undefined;
  const builtIn = appIds ?? builtInRulesYaml(source);
  if (builtIn === undefined) throw new InvalidConfigError(`no built-in rules for SOURCE ${source}: set RULES`);
  return { text: builtIn, file: `built-in rules for ${source}` };
}

/** Rules that emit reversible tokens cannot work without PSOXY_ENCRYPTION_KEY. */
export function needsEncryptionKey(rules: ApiRules): boolean {
  return rules.endpoints.some((e) => e.transforms.some((t) =>
    t.type === 'tokenize' || t.type === 'encryptIp' || ((t.type === 'pseudonymize' || t.type === 'pseudonymizeRegexMatches') && t.includeReversible)));
}
