/** Bulk-mode configuration from psoxy's names (bulk.md §1.2), read through the ConfigService. */
import type { ConfigService } from '../config/config-service.ts';
import { InvalidConfigError } from '../config/config-service.ts';
import { loadBulkRules, type RecordFormat } from '../bulk/rules.ts';
import { parseAdditionalTransforms, type StorageHandlerConfig } from '../bulk/storage-handler.ts';
import type { Pseudonymizer } from '../pseudonym/pseudonymizer.ts';
import { pseudonymizerFromConfig } from '../config/pseudonymizer-config.ts';
import { builtInBulkRulesYaml } from '../sources/index.ts';

export async function bulkConfig(config: ConfigService, instanceId: string): Promise<{ handler: StorageHandlerConfig; pseudonymizer: Pseudonymizer }> {
  const rulesText = (await config.get('RULES')) ?? null;
  const source = await config.get('SOURCE');
  const builtIn = source ? builtInBulkRulesYaml(source) : undefined;
  if (rulesText === null && builtIn === undefined) throw new InvalidConfigError('bulk mode needs RULES (or SOURCE naming built-in bulk rules such as zoom-ai-metrics)');
  const rules = loadBulkRules(rulesText ?? builtIn!, rulesText !== null ? 'RULES' : `built-in:${source}`);
  const outputFormat = await config.get('BULK_OUTPUT_FORMAT');
  if (outputFormat !== undefined && !['NDJSON', 'CSV', 'JSON_ARRAY'].includes(outputFormat)) throw new InvalidConfigError('BULK_OUTPUT_FORMAT must be NDJSON, CSV or JSON_ARRAY');
  const salt = await config.require('PSOXY_SALT');
  return {
    handler: {
      outputBucket: await config.require('OUTPUT_BUCKET'),
      rules,
      rulesText,
      inputBasePath: (await config.get('INPUT_BASE_PATH')) ?? null,
      outputBasePath: (await config.get('OUTPUT_BASE_PATH')) ?? null,
      additionalTransforms: parseAdditionalTransforms(await config.get('ADDITIONAL_TRANSFORMS')),
      compressOutputAlways: await config.bool('COMPRESS_OUTPUT_ALWAYS', true),
      outputFormat: (outputFormat as RecordFormat | undefined) ?? null,
      instanceId,
      salt,
    },
    pseudonymizer: await pseudonymizerFromConfig(config),
  };
}
