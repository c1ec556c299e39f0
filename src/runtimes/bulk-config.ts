/** Bulk-mode configuration from psoxy's names (bulk.md §1.2), read through the ConfigService. */
import type { ConfigService } from '../config/config-service.ts';
import { InvalidConfigError } from '../config/config-service.ts';
import { loadBulkRules, type RecordFormat } from '../bulk/rules.ts';
import { parseAdditionalTransforms, type StorageHandlerConfig } from '../bulk/storage-handler.ts';
import type { Pseudonymizer } from '../pseudonym/pseudonymizer.ts';
import { pseudonymizerFromConfig } from '../config/pseudonymizer-config.ts';
import { builtInBulkRulesYaml } from '../sources/index.ts';
import { configuredRules, rulesLookedIn } from '../config/configured-rules.ts';
import { MAX_RECORD_BYTES_SETTING, parseMaxRecordBytes } from '../bulk/record-limit.ts';

export async function bulkConfig(config: ConfigService, instanceId: string): Promise<{ handler: StorageHandlerConfig; pseudonymizer: Pseudonymizer }> {
  const configured = await configuredRules(config);
  const source = await config.get('SOURCE');
  const builtIn = source ? builtInBulkRulesYaml(source) : undefined;
  if (configured === undefined && builtIn === undefined) {
    throw new InvalidConfigError(`bulk mode needs RULES, a rules.yaml resource, or SOURCE naming built-in bulk rules such as zoom-ai-metrics (looked in: ${rulesLookedIn(config).join('; ')})`);
  }
  const rules = loadBulkRules(configured?.text ?? builtIn!, configured?.file ?? `built-in:${source}`);
  const outputFormat = await config.get('BULK_OUTPUT_FORMAT');
  if (outputFormat !== undefined && !['NDJSON', 'CSV', 'JSON_ARRAY'].includes(outputFormat)) throw new InvalidConfigError('BULK_OUTPUT_FORMAT must be NDJSON, CSV or JSON_ARRAY');
  const salt = await config.require('PSOXY_SALT');
  return {
    handler: {
      outputBucket: await config.require('OUTPUT_BUCKET'),
      rules,
      rulesText: configured?.text ?? null,
      inputBasePath: (await config.get('INPUT_BASE_PATH')) ?? null,
      outputBasePath: (await config.get('OUTPUT_BASE_PATH')) ?? null,
      additionalTransforms: parseAdditionalTransforms(await config.get('ADDITIONAL_TRANSFORMS')),
      compressOutputAlways: await config.bool('COMPRESS_OUTPUT_ALWAYS', true),
      outputFormat: (outputFormat as RecordFormat | undefined) ?? null,
      maxRecordBytes: await config.parsed(MAX_RECORD_BYTES_SETTING, parseMaxRecordBytes),
      instanceId,
      salt,
    },
    pseudonymizer: await pseudonymizerFromConfig(config),
  };
}
