/** The rules an operator configured, wherever psoxy looks for them, before any built-in default. */
import { RULES_RESOURCE, type ConfigService } from './config-service.ts';

export interface RulesText {
  text: string;
  /** Where the text came from, for errors that name the file (`RULES`, `S3 s3://…: rules.yaml`). */
  file: string;
}

/** psoxy's order (api-proxy.md §2.4): the RULES setting, then a `rules.yaml` resource. */
export async function configuredRules(config: ConfigService): Promise<RulesText | undefined> {
  const setting = await config.get('RULES');
  if (setting !== undefined) return { text: setting, file: 'RULES' };
  const resource = await config.resource(RULES_RESOURCE);
  return resource && { text: resource.value, file: resource.from };
}

/** Every place rules were looked for, for the error when there are none. */
export function rulesLookedIn(config: ConfigService): string[] {
  return [...config.lookedIn('RULES'), ...config.resourcePlaces(RULES_RESOURCE)];
}
